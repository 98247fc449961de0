using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using SkillsRegistry.Api.Features.Webhooks;
using SkillsRegistry.Tests.Support;

namespace SkillsRegistry.Tests.Webhooks;

/// <summary>The app's own dispatcher is off; each test runs dispatcher instances by hand to stop one mid-delivery.</summary>
public sealed class ManualDispatcherFixture() : ConfiguredAppFixture(new Dictionary<string, string?>
{
    ["Webhooks:Enabled"] = "false",
}, clockFlows: true);

public sealed class WebhookCrashRecoveryTests(ManualDispatcherFixture fixture) : IClassFixture<ManualDispatcherFixture>
{
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(1);

    private static WebhookDispatcher NewDispatcher(RegistryApp app) =>
        ActivatorUtilities.CreateInstance<WebhookDispatcher>(app.Services, Options.Create(new WebhookOptions
        {
            PollInterval = TimeSpan.FromMilliseconds(20), BaseDelay = TimeSpan.FromMilliseconds(10), LeaseDuration = Lease,
        }));

    private sealed class DeliveryState
    {
        public string Status { get; init; } = "";
        public int Attempts { get; init; }
        public DateTimeOffset? LockedUntil { get; init; }
    }

    private static Task<DeliveryState> StateAsync(RegistryApp app, Guid webhookId) =>
        app.Db.ReadAsync(s => s.QuerySingleAsync<DeliveryState>(
            "SELECT status AS Status, attempts AS Attempts, locked_until AS LockedUntil FROM webhook_deliveries WHERE subscription_id = @webhookId",
            new { webhookId }));

    [Theory, OnSqlite, OnPostgres]
    public async Task A_dispatcher_stopped_mid_delivery_leaves_a_lease_that_another_dispatcher_takes_over_after_it_expires(TestDatabase db)
    {
        var app = await fixture.For(db);
        var world = await app.CreateWorldAsync();
        var firstArrived = new TaskCompletionSource();
        await using var receiver = await WebhookReceiver.StartAsync(async (n, aborted) =>
        {
            if (n > 1) return 200;
            firstArrived.SetResult();
            await Task.Delay(Timeout.Infinite, aborted); // a slow receiver: the sender gives up first
            return 200;
        });
        var (webhookId, _) = await app.ClientWithKey(world.CenterKey).CreateWebhookAsync(receiver.Url, "certificate.issued");
        await app.IssueCertificateAsync(world, "wh-crash");

        var first = NewDispatcher(app);
        await first.StartAsync(CancellationToken.None);
        await firstArrived.Task.WaitAsync(TimeSpan.FromSeconds(20));
        await first.StopAsync(CancellationToken.None); // the instance goes away while the request is in flight
        first.Dispose();
        var abandoned = await StateAsync(app, webhookId);
        Assert.Equal(("pending", 1), (abandoned.Status, abandoned.Attempts));
        Assert.NotNull(abandoned.LockedUntil);

        var second = NewDispatcher(app);
        await second.StartAsync(CancellationToken.None);
        try
        {
            var requests = await receiver.WaitForAsync(r => r.Count == 2 && r[1].AnsweredWith == 200, "the delivery again");
            Assert.True(app.Clock.GetUtcNow() >= abandoned.LockedUntil, "the second dispatcher must wait for the lease to expire");
            Assert.Equal(requests[0].Id, requests[1].Id); // at least once, with a stable id to de-duplicate on
            Assert.Equal(requests[0].Body, requests[1].Body);
            var state = await WaitForStatusAsync(app, webhookId, "succeeded");
            Assert.Equal(2, state.Attempts);
            Assert.Null(state.LockedUntil);
        }
        finally
        {
            await second.StopAsync(CancellationToken.None);
            second.Dispose();
        }
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Events_committed_while_no_dispatcher_runs_are_delivered_when_one_starts(TestDatabase db)
    {
        var app = await fixture.For(db);
        var world = await app.CreateWorldAsync();
        await using var receiver = await WebhookReceiver.StartAsync(_ => 200);
        var (webhookId, _) = await app.ClientWithKey(world.CenterKey).CreateWebhookAsync(receiver.Url, "certificate.issued");
        var certificateId = (await app.IssueCertificateAsync(world, "wh-restart")).CertificateId;
        // No dispatcher runs: the event waits in the outbox, not yet fanned out into a delivery.
        Assert.DoesNotContain(app.Services.GetServices<IHostedService>().OfType<WebhookDispatcher>(), d => d.RoundsStarted > 0);
        Assert.Equal(0, await app.Db.ReadAsync(s => s.ExecuteScalarAsync<long>(
            "SELECT COUNT(*) FROM webhook_deliveries WHERE subscription_id = @webhookId", new { webhookId })));
        Assert.Empty(receiver.Requests);

        var dispatcher = NewDispatcher(app);
        await dispatcher.StartAsync(CancellationToken.None);
        try
        {
            await receiver.WaitForAsync(r => r.Any(x => x.Body.Contains(certificateId.ToString())), "the event committed before start");
            Assert.Equal(1, (await WaitForStatusAsync(app, webhookId, "succeeded")).Attempts);
        }
        finally
        {
            await dispatcher.StopAsync(CancellationToken.None);
            dispatcher.Dispose();
        }
    }

    private static async Task<DeliveryState> WaitForStatusAsync(RegistryApp app, Guid webhookId, string status)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            var state = await StateAsync(app, webhookId);
            if (state.Status == status) return state;
            if (DateTime.UtcNow > deadline) Assert.Fail($"The delivery stayed {state.Status}.");
            await Task.Delay(20);
        }
    }
}
