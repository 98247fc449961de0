using System.Globalization;
using SkillsRegistry.Reliability.Processes;

namespace SkillsRegistry.Bench;

/// <summary>
/// What telemetry costs: verification (JSON, uniform over every number) and ingest through the API, each with
/// Telemetry:Enabled=false (no OpenTelemetry SDK: the baseline) and telemetry on as operated: OTLP export (protobuf over
/// HTTP) to a sink this process serves, so spans are really serialized and sent, the default sampler, the registry's and
/// the framework's meters, /metrics scraped every second as Prometheus would. Off and on alternate (off, on, off, on…) in
/// the same run on the same data, and the ratio reported is the median of each pair's, because load drifts.
/// </summary>
public static class TelemetryBench
{
    private static readonly TimeSpan ScrapeEvery = TimeSpan.FromSeconds(1);
    private const int Pairs = 2;

    private sealed record VerifyRun(WrkResult Result, int Scrapes, double Counted, OtlpSink.Received Sent);

    private sealed record IngestRun(IngestBench.ApiIngest Ingest, OtlpSink.Received Sent);

    public static async Task RunAsync(string provider, int certificates, int rows, TimeSpan duration, TimeSpan warmup, int connections)
    {
        await using var sink = await OtlpSink.StartAsync();
        await using var database = await BenchDatabase.CreateAsync(provider);
        var generated = await BulkWriter.GenerateAsync(database, certificates,
            i => new GeneratedResult(i, $"TEL-{i:D8}", BenchDatabase.NationalIdFor(i), 80, 75),
            _ => new DirectRows.Spread(database.CenterId, database.StandardId, BenchDatabase.ExamDate, null, "female", null));
        var numbersFile = Path.Combine(database.DataDirectory, "telemetry-numbers.txt");
        await File.WriteAllLinesAsync(numbersFile, Enumerable.Range(1, certificates).Select(i => BenchDatabase.CertificateNumberFor(i)));
        var version = await database.ServerVersionAsync();
        await database.ReleaseConnectionsAsync();

        var verify = new List<(bool On, VerifyRun Run)>();
        foreach (var on in Modes)
        {
            sink.Take();
            await using var service = await ServiceProcess.StartAsync(With(database.ServiceSettings(), on, sink));
            if (warmup > TimeSpan.Zero) await Wrk.RunAsync(service.BaseAddress, "/api/v1/verify/", numbersFile, 2, connections, warmup);
            using var scraping = new CancellationTokenSource();
            var scraper = on ? ScrapeAsync(service.BaseAddress, scraping.Token) : Task.FromResult((0, ""));
            var result = await Wrk.RunAsync(service.BaseAddress, "/api/v1/verify/", numbersFile, 2, connections, duration);
            await scraping.CancelAsync();
            var (scrapes, last) = await scraper.ContinueWith(t => t.IsCompletedSuccessfully ? t.Result
                : throw new InvalidOperationException("Scraping /metrics failed; the service wrote:\n" + service.Log, t.Exception));
            await service.StopGracefullyAsync(TimeSpan.FromSeconds(30)); // its exporters flush: the sink has all it sent (warm-up included)
            verify.Add((on, new VerifyRun(result, scrapes, on ? VerificationsCounted(last) : 0, sink.Take())));
        }

        var ingest = new List<(bool On, IngestRun Run)>();
        var batches = IngestBench.Batches(rows, "TIN");
        foreach (var on in Modes)
        {
            await using var fresh = await BenchDatabase.CreateAsync(provider);
            sink.Take();
            var run = await IngestBench.PostBatchesAsync(fresh, batches, With(fresh.ServiceSettings(), on, sink));
            ingest.Add((on, new IngestRun(run, sink.Take()))); // the service stopped: its last export is in
        }

        var verifyRatio = MedianRatio(verify.Select(v => v.Run.Result.RequestsPerSecond).ToList());
        var ingestRatio = MedianRatio(ingest.Select(i => 1 / i.Run.Ingest.Time.TotalSeconds).ToList());
        Report.Table($"telemetry on/off — verify JSON over {Report.N(certificates)} certificates, ingest {Report.N(rows)} rows", version,
            ["workload", "telemetry", "req/s or rows/s, each run", "median ratio on/off", "p99, each run", "/metrics scrapes", "registry_verifications_total at last scrape",
                "spans exported (OTLP, warm-up included)", "OTLP KiB traces + metrics", "service RSS after"],
            [
                .. Modes.Distinct().Select(on => (IReadOnlyList<string>)
                [
                    $"verify JSON, uniform (wrk -t2 -c{connections} -d{duration.TotalSeconds}s)", Mode(on),
                    Each(verify, on, v => Report.N(v.Result.RequestsPerSecond)), on ? verifyRatio : "1.00×", Each(verify, on, v => Report.Ms(v.Result.P99Ms)),
                    on ? Each(verify, on, v => Report.N(v.Scrapes)) : "—", on ? Each(verify, on, v => Report.N(v.Counted)) : "—",
                    on ? Each(verify, on, v => Report.N(v.Sent.Spans)) : "—", on ? Each(verify, on, v => Bytes(v.Sent)) : "—", "—",
                ]),
                .. Modes.Distinct().Select(on => (IReadOnlyList<string>)
                [
                    $"ingest, batches of {IngestBench.BatchSize}", Mode(on), Each(ingest, on, i => Report.N(rows / i.Ingest.Time.TotalSeconds)),
                    on ? ingestRatio : "1.00×", "—", "—", "—", on ? Each(ingest, on, i => Report.N(i.Sent.Spans)) : "—",
                    on ? Each(ingest, on, i => Bytes(i.Sent)) : "—", Each(ingest, on, i => Report.Mib(i.Ingest.Rss)),
                ]),
            ],
            $"Same data for every run ({generated.Describe(certificates)}); runs in the order off, on × {Pairs}; the ratio is the median over the pairs of " +
            $"on ÷ the off just before it. Each verify run after a warm-up of {warmup.TotalSeconds:0} s of the same workload. \"on\" = the defaults an " +
            "operator gets with OTEL_EXPORTER_OTLP_ENDPOINT set (protobuf over HTTP to a sink in the bench process; the default sampler, " +
            $"Telemetry:TraceSampleRatio={Api.Infrastructure.Telemetry.TelemetryOptions.DefaultTraceSampleRatio}, failures always), metrics pushed every 5 s and /metrics scraped every " +
            $"{ScrapeEvery.TotalSeconds:0} s during the measured run. \"off\" = Telemetry:Enabled=false.");
        if (verify.Any(v => v.On && (v.Run.Scrapes == 0 || v.Run.Counted == 0)))
            throw new InvalidOperationException("With telemetry on, /metrics was never scraped or counted no verification.");
        if (verify.Any(v => v.On && (v.Run.Sent.MetricExports == 0 || v.Run.Sent.Spans == 0)) || ingest.Any(i => i.On && i.Run.Sent.MetricExports == 0))
            throw new InvalidOperationException("With telemetry on, a service exported no metrics or (verifying) no spans to the OTLP sink.");
        if (ingest.Any(i => i.Run.Ingest.Certificates != batches.Sum(b => b.Count(r => r.Passes))))
            throw new InvalidOperationException("An ingest run did not issue a certificate for every passing row.");
    }

    private static readonly bool[] Modes = [.. Enumerable.Range(0, Pairs).SelectMany(_ => new[] { false, true })];

    private static string Mode(bool on) => on ? "on (OTLP)" : "off (baseline)";

    private static string Each<T>(List<(bool On, T Run)> runs, bool on, Func<T, string> show) =>
        string.Join(" / ", runs.Where(r => r.On == on).Select(r => show(r.Run)));

    private static string Bytes(OtlpSink.Received sent) => $"{Report.N(sent.TraceBytes / 1024d)} + {Report.N(sent.MetricBytes / 1024d)}";

    /// <summary>Throughputs in run order (off, on, off, on…): the median of on ÷ off over the pairs.</summary>
    private static string MedianRatio(List<double> inOrder)
    {
        var ratios = inOrder.Chunk(2).Select(pair => pair[1] / pair[0]).Order().ToList();
        var median = ratios.Count % 2 == 1 ? ratios[ratios.Count / 2] : (ratios[ratios.Count / 2 - 1] + ratios[ratios.Count / 2]) / 2;
        return median.ToString("0.00", CultureInfo.InvariantCulture) + "× (" + string.Join(", ", ratios.Select(r => r.ToString("0.00", CultureInfo.InvariantCulture))) + ")";
    }

    private static Dictionary<string, string> With(Dictionary<string, string> settings, bool on, OtlpSink sink)
    {
        settings["Telemetry:Enabled"] = on ? "true" : "false";
        if (on) sink.Configure(settings);
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

    private static double VerificationsCounted(string metrics) => metrics.Split('\n')
        .Where(l => l.StartsWith("registry_verifications_total{", StringComparison.Ordinal))
        .Sum(l => double.Parse(l.Split(' ')[1], CultureInfo.InvariantCulture));
}
