using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using SkillsRegistry.Api.Infrastructure.Data;
using SkillsRegistry.Tests.Support;

namespace SkillsRegistry.Reliability;

/// <summary>Database-level facts the reliability tests assert: row counts, duplicates, half-written batches, the audit chain.</summary>
public static class RegistryChecks
{
    public static readonly string[] MainTables =
        ["assessments", "certificates", "trainees", "training_centers", "standards", "partner_agencies", "api_keys"];

    private const string SelectCounts = """
        SELECT (SELECT COUNT(*) FROM assessments) AS Assessments, (SELECT COUNT(*) FROM certificates) AS Certificates,
               (SELECT COUNT(*) FROM trainees) AS Trainees, (SELECT COUNT(*) FROM training_centers) AS TrainingCenters,
               (SELECT COUNT(*) FROM standards) AS Standards, (SELECT COUNT(*) FROM partner_agencies) AS PartnerAgencies,
               (SELECT COUNT(*) FROM api_keys) AS ApiKeys
        """;

    public sealed record Counts(long Assessments, long Certificates, long Trainees, long TrainingCenters, long Standards, long PartnerAgencies, long ApiKeys);

    public static Task<Counts> CountsAsync(Db db) => db.ReadAsync(s => s.QuerySingleAsync<Counts>(SelectCounts));

    public static Task<long> ScalarAsync(Db db, string sql, object? args = null) => db.ReadAsync(s => s.ExecuteScalarAsync<long>(sql, args));

    public static async Task AssertAuditChainIntactAsync(HttpClient admin)
    {
        var report = await (await admin.GetAsync("/api/v1/audit/verify")).ReadJsonAsync();
        Assert.True(report.GetProperty("intact").GetBoolean(), "audit chain broken: " + report);
    }

    /// <summary>A batch request body with the rows given (RegistryWorlds.Row objects).</summary>
    public static HttpRequestMessage BatchRequest(IEnumerable<object> rows, string? idempotencyKey)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/assessment-batches") { Content = JsonContent.Create(new { rows }) };
        if (idempotencyKey is not null) request.Headers.Add("Idempotency-Key", idempotencyKey);
        return request;
    }

    /// <summary>Rows with unique external refs; every row whose index is 0, 3 or 7 modulo 10 fails the practical part (about 70% pass).</summary>
    public static List<(object Row, bool Passes)> Rows(string prefix, int count, int offset = 0, string? standardCode = null, RegistryWorld? world = null) =>
        Enumerable.Range(offset, count).Select(i =>
        {
            var passes = i % 10 is not (0 or 3 or 7);
            return (RegistryWorlds.Row($"{prefix}-{i:D6}", standardCode ?? world!.StandardCode, 80, passes ? 75 : 40), passes);
        }).ToList();

    public static async Task<JsonElement> PostBatchAsync(HttpClient client, IEnumerable<object> rows, string? key, HttpStatusCode expected = HttpStatusCode.OK)
    {
        using var request = BatchRequest(rows, key);
        return await (await client.SendAsync(request)).ReadJsonAsync(expected);
    }
}
