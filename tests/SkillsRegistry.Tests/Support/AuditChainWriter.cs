using SkillsRegistry.Api.Infrastructure.Audit;
using SkillsRegistry.Api.Infrastructure.Auth;
using SkillsRegistry.Api.Infrastructure.Data;

namespace SkillsRegistry.Tests.Support;

/// <summary>
/// Writes a long, valid audit chain straight into the database, hashed by the service's own <see cref="AuditTrail.ComputeHash"/>,
/// instead of making one API call per record.
/// </summary>
internal static class AuditChainWriter
{
    private const int RecordsPerTransaction = 20_000;

    /// <summary>Appends <paramref name="count"/> records after the chain's head and moves the head to the last of them.</summary>
    public static async Task AppendAsync(Db db, int count, DateTimeOffset at)
    {
        var head = await db.ReadAsync(s => s.QuerySingleAsync<AuditTrail.Head>(AuditTrail.SelectHead));
        var (seq, previous) = (head.LastSeq, head.LastHash);
        var occurredAt = DateTimeOffset.FromUnixTimeMilliseconds(at.ToUnixTimeMilliseconds());
        for (var written = 0; written < count; written += RecordsPerTransaction)
        {
            var records = new List<AuditRecord>(Math.Min(RecordsPerTransaction, count - written));
            while (records.Count < records.Capacity)
            {
                seq++;
                var record = new AuditRecord(seq, occurredAt, Caller.System.KeyId, Caller.System.RoleName, null, null, "create", "api-key",
                    Guid.CreateVersion7().ToString(), $$"""{"name":"generated-{{seq}}","role":"admin"}""", previous, "");
                record = record with { Hash = AuditTrail.ComputeHash(record) };
                records.Add(record);
                previous = record.Hash;
            }
            var (lastSeq, lastHash) = (seq, previous);
            await db.WriteAsync(async s =>
            {
                await s.CopyRowsAsync(AuditTrail.Log, records);
                await s.ExecuteAsync(AuditTrail.UpdateHead, new { seq = lastSeq, previous = lastHash });
            });
        }
    }
}
