using System.Globalization;
using SkillsRegistry.Reliability.Processes;

namespace SkillsRegistry.Bench;

/// <summary>
/// What telemetry costs: verification (JSON, uniform over every number) and ingest through the API, each with
/// Telemetry:Enabled=false (no OpenTelemetry SDK: the baseline) and =true (traces recorded for every request, the registry's
/// and the framework's meters, /metrics scraped every second as Prometheus would), in the same run on the same data. No OTLP
/// collector: exporting is the collector's cost, not the service's.
/// </summary>
public static class TelemetryBench
{
    private static readonly TimeSpan ScrapeEvery = TimeSpan.FromSeconds(1);

    public static async Task RunAsync(string provider, int certificates, int rows, TimeSpan duration, TimeSpan warmup, int connections)
    {
        await using var database = await BenchDatabase.CreateAsync(provider);
        var generated = await BulkWriter.GenerateAsync(database, certificates,
            i => new GeneratedResult(i, $"TEL-{i:D8}", BenchDatabase.NationalIdFor(i), 80, 75),
            _ => new DirectRows.Spread(database.CenterId, database.StandardId, BenchDatabase.ExamDate, null, "female", null));
        var numbersFile = Path.Combine(database.DataDirectory, "telemetry-numbers.txt");
        await File.WriteAllLinesAsync(numbersFile, Enumerable.Range(1, certificates).Select(i => BenchDatabase.CertificateNumberFor(i)));
        var version = await database.ServerVersionAsync();
        await database.ReleaseConnectionsAsync();

        var verify = new Dictionary<bool, (WrkResult Result, int Scrapes, string Counted)>();
        foreach (var on in Modes)
        {
            await using var service = await ServiceProcess.StartAsync(With(database.ServiceSettings(), on));
            if (warmup > TimeSpan.Zero) await Wrk.RunAsync(service.BaseAddress, "/api/v1/verify/", numbersFile, 2, connections, warmup);
            using var scraping = new CancellationTokenSource();
            var scraper = on ? ScrapeAsync(service.BaseAddress, scraping.Token) : Task.FromResult((0, ""));
            var result = await Wrk.RunAsync(service.BaseAddress, "/api/v1/verify/", numbersFile, 2, connections, duration);
            await scraping.CancelAsync();
            var (scrapes, last) = await scraper;
            verify[on] = (result, scrapes, on ? VerificationsCounted(last) : "—");
        }

        var ingest = new Dictionary<bool, IngestBench.ApiIngest>();
        var batches = IngestBench.Batches(rows, "TIN");
        foreach (var on in Modes)
        {
            await using var fresh = await BenchDatabase.CreateAsync(provider);
            ingest[on] = await IngestBench.PostBatchesAsync(fresh, batches, With(fresh.ServiceSettings(), on));
        }

        static string Mode(bool on) => on ? "on" : "off (baseline)";
        Report.Table($"telemetry on/off — verify JSON over {Report.N(certificates)} certificates, ingest {Report.N(rows)} rows", version,
            ["workload", "telemetry", "req/s or rows/s", "ratio to off", "p99", "/metrics scrapes", "registry_verifications_total at last scrape", "service RSS after"],
            [
                .. Modes.Select(on => (IReadOnlyList<string>)
                [
                    $"verify JSON, uniform (wrk -t2 -c{connections} -d{duration.TotalSeconds}s)", Mode(on), Report.N(verify[on].Result.RequestsPerSecond),
                    Report.Ratio(verify[on].Result.RequestsPerSecond, verify[false].Result.RequestsPerSecond), Report.Ms(verify[on].Result.P99Ms),
                    on ? Report.N(verify[on].Scrapes) : "—", verify[on].Counted, "—",
                ]),
                .. Modes.Select(on => (IReadOnlyList<string>)
                [
                    $"ingest, batches of {IngestBench.BatchSize}", Mode(on), Report.N(rows / ingest[on].Time.TotalSeconds),
                    Report.Ratio(ingest[false].Time.TotalSeconds, ingest[on].Time.TotalSeconds), "—", "—", "—", Report.Mib(ingest[on].Rss),
                ]),
            ],
            $"Same data for both modes ({generated.Describe(certificates)}); each verify row after a warm-up of {warmup.TotalSeconds:0} s of the same " +
            "workload. \"on\" = traces for every request (with database spans), the registry's and the framework's meters, and /metrics scraped every " +
            $"{ScrapeEvery.TotalSeconds:0} s during the measured run; no OTLP endpoint set. \"off\" = Telemetry:Enabled=false.");
        if (verify[true].Scrapes == 0 || verify[true].Counted == "0")
            throw new InvalidOperationException("With telemetry on, /metrics was never scraped or counted no verification.");
        if (ingest.Values.Any(i => i.Certificates != batches.Sum(b => b.Count(r => r.Passes))))
            throw new InvalidOperationException("An ingest run did not issue a certificate for every passing row.");
    }

    private static readonly bool[] Modes = [false, true];

    private static Dictionary<string, string> With(Dictionary<string, string> settings, bool on)
    {
        settings["Telemetry:Enabled"] = on ? "true" : "false";
        return settings;
    }

    /// <summary>GET /metrics every <see cref="ScrapeEvery"/> until cancelled: how many answered 200, and the last body.</summary>
    private static async Task<(int Scrapes, string Last)> ScrapeAsync(Uri service, CancellationToken stop)
    {
        using var client = new HttpClient { BaseAddress = service };
        var (scrapes, last) = (0, "");
        while (!stop.IsCancellationRequested)
        {
            try
            {
                last = await client.GetStringAsync("/metrics", stop);
                scrapes++;
                await Task.Delay(ScrapeEvery, stop);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
        if (scrapes > 0) last = await client.GetStringAsync("/metrics", CancellationToken.None);
        return (scrapes, last);
    }

    private static string VerificationsCounted(string metrics) => Report.N(metrics.Split('\n')
        .Where(l => l.StartsWith("registry_verifications_total{", StringComparison.Ordinal))
        .Sum(l => double.Parse(l.Split(' ')[1], CultureInfo.InvariantCulture)));
}
