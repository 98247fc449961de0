using System.Net;
using System.Text.Json;
using SkillsRegistry.Api.Infrastructure.Auth;
using SkillsRegistry.Tests.Support;
using Xunit.Abstractions;

namespace SkillsRegistry.Reliability.Processes;

/// <summary>
/// kill -9 during bulk ingest, restart on the same database, retry with the same Idempotency-Keys: every batch ends up
/// recorded exactly once and whole, with one certificate per passing row and an intact audit chain.
/// </summary>
public sealed class CrashTests(ITestOutputHelper output)
{
    private const int BatchSize = 500;
    private const int Kills = 6;

    [ReliabilityTheory, OnSqlite, OnPostgres]
    public async Task Killing_the_service_mid_ingest_loses_nothing_and_duplicates_nothing(TestDatabase database)
    {
        var seed = ReliabilitySettings.Seed;
        var random = new Random(seed);
        var total = ReliabilitySettings.CrashRows;
        await using var app = await RegistryApp.StartAsync(database);
        var world = await app.CreateWorldAsync();
        var admin = await app.AdminClientAsync();
        var batches = Enumerable.Range(0, (total + BatchSize - 1) / BatchSize)
            .Select(b => (Key: $"crash-{b}-{Guid.NewGuid():N}", Rows: RegistryChecks.Rows("CRASH", Math.Min(BatchSize, total - b * BatchSize), b * BatchSize, world: world)))
            .ToList();
        var passing = batches.Sum(b => b.Rows.Count(r => r.Passes));
        // Kill points: batch indices (repeats allowed when there are few batches), each at a random moment of that request.
        var schedule = Enumerable.Range(0, Kills).Select(_ => random.Next(batches.Count)).ToList();
        output.WriteLine($"seed {seed}; {total} rows in {batches.Count} batches on {database}; kills during batches {string.Join(",", schedule.Order())}");

        var settings = ServiceProcess.Settings(ReliabilitySettings.ProviderOf(database), app.DataDirectory, app.ConnectionString);
        var service = await ServiceProcess.StartAsync(settings);
        var kills = 0;
        var batchIds = new List<Guid>();
        try
        {
            for (var b = 0; b < batches.Count; b++)
            {
                var killsHere = schedule.Count(x => x == b);
                while (true)
                {
                    Task? killer = null;
                    if (killsHere-- > 0)
                    {
                        var victim = service;
                        var delay = random.Next(5, 600);
                        killer = Task.Run(async () => { await Task.Delay(delay); victim.KillHard(); });
                    }
                    JsonElement? body = null;
                    try
                    {
                        using var client = new HttpClient { BaseAddress = service.BaseAddress, Timeout = TimeSpan.FromSeconds(120) };
                        client.DefaultRequestHeaders.Add(ApiKeyAuthenticationHandler.HeaderName, world.CenterKey);
                        using var request = RegistryChecks.BatchRequest(batches[b].Rows.Select(r => r.Row), batches[b].Key);
                        using var response = await client.SendAsync(request);
                        var text = await response.Content.ReadAsStringAsync();
                        Assert.True(response.StatusCode == HttpStatusCode.OK, $"batch {b}: {(int)response.StatusCode} {text}");
                        body = JsonDocument.Parse(text).RootElement;
                    }
                    catch (HttpRequestException) { }
                    catch (TaskCanceledException) { }
                    if (killer is not null) await killer;
                    if (service.HasExited)
                    {
                        kills++;
                        await service.DisposeAsync();
                        service = await ServiceProcess.StartAsync(settings);
                    }
                    if (body is { } recorded)
                    {
                        batchIds.Add(recorded.GetProperty("batchId").GetGuid());
                        break;
                    }
                }
            }
        }
        finally
        {
            await service.DisposeAsync();
        }

        output.WriteLine($"{kills} kills");
        Assert.True(kills >= 5, $"only {kills} kills happened");
        var db = app.Db;
        Assert.Equal(total, await RegistryChecks.ScalarAsync(db, "SELECT COUNT(*) FROM assessments WHERE center_id = @c", new { c = world.CenterId }));
        Assert.Equal(passing, await RegistryChecks.ScalarAsync(db, "SELECT COUNT(*) FROM certificates WHERE center_id = @c", new { c = world.CenterId }));
        Assert.Equal(0, await RegistryChecks.ScalarAsync(db,
            "SELECT COUNT(*) FROM (SELECT center_id, external_ref FROM assessments GROUP BY center_id, external_ref HAVING COUNT(*) > 1) d"));
        // No half-written batch: every batch id in the table holds a whole batch, and it is the one the client was told about.
        var perBatch = (await db.ReadAsync(s => s.QueryAsync<(Guid BatchId, long Rows)>(
            "SELECT batch_id, COUNT(*) FROM assessments WHERE center_id = @c GROUP BY batch_id", new { c = world.CenterId }))).ToDictionary(x => x.BatchId, x => x.Rows);
        Assert.Equal(batches.Count, perBatch.Count);
        for (var b = 0; b < batches.Count; b++)
        {
            Assert.True(perBatch.TryGetValue(batchIds[b], out var rows), $"batch {b} ({batchIds[b]}) is not in the database");
            Assert.Equal(batches[b].Rows.Count, rows);
        }
        await RegistryChecks.AssertAuditChainIntactAsync(admin);
    }
}
