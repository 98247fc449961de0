using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using SkillsRegistry.Api.Infrastructure.Auth;
using SkillsRegistry.Api.Infrastructure.Data;

namespace SkillsRegistry.Api.Infrastructure.Audit;

/// <summary>
/// What a feature records about a change or a read. Changes must already be free of secrets and full national IDs.
/// <paramref name="PersonIds"/> names the persons (trainees) the record is about, for GET /audit?personId=…; a record
/// about entity "trainee" is indexed under its entity id without being told.
/// </summary>
public sealed record AuditEntry(Caller Actor, string Action, string Entity, string EntityId, object? Changes = null,
    IReadOnlyCollection<Guid>? PersonIds = null);

public sealed record AuditRecord(
    long Seq, DateTimeOffset OccurredAt, Guid? ActorKeyId, string ActorRole, Guid? ActorCenterId, Guid? ActorPartnerId,
    string Action, string Entity, string EntityId, string? Changes, string PrevHash, string Hash);

public sealed record AuditChainReport(bool Intact, long RecordsChecked, long? FirstBrokenSeq, string? Problem);

/// <summary>
/// Append-only, hash-chained audit log. Each record's hash covers its content and the previous record's hash,
/// and the chain head (last seq + hash) is kept in a one-row table so deleting the newest rows is detectable too.
/// </summary>
public static class AuditTrail
{
    public const string GenesisHash = "0000000000000000000000000000000000000000000000000000000000000000";

    internal sealed record Head(long LastSeq, string LastHash);

    internal const string SelectHead = "SELECT last_seq AS LastSeq, last_hash AS LastHash FROM audit_chain_head WHERE id = 1";

    internal const string UpdateHead = "UPDATE audit_chain_head SET last_seq = @seq, last_hash = @previous WHERE id = 1";

    private sealed record AuditSubject(Guid PersonId, long Seq);

    private static readonly JsonSerializerOptions ChangesJson = new(JsonSerializerDefaults.Web);

    /// <summary>The audit log's columns; also what tests use to write a long valid chain directly.</summary>
    internal static readonly StreamedTable<AuditRecord> Log = new("audit_log",
        ("seq", "Seq"), ("occurred_at", "OccurredAt"), ("actor_key_id", "ActorKeyId"), ("actor_role", "ActorRole"),
        ("actor_center_id", "ActorCenterId"), ("actor_partner_id", "ActorPartnerId"), ("action", "Action"), ("entity", "Entity"),
        ("entity_id", "EntityId"), ("changes", "Changes"), ("prev_hash", "PrevHash"), ("hash", "Hash"));

    private static readonly StreamedTable<AuditSubject> Subjects = new("audit_subjects", ("person_id", "PersonId"), ("seq", "Seq"));

    /// <summary>Chains the session's queued records, stamped with <paramref name="clock"/>'s time, and writes them.</summary>
    internal static async Task AppendQueuedAsync(DbSession session, TimeProvider clock)
    {
        if (session.QueuedAudit.Count == 0) return;
        // Taken last, just before commit, so concurrent writers wait on the chain head as briefly as possible.
        var head = await session.QuerySingleAsync<Head>(SelectHead + session.Dialect.ForUpdate);
        var seq = head.LastSeq;
        var previous = head.LastHash;
        var now = TruncateToMilliseconds(clock.GetUtcNow());
        // The chain is computed in memory and appended at once. The head's lock makes the new seqs (and so the subject rows)
        // free: nothing can conflict, so PostgreSQL streams them (COPY).
        var records = new List<AuditRecord>(session.QueuedAudit.Count);
        var subjects = new List<AuditSubject>();
        foreach (var entry in session.QueuedAudit)
        {
            seq++;
            var record = new AuditRecord(seq, now, entry.Actor.KeyId, entry.Actor.RoleName, entry.Actor.CenterId, entry.Actor.PartnerId,
                entry.Action, entry.Entity, entry.EntityId,
                entry.Changes is null ? null : JsonSerializer.Serialize(entry.Changes, ChangesJson), previous, "");
            record = record with { Hash = ComputeHash(record) };
            records.Add(record);
            previous = record.Hash;
            foreach (var personId in PersonsOf(entry)) subjects.Add(new AuditSubject(personId, seq));
        }
        await session.CopyRowsAsync(Log, records);
        await session.CopyRowsAsync(Subjects, subjects);
        await session.ExecuteAsync(UpdateHead, new { seq, previous });
        session.QueuedAudit.Clear();
    }

    private static IEnumerable<Guid> PersonsOf(AuditEntry entry)
    {
        var persons = new HashSet<Guid>(entry.PersonIds ?? []);
        if (entry.Entity == "trainee" && Guid.TryParse(entry.EntityId, out var trainee)) persons.Add(trainee);
        return persons;
    }

    public static string ComputeHash(AuditRecord r)
    {
        var canonical = string.Join('\n',
            r.Seq.ToString(CultureInfo.InvariantCulture),
            r.OccurredAt.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
            r.ActorKeyId?.ToString() ?? "", r.ActorRole, r.ActorCenterId?.ToString() ?? "", r.ActorPartnerId?.ToString() ?? "",
            r.Action, r.Entity, r.EntityId, r.Changes ?? "", r.PrevHash);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));
    }

    public const string SelectRecordColumns = """
        seq AS Seq, occurred_at AS OccurredAt, actor_key_id AS ActorKeyId, actor_role AS ActorRole,
        actor_center_id AS ActorCenterId, actor_partner_id AS ActorPartnerId, action AS Action, entity AS Entity,
        entity_id AS EntityId, changes AS Changes, prev_hash AS PrevHash, hash AS Hash
        """;

    /// <summary>
    /// Walks the whole chain in seq order, one record at a time (memory stays flat however long the log); reports the first
    /// record whose link or content does not check out.
    /// </summary>
    public static async Task<AuditChainReport> VerifyAsync(DbSession session)
    {
        long expectedSeq = 1, count = 0;
        var previous = GenesisHash;
        await foreach (var r in session.QueryUnbufferedAsync<AuditRecord>($"SELECT {SelectRecordColumns} FROM audit_log ORDER BY seq"))
        {
            count++;
            if (r.Seq != expectedSeq)
                return new(false, count, expectedSeq, $"Record {expectedSeq} is missing (next stored record is {r.Seq}).");
            if (r.PrevHash != previous)
                return new(false, count, r.Seq, $"Record {r.Seq} does not link to the hash of record {r.Seq - 1}.");
            if (ComputeHash(r) != r.Hash)
                return new(false, count, r.Seq, $"Record {r.Seq} was altered: its content no longer matches its hash.");
            previous = r.Hash;
            expectedSeq++;
        }
        var head = await session.QuerySingleAsync<Head>(SelectHead);
        if (head.LastSeq != expectedSeq - 1 || head.LastHash != previous)
            return new(false, count, expectedSeq, $"The chain head expects {head.LastSeq} records but {expectedSeq - 1} are stored: the newest records were removed.");
        return new(true, count, null, null);
    }

    private static DateTimeOffset TruncateToMilliseconds(DateTimeOffset t) =>
        new(t.Ticks - t.Ticks % TimeSpan.TicksPerMillisecond, TimeSpan.Zero);
}
