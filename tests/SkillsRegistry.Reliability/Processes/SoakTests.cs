using System.Diagnostics;
using SkillsRegistry.Tests.Support;
using Xunit.Abstractions;

namespace SkillsRegistry.Reliability.Processes;

/// <summary>Verification load on the real process for a while: no errors, and memory settles (no growth per request).</summary>
public sealed class SoakTests(ITestOutputHelper output)
{
    private const int Workers = 16;

    [ReliabilityTheory, OnSqlite]
    public async Task Verification_under_steady_load_has_no_errors_and_flat_memory(TestDatabase database)
    {
        await using var app = await RegistryApp.StartAsync(database);
        var world = await app.CreateWorldAsync();
        await RegistryChecks.PostBatchAsync(app.ClientWithKey(world.CenterKey), RegistryChecks.Rows("SOAK", 300, world: world).Select(r => r.Row), null);
        var numbers = (await app.Db.ReadAsync(s => s.QueryAsync<string>("SELECT number FROM certificates"))).ToArray();
        await using var service = await ServiceProcess.StartAsync(ServiceProcess.Settings(ReliabilitySettings.ProviderOf(database), app.DataDirectory, app.ConnectionString));
        using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = Workers }) { BaseAddress = service.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };

        var warmUp = TimeSpan.FromSeconds(Math.Max(5, ReliabilitySettings.SoakSeconds / 4));
        var (warmRequests, warmErrors) = await LoadAsync(client, numbers, warmUp);
        var afterWarmUp = service.ResidentBytes();
        var soak = TimeSpan.FromSeconds(ReliabilitySettings.SoakSeconds);
        var (requests, errors) = await LoadAsync(client, numbers, soak);
        var atEnd = service.ResidentBytes();

        output.WriteLine($"warm-up {warmUp.TotalSeconds} s: {warmRequests} requests; soak {soak.TotalSeconds} s: {requests} requests ({requests / soak.TotalSeconds:0}/s), " +
                         $"{errors.Count} errors; RSS {afterWarmUp / 1048576} MiB after warm-up, {atEnd / 1048576} MiB at the end");
        Assert.True(warmErrors.Count + errors.Count == 0, string.Join("\n", warmErrors.Concat(errors).Take(20)));
        // Only growth is a defect (a leak per request); memory the runtime gives back is not.
        Assert.True(atEnd - afterWarmUp <= afterWarmUp * 0.2,
            $"RSS grew from {afterWarmUp / 1048576} MiB to {atEnd / 1048576} MiB (more than 20%)");
    }

    private static async Task<(long Requests, List<string> Errors)> LoadAsync(HttpClient client, string[] numbers, TimeSpan duration)
    {
        var errors = new List<string>();
        long requests = 0;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, Workers).Select(async worker =>
        {
            var random = new Random(worker);
            while (clock.Elapsed < duration)
            {
                var number = numbers[random.Next(numbers.Length)];
                var path = random.Next(10) == 0 ? $"/verify/{number}" : $"/api/v1/verify/{number}";
                try
                {
                    using var response = await client.GetAsync(path);
                    await response.Content.ReadAsByteArrayAsync();
                    if (!response.IsSuccessStatusCode) lock (errors) errors.Add($"{path}: {(int)response.StatusCode}");
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                {
                    lock (errors) errors.Add($"{path}: {e.GetType().Name} {e.Message}");
                }
                Interlocked.Increment(ref requests);
            }
        }));
        return (requests, errors);
    }
}
