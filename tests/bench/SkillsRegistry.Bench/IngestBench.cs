using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using SkillsRegistry.Reliability.Processes;

namespace SkillsRegistry.Bench;

/// <summary>
/// Results in through POST /api/v1/assessment-batches (one client, batches of 1,000, an Idempotency-Key each) versus the
/// same rows written directly (trainees, center links, assessments, certificates; one transaction per batch). Every row names
/// the center's registered assessor (<see cref="BenchDatabase.AssessorCode"/>), so the service checks the assessor's
/// qualification, currency and attachment for each row (two statements per batch).
/// </summary>
public static class IngestBench
{
    public const int BatchSize = 1000;

    public static async Task RunAsync(string provider, int rows)
    {
        var batches = Batches(rows, "ING");
        var passing = batches.Sum(b => b.Count(r => r.Passes));

        // Through the API.
        string version;
        ApiIngest api;
        await using (var database = await BenchDatabase.CreateAsync(provider))
        {
            version = await database.ServerVersionAsync();
            api = await PostBatchesAsync(database, batches, database.ServiceSettings());
        }
        var (apiTime, rss, idle, apiCertificates) = api;

        // Directly.
        TimeSpan directTime;
        long directCertificates;
        await using (var database = await BenchDatabase.CreateAsync(provider))
        {
            var clock = Stopwatch.StartNew();
            long next = 1;
            foreach (var batch in batches) next += await DirectRows.InsertBatchAsync(database.Db, database.CenterId, database.StandardId, batch, next);
            directTime = clock.Elapsed;
            directCertificates = await database.Db.ReadAsync(s => s.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM certificates"));
        }

        // The same rows by PostgreSQL binary COPY, for context: the fastest way in, with no statement per row at all.
        TimeSpan? copyTime = null;
        long copyCertificates = 0;
        if (provider == "Postgres")
        {
            await using var database = await BenchDatabase.CreateAsync(provider);
            await using var writer = await BulkWriter.OpenAsync(database);
            writer.ParallelProtection = false; // like the baseline: one core protects the national IDs
            var clock = Stopwatch.StartNew();
            long next = 1;
            foreach (var batch in batches)
                next += await writer.WriteAsync(batch, next, _ => new DirectRows.Spread(database.CenterId, database.StandardId, BenchDatabase.ExamDate, null, "female", null));
            copyTime = clock.Elapsed;
            copyCertificates = await database.Db.ReadAsync(s => s.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM certificates"));
        }

        var directRate = rows / directTime.TotalSeconds;
        var apiRate = rows / apiTime.TotalSeconds;
        Report.Table($"ingest — {Report.N(rows)} results in batches of {BatchSize} ({Report.N(passing)} passing)", version,
            ["path", "seconds", "rows/s", "certificates", "ratio to direct", "service RSS after"],
            [
                ["direct Dapper, one transaction per batch (baseline)", Report.N(directTime.TotalSeconds, "0.0"), Report.N(directRate), Report.N(directCertificates), "1.00×", "—"],
                ["POST /api/v1/assessment-batches, every row naming a registered assessor", Report.N(apiTime.TotalSeconds, "0.0"), Report.N(apiRate), Report.N(apiCertificates), Report.Ratio(apiRate, directRate), Report.Mib(rss)],
                .. (copyTime is { } copy
                    ? new[] { new[] { "PostgreSQL binary COPY of the same rows, one transaction per batch (context)", Report.N(copy.TotalSeconds, "0.0"),
                        Report.N(rows / copy.TotalSeconds), Report.N(copyCertificates), Report.Ratio(rows / copy.TotalSeconds, directRate), "—" } }
                    : []),
            ],
            $"Service RSS when idle after start: {Report.Mib(idle)}. The API path also validates, resolves trainees, checks each row's registered assessor (qualified, current, attached; two statements per batch), signs each certificate (ES256) and chains an audit record per assessment and certificate; the baseline does none of that." +
            (copyTime is { } c ? $" The API runs at {Report.Ratio(apiRate, rows / c.TotalSeconds)} of binary COPY." : ""));
        if (apiCertificates != passing || directCertificates != passing || (copyTime is not null && copyCertificates != passing))
            throw new InvalidOperationException($"Expected {passing} certificates, API made {apiCertificates}, direct {directCertificates}, COPY {copyCertificates}.");
    }

    /// <summary>What <see cref="PostBatchesAsync"/> measured: time for all batches, service RSS after and when idle, certificates made.</summary>
    public sealed record ApiIngest(TimeSpan Time, long Rss, long IdleRss, long Certificates);

    /// <summary>
    /// Starts the service on <paramref name="database"/> with <paramref name="settings"/> and posts every batch, one after the other, each
    /// with an Idempotency-Key; every row must be recorded. The service is then stopped in order (its exporters flush).
    /// </summary>
    public static async Task<ApiIngest> PostBatchesAsync(BenchDatabase database, IReadOnlyList<List<GeneratedResult>> batches, IReadOnlyDictionary<string, string> settings)
    {
        var key = await database.CreateCenterKeyAsync();
        await database.ReleaseConnectionsAsync();
        TimeSpan time;
        long rss, idle;
        await using (var service = await ServiceProcess.StartAsync(settings))
        {
            idle = service.ResidentBytes();
            using var client = new HttpClient { BaseAddress = service.BaseAddress, Timeout = TimeSpan.FromMinutes(5) };
            client.DefaultRequestHeaders.Add("X-Api-Key", key);
            var clock = Stopwatch.StartNew();
            foreach (var batch in batches)
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/assessment-batches")
                {
                    Content = JsonContent.Create(new { rows = batch.Select(r => r.ToApiRow()) }),
                };
                request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
                using var response = await client.SendAsync(request);
                var body = await response.Content.ReadAsStringAsync();
                if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"Batch failed: {(int)response.StatusCode} {body}");
                var recorded = JsonDocument.Parse(body).RootElement.GetProperty("recorded").GetInt32();
                if (recorded != batch.Count) throw new InvalidOperationException($"Only {recorded} of {batch.Count} rows were recorded: {body[..Math.Min(2000, body.Length)]}");
            }
            time = clock.Elapsed;
            rss = service.ResidentBytes();
            await service.StopGracefullyAsync(TimeSpan.FromSeconds(30));
        }
        var certificates = await database.Db.ReadAsync(s => s.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM certificates"));
        return new ApiIngest(time, rss, idle, certificates);
    }

    /// <summary>The rows of <paramref name="rows"/> generated results in batches of <see cref="BatchSize"/>.</summary>
    public static List<List<GeneratedResult>> Batches(int rows, string prefix) =>
        Enumerable.Range(0, (rows + BatchSize - 1) / BatchSize)
            .Select(b => Enumerable.Range(b * BatchSize, Math.Min(BatchSize, rows - b * BatchSize)).Select(i => GeneratedResult.For(i, prefix)).ToList())
            .ToList();
}
