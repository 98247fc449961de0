using Microsoft.AspNetCore.Http.HttpResults;
using SkillsRegistry.Api.Infrastructure.Audit;
using SkillsRegistry.Api.Infrastructure.Auth;
using SkillsRegistry.Api.Infrastructure.Http;
using SkillsRegistry.Api.Infrastructure.Problems;

namespace SkillsRegistry.Api.Features.Audit;

public static class AuditEndpoints
{
    public static IServiceCollection AddAudit(this IServiceCollection services) => services.AddSingleton<AuditRepository>();

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
        AuditRepository audit, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        var (p, size, offset) = Paging.Normalize(page, pageSize, errors);
        if (!errors.IsEmpty) return errors.ToRejection().ToProblem();
        var filter = new AuditFilter(entity, entityId, action?.Trim(), personId, actorKeyId, from, to);
        return TypedResults.Ok(await audit.ListAsync(filter, p, size, offset, ct));
    }

    private static async Task<Ok<AuditChainReport>> VerifyAuditChain(AuditRepository audit, CancellationToken ct) =>
        TypedResults.Ok(await audit.VerifyChainAsync(ct));
}
