using System.Diagnostics;
using System.Text.Json.Nodes;
using SkillsRegistry.Api.Features.Trainees;
using SkillsRegistry.Api.Features.Verification;

namespace SkillsRegistry.Bench;

/// <summary>
/// Verification under load: N certificates generated straight into the tables (<see cref="BulkWriter"/>), the service as
/// a child process (built as Program.cs builds it, plus the benchmark's ceilings: see <see cref="CeilingHost"/>), wrk
/// against the JSON API and the HTML page. Baselines = the ceilings, measured with each workload (wrk's Lua costs differ
/// between workloads on the same cores): the same JSON answer from memory, and the service's own page as bytes. Two
/// workloads over all N numbers: uniform (every number equally likely: past the cache's size, mostly misses) and Zipf by
/// recency (s = 1.1 over the numbers newest first: a certificate is verified mostly soon after it is issued; with
/// <c>--job-share</c>, that share of requests uniform over all, holders applying for jobs). Each run follows a warm-up with
/// its own workload; <c>--fill-cache</c> first asks every number once. The service's RSS is sampled throughout each run, and
/// its cache hit ratio read from /metrics before and after. Numbers are made by verify.lua per request, not held in a file
/// or list, so ten million of them cost no memory here.
/// </summary>
public static class VerifyBench
{
    public const double ZipfExponent = 1.1;

    public static async Task RunAsync(string provider, int certificates, TimeSpan duration, TimeSpan warmup, int connections, bool fillCache, double jobShare)
    {
        await using var database = await BenchDatabase.CreateAsync(provider);
        var generated = await BulkWriter.GenerateAsync(database, certificates,
            i => new GeneratedResult(i, $"GEN-{i:D8}", BenchDatabase.NationalIdFor(i), 80, 75),
            _ => new DirectRows.Spread(database.CenterId, database.StandardId, BenchDatabase.ExamDate, null, "female", null));
        var onDisk = await database.SizeOnDiskAsync();
        Console.WriteLine($"Generated {Report.N(generated.Certificates)} certificates in {generated.Elapsed.TotalSeconds:0} s " +
            $"({Report.N(generated.Certificates / generated.Elapsed.TotalSeconds)}/s); {Report.OnDisk(onDisk, generated.Certificates)}");
        // Serials 1 … N were issued in that order: verify.lua ranks them newest first (Zipf's most asked are the newest).
        var numbersFile = BenchDatabase.SerialsSpec(certificates);
        var version = await database.ServerVersionAsync();
        await database.ReleaseConnectionsAsync();

        var settings = database.ServiceSettings();
        // The startup step that encrypts identifiers found in clear logs what it did at Information: it must find nothing.
        settings["Logging:LogLevel:" + typeof(TraineeIdentifierProtection).FullName] = "Information";
        // And the cache's loader logs its first load at Information: measuring starts after it.
        settings["Logging:LogLevel:" + typeof(VerificationCacheWarmer).FullName] = "Information";
        await using var service = await CeilingHostProcess.StartAsync(settings, BenchDatabase.CertificateNumberFor(1));
        await AssertSameAnswerAsync(service.BaseAddress, BenchDatabase.CertificateNumberFor(certificates));
        var pageCeiling = await AssertSamePageAsync(service.BaseAddress, BenchDatabase.CertificateNumberFor(certificates));
        var cacheLoadedAfter = await service.CacheLoadedAsync(TimeSpan.FromMinutes(10));
        var idle = service.ResidentBytes();
        var full = "";
        if (fillCache)
        {
            // Every number once before measuring (the cache as full as the service keeps it), then RSS.
            var numbers = Enumerable.Range(1, certificates).Select(i => BenchDatabase.CertificateNumberFor(i));
            var ((walked, took), peak) = await WithPeakRssAsync(service, () => WalkAllAsync(service.BaseAddress, numbers, connections));
            full = $" Before measuring, every number was asked once ({Report.N(walked)} requests in {took.TotalSeconds:0} s): " +
                   $"peak RSS {Report.Mib(peak)}, after {Report.Mib(service.ResidentBytes())}.";
        }
        var zipf = new[] { "zipf", ZipfExponent.ToString(System.Globalization.CultureInfo.InvariantCulture), jobShare.ToString(System.Globalization.CultureInfo.InvariantCulture) };
        // First every route for a few seconds (uniform), so no row is measured while the shared pipeline still runs
        // unoptimised code (tiered JIT): measured first, the ceilings otherwise come out several times slower than the service.
        var jitWarmup = TimeSpan.FromSeconds(Math.Min(3, duration.TotalSeconds));
        foreach (var prefix in new[] { CeilingHost.RoutePrefix, CeilingHost.PageRoutePrefix, "/api/v1/verify/", "/verify/" })
            await Wrk.RunAsync(service.BaseAddress, prefix, numbersFile, 2, connections, jitWarmup);
        // Then each row after a warm-up of its own workload (for the service: the cache's steady state for it, as in a
        // service that has been up a while).
        var targets = new Target[]
        {
            new("ceiling JSON, Zipf", CeilingHost.RoutePrefix, zipf, Kind.JsonCeiling),
            new("ceiling JSON, uniform", CeilingHost.RoutePrefix, [], Kind.JsonCeiling),
            new("ceiling HTML, Zipf", CeilingHost.PageRoutePrefix, zipf, Kind.HtmlCeiling),
            new("ceiling HTML, uniform", CeilingHost.PageRoutePrefix, [], Kind.HtmlCeiling),
            new("JSON, Zipf", "/api/v1/verify/", zipf, Kind.Json),
            new("HTML page, Zipf", "/verify/", zipf, Kind.Html),
            new("JSON, uniform", "/api/v1/verify/", [], Kind.Json),
            new("HTML page, uniform", "/verify/", [], Kind.Html),
        };
        var results = new List<(Target Target, WrkResult Result, long PeakRss, GcFigures Gc, long WrittenKib, double? HitRatio)>();
        foreach (var target in targets)
        {
            if (warmup > TimeSpan.Zero) await Wrk.RunAsync(service.BaseAddress, target.Prefix, numbersFile, 2, connections, warmup, target.Workload);
            var (gcBefore, writtenBefore, lookupsBefore) = (await service.GcAsync(), DiskWritesKib(), await CacheLookupsAsync(service.BaseAddress));
            var (result, peak) = await WithPeakRssAsync(service, () => Wrk.RunAsync(service.BaseAddress, target.Prefix, numbersFile, 2, connections, duration, target.Workload));
            var lookups = await CacheLookupsAsync(service.BaseAddress);
            var (hits, misses) = (lookups.Hits - lookupsBefore.Hits, lookups.Misses - lookupsBefore.Misses);
            results.Add((target, result, peak, (await service.GcAsync()).Since(gcBefore), DiskWritesKib() - writtenBefore,
                hits + misses > 0 ? hits / (hits + misses) : null));
        }
        // Checked after the runs: by now the host's console log has surely been written out.
        if (service.Log.Contains("Protected trainee identifiers", StringComparison.Ordinal))
            throw new InvalidOperationException("The service rewrote the generated trainees at start: they are not in its stored form.\n" + service.Log);
        WrkResult Ceiling(Kind kind, string[] workload) => results.First(r => r.Target.Kind == kind && r.Target.Workload.SequenceEqual(workload)).Result;
        Report.Table($"verify — {Report.N(certificates)} certificates (wrk -t2 -c{connections} -d{duration.TotalSeconds}s, each after a warm-up of the same workload)", version,
            ["target", "req/s", "ratio to JSON ceiling", "ratio to HTML ceiling", "p50", "p99", "p99 / ceiling p99", "cache hit ratio", "bytes/response", "non-2xx", "socket errors", "peak service RSS",
             "service GCs gen0/1/2", "GC pause total / longest", "page faults minor/major",
             "disk writes (machine)"],
            results.Select(r =>
            {
                var json = Ceiling(Kind.JsonCeiling, r.Target.Workload);
                var html = r.Target.Kind is Kind.Html or Kind.HtmlCeiling ? Ceiling(Kind.HtmlCeiling, r.Target.Workload) : null;
                return (IReadOnlyList<string>)
                [
                    r.Target.Name, Report.N(r.Result.RequestsPerSecond), Report.Ratio(r.Result.RequestsPerSecond, json.RequestsPerSecond),
                    html is null ? "—" : Report.Ratio(r.Result.RequestsPerSecond, html.RequestsPerSecond),
                    Report.Ms(r.Result.P50Ms), Report.Ms(r.Result.P99Ms), Report.Ratio(r.Result.P99Ms, (html ?? json).P99Ms),
                    r.HitRatio is { } ratio ? Report.N(ratio, "0.000") : "—",
                    Report.N(r.Result.BytesPerResponse), Report.N(r.Result.NonSuccess), Report.N(r.Result.SocketErrors), Report.Mib(r.PeakRss),
                    r.Gc.Counts(), $"{Report.Ms(r.Gc.PauseMs)} / {Report.Ms(r.Gc.LongestPauseMs)}", $"{Report.N(r.Gc.MinorFaults)}/{Report.N(r.Gc.MajorFaults)}",
                    $"{Report.N(r.WrittenKib / 1024d, "#,0.0")} MiB",
                ];
            }),
            $"Ratios are to the ceiling measured with the same workload (Zipf rows to the Zipf ceiling, uniform rows to the uniform one: " +
            $"wrk's Lua draws a Zipf number by binary search over {Report.N(certificates)} entries, on the same cores); p99 is compared with the " +
            $"ceiling of the same kind (HTML with the HTML ceiling). JSON ceiling: the service's own answer from memory; HTML ceiling: the service's " +
            $"own page for one number ({Report.N(pageCeiling.RealBytes)} bytes; ceiling {Report.N(pageCeiling.CeilingBytes)}), served as bytes with the asked " +
            $"number in place. Warm-up: {jitWarmup.TotalSeconds:0} s of each route, then {warmup.TotalSeconds:0} s of the same workload before each row. " +
            $"Zipf s = {ZipfExponent} by recency (rank 1 = the newest number{(jobShare > 0 ? $"; {jobShare:P0} of requests uniform over all, for job applications" : "")}) and uniform, " +
            $"both over all {Report.N(certificates)} numbers; cache: default size ({Report.N(new VerificationCacheOptions().CacheEntries)} records); " +
            $"hit ratio = the service's registry_verification_cache hits / (hits + misses) during the measured run (— for the ceilings, which do not look up). " +
            $"{generated.Describe(certificates)}; {Report.OnDisk(onDisk, generated.Certificates)}; service ready " +
            $"{service.StartedIn.TotalSeconds:0.0} s after its start (no rewrite of the generated rows); service RSS when idle after start: {Report.Mib(idle)}; its own fill of the cache " +
            $"(the newest records, up to one generation) done {cacheLoadedAfter.TotalSeconds:0.0} s after its start, before anything was measured.{full} " +
            $"GCs, pauses and page faults: the service's during the measured {duration.TotalSeconds:0} s (a gen1 count includes its gen2s, " +
            $"a gen0 count both; the longest pause from the runtime's suspend/restart events; faults from /proc); disk writes: the " +
            $"whole machine's in the same seconds (/proc/vmstat), to tell writeback from the service's own work.");
    }

    private enum Kind { JsonCeiling, HtmlCeiling, Json, Html }

    private sealed record Target(string Name, string Prefix, string[] Workload, Kind Kind);

    /// <summary>KiB the whole machine has written to disk since boot (/proc/vmstat pgpgout).</summary>
    private static long DiskWritesKib() => long.Parse(File.ReadLines("/proc/vmstat").First(l => l.StartsWith("pgpgout ", StringComparison.Ordinal))[8..],
        System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Asks every number once, <paramref name="connections"/> at a time; every answer must be 200.</summary>
    private static async Task<(int Requests, TimeSpan Took)> WalkAllAsync(Uri service, IEnumerable<string> numbers, int connections)
    {
        var walked = 0;
        using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = connections }) { BaseAddress = service, Timeout = TimeSpan.FromMinutes(2) };
        var clock = Stopwatch.StartNew();
        await Parallel.ForEachAsync(numbers, new ParallelOptions { MaxDegreeOfParallelism = connections }, async (number, ct) =>
        {
            using var response = await client.GetAsync("/api/v1/verify/" + number, HttpCompletionOption.ResponseContentRead, ct);
            if (!response.IsSuccessStatusCode)
                throw new InvalidOperationException($"Walking every number: {number} answered {(int)response.StatusCode}.");
            Interlocked.Increment(ref walked);
        });
        return (walked, clock.Elapsed);
    }

    /// <summary>The service's verification cache look-ups so far, from its /metrics (Prometheus text).</summary>
    private static async Task<(double Hits, double Misses)> CacheLookupsAsync(Uri service)
    {
        using var client = new HttpClient { BaseAddress = service };
        var lines = (await client.GetStringAsync("/metrics")).Split('\n');
        double Sum(string name) => lines.Where(l => l.StartsWith(name + "{", StringComparison.Ordinal) || l.StartsWith(name + " ", StringComparison.Ordinal))
            .Sum(l => double.Parse(l.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture));
        return (Sum("registry_verification_cache_hits_total"), Sum("registry_verification_cache_misses_total"));
    }

    /// <summary>
    /// The HTML ceiling is a fair baseline only if it answers like the real page: the same status, content type and
    /// page headers, and the same size within a few bytes (the page's check time varies in length).
    /// </summary>
    private static async Task<(long RealBytes, long CeilingBytes)> AssertSamePageAsync(Uri service, string number)
    {
        using var client = new HttpClient { BaseAddress = service };
        using var real = await client.GetAsync("/verify/" + number);
        using var ceiling = await client.GetAsync(CeilingHost.PageRoutePrefix + number);
        var (realBody, ceilingBody) = (await real.Content.ReadAsByteArrayAsync(), await ceiling.Content.ReadAsByteArrayAsync());
        // Every header but the date, by name and value: the same framing (chunked or a length), content type and page headers.
        static string Headers(HttpResponseMessage r) => string.Join("\n", r.Headers.Concat(r.Content.Headers)
            .Where(h => h.Key is not ("Date" or "Content-Length")).Select(h => $"{h.Key}: {string.Join(", ", h.Value)}").Order(StringComparer.Ordinal));
        if (real.StatusCode != ceiling.StatusCode || Headers(real) != Headers(ceiling) || Math.Abs(realBody.Length - ceilingBody.Length) > 8
            || !System.Text.Encoding.UTF8.GetString(ceilingBody).Contains(number, StringComparison.Ordinal))
            throw new InvalidOperationException($"The HTML ceiling does not answer like the service's page for {number}: not a fair baseline.\n" +
                $"service: {(int)real.StatusCode}, {realBody.Length} bytes\n{Headers(real)}\nceiling: {(int)ceiling.StatusCode}, {ceilingBody.Length} bytes\n{Headers(ceiling)}");
        return (realBody.Length, ceilingBody.Length);
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
