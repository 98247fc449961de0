using System.Security.Cryptography;
using SkillsRegistry.Api.Infrastructure.Data;

namespace SkillsRegistry.Api.Features.Certificates.Status;

/// <summary>
/// A revocation status list as stored, with the indexes whose certificates are no longer valid now: revoked, or superseded by a
/// corrected certificate (which has its own entry). An offline verifier that only sees the bit must not accept either.
/// </summary>
public sealed record StatusListSnapshot(long Id, int Size, IReadOnlyList<int> RevokedIndexes);

/// <summary>
/// Revocation status lists. A certificate takes its (list, index) inside the issuing transaction; the bits are computed from
/// <c>certificates.status</c> on every request, so a revocation shows in the list as soon as it commits.
/// </summary>
public sealed class StatusListRepository(Db db)
{
    // The newest list hands out its next position; the row lock (PostgreSQL) serialises concurrent issuers for one statement.
    private const string UpdateTakePosition = """
        UPDATE status_lists SET next_position = next_position + 1
        WHERE id = (SELECT MAX(id) FROM status_lists) AND next_position < size
        RETURNING id AS ListId, next_position - 1 AS Position, index_key AS IndexKey
        """;

    private const string InsertList = """
        INSERT INTO status_lists (id, purpose, size, next_position, index_key, created_at)
        SELECT COALESCE(MAX(id), 0) + 1, 'revocation', @size, 0, @indexKey, @now FROM status_lists WHERE TRUE
        ON CONFLICT (id) DO NOTHING
        """;

    private const string SelectList = "SELECT id AS Id, size AS Size FROM status_lists WHERE id = @id";
    private const string SelectRevokedIndexes = "SELECT status_index FROM certificates WHERE status_list_id = @id AND status IN ('revoked', 'superseded') ORDER BY status_index";

    private sealed record Taken(long ListId, long Position, long IndexKey);
    private sealed record ListRow(long Id, long Size);

    /// <summary>The next free entry of the current list (a new list when it is full), inside the caller's transaction.</summary>
    public async Task<StatusListEntry> AllocateAsync(DbSession s, DateTimeOffset now)
    {
        for (var attempt = 0; attempt < 3; attempt++)
        {
            if (await s.QuerySingleOrDefaultAsync<Taken>(UpdateTakePosition) is { } taken)
                return new StatusListEntry(taken.ListId, StatusIndexPermutation.Apply((int)taken.Position, taken.IndexKey));
            // No list yet, or the newest is full: open the next one. A concurrent issuer may open it first (then this does nothing).
            await s.TryExecuteAsync(InsertList, new { size = StatusIndexPermutation.Size, indexKey = RandomNumberGenerator.GetInt32(int.MaxValue), now });
        }
        throw new InvalidOperationException("Could not allocate a revocation status list entry.");
    }

    public Task<StatusListSnapshot?> GetAsync(long id, CancellationToken ct) => db.ReadAsync(async s =>
    {
        if (await s.QuerySingleOrDefaultAsync<ListRow>(SelectList, new { id }) is not { } list) return null;
        var revoked = await s.QueryAsync<long>(SelectRevokedIndexes, new { id });
        return new StatusListSnapshot(list.Id, (int)list.Size, revoked.Select(i => (int)i).ToList());
    }, ct);
}
