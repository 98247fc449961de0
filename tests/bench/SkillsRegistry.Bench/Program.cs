using System.Globalization;
using SkillsRegistry.Bench;

// SkillsRegistry benchmarks (run by hand; --quick proves they still work, with tiny sizes). No thresholds: ratios to a
// baseline measured in the same run.
//   verify  [--sizes 10000,1000000] [--duration 10] [--warmup S (default: the duration)] [--connections 32] [--fill-cache]
//           (JSON + HTML, Zipf and uniform, each after a warm-up of the same workload; --fill-cache: every number asked once first)
//   cache-size [--entries 250000]  memory per cached verification record
//   bulk-verify [--bulk-certificates 10000] [--rounds 10]  500 numbers in one POST /api/v1/verifications vs 500 single requests
//   ingest  [--rows 100000]
//   stats   [--certificates 1000000] [--repeat 30]
//   telemetry [--sizes N (the first)] [--rows N] [--duration S]  verify and ingest with telemetry off and on, in the same run
//   migrate [--certificates 1000000] [--duration 10] [--connections 32] [--cache]  0019 applied by the migrate verb while
//           verification runs: its duration, the longest request and p99 during it vs before it (cache off unless --cache)
//   pdf     [--pdfs 200] [--baseline-pdfs 20] [--pages N (default: the service's Pdf:Pages)] [--concurrency N (default: pages)]
//   all     everything above
// Common: --quick, --db sqlite,postgres (PostgreSQL only when SKILLSREGISTRY_TEST_POSTGRES is set).
// (host: the service plus the ceiling route, started by the verify benchmark as its child process; admin-verb: the service's
// admin verbs, started by the migrate benchmark; neither run by hand.)
if (args.FirstOrDefault() == CeilingHost.Command) return await CeilingHost.RunAsync(args);
if (args.FirstOrDefault() == MigrateBench.VerbCommand) return await MigrateBench.RunVerbAsync(args);
var command = args.FirstOrDefault(a => !a.StartsWith("--", StringComparison.Ordinal)) ?? "all";
var quick = args.Contains("--quick");
string? Option(string name) => args.SkipWhile(a => a != "--" + name).Skip(1).FirstOrDefault();

var sizes = (Option("sizes") ?? (quick ? "2000" : "10000,1000000")).Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray();
var duration = TimeSpan.FromSeconds(int.Parse(Option("duration") ?? (quick ? "2" : "10"), CultureInfo.InvariantCulture));
var warmup = Option("warmup") is { } w ? TimeSpan.FromSeconds(int.Parse(w, CultureInfo.InvariantCulture)) : duration;
var connections = int.Parse(Option("connections") ?? "32", CultureInfo.InvariantCulture);
var rows = int.Parse(Option("rows") ?? (quick ? "2000" : "100000"), CultureInfo.InvariantCulture);
var statsCertificates = int.Parse(Option("certificates") ?? (quick ? "5000" : "1000000"), CultureInfo.InvariantCulture);
var pdfs = int.Parse(Option("pdfs") ?? (quick ? "5" : "200"), CultureInfo.InvariantCulture);
var baselinePdfs = int.Parse(Option("baseline-pdfs") ?? (quick ? "2" : "20"), CultureInfo.InvariantCulture);
var cacheEntries = int.Parse(Option("entries") ?? (quick ? "20000" : "250000"), CultureInfo.InvariantCulture);
var fillCache = args.Contains("--fill-cache");
var bulkCertificates = int.Parse(Option("bulk-certificates") ?? (quick ? "2000" : "10000"), CultureInfo.InvariantCulture);
var rounds = int.Parse(Option("rounds") ?? (quick ? "2" : "10"), CultureInfo.InvariantCulture);
var repeat = int.Parse(Option("repeat") ?? (quick ? "3" : "30"), CultureInfo.InvariantCulture);
var databases = (Option("db") ?? "sqlite,postgres").Split(',')
    .Select(d => d.Trim().ToLowerInvariant() switch { "sqlite" => "Sqlite", "postgres" => "Postgres", var other => throw new ArgumentException("Unknown database " + other) })
    .Where(d =>
    {
        if (d != "Postgres" || BenchDatabase.PostgresAdmin is not null) return true;
        Console.WriteLine("(PostgreSQL skipped: SKILLSREGISTRY_TEST_POSTGRES is not set)");
        return false;
    })
    .ToList();

if (command is not ("verify" or "bulk-verify" or "cache-size" or "ingest" or "stats" or "telemetry" or "migrate" or "pdf" or "all"))
{
    Console.Error.WriteLine("usage: SkillsRegistry.Bench verify|bulk-verify|cache-size|ingest|stats|telemetry|migrate|pdf|all [--quick] [--fill-cache] [--entries N] [--db sqlite,postgres] [--sizes N,M] [--duration S] [--warmup S] [--rows N] [--certificates N] [--repeat N]");
    return 2;
}
Console.WriteLine($"# SkillsRegistry benchmarks{(quick ? " (quick: tiny sizes, proves the harness works; figures mean nothing)" : "")}");
Console.WriteLine($"{Report.Machine()}");
if (command is "cache-size" or "all") CacheSizeBench.Run(cacheEntries);
foreach (var database in databases)
{
    if (command is "verify" or "all")
        foreach (var size in sizes) await VerifyBench.RunAsync(database, size, duration, warmup, connections, fillCache);
    if (command is "bulk-verify" or "all") await BulkVerifyBench.RunAsync(database, bulkCertificates, rounds);
    if (command is "ingest" or "all") await IngestBench.RunAsync(database, rows);
    if (command is "stats" or "all") await StatsBench.RunAsync(database, statsCertificates, repeat);
    if (command is "migrate" or "all") await MigrateBench.RunAsync(database, statsCertificates, duration, connections, args.Contains("--cache"));
    if (command is "telemetry" or "all") await TelemetryBench.RunAsync(database, sizes[0], Math.Min(rows, quick ? rows : 20_000), duration, warmup, connections);
}
if (command is "pdf" or "all")
    await PdfBench.RunAsync(pdfs, baselinePdfs, Option("pages") is { } p ? int.Parse(p, CultureInfo.InvariantCulture) : null,
        Option("concurrency") is { } c ? int.Parse(c, CultureInfo.InvariantCulture) : null);
return 0;
