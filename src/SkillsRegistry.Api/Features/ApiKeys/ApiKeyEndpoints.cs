using Microsoft.AspNetCore.Http.HttpResults;
using SkillsRegistry.Api.Infrastructure.Text;
using SkillsRegistry.Api.Infrastructure.Auth;
using SkillsRegistry.Api.Infrastructure.Http;
using SkillsRegistry.Api.Infrastructure.Outcomes;
using SkillsRegistry.Api.Infrastructure.Problems;

namespace SkillsRegistry.Api.Features.ApiKeys;

public static class ApiKeyEndpoints
{
    public static IServiceCollection AddApiKeys(this IServiceCollection services) =>
        services.AddSingleton<ApiKeyRepository>();

    public static RouteGroupBuilder MapApiKeys(this IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("/api-keys")
            .WithTags("API keys")
            .RequireAuthorization(Policies.Admin);

        group.MapPost("/", CreateApiKey)
            .WithName("CreateApiKey")
            .WithSummary("Create an API key")
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .WithDescription("Creates a key for an admin, a training center (centerId) or a partner agency (partnerId). " +
                             "The response holds the key itself; it is shown only this once and stored only as a hash.");
        group.MapGet("/", ListApiKeys)
            .WithName("ListApiKeys")
            .WithSummary("List API keys (never their secrets)");
        group.MapPost("/{id:guid}/revoke", RevokeApiKey)
            .WithName("RevokeApiKey")
            .WithSummary("Revoke an API key")
            .WithDescription("Takes effect on the next request on every instance. Revoking a revoked key is harmless.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return group;
    }

    public static ValidationErrors Validate(CreateApiKeyRequest request, DateTimeOffset now, out NewApiKey? key)
    {
        var errors = new ValidationErrors();
        key = null;
        errors.Required("name", request.Name, 100);
        if (errors.OneOf<ApiKeyRole>("role", request.Role, out var role))
        {
            if (role == ApiKeyRole.Center && request.CenterId is null) errors.Add("centerId", "A center key must name its training center.");
            if (role == ApiKeyRole.Partner && request.PartnerId is null) errors.Add("partnerId", "A partner key must name its partner agency.");
            if (role != ApiKeyRole.Center && request.CenterId is not null) errors.Add("centerId", "Only a center key is bound to a training center.");
            if (role != ApiKeyRole.Partner && request.PartnerId is not null) errors.Add("partnerId", "Only a partner key is bound to a partner agency.");
        }
        if (request.ExpiresAt is { } expires && expires <= now) errors.Add("expiresAt", "Must be in the future.");
        if (errors.IsEmpty) key = new NewApiKey(request.Name!.Trim(), role, request.CenterId, request.PartnerId, request.ExpiresAt);
        return errors;
    }

    private static async Task<Results<Created<CreatedApiKeyDto>, ProblemHttpResult>> CreateApiKey(
        CreateApiKeyRequest request, Caller caller, ApiKeyRepository keys, TimeProvider clock, CancellationToken ct)
    {
        var errors = Validate(request, clock.GetUtcNow(), out var key);
        if (!errors.IsEmpty) return errors.ToRejection().ToProblem();
        var outcome = await keys.CreateAsync(key!, caller, ct);
        if (outcome.Rejection is { } rejection) return rejection.ToProblem();
        return TypedResults.Created($"/api/v1/api-keys/{outcome.Value.ApiKey.Id}", outcome.Value);
    }

    private static async Task<Results<Ok<Page<ApiKeyDto>>, ProblemHttpResult>> ListApiKeys(
        int? page, int? pageSize, ApiKeyRepository keys, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        var (p, size, offset) = Paging.Normalize(page, pageSize, errors);
        if (!errors.IsEmpty) return errors.ToRejection().ToProblem();
        return TypedResults.Ok(await keys.ListAsync(p, size, offset, ct));
    }

    private static async Task<Results<Ok<ApiKeyDto>, ProblemHttpResult>> RevokeApiKey(
        Guid id, Caller caller, ApiKeyRepository keys, CancellationToken ct)
    {
        var revoked = await keys.RevokeAsync(id, caller, ct);
        return revoked is null ? Rejection.NotFound($"No API key has id {id}.").ToProblem() : TypedResults.Ok(revoked);
    }
}
