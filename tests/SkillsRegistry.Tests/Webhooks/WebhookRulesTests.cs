using System.Net;
using System.Security.Cryptography;
using System.Text;
using SkillsRegistry.Api.Features.Webhooks;
using SkillsRegistry.Api.Infrastructure.Data;

namespace SkillsRegistry.Tests.Webhooks;

public sealed class WebhookRulesTests
{
    [Theory]
    [InlineData("https://partner.example/hooks", false, true)]
    [InlineData("http://partner.example/hooks", false, false)]
    [InlineData("http://partner.example/hooks", true, true)]
    [InlineData("http://127.0.0.1:5000/hook", true, true)]
    [InlineData("http://127.0.0.1:5000/hook", false, false)]
    [InlineData("ftp://partner.example/hooks", true, false)]
    [InlineData("https://user:pass@partner.example/hooks", true, false)]
    [InlineData("/relative/hook", true, false)]
    public void Webhook_urls_are_https_and_plain_http_only_reaches_an_allow_listed_host(string url, bool allowListed, bool accepted)
    {
        Assert.Equal(accepted, WebhookValidation.UrlProblem(url, _ => allowListed, out _) is null);
    }

    [Theory]
    [InlineData(200, AttemptOutcome.Succeeded)]
    [InlineData(204, AttemptOutcome.Succeeded)]
    [InlineData(408, AttemptOutcome.Retry)]
    [InlineData(429, AttemptOutcome.Retry)]
    [InlineData(500, AttemptOutcome.Retry)]
    [InlineData(503, AttemptOutcome.Retry)]
    [InlineData(400, AttemptOutcome.Dead)]
    [InlineData(404, AttemptOutcome.Dead)]
    [InlineData(410, AttemptOutcome.Dead)]
    [InlineData(301, AttemptOutcome.Dead)]
    public void Only_timeouts_throttling_and_server_errors_are_retried(int status, AttemptOutcome expected)
    {
        Assert.Equal(expected, WebhookRetry.Classify((HttpStatusCode)status));
    }

    [Fact]
    public void Retry_delays_double_from_the_base_with_jitter_in_the_upper_half_and_stop_at_the_maximum()
    {
        var baseDelay = TimeSpan.FromSeconds(5);
        var max = TimeSpan.FromHours(1);
        Assert.Equal(TimeSpan.FromSeconds(2.5), WebhookRetry.Delay(1, baseDelay, max, 0));
        Assert.Equal(TimeSpan.FromSeconds(5), WebhookRetry.Delay(1, baseDelay, max, 1));
        Assert.Equal(TimeSpan.FromSeconds(20), WebhookRetry.Delay(3, baseDelay, max, 1));
        Assert.Equal(TimeSpan.FromSeconds(15), WebhookRetry.Delay(3, baseDelay, max, 0.5));
        Assert.Equal(max, WebhookRetry.Delay(20, baseDelay, max, 1));
        Assert.Equal(max, WebhookRetry.Delay(1000, baseDelay, max, 1));
        Assert.Equal(TimeSpan.FromMinutes(2), WebhookRetry.Delay(1, baseDelay, max, 0, retryAfter: TimeSpan.FromMinutes(2)));
        Assert.Equal(max, WebhookRetry.Delay(1, baseDelay, max, 0, retryAfter: TimeSpan.FromDays(1)));
    }

    [Fact]
    public void A_signature_is_the_standard_webhooks_v1_signature_of_id_timestamp_and_body()
    {
        // The test vector of the Standard Webhooks specification's reference libraries.
        const string secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
        const string body = """{"test": 2432232314}""";
        const string expected = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";
        Assert.Equal(expected, WebhookSignature.Sign(secret, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, body));
        Assert.Equal(expected, new StandardWebhooks.StandardWebhook(secret).Sign("msg_p5jXN8AQM9LWM0D4loKWxJek", DateTimeOffset.FromUnixTimeSeconds(1614265330), body));
        Assert.True(WebhookSignature.Verify(secret, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, body, "v1,bogus " + expected));
        Assert.False(WebhookSignature.Verify(secret, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, body.Replace("2432", "2433"), expected));
        Assert.False(WebhookSignature.Verify(secret, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265331, body, expected));
        Assert.False(WebhookSignature.Verify(secret, "msg_other", 1614265330, body, expected));
    }

    [Fact]
    public void A_new_secret_is_whsec_and_32_random_bytes_and_during_a_rollover_both_secrets_sign()
    {
        var secret = WebhookSignature.NewSecret();
        Assert.StartsWith("whsec_", secret);
        Assert.Equal(32, Convert.FromBase64String(secret["whsec_".Length..]).Length);
        Assert.NotEqual(secret, WebhookSignature.NewSecret());

        var previous = WebhookSignature.NewSecret();
        var header = WebhookSignature.Header([secret, previous], "e1", 1748772000, "{}");
        var parts = header.Split(' ');
        Assert.Equal(2, parts.Length);
        Assert.True(WebhookSignature.Verify(secret, "e1", 1748772000, "{}", header));
        Assert.True(WebhookSignature.Verify(previous, "e1", 1748772000, "{}", header));
        Assert.False(WebhookSignature.Verify(WebhookSignature.NewSecret(), "e1", 1748772000, "{}", header));
    }

    [Fact]
    public void A_secret_issued_before_standard_webhooks_signs_with_its_utf8_bytes_which_a_library_takes_as_whsec_base64()
    {
        const string legacy = "q8GkO5c0yJvA3n1mB7dXwZr2sLtU9eHfPiKoNaQxYc4";
        var asStandard = "whsec_" + Convert.ToBase64String(Encoding.UTF8.GetBytes(legacy));
        Assert.Equal(WebhookSignature.Sign(legacy, "e1", 1748772000, "{}"), WebhookSignature.Sign(asStandard, "e1", 1748772000, "{}"));
    }

    [Fact]
    public void The_envelope_wraps_the_stored_data_unchanged()
    {
        var eventId = Guid.CreateVersion7();
        var body = WebhookDispatcher.Envelope(new ClaimedDelivery
        {
            EventId = eventId, EventType = "standard.activated", OccurredAt = new DateTimeOffset(2025, 6, 1, 13, 30, 0, TimeSpan.FromHours(3.5)),
            Payload = """{"code":"7318-1","version":2}""",
        });
        Assert.Equal($$$"""{"id":"{{{eventId}}}","type":"standard.activated","occurredAt":"2025-06-01T10:00:00+00:00","data":{"code":"7318-1","version":2}}""", body);
    }

    [Fact]
    public void Claiming_work_skips_rows_locked_by_another_instance_on_postgres_only()
    {
        Assert.Equal(" FOR UPDATE SKIP LOCKED", SqlDialect.Postgres.ForUpdateSkipLocked);
        Assert.Equal("", SqlDialect.Sqlite.ForUpdateSkipLocked);
    }
}
