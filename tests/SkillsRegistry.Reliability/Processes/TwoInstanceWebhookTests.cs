using System.Text.Json;
using SkillsRegistry.Api.Infrastructure.Auth;
using SkillsRegistry.Tests.Support;
using SkillsRegistry.Tests.Webhooks;

namespace SkillsRegistry.Reliability.Processes;

/// <summary>
/// Two service processes on one PostgreSQL database, each running its webhook dispatcher (claims with leases and
/// FOR UPDATE SKIP LOCKED): the same batch sent to both at once issues one certificate per passing row, and the
/// receiver gets each certificate.issued event exactly once.
/// </summary>
public sealed class TwoInstanceWebhookTests
{
    private const int Rows = 30;

    [ReliabilityTheory, OnPostgres]
    public async Task Two_dispatchers_deliver_each_event_of_a_batch_sent_to_both_instances_exactly_once(TestDatabase database)
    {
        // The in-process app only migrates, seeds and registers the webhook (its environment accepts an http loopback
        // URL); its own dispatcher is off so the two service processes are the only senders.
        await using var app = await RegistryApp.StartAsync(database, new Dictionary<string, string?> { ["Webhooks:Enabled"] = "false" });
        var world = await app.CreateWorldAsync();
        await using var receiver = await WebhookReceiver.StartAsync(_ => 204);
        using var admin = await app.AdminClientAsync();
        await admin.CreateWebhookAsync(receiver.Url, "certificate.issued");

        var settings = ServiceProcess.Settings(ReliabilitySettings.ProviderOf(database), app.DataDirectory, app.ConnectionString);
        settings["Webhooks:PollInterval"] = "00:00:00.200";
        settings["Webhooks:BaseDelay"] = "00:00:00.100";
        settings["Webhooks:MaxDelay"] = "00:00:00.500";
        settings["Webhooks:BatchSize"] = "5"; // several rounds per instance, so the two claim side by side
        await using var a = await ServiceProcess.StartAsync(settings);
        await using var b = await ServiceProcess.StartAsync(settings);

        var rows = RegistryChecks.Rows("TWH", Rows, world: world);
        var passing = rows.Count(r => r.Passes);
        var answers = await Task.WhenAll(new[] { a, b }.Select(async service =>
        {
            using var client = new HttpClient { BaseAddress = service.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
            client.DefaultRequestHeaders.Add(ApiKeyAuthenticationHandler.HeaderName, world.CenterKey);
            using var request = RegistryChecks.BatchRequest(rows.Select(r => r.Row), idempotencyKey: null);
            using var response = await client.SendAsync(request);
            return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
        }));
        Assert.All(answers, r => Assert.True(r.Item1 == 200, $"{r.Item1}: {r.Item2}"));
        Assert.Equal(passing, await RegistryChecks.ScalarAsync(app.Db, "SELECT COUNT(*) FROM certificates WHERE center_id = @c", new { c = world.CenterId }));

        await receiver.WaitForAsync(r => r.Count(x => x.AnsweredWith == 204) >= passing, $"{passing} accepted deliveries", seconds: 120);
        Assert.False(a.HasExited || b.HasExited, a.Log + b.Log);
        // Once both senders have shut down, whatever they sent has arrived: a duplicate cannot come later.
        await Task.WhenAll(a.StopGracefullyAsync(TimeSpan.FromSeconds(60)), b.StopGracefullyAsync(TimeSpan.FromSeconds(60)));
        var seen = receiver.Requests;

        var accepted = seen.Where(r => r.AnsweredWith == 204).ToList();
        Assert.Equal(accepted.Count, seen.Count); // the receiver never failed one, so nothing was retried
        Assert.Equal(passing, accepted.Count);
        Assert.Equal(passing, accepted.Select(r => r.Id).Distinct().Count());
        var certificates = accepted.Select(r => JsonDocument.Parse(r.Body).RootElement.GetProperty("data").GetProperty("id").GetGuid()).ToHashSet();
        Assert.Equal(passing, certificates.Count);
        Assert.Equal(passing, await RegistryChecks.ScalarAsync(app.Db,
            "SELECT COUNT(*) FROM webhook_deliveries WHERE status = 'succeeded' AND attempts = 1"));
    }
}
