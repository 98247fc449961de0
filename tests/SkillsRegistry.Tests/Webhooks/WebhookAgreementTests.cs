using System.Net;
using System.Net.Http.Json;
using SkillsRegistry.Api.Features.Webhooks;
using SkillsRegistry.Api.Infrastructure.Auth;
using SkillsRegistry.Tests.Support;

namespace SkillsRegistry.Tests.Webhooks;

/// <summary>Issue 11, defect 6: an agreement that is not in force bounds webhooks too, both the calls and the events.</summary>
public sealed class WebhookAgreementTests(ManualDispatcherFixture fixture) : IClassFixture<ManualDispatcherFixture>
{
    /// <summary>Runs the outbox fan-out until no event is left (the app's own dispatcher is off in this fixture).</summary>
    private static async Task FanOutAllAsync(RegistryApp app)
    {
        while (await app.Service<WebhookDeliveryStore>().FanOutAsync(100, default) > 0) { }
    }

    private static Task<long> DeliveriesAsync(RegistryApp app, Guid webhookId) =>
        app.Db.ReadAsync(s => s.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM webhook_deliveries WHERE subscription_id = @webhookId", new { webhookId }));

    [Theory, OnSqlite, OnPostgres]
    public async Task A_partner_whose_agreement_ended_cannot_manage_webhooks_and_gets_no_events_of_the_lapse(TestDatabase db)
    {
        var app = await fixture.For(db);
        var world = await app.CreateWorldAsync(); // a handicrafts standard
        var partnerId = await app.InsertPartnerAsync(sector: "handicrafts", signedOn: new DateOnly(2024, 1, 1));
        var partner = app.ClientWithKey(await app.CreateKeyAsync(ApiKeyRole.Partner, partnerId: partnerId));
        var (webhookId, _) = await partner.CreateWebhookAsync("http://127.0.0.1:9/hook", "certificate.issued");

        await app.IssueCertificateAsync(world); // while the agreement is in force
        await FanOutAllAsync(app);
        Assert.Equal(1, await DeliveriesAsync(app, webhookId));

        var ended = app.Today.AddDays(-1);
        await app.Db.WriteAsync(s => s.ExecuteAsync("UPDATE partner_agencies SET agreement_ends_on = @ended WHERE id = @partnerId", new { ended, partnerId }));

        var calls = new[]
        {
            await partner.PostAsJsonAsync("/api/v1/webhooks", new { url = "http://127.0.0.1:9/other", events = new[] { "certificate.issued" } }),
            await partner.GetAsync("/api/v1/webhooks"),
            await partner.GetAsync($"/api/v1/webhooks/{webhookId}"),
            await partner.GetAsync($"/api/v1/webhooks/{webhookId}/deliveries"),
            await partner.PostAsync($"/api/v1/webhooks/{webhookId}/deliveries/{Guid.CreateVersion7()}/redeliver", null),
            await partner.DeleteAsync($"/api/v1/webhooks/{webhookId}"),
        };
        foreach (var call in calls)
            Assert.Contains($"ended on {ended:yyyy-MM-dd}", (await call.AssertProblemAsync(HttpStatusCode.Forbidden)).GetProperty("detail").GetString());

        await app.IssueCertificateAsync(world); // during the lapse
        app.Clock.Advance(TimeSpan.FromMinutes(5));

        // The registry extends the agreement before the dispatcher comes round: the lapse's event still stays out.
        var admin = await app.AdminClientAsync();
        var agency = await admin.GetAsync($"/api/v1/partners/{partnerId}");
        await (await admin.SendAsync(PartnersTestData.WithIfMatch(HttpMethod.Post, $"/api/v1/partners/{partnerId}/agreement-extensions",
            new { newEndsOn = (DateOnly?)null, reason = "MoU renewed" }, agency.Headers.ETag!.Tag))).ReadJsonAsync();
        await FanOutAllAsync(app);
        Assert.Equal(1, await DeliveriesAsync(app, webhookId));

        await app.IssueCertificateAsync(world); // in force again
        await FanOutAllAsync(app);
        Assert.Equal(2, await DeliveriesAsync(app, webhookId));
        Assert.Equal(2, (await (await partner.GetAsync($"/api/v1/webhooks/{webhookId}/deliveries")).ReadJsonAsync()).GetProperty("items").GetArrayLength());
    }
}
