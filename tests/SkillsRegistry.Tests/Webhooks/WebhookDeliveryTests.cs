using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using SkillsRegistry.Api.Features.Webhooks;
using SkillsRegistry.Api.Infrastructure.Auth;
using SkillsRegistry.Api.Infrastructure.Outbox;
using SkillsRegistry.Tests.Support;
using StandardWebhooks;

namespace SkillsRegistry.Tests.Webhooks;

public sealed class WebhookDeliveryTests(FastWebhooksFixture fixture) : IClassFixture<FastWebhooksFixture>
{
    /// <summary>What the README tells a receiver to do by hand: HMAC-SHA256 over "{id}.{timestamp}.{body}" with the decoded whsec_ key.</summary>
    private static string ExpectedSignature(string secret, string id, string timestamp, string body) =>
        "v1," + Convert.ToBase64String(HMACSHA256.HashData(Convert.FromBase64String(secret["whsec_".Length..]), Encoding.UTF8.GetBytes($"{id}.{timestamp}.{body}")));

    /// <summary>
    /// Whether the StandardWebhooks library, given this secret, signs the received id, timestamp and body exactly as one of
    /// the header's signatures. (Its Verify also checks the timestamp against the real clock, which tests may pin
    /// elsewhere; the TypeScript scenario runs the library's full verify against real deliveries.)
    /// </summary>
    private static bool SignedFor(string secret, WebhookReceiver.Received received) =>
        received.Signature.Split(' ').Contains(
            new StandardWebhook(secret).Sign(received.Id, DateTimeOffset.FromUnixTimeSeconds(long.Parse(received.Timestamp)), received.Body));

    private static int?[] LoggedStatusCodes(JsonElement delivery) =>
        delivery.GetProperty("attemptLog").EnumerateArray()
            .Select(a => a.GetProperty("statusCode").ValueKind == JsonValueKind.Null ? (int?)null : a.GetProperty("statusCode").GetInt32()).ToArray();

    [Theory, OnSqlite, OnPostgres]
    public async Task An_issued_certificate_reaches_a_failing_receiver_once_accepted_after_retries_with_a_valid_signature(TestDatabase db)
    {
        var app = await fixture.For(db);
        var world = await app.CreateWorldAsync();
        const int failures = 2;
        await using var receiver = await WebhookReceiver.StartAsync(n => n <= failures ? 500 : 204);
        var center = app.ClientWithKey(world.CenterKey);
        var (webhookId, secret) = await center.CreateWebhookAsync(receiver.Url, "certificate.issued");

        var certificateId = (await app.IssueCertificateAsync(world, "wh-issued")).CertificateId;

        var delivery = await center.WaitForDeliveryAsync(webhookId, d => d.Status() == "succeeded", "succeeded");
        Assert.Equal(failures + 1, delivery.GetProperty("attempts").GetInt32());
        Assert.Equal(204, delivery.GetProperty("lastStatusCode").GetInt32());
        Assert.Equal("certificate.issued", delivery.GetProperty("eventType").GetString());
        await app.Dispatcher().RoundWithNothingDueAsync(); // nothing else is pending, so nothing else will arrive
        var requests = receiver.Requests;
        Assert.Equal(failures + 1, requests.Count);
        Assert.Equal([500, 500, 204], requests.Select(r => r.AnsweredWith ?? 0));
        var eventId = delivery.GetProperty("eventId").GetGuid().ToString();
        Assert.All(requests, r => Assert.Equal(eventId, r.Id)); // the same event id on every attempt
        var accepted = Assert.Single(requests, r => r.AnsweredWith == 204);
        Assert.True(SignedFor(secret, accepted)); // the reference library computes the same signature
        Assert.Equal(ExpectedSignature(secret, accepted.Id, accepted.Timestamp, accepted.Body), accepted.Signature);
        Assert.False(SignedFor(WebhookSignature.NewSecret(), accepted));
        Assert.Equal([1, 2, 3], delivery.GetProperty("attemptLog").EnumerateArray().Select(a => a.GetProperty("number").GetInt32()));
        Assert.Equal([500, 500, 204], LoggedStatusCodes(delivery));
        Assert.All(delivery.GetProperty("attemptLog").EnumerateArray(), a => Assert.True(a.GetProperty("durationMs").GetInt32() >= 0));
        Assert.InRange(long.Parse(accepted.Timestamp), app.Clock.GetUtcNow().AddMinutes(-1).ToUnixTimeSeconds(), app.Clock.GetUtcNow().ToUnixTimeSeconds());

        var body = JsonDocument.Parse(accepted.Body).RootElement;
        Assert.Equal(eventId, body.GetProperty("id").GetString());
        Assert.Equal("certificate.issued", body.GetProperty("type").GetString());
        Assert.True(body.TryGetProperty("occurredAt", out _));
        var data = body.GetProperty("data");
        Assert.Equal(certificateId, data.GetProperty("id").GetGuid()); // named as in GET /api/v1/certificates/{id}
        Assert.Equal(world.CenterId, data.GetProperty("center").GetProperty("id").GetGuid());
        Assert.Equal("valid", data.GetProperty("status").GetString());
        Assert.Matches(@"^\d{4}-\d{2}-\d{2}$", data.GetProperty("issuedOn").GetString()!);
        Assert.Equal(world.StandardCode, data.GetProperty("standard").GetProperty("code").GetString());
        Assert.False(data.TryGetProperty("holder", out _)); // thin events: no personal data
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task A_change_that_rolls_back_after_enqueuing_never_produces_an_event(TestDatabase db)
    {
        var app = await fixture.For(db);
        var world = await app.CreateWorldAsync();
        await using var receiver = await WebhookReceiver.StartAsync(_ => 200);
        var (webhookId, _) = await app.ClientWithKey(world.CenterKey).CreateWebhookAsync(receiver.Url, "certificate.issued");

        var rolledBack = Guid.Empty;
        await Assert.ThrowsAsync<InvalidOperationException>(() => app.Db.WriteAsync(async s =>
        {
            rolledBack = await Outbox.EnqueueAsync(s, "certificate.issued", app.Clock.GetUtcNow(), new { marker = "rolled-back" }, world.CenterId, "handicrafts");
            throw new InvalidOperationException("The change fails after its event was enqueued.");
        }));
        // A committed event enqueued afterwards is the control: once it has arrived, the dispatcher has passed the first one.
        var committed = await app.Db.WriteAsync(s =>
            Outbox.EnqueueAsync(s, "certificate.issued", app.Clock.GetUtcNow(), new { marker = "committed" }, world.CenterId, "handicrafts"));

        await receiver.WaitForAsync(r => r.Any(x => x.Id == committed.ToString()), "the committed event");
        await app.Dispatcher().RoundWithNothingDueAsync();
        Assert.DoesNotContain(receiver.Requests, r => r.Id == rolledBack.ToString());
        Assert.Equal(0, await app.Db.ReadAsync(s => s.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM outbox_events WHERE id = @rolledBack", new { rolledBack })));
        Assert.Single(await app.ClientWithKey(world.CenterKey).DeliveriesAsync(webhookId));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task A_gone_receiver_is_dead_lettered_after_one_attempt_and_redelivery_queues_it_again(TestDatabase db)
    {
        var app = await fixture.For(db);
        var world = await app.CreateWorldAsync();
        var answer = 410;
        await using var receiver = await WebhookReceiver.StartAsync(_ => answer);
        var center = app.ClientWithKey(world.CenterKey);
        var (webhookId, _) = await center.CreateWebhookAsync(receiver.Url, "certificate.issued");

        await app.IssueCertificateAsync(world, "wh-gone");

        var dead = await center.WaitForDeliveryAsync(webhookId, d => d.Status() == "dead", "dead");
        Assert.Equal(1, dead.GetProperty("attempts").GetInt32());
        Assert.Equal(410, dead.GetProperty("lastStatusCode").GetInt32());
        Assert.Equal(JsonValueKind.Null, dead.GetProperty("nextAttemptAt").ValueKind);
        var deliveryId = dead.GetProperty("id").GetGuid();

        answer = 200;
        var requeued = await (await center.PostAsync($"/api/v1/webhooks/{webhookId}/deliveries/{deliveryId}/redeliver", null)).ReadJsonAsync();
        Assert.Equal(deliveryId, requeued.GetProperty("id").GetGuid());
        Assert.NotEqual("dead", requeued.Status());
        var delivered = await center.WaitForDeliveryAsync(webhookId, d => d.Status() == "succeeded", "succeeded after redelivery");
        Assert.Equal(200, delivered.GetProperty("lastStatusCode").GetInt32());
        Assert.Equal(2, delivered.GetProperty("attempts").GetInt32()); // the dead attempt still counts
        Assert.Equal([410, 200], LoggedStatusCodes(delivered)); // and is still in the log, before the new one
        Assert.Equal(2, receiver.Requests.Count);
        Assert.Single(receiver.Requests.Select(r => r.Id).Distinct());

        var again = await center.PostAsync($"/api/v1/webhooks/{webhookId}/deliveries/{deliveryId}/redeliver", null);
        await again.AssertProblemAsync(HttpStatusCode.Conflict);
        var unknown = await center.PostAsync($"/api/v1/webhooks/{webhookId}/deliveries/{Guid.CreateVersion7()}/redeliver", null);
        await unknown.AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task A_partner_webhook_receives_certificate_events_only_in_its_agreements_sectors(TestDatabase db)
    {
        var app = await fixture.For(db);
        var world = await app.CreateWorldAsync(); // its standard is in the handicrafts sector
        var handicrafts = app.ClientWithKey(await app.CreateKeyAsync(ApiKeyRole.Partner, partnerId: await app.InsertPartnerAsync(sector: "handicrafts")));
        var cinema = app.ClientWithKey(await app.CreateKeyAsync(ApiKeyRole.Partner, partnerId: await app.InsertPartnerAsync(sector: "cinema")));
        await using var handicraftsReceiver = await WebhookReceiver.StartAsync(_ => 200);
        await using var cinemaReceiver = await WebhookReceiver.StartAsync(_ => 200);
        var (handicraftsHook, _) = await handicrafts.CreateWebhookAsync(handicraftsReceiver.Url, "certificate.issued");
        var (cinemaHook, _) = await cinema.CreateWebhookAsync(cinemaReceiver.Url, "certificate.issued");

        var certificateId = (await app.IssueCertificateAsync(world, "wh-partner")).CertificateId;

        var seen = await handicraftsReceiver.WaitForAsync(r => r.Any(x => x.Body.Contains(certificateId.ToString())), "the handicrafts certificate");
        Assert.Single(seen);
        // The event was fanned out to every subscription in one transaction, so the cinema partner's turn is over.
        Assert.Empty(await cinema.DeliveriesAsync(cinemaHook));
        Assert.Empty(cinemaReceiver.Requests);

        foreach (var (client, hook) in new[] { (handicrafts, handicraftsHook), (cinema, cinemaHook) })
            Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/api/v1/webhooks/{hook}")).StatusCode);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Plain_http_to_a_non_loopback_host_and_unknown_events_are_field_errors(TestDatabase db)
    {
        var app = await fixture.For(db);
        var admin = await app.AdminClientAsync();

        var http = await admin.PostAsJsonAsync("/api/v1/webhooks", new { url = "http://partner.example/hook", events = new[] { "certificate.issued" } });
        Assert.NotEmpty((await http.AssertProblemAsync(HttpStatusCode.BadRequest)).FieldErrors("url"));

        var unknown = await admin.PostAsJsonAsync("/api/v1/webhooks", new { url = "https://partner.example/hook", events = new[] { "certificate.printed" } });
        Assert.NotEmpty((await unknown.AssertProblemAsync(HttpStatusCode.BadRequest)).FieldErrors("events[0]"));

        var none = await admin.PostAsJsonAsync("/api/v1/webhooks", new { url = "https://partner.example/hook", events = Array.Empty<string>() });
        Assert.NotEmpty((await none.AssertProblemAsync(HttpStatusCode.BadRequest)).FieldErrors("events"));

        // An allow-listed test host (no DNS is asked in tests; the rules for names are in WebhookTargetTests).
        var https = await admin.PostAsJsonAsync("/api/v1/webhooks", new { url = "https://localhost:9/hook", events = new[] { "standard.activated" } });
        var created = await https.ReadJsonAsync(HttpStatusCode.Created);
        Assert.Equal("https://localhost:9/hook", created.GetProperty("webhook").GetProperty("url").GetString());
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/v1/webhooks/{created.GetProperty("webhook").GetProperty("id").GetGuid()}")).StatusCode);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task A_center_manages_only_its_own_webhooks_and_the_secret_is_shown_only_at_creation(TestDatabase db)
    {
        var app = await fixture.For(db);
        var world = await app.CreateWorldAsync();
        var other = await app.CreateWorldAsync();
        var center = app.ClientWithKey(world.CenterKey);
        var (id, secret) = await center.CreateWebhookAsync("https://localhost:9/center-hooks", "certificate.issued", "certificate.revoked", "certificate.issued");
        Assert.StartsWith("whsec_", secret); // a Standard Webhooks secret: whsec_ + base64 of 32 bytes
        Assert.Equal(32, Convert.FromBase64String(secret["whsec_".Length..]).Length);

        var read = await (await center.GetAsync($"/api/v1/webhooks/{id}")).ReadJsonAsync();
        Assert.False(read.TryGetProperty("secret", out _));
        Assert.Equal(["certificate.issued", "certificate.revoked"], read.GetProperty("events").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("center", read.GetProperty("ownerRole").GetString());
        var listed = await (await center.GetAsync("/api/v1/webhooks")).ReadJsonAsync();
        Assert.Equal([id], listed.GetProperty("items").EnumerateArray().Select(w => w.GetProperty("id").GetGuid()));
        Assert.DoesNotContain(secret, listed.ToString());

        var stranger = app.ClientWithKey(other.CenterKey);
        await (await stranger.GetAsync($"/api/v1/webhooks/{id}")).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await stranger.DeleteAsync($"/api/v1/webhooks/{id}")).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await stranger.GetAsync($"/api/v1/webhooks/{id}/deliveries")).AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.DoesNotContain(id.ToString(), (await (await stranger.GetAsync("/api/v1/webhooks")).ReadJsonAsync()).ToString());
        await (await (await app.AdminClientAsync()).GetAsync($"/api/v1/webhooks/{id}")).ReadJsonAsync();

        Assert.Equal(HttpStatusCode.NoContent, (await center.DeleteAsync($"/api/v1/webhooks/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await center.DeleteAsync($"/api/v1/webhooks/{id}")).StatusCode);
        var deactivated = await (await center.GetAsync($"/api/v1/webhooks/{id}")).ReadJsonAsync();
        Assert.False(deactivated.GetProperty("active").GetBoolean());
        Assert.Equal(1, await app.Db.ReadAsync(s => s.ExecuteScalarAsync<long>(
            "SELECT COUNT(*) FROM audit_log WHERE entity = 'webhook' AND action = 'deactivate' AND entity_id = @id", new { id = id.ToString() })));
        Assert.Equal(0, await app.Db.ReadAsync(s => s.ExecuteScalarAsync<long>(
            "SELECT COUNT(*) FROM audit_log WHERE changes LIKE @secret", new { secret = "%" + secret + "%" })));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task After_a_secret_rotation_deliveries_verify_with_the_new_and_the_old_secret_until_the_grace_period_ends(TestDatabase db)
    {
        var app = await fixture.For(db);
        var world = await app.CreateWorldAsync();
        await using var receiver = await WebhookReceiver.StartAsync(_ => 204);
        var center = app.ClientWithKey(world.CenterKey);
        var (webhookId, oldSecret) = await center.CreateWebhookAsync(receiver.Url, "certificate.issued");

        var rotated = await (await center.PostAsync($"/api/v1/webhooks/{webhookId}/rotate-secret", null)).ReadJsonAsync();
        var newSecret = rotated.GetProperty("secret").GetString()!;
        Assert.NotEqual(oldSecret, newSecret);
        Assert.True(rotated.GetProperty("previousSecretExpiresAt").GetDateTimeOffset() > app.Clock.GetUtcNow().AddHours(23));
        var certificateId = (await app.IssueCertificateAsync(world, "wh-rotated")).CertificateId;

        var seen = await receiver.WaitForAsync(r => r.Any(x => x.Body.Contains(certificateId.ToString())), "the certificate issued after the rotation");
        var delivery = seen.Single(x => x.Body.Contains(certificateId.ToString()));
        Assert.Equal(2, delivery.Signature.Split(' ').Length);
        Assert.True(SignedFor(newSecret, delivery));
        Assert.True(SignedFor(oldSecret, delivery));
        Assert.Equal(ExpectedSignature(newSecret, delivery.Id, delivery.Timestamp, delivery.Body), delivery.Signature.Split(' ')[0]); // the new one first
        Assert.True(WebhookSignature.Verify(oldSecret, delivery.Id, long.Parse(delivery.Timestamp), delivery.Body, delivery.Signature));

        var stranger = app.ClientWithKey((await app.CreateWorldAsync()).CenterKey);
        await (await stranger.PostAsync($"/api/v1/webhooks/{webhookId}/rotate-secret", null)).AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal(HttpStatusCode.NoContent, (await center.DeleteAsync($"/api/v1/webhooks/{webhookId}")).StatusCode);
        await (await center.PostAsync($"/api/v1/webhooks/{webhookId}/rotate-secret", null)).AssertProblemAsync(HttpStatusCode.Conflict);
    }
}
