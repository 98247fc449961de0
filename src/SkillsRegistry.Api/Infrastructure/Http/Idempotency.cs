using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using SkillsRegistry.Api.Infrastructure.Auth;
using SkillsRegistry.Api.Infrastructure.Data;
using SkillsRegistry.Api.Infrastructure.Outcomes;
using SkillsRegistry.Api.Infrastructure.Problems;

namespace SkillsRegistry.Api.Infrastructure.Http;

public sealed record StoredResponse
{
    public string RequestHash { get; init; } = "";
    public int StatusCode { get; init; }
    public string ResponseBody { get; init; } = "";
}

/// <summary>
/// Idempotency-Key support. The first response for a (caller, key) is saved in the SAME transaction as the work it
/// reports, so a crash leaves either both or neither; a retry with the same request gets that response again, a
/// different request under the same key gets 422. Records are kept <see cref="Retention"/>.
/// </summary>
public static class Idempotency
{
    public const string HeaderName = "Idempotency-Key";
    public const string ReplayedHeader = "Idempotency-Replayed";
    public static readonly TimeSpan Retention = TimeSpan.FromHours(48);

    private const string SelectRecord = """
        SELECT request_hash AS RequestHash, status_code AS StatusCode, response_body AS ResponseBody
        FROM idempotency_records WHERE scope = @scope AND idempotency_key = @key AND expires_at > @now
        """;
    private const string DeleteExpired = "DELETE FROM idempotency_records WHERE scope = @scope AND idempotency_key = @key AND expires_at <= @now";
    private const string InsertRecord = """
        INSERT INTO idempotency_records (scope, idempotency_key, request_hash, status_code, response_body, created_at, expires_at)
        VALUES (@scope, @key, @hash, @status, @body, @now, @expires)
        ON CONFLICT (scope, idempotency_key) DO NOTHING
        """;

    /// <summary>Keys are scoped to the caller: a center's retries match whichever of its keys sends them.</summary>
    public static string ScopeOf(Caller caller) => caller switch
    {
        { IsCenter: true, CenterId: { } c } => $"center:{c}",
        { IsPartner: true, PartnerId: { } p } => $"partner:{p}",
        _ => $"key:{caller.KeyId}",
    };

    /// <summary>Reads and checks the header: absent → null key; present but unusable → a 400 problem.</summary>
    public static bool TryReadKey(HttpContext context, out string? key, out Rejection? refusal)
    {
        key = null;
        refusal = null;
        if (!context.Request.Headers.TryGetValue(HeaderName, out var values)) return true;
        var value = values.ToString();
        if (value.Length is 0 or > 128 || value.Any(c => c is < '!' or > '~'))
        {
            refusal = Rejection.InvalidFields(new Dictionary<string, string[]> { [HeaderName] = ["1 to 128 visible ASCII characters, e.g. a UUID."] });
            return false;
        }
        key = value;
        return true;
    }

    /// <summary>Hash of the request as the server understood it (so whitespace or property order do not matter).</summary>
    public static string HashOf<T>(T request, JsonSerializerOptions options) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(request, options))));

    public static Task<StoredResponse?> FindAsync(DbSession s, string scope, string key, DateTimeOffset now) =>
        s.QuerySingleOrDefaultAsync<StoredResponse>(SelectRecord, new { scope, key, now });

    /// <summary>Saves the response; false when another request with the same key committed first (roll back and replay it).</summary>
    public static async Task<bool> TrySaveAsync(DbSession s, string scope, string key, string hash, int status, string body, DateTimeOffset now)
    {
        await s.ExecuteAsync(DeleteExpired, new { scope, key, now });
        var inserted = await s.ExecuteAsync(InsertRecord, new { scope, key, hash, status, body, now, expires = now + Retention });
        return inserted == 1;
    }

    /// <summary>The stored response again, or 422 when the key was used for a different request.</summary>
    public static IResult Replay(HttpContext context, StoredResponse stored, string requestHash)
    {
        if (stored.RequestHash != requestHash)
            return Rejection.Unprocessable($"The {HeaderName} was already used for a different request body. Use a new key for a new request.").ToProblem();
        context.Response.Headers[ReplayedHeader] = "true";
        return Results.Text(stored.ResponseBody, "application/json", Encoding.UTF8, stored.StatusCode);
    }
}

