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
    public void A_signature_is_an_hmac_of_timestamp_and_body_and_a_changed_body_does_not_verify()
    {
        var secret = WebhookSignature.NewSecret();
        Assert.Equal(43, secret.Length);
        Assert.DoesNotContain('=', secret);
        Assert.NotEqual(secret, WebhookSignature.NewSecret());
        const string body = """{"id":"e1","type":"certificate.issued","occurredAt":"2025-06-01T10:00:00Z","data":{}}""";
        var expected = "v1=" + Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes("1748772000." + body)));
        Assert.Equal(expected, WebhookSignature.Sign(secret, 1748772000, body));
        Assert.True(WebhookSignature.Verify(secret, 1748772000, body, "v1=bogus " + expected));
        Assert.False(WebhookSignature.Verify(secret, 1748772000, body.Replace("issued", "revoked"), expected));
        Assert.False(WebhookSignature.Verify(secret, 1748772001, body, expected));
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
