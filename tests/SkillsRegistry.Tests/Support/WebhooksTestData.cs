using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using SkillsRegistry.Api.Features.Webhooks;
using static SkillsRegistry.Tests.Support.RegistryWorlds;

namespace SkillsRegistry.Tests.Support;

/// <summary>One app per database per test class, started with extra settings (e.g. a fast webhook dispatcher).</summary>
public abstract class ConfiguredAppFixture(IDictionary<string, string?> settings, bool clockFlows = false) : IAsyncLifetime
{
    private readonly Dictionary<TestDatabase, Task<RegistryApp>> apps = [];
    private readonly Lock gate = new();

    public Task<RegistryApp> For(TestDatabase database)
    {
        lock (gate)
        {
            if (!apps.TryGetValue(database, out var app)) apps[database] = app = RegistryApp.StartAsync(database, settings, clockFlows: clockFlows);
            return app;
        }
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var app in apps.Values)
        {
            if (app.IsCompletedSuccessfully) await (await app).DisposeAsync();
        }
    }
}

/// <summary>
/// Dispatcher polling every 20 ms, retrying after a few milliseconds: deliveries and retries happen within a test.
/// The app's clock flows with real time, since the dispatcher sleeps and schedules on it.
/// </summary>
public sealed class FastWebhooksFixture() : ConfiguredAppFixture(new Dictionary<string, string?>
{
    ["Webhooks:PollInterval"] = "00:00:00.020",
    ["Webhooks:BaseDelay"] = "00:00:00.010",
    ["Webhooks:MaxDelay"] = "00:00:00.050",
    ["Webhooks:MaxAttempts"] = "5",
}, clockFlows: true);

public static class WebhooksTestData
{
    /// <summary>Creates a webhook through the API; returns its id and the once-shown secret.</summary>
    public static async Task<(Guid Id, string Secret)> CreateWebhookAsync(this HttpClient client, string url, params string[] events)
    {
        var created = await (await client.PostAsJsonAsync("/api/v1/webhooks", new { url, events })).ReadJsonAsync(HttpStatusCode.Created);
        return (created.GetProperty("webhook").GetProperty("id").GetGuid(), created.GetProperty("secret").GetString()!);
    }

    /// <summary>Submits one passing result through the API as the world's center; returns the certificate id.</summary>
    public static async Task<JsonElement[]> DeliveriesAsync(this HttpClient client, Guid webhookId) =>
        (await (await client.GetAsync($"/api/v1/webhooks/{webhookId}/deliveries")).ReadJsonAsync())
            .GetProperty("items").EnumerateArray().ToArray();

    /// <summary>Polls the delivery log until a delivery satisfies <paramref name="condition"/>.</summary>
    public static async Task<JsonElement> WaitForDeliveryAsync(this HttpClient client, Guid webhookId, Func<JsonElement, bool> condition, string what, int seconds = 20)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            var deliveries = await client.DeliveriesAsync(webhookId);
            foreach (var d in deliveries)
            {
                if (condition(d)) return d;
            }
            if (DateTime.UtcNow > deadline)
                Assert.Fail($"No delivery of webhook {webhookId} became {what}: {string.Join(", ", deliveries.Select(d => d.ToString()))}");
            await Task.Delay(25);
        }
    }

    public static string Status(this JsonElement delivery) => delivery.GetProperty("status").GetString()!;

    /// <summary>The app's own webhook dispatcher (a hosted service).</summary>
    public static WebhookDispatcher Dispatcher(this RegistryApp app) =>
        app.Services.GetServices<IHostedService>().OfType<WebhookDispatcher>().Single();

    /// <summary>
    /// Waits for a dispatcher round that started after this call and found nothing to fan out and nothing due:
    /// whatever was due before the call has been sent, so a delivery that has not arrived by now will not arrive.
    /// </summary>
    public static async Task RoundWithNothingDueAsync(this WebhookDispatcher dispatcher, int seconds = 20)
    {
        var after = dispatcher.RoundsStarted;
        var idle = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnRound(DispatchRound round)
        {
            if (round.Number > after && round.FannedOut == 0 && round.Claimed == 0) idle.TrySetResult();
        }
        dispatcher.RoundFinished += OnRound;
        try
        {
            await idle.Task.WaitAsync(TimeSpan.FromSeconds(seconds));
        }
        catch (TimeoutException)
        {
            Assert.Fail($"The webhook dispatcher finished no round with nothing due within {seconds} s.");
        }
        finally
        {
            dispatcher.RoundFinished -= OnRound;
        }
    }
}
