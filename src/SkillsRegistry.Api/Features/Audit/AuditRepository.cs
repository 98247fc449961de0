using SkillsRegistry.Api.Infrastructure.Audit;
using SkillsRegistry.Api.Infrastructure.Data;
using SkillsRegistry.Api.Infrastructure.Http;

namespace SkillsRegistry.Api.Features.Audit;

/// <summary>Filters of the audit log query; every one is optional. <paramref name="PersonId"/>: every record about that trainee.</summary>
public sealed record AuditFilter(
    string? Entity, string? EntityId, string? Action, Guid? PersonId, Guid? ActorKeyId, DateTimeOffset? From, DateTimeOffset? To);

/// <summary>Reads the audit log (the trail itself is written and hash-chained by <see cref="AuditTrail"/>).</summary>
public sealed class AuditRepository(Db db)
{
    private const string FilterClause = """
        WHERE (@Entity IS NULL OR entity = @Entity)
          AND (@EntityId IS NULL OR entity_id = @EntityId)
          AND (@Action IS NULL OR action = @Action)
          AND (@PersonId IS NULL OR EXISTS (SELECT 1 FROM audit_subjects x WHERE x.person_id = @PersonId AND x.seq = audit_log.seq))
          AND (@ActorKeyId IS NULL OR actor_key_id = @ActorKeyId)
          AND (@From IS NULL OR occurred_at >= @From)
          AND (@To IS NULL OR occurred_at < @To)
        """;
    private const string SelectPage = $"SELECT {AuditTrail.SelectRecordColumns} FROM audit_log {FilterClause} ORDER BY seq DESC LIMIT @Limit OFFSET @Offset";
    private const string CountPage = $"SELECT COUNT(*) FROM audit_log {FilterClause}";

    /// <summary>A page of the log, newest first.</summary>
    public Task<Page<AuditRecord>> ListAsync(AuditFilter filter, int page, int size, int offset, CancellationToken ct)
    {
        var parameters = new
        {
            filter.Entity, filter.EntityId, filter.Action, filter.PersonId, filter.ActorKeyId, filter.From, filter.To,
            Limit = size, Offset = offset,
        };
        return db.ReadAsync(async s =>
        {
            var rows = await s.QueryAsync<AuditRecord>(SelectPage, parameters);
            var total = await s.ExecuteScalarAsync<long>(CountPage, parameters);
            return new Page<AuditRecord>(rows.ToList(), page, size, total);
        }, ct);
    }

    /// <summary>Walks the hash chain from the first record; the report names the first broken link.</summary>
    public Task<AuditChainReport> VerifyChainAsync(CancellationToken ct) => db.ReadAsync(AuditTrail.VerifyAsync, ct);
}
