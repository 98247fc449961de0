using System.Collections.Concurrent;
using System.Diagnostics;
using SkillsRegistry.Api;

namespace SkillsRegistry.Bench;

/// <summary>
/// Migration 0019 (indexes of results by registered assessor; CREATE INDEX CONCURRENTLY on PostgreSQL) applied to a registry
/// of N certificates while verification runs. The certificates are generated as the verify benchmark generates them, then the
/// database is taken back to the schema before 0019 (its indexes dropped, its record removed) and the service is started
/// without migrating (Database:MigrateAtStartup=false: an instance of the release before). An in-bench client asks
/// verifications of uniformly drawn numbers and records each request's start and latency; after a warm-up and a measured
/// window, the service's own <c>migrate</c> verb runs as a second process (the same Migrator code path as a start-up) and
/// the load goes on until it ends. By default the service's verification cache is off, so every answer reads the database:
/// the case a lock on it would stall (<c>--cache</c> keeps the cache).
/// </summary>
public static partial class MigrateBench
{
    /// <summary>The child process that runs the service's admin verb table (<c>migrate</c>) from this benchmark's directory.</summary>
    public const string VerbCommand = "admin-verb";

    private const string MigrationName = "0019_assessor_result_indexes.sql";
    private const string TakeBackIndexes = "DROP INDEX IF EXISTS ix_assessments_assessor_exam; DROP INDEX IF EXISTS ix_assessments_second_assessor_exam";
    private const string TakeBackRecord = "DELETE FROM schema_migrations WHERE name = @name";
    private const string ValidIndexes = """
        SELECT COUNT(*) FROM pg_index WHERE indisvalid
          AND indexrelid IN (to_regclass('ix_assessments_assessor_exam'), to_regclass('ix_assessments_second_assessor_exam'))
        """;
    private const string SqliteIndexes = "SELECT COUNT(*) FROM sqlite_master WHERE type = 'index' AND name IN ('ix_assessments_assessor_exam', 'ix_assessments_second_assessor_exam')";

    public static Task<int> RunVerbAsync(string[] args) => AdminVerbs.TryRun(args[1..]) ?? Task.FromResult(2);

    private readonly record struct Sample(long StartTicks, long EndTicks, bool Ok);

    public static async Task RunAsync(string provider, int certificates, TimeSpan measured, int connections, bool keepCache)
    {
        await using var database = await BenchDatabase.CreateAsync(provider);
        var generated = await BulkWriter.GenerateAsync(database, certificates,
            i => new GeneratedResult(i, $"GEN-{i:D8}", BenchDatabase.NationalIdFor(i), 80, 75),
            _ => new DirectRows.Spread(database.CenterId, database.StandardId, BenchDatabase.ExamDate, null, "female", null));
        await database.Db.WriteAsync(async s =>
        {
            await s.ExecuteAsync(TakeBackIndexes);
            await s.ExecuteAsync(TakeBackRecord, new { name = MigrationName });
        });
        var version = await database.ServerVersionAsync();
        await database.ReleaseConnectionsAsync();

        var settings = database.ServiceSettings();
        settings["Database:MigrateAtStartup"] = "false";
        if (!keepCache)
        {
            settings["Verification:CacheEntries"] = "0";
            settings["Verification:WarmOnStart"] = "false";
        }
        await using var service = await CeilingHostProcess.StartAsync(settings, BenchDatabase.CertificateNumberFor(1));

        var clock = Stopwatch.StartNew();
        var samples = new ConcurrentBag<Sample>();
        using var stop = new CancellationTokenSource();
        using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = connections })
            { BaseAddress = service.BaseAddress, Timeout = TimeSpan.FromMinutes(5) };
        var load = Enumerable.Range(0, connections).Select(worker => Task.Run(async () =>
        {
            var random = new Random(worker);
            while (!stop.IsCancellationRequested)
            {
                var number = BenchDatabase.CertificateNumberFor(random.Next(1, certificates + 1));
                var start = clock.ElapsedTicks;
                using var response = await client.GetAsync("/api/v1/verify/" + number, CancellationToken.None);
                await response.Content.LoadIntoBufferAsync();
                samples.Add(new Sample(start, clock.ElapsedTicks, response.IsSuccessStatusCode));
            }
        })).ToList();

        var warmup = TimeSpan.FromSeconds(Math.Max(1, measured.TotalSeconds / 2));
        await Task.Delay(warmup);
        var beforeFrom = clock.ElapsedTicks;
        await Task.Delay(measured);
        var migrationFrom = clock.ElapsedTicks;
        var run = await RunMigrateVerbAsync(settings);
        var migrationTo = clock.ElapsedTicks;
        await Task.Delay(TimeSpan.FromSeconds(1)); // requests in flight when the migration ended finish inside the load
        await stop.CancelAsync();
        await Task.WhenAll(load);
        if (run.ExitCode != 0 || !run.Output.Contains(MigrationName, StringComparison.Ordinal))
            throw new InvalidOperationException($"The migrate verb did not apply {MigrationName} (exit {run.ExitCode}):\n{run.Output}");
        var indexes = await database.Db.ReadAsync(s => s.ExecuteScalarAsync<long>(provider == "Postgres" ? ValidIndexes : SqliteIndexes));
        if (indexes != 2) throw new InvalidOperationException($"After the migration {indexes} of the 2 assessor indexes are there and valid.");

        var all = samples.ToList();
        var before = all.Where(s => s.StartTicks >= beforeFrom && s.EndTicks < migrationFrom).ToList();
        var during = all.Where(s => s.EndTicks >= migrationFrom && s.StartTicks <= migrationTo).ToList();
        var migration = Seconds(migrationTo - migrationFrom);
        Report.Table($"migrate — {MigrationName} applied during verification, {Report.N(certificates)} certificates", version,
            ["window", "seconds", "requests", "req/s", "failed", "p50", "p99", "longest (stall)"],
            [Row("before the migration", Seconds(migrationFrom - beforeFrom), before), Row("during the migration", migration, during)],
            $"Migration duration: {migration:0.0} s for the migrate verb's process from start to exit, of which applying the migration " +
            $"{AppliedIn().Match(run.Output).Groups[1].Value} s (as the verb reports it; the rest is the process's start). " +
            $"{connections} client connections in the benchmark process, each asking one uniformly drawn number after another; " +
            $"\"during\" counts every request in flight while the verb ran. Verification cache: {(keepCache ? "as configured" : "off (every answer reads the database)")}. " +
            $"{generated.Describe(certificates)}. The generated results name their assessor in free text (as legacy results do), so the partial " +
            $"indexes hold few entries: the build's cost is reading the table. Indicative figures: one shared machine, client and service on the same cores.");
    }

    private static IReadOnlyList<string> Row(string window, double seconds, List<Sample> samples)
    {
        var latencies = samples.Select(s => Milliseconds(s.EndTicks - s.StartTicks)).Order().ToArray();
        double Percentile(double p) => latencies.Length == 0 ? double.NaN : latencies[Math.Min(latencies.Length - 1, (int)Math.Ceiling(p * latencies.Length) - 1)];
        return [window, seconds.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture), Report.N(samples.Count), Report.N(samples.Count / seconds),
            Report.N(samples.Count(s => !s.Ok)), Report.Ms(Percentile(0.50)), Report.Ms(Percentile(0.99)), Report.Ms(latencies.LastOrDefault(double.NaN))];
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"migration\(s\) in ([\d.]+) s")]
    private static partial System.Text.RegularExpressions.Regex AppliedIn();

    private static double Seconds(long ticks) => ticks / (double)Stopwatch.Frequency;
    private static double Milliseconds(long ticks) => ticks * 1000d / Stopwatch.Frequency;

    /// <summary>Runs <c>migrate</c> as its own process over the service's database, as an operator would.</summary>
    private static async Task<(int ExitCode, string Output)> RunMigrateVerbAsync(IReadOnlyDictionary<string, string> settings)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = AppContext.BaseDirectory,
        };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "SkillsRegistry.Bench.dll"));
        info.ArgumentList.Add(VerbCommand);
        info.ArgumentList.Add("migrate");
        foreach (var (key, value) in settings) info.ArgumentList.Add($"--{key}={value}");
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        info.Environment["DOTNET_NOLOGO"] = "1";
        using var process = Process.Start(info) ?? throw new InvalidOperationException("Could not start the migrate verb");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout + await stderr);
    }
}
