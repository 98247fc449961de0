using System.Diagnostics;
using SkillsRegistry.Api.Features.Verification;
using SkillsRegistry.Reliability.Processes;

namespace SkillsRegistry.Bench;

/// <summary>
/// Verification under load: N certificates generated straight into the tables, the service as a child process, wrk
/// against the JSON API and the HTML page with random existing numbers; baseline = the ceiling endpoint (same JSON from memory).
/// </summary>
public static class VerifyBench
{
    public static async Task RunAsync(string provider, int certificates, TimeSpan duration, int connections)
    {
        await using var database = await BenchDatabase.CreateAsync(provider);
        var generated = Stopwatch.StartNew();
        const int perTransaction = 20_000;
        for (var start = 0; start < certificates; start += perTransaction)
        {
            var batch = Enumerable.Range(start, Math.Min(perTransaction, certificates - start))
                .Select(i => new GeneratedResult(i, $"GEN-{i:D8}", BenchDatabase.NationalIdFor(i), 80, 75)).ToList();
            await DirectRows.InsertBatchAsync(database.Db, database.CenterId, database.StandardId, batch, start + 1);
        }
        generated.Stop();
        var numbersFile = Path.Combine(database.DataDirectory, "numbers.txt");
        var random = new Random(20260101);
        var sample = Enumerable.Range(0, Math.Min(certificates, 100_000)).Select(_ => BenchDatabase.CertificateNumberFor(random.Next(certificates) + 1));
        await File.WriteAllLinesAsync(numbersFile, sample);
        var version = await database.ServerVersionAsync();
        await database.ReleaseConnectionsAsync();

        var settings = database.ServiceSettings();
        settings["Benchmark:CeilingEndpoint"] = "true";
        await using var service = await ServiceProcess.StartAsync(settings);
        var idle = service.ResidentBytes();
        await Wrk.RunAsync(service.BaseAddress, "/api/v1/verify/", numbersFile, 2, connections, TimeSpan.FromSeconds(Math.Min(3, duration.TotalSeconds))); // warm-up
        var targets = new (string Name, string Prefix)[]
        {
            ("ceiling (JSON from memory)", CeilingEndpoint.Route.Replace("{number}", "")),
            ("GET /api/v1/verify/{number}", "/api/v1/verify/"),
            ("GET /verify/{number} (HTML)", "/verify/"),
        };
        var results = new List<(string Name, WrkResult Result, long Rss)>();
        foreach (var (name, prefix) in targets)
        {
            var result = await Wrk.RunAsync(service.BaseAddress, prefix, numbersFile, 2, connections, duration);
            results.Add((name, result, service.ResidentBytes()));
        }
        var ceiling = results[0].Result.RequestsPerSecond;
        Report.Table($"verify — {Report.N(certificates)} certificates (wrk -t2 -c{connections} -d{duration.TotalSeconds}s)", version,
            ["target", "req/s", "p50", "p99", "bytes/response", "non-2xx", "socket errors", "ratio to ceiling", "service RSS after"],
            results.Select(r => (IReadOnlyList<string>)
            [
                r.Name, Report.N(r.Result.RequestsPerSecond), Report.Ms(r.Result.P50Ms), Report.Ms(r.Result.P99Ms),
                Report.N(r.Result.BytesPerResponse), Report.N(r.Result.NonSuccess), Report.N(r.Result.SocketErrors),
                Report.Ratio(r.Result.RequestsPerSecond, ceiling), Report.Mib(r.Rss),
            ]),
            $"Data generated directly in {generated.Elapsed.TotalSeconds:0.0} s ({Report.N(certificates / generated.Elapsed.TotalSeconds)} certificates/s with trainees and assessments); service RSS when idle after start: {Report.Mib(idle)}.");
    }
}
