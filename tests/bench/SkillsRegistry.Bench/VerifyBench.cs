using System.Diagnostics;
using System.Text.Json.Nodes;
using SkillsRegistry.Api.Features.Trainees;
using SkillsRegistry.Api.Features.Verification;

namespace SkillsRegistry.Bench;

/// <summary>
/// Verification under load: N certificates generated straight into the tables, the service as a child process (built as
/// Program.cs builds it, plus the benchmark's ceiling route: see <see cref="CeilingHost"/>), wrk against the JSON API and
/// the HTML page; baseline = the ceiling (the same JSON answer, same size, from memory). Two workloads over all
/// N numbers: uniform (every number equally likely: mostly cache misses once N exceeds the cache) and Zipf (s = 1.1: a
/// few numbers asked very often, as when certificates circulate). The service's RSS is sampled throughout each run.
/// </summary>
public static class VerifyBench
{
    public const double ZipfExponent = 1.1;

    public static async Task RunAsync(string provider, int certificates, TimeSpan duration, int connections, bool fillCache)
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
        // Every issued number once, shuffled: Zipf's most asked numbers are spread over the table, not the first ones issued.
        var numbersFile = Path.Combine(database.DataDirectory, "numbers.txt");
        var order = Enumerable.Range(1, certificates).ToArray();
        new Random(20260101).Shuffle(order);
        await File.WriteAllLinesAsync(numbersFile, order.Select(i => BenchDatabase.CertificateNumberFor(i)));
        var version = await database.ServerVersionAsync();
        await database.ReleaseConnectionsAsync();

        var settings = database.ServiceSettings();
        // The startup step that encrypts identifiers found in clear logs what it did at Information: it must find nothing.
        settings["Logging:LogLevel:" + typeof(TraineeIdentifierProtection).FullName] = "Information";
        await using var service = await CeilingHostProcess.StartAsync(settings, BenchDatabase.CertificateNumberFor(1));
        await AssertSameAnswerAsync(service.BaseAddress, BenchDatabase.CertificateNumberFor(certificates));
        var idle = service.ResidentBytes();
        var zipf = new[] { "zipf", ZipfExponent.ToString(System.Globalization.CultureInfo.InvariantCulture) };
        // Warm-up: JIT for every path, and the Zipf workload's steady state (its most asked numbers cached), as in a service that has been up a while.
        foreach (var prefix in new[] { CeilingHost.RoutePrefix, "/api/v1/verify/", "/verify/" })
            await Wrk.RunAsync(service.BaseAddress, prefix, numbersFile, 2, connections, TimeSpan.FromSeconds(Math.Min(3, duration.TotalSeconds)), zipf);
        // Checked after the warm-up: by now the host's console log has surely been written out.
        if (service.Log.Contains("Protected trainee identifiers", StringComparison.Ordinal))
            throw new InvalidOperationException("The service rewrote the generated trainees at start: they are not in its stored form.\n" + service.Log);
        var targets = new (string Name, string Prefix, string[] Workload)[]
        {
            ("ceiling (JSON from memory)", CeilingHost.RoutePrefix, []),
            ("JSON, Zipf", "/api/v1/verify/", zipf),
            ("HTML page, Zipf", "/verify/", zipf),
            ("JSON, uniform", "/api/v1/verify/", []),
            ("HTML page, uniform", "/verify/", []),
        };
        var results = new List<(string Name, WrkResult Result, long PeakRss)>();
        foreach (var (name, prefix, workload) in targets)
        {
            var (result, peak) = await WithPeakRssAsync(service, () => Wrk.RunAsync(service.BaseAddress, prefix, numbersFile, 2, connections, duration, workload));
            results.Add((name, result, peak));
        }
        var full = "";
        if (fillCache)
        {
            // Every number once (up to the cache's default size), then RSS: the cache full at its bound.
            var fillDuration = TimeSpan.FromSeconds(Math.Max(duration.TotalSeconds, 5));
            var (_, peak) = await WithPeakRssAsync(service, () => Wrk.RunAsync(service.BaseAddress, "/api/v1/verify/", numbersFile, 2, connections,
                fillDuration, "sequential", "2"));
            full = $" After asking every number in turn for {fillDuration.TotalSeconds:0} s more: peak RSS {Report.Mib(peak)}, now {Report.Mib(service.ResidentBytes())}.";
        }
        var ceiling = results[0].Result;
        Report.Table($"verify — {Report.N(certificates)} certificates (wrk -t2 -c{connections} -d{duration.TotalSeconds}s)", version,
            ["target", "req/s", "ratio to ceiling", "p50", "p99", "p99 / ceiling p99", "bytes/response", "non-2xx", "socket errors", "peak service RSS"],
            results.Select(r => (IReadOnlyList<string>)
            [
                r.Name, Report.N(r.Result.RequestsPerSecond), Report.Ratio(r.Result.RequestsPerSecond, ceiling.RequestsPerSecond),
                Report.Ms(r.Result.P50Ms), Report.Ms(r.Result.P99Ms), Report.Ratio(r.Result.P99Ms, ceiling.P99Ms),
                Report.N(r.Result.BytesPerResponse), Report.N(r.Result.NonSuccess), Report.N(r.Result.SocketErrors), Report.Mib(r.PeakRss),
            ]),
            $"Zipf s = {ZipfExponent} and uniform, both over all {Report.N(certificates)} numbers; cache: default size " +
            $"({Report.N(new VerificationCacheOptions().CacheEntries)} records). Data generated directly in {generated.Elapsed.TotalSeconds:0.0} s " +
            $"({Report.N(certificates / generated.Elapsed.TotalSeconds)} certificates/s with trainees and assessments); service ready {service.StartedIn.TotalSeconds:0.0} s after its start (no rewrite of the generated rows); " +
            $"service RSS when idle after start: {Report.Mib(idle)}.{full}");
    }

    /// <summary>
    /// The ceiling is only a fair baseline if it answers what the real endpoint answers: the same JSON, field for field,
    /// except the time of the check (whose length varies by a digit or two with trailing zeros).
    /// </summary>
    private static async Task AssertSameAnswerAsync(Uri service, string number)
    {
        using var client = new HttpClient { BaseAddress = service };
        var ceiling = await client.GetStringAsync(CeilingHost.RoutePrefix + number);
        // Twice: the first answer comes from the database, the second from the verification cache.
        foreach (var source in new[] { "database", "cache" })
        {
            var real = await client.GetStringAsync("/api/v1/verify/" + number);
            if (!JsonNode.DeepEquals(WithoutCheckTime(real), WithoutCheckTime(ceiling)))
                throw new InvalidOperationException($"The ceiling does not answer what the service answers for {number} (from its {source}): " +
                    $"not a fair baseline.\nservice: {real}\nceiling: {ceiling}");
        }

        static JsonNode WithoutCheckTime(string json)
        {
            var node = JsonNode.Parse(json)!.AsObject();
            node.Remove("checkedAt");
            return node;
        }
    }

    /// <summary>Runs <paramref name="run"/> while sampling the service's resident memory every 200 ms; returns the highest.</summary>
    private static async Task<(T Result, long PeakRss)> WithPeakRssAsync<T>(CeilingHostProcess service, Func<Task<T>> run)
    {
        var peak = service.ResidentBytes();
        using var stop = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                peak = Math.Max(peak, service.ResidentBytes());
                try { await Task.Delay(200, stop.Token); } catch (OperationCanceledException) { }
            }
        });
        var result = await run();
        await stop.CancelAsync();
        await sampler;
        return (result, Math.Max(peak, service.ResidentBytes()));
    }
}
