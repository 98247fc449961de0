using System.Diagnostics;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using SkillsRegistry.Reliability.Processes;

namespace SkillsRegistry.Bench;

/// <summary>
/// An employer checking 500 certificates: one POST /api/v1/verifications of 500 numbers (JSON, and CSV in and out) versus
/// 500 single GET /api/v1/verify/{number} requests from one client, one at a time (the baseline) and 8 at a time. Each round
/// asks the same 500 numbers (the cache is warm after the first round, a warm-up); the verdicts of both paths are compared.
/// </summary>
public static class BulkVerifyBench
{
    private const int Items = 500;

    public static async Task RunAsync(string provider, int certificates, int rounds)
    {
        await using var database = await BenchDatabase.CreateAsync(provider);
        await BulkWriter.GenerateAsync(database, certificates,
            i => new GeneratedResult(i, $"BLK-{i:D8}", BenchDatabase.NationalIdFor(i), 80, 75),
            _ => new DirectRows.Spread(database.CenterId, database.StandardId, BenchDatabase.ExamDate, null, "female", null));
        var random = new Random(20261204);
        // Issued numbers, a few never issued and a few mistyped ones, as an HR department's list would have.
        var numbers = Enumerable.Range(0, Items).Select(i => (i % 50) switch
        {
            0 => BenchDatabase.CertificateNumberFor(certificates + 1 + i),
            1 => BenchDatabase.CertificateNumberFor(random.Next(1, certificates + 1))[..^1] + "0",
            _ => BenchDatabase.CertificateNumberFor(random.Next(1, certificates + 1)),
        }).ToArray();
        var key = await database.CreateVerifierKeyAsync();
        var version = await database.ServerVersionAsync();
        await database.ReleaseConnectionsAsync();
        await using var service = await ServiceProcess.StartAsync(database.ServiceSettings());
        using var client = new HttpClient { BaseAddress = service.BaseAddress, Timeout = TimeSpan.FromMinutes(5) };
        client.DefaultRequestHeaders.Add("X-Api-Key", key);

        async Task<string[]> SinglesAsync(int parallel)
        {
            var verdicts = new string[Items];
            await Parallel.ForAsync(0, Items, new ParallelOptions { MaxDegreeOfParallelism = parallel }, async (i, ct) =>
            {
                using var response = await client.GetAsync($"/api/v1/verify/{numbers[i]}", ct);
                verdicts[i] = Verdict(JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct)).RootElement, response);
            });
            return verdicts;
        }
        async Task<string[]> BulkJsonAsync()
        {
            using var response = await client.PostAsJsonAsync("/api/v1/verifications", new { items = numbers.Select(n => new { number = n }) });
            var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
            return body.GetProperty("items").EnumerateArray().Select(a => Verdict(a, response)).ToArray();
        }
        async Task<string[]> BulkCsvAsync()
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/verifications")
            {
                Content = new StringContent(string.Join("\n", numbers), Encoding.UTF8, "text/csv"),
            };
            request.Headers.Accept.ParseAdd("text/csv");
            using var response = await client.SendAsync(request);
            if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"Bulk CSV failed: {(int)response.StatusCode}");
            var lines = (await response.Content.ReadAsStringAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
            return lines.Skip(1).Select(l => l.Split(',')[1]).ToArray();
        }

        var paths = new (string Name, Func<Task<string[]>> Run)[]
        {
            ($"{Items} × GET /api/v1/verify/{{number}}, one at a time (baseline)", () => SinglesAsync(1)),
            ($"{Items} × GET /api/v1/verify/{{number}}, 8 at a time", () => SinglesAsync(8)),
            ($"POST /api/v1/verifications, {Items} items, JSON", BulkJsonAsync),
            ($"POST /api/v1/verifications, {Items} items, CSV in and out", BulkCsvAsync),
        };
        var expected = await SinglesAsync(1); // warm-up: every number read once
        var times = paths.Select(_ => new List<double>()).ToArray();
        for (var round = 0; round < rounds; round++)
            for (var p = 0; p < paths.Length; p++)
            {
                var clock = Stopwatch.StartNew();
                var verdicts = await paths[p].Run();
                times[p].Add(clock.Elapsed.TotalMilliseconds);
                if (!verdicts.SequenceEqual(expected)) throw new InvalidOperationException($"{paths[p].Name}: the verdicts differ from single verifications");
            }

        var baseline = Median(times[0]);
        Report.Table($"bulk verification — {Items} numbers out of {Report.N(certificates)} certificates, median of {rounds} rounds", version,
            ["path", "ms per 500", "numbers/s", "speed vs one at a time"],
            paths.Select((path, p) => (IReadOnlyList<string>)[path.Name, Report.N(Median(times[p]), "0.0"), Report.N(Items / Median(times[p]) * 1000),
                Report.Ratio(baseline, Median(times[p]))]),
            $"One client on loopback, the service as a child process, a verifier key (per-key and per-address limits raised). Each path's " +
            $"verdicts were checked equal to the single answers. The bulk path also writes one audit record per item (one transaction).");
    }

    private static string Verdict(JsonElement answer, HttpResponseMessage response) =>
        response.IsSuccessStatusCode ? answer.GetProperty("verdict").GetString()! : throw new InvalidOperationException($"{(int)response.StatusCode}: {answer}");

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted[sorted.Count / 2];
    }
}
