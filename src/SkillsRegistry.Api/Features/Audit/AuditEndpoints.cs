using Microsoft.AspNetCore.Http.HttpResults;
using SkillsRegistry.Api.Infrastructure.Audit;
using SkillsRegistry.Api.Infrastructure.Auth;
using SkillsRegistry.Api.Infrastructure.Data;
using SkillsRegistry.Api.Infrastructure.Http;

namespace SkillsRegistry.Api.Features.Audit;


public static class AuditEndpoints
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

    public static IEndpointRouteBuilder MapAudit(this IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("/audit")
            .WithTags("Audit")
            .RequireAuthorization(Policies.Admin);
        group.MapGet("/", ListAuditRecords)
            .WithName("ListAuditRecords")
            .WithSummary("Query the audit log (newest first)")
            .WithDescription("Filters: entity (e.g. certificate, assessment, standard, trainee), entityId, action (e.g. create, update, read, " +
                             "link, supersede), personId (every record about that trainee: its changes, links and every read of their " +
                             "personal data, single or in a list, export or transcript), actorKeyId, from, to (UTC instants). Paged like every list.");
        group.MapGet("/verify", VerifyAuditChain)
            .WithName("VerifyAuditChain")
            .WithSummary("Walk the hash chain and report the first broken link")
            .WithDescription("Each record's hash covers its content and the previous record's hash; an edited, removed or reordered record breaks the chain from that record on.");
        return api;
    }

    private static async Task<Results<Ok<Page<AuditRecord>>, ProblemHttpResult>> ListAuditRecords(
        string? entity, string? entityId, string? action, Guid? personId, Guid? actorKeyId, DateTimeOffset? from, DateTimeOffset? to, int? page, int? pageSize,
        Db db, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        var (p, size, offset) = Paging.Normalize(page, pageSize, errors);
        if (!errors.IsEmpty) return errors.ToProblem();
        var parameters = new { Entity = entity, EntityId = entityId, Action = action?.Trim(), PersonId = personId, ActorKeyId = actorKeyId, From = from, To = to, Limit = size, Offset = offset };
        var result = await db.ReadAsync(async s =>
        {
            var rows = await s.QueryAsync<AuditRecord>(SelectPage, parameters);
            var total = await s.ExecuteScalarAsync<long>(CountPage, parameters);
            return new Page<AuditRecord>(rows.ToList(), p, size, total);
        }, ct);
        return TypedResults.Ok(result);
    }

    private static async Task<Ok<AuditChainReport>> VerifyAuditChain(Db db, CancellationToken ct) =>
        TypedResults.Ok(await db.ReadAsync(AuditTrail.VerifyAsync, ct));
}
