using SkillsRegistry.Api.Infrastructure.OpenApi;
using Microsoft.AspNetCore.Http.HttpResults;
using SkillsRegistry.Api.Infrastructure.Auth;
using SkillsRegistry.Api.Infrastructure.Http;
using SkillsRegistry.Api.Infrastructure.Outcomes;
using SkillsRegistry.Api.Infrastructure.Problems;

namespace SkillsRegistry.Api.Features.Reference;

/// <summary>Endpoints for reference data (provinces, sectors, target groups): public to read, admin to edit.</summary>
public static class ReferenceDataEndpoints
{
    public static IServiceCollection AddReferenceData(this IServiceCollection services) =>
        services.AddSingleton<ReferenceDataRepository>();

    /// <summary>Two groups under one prefix: public reads (no key, rate-limited per address) and admin edits; returns the edits group.</summary>
    public static RouteGroupBuilder MapReferenceData(this IEndpointRouteBuilder api)
    {
        var reads = api.MapGroup("/reference")
            .WithTags("Reference data")
            .AllowAnonymous()
            .RequireRateLimiting(RateLimiting.PublicPolicy);
        var edits = api.MapGroup("/reference")
            .WithTags("Reference data")
            .RequireAuthorization(Policies.Admin);

        reads.MapGet("/provinces", ListProvinces)
            .WithName("ListProvinces")
            .WithSummary("List Iran's provinces (ISO 3166-2:IR codes)")
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
        reads.MapGet("/sectors", ListSectors)
            .WithName("ListSectors")
            .WithSummary("List economic sectors that standards and partner agreements belong to")
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
        reads.MapGet("/target-groups", ListTargetGroups)
            .WithName("ListTargetGroups")
            .WithSummary("List trainee target groups")
            .WithDescription("All groups, or only active (active=true) or retired (active=false) ones. Retired groups stay on existing records.")
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
        reads.MapGet("/target-groups/{code}", GetTargetGroup)
            .WithName("GetTargetGroup")
            .SendsHeader(200, ContractHeaders.ETag)
            .WithSummary("Get one target group with its ETag")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
        edits.MapPost("/target-groups", CreateTargetGroup)
            .WithName("CreateTargetGroup")
            .SendsHeader(201, ContractHeaders.ETag)
            .WithSummary("Add a target group (admin)")
            .ProducesProblem(StatusCodes.Status409Conflict);
        edits.MapPut("/target-groups/{code}", UpdateTargetGroup)
            .WithName("UpdateTargetGroup")
            .WithSummary("Rename, retire or reactivate a target group (admin; If-Match)")
            .WithDescription("The code never changes. Send If-Match with the ETag from GetTargetGroup.")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed)
            .ProducesProblem(StatusCodes.Status428PreconditionRequired);
        return edits;
    }

    public static ValidationErrors Validate(CreateTargetGroupRequest request)
    {
        var errors = new ValidationErrors();
        KebabCode.Check(errors, "code", request.Code);
        errors.Required("nameEn", request.NameEn);
        errors.Required("nameFa", request.NameFa);
        return errors;
    }

    public static ValidationErrors Validate(UpdateTargetGroupRequest request)
    {
        var errors = new ValidationErrors();
        errors.Required("nameEn", request.NameEn);
        errors.Required("nameFa", request.NameFa);
        if (request.Active is null) errors.Add("active", "Required: true to offer the group for new records, false to retire it.");
        return errors;
    }

    private static async Task<Ok<IReadOnlyList<ProvinceDto>>> ListProvinces(ReferenceDataRepository reference, CancellationToken ct) =>
        TypedResults.Ok(await reference.ListProvincesAsync(ct));

    private static async Task<Ok<IReadOnlyList<SectorDto>>> ListSectors(ReferenceDataRepository reference, CancellationToken ct) =>
        TypedResults.Ok(await reference.ListSectorsAsync(ct));

    private static async Task<Ok<IReadOnlyList<TargetGroupDto>>> ListTargetGroups(bool? active, ReferenceDataRepository reference, CancellationToken ct) =>
        TypedResults.Ok(await reference.ListTargetGroupsAsync(active, ct));

    private static async Task<Results<Ok<TargetGroupDto>, ProblemHttpResult>> GetTargetGroup(
        string code, HttpContext http, ReferenceDataRepository reference, CancellationToken ct)
    {
        var found = await reference.GetTargetGroupAsync(code, ct);
        if (found is null) return ReferenceDataRepository.NoSuchTargetGroup(code).ToProblem();
        Preconditions.SetETag(http, found.RowVersion);
        return TypedResults.Ok(found.TargetGroup);
    }

    private static async Task<Results<Created<TargetGroupDto>, ProblemHttpResult>> CreateTargetGroup(
        CreateTargetGroupRequest request, Caller caller, HttpContext http, ReferenceDataRepository reference, CancellationToken ct)
    {
        var errors = Validate(request);
        if (!errors.IsEmpty) return errors.ToRejection().ToProblem();
        var outcome = await reference.CreateTargetGroupAsync(request.Code!, request.NameEn!.Trim(), request.NameFa!.Trim(), caller, ct);
        if (outcome.Rejection is { } rejection) return rejection.ToProblem();
        var created = outcome.Value;
        Preconditions.SetETag(http, created.RowVersion);
        return TypedResults.Created($"/api/v1/reference/target-groups/{created.TargetGroup.Code}", created.TargetGroup);
    }

    private static async Task<Results<Ok<TargetGroupDto>, ProblemHttpResult>> UpdateTargetGroup(
        string code, UpdateTargetGroupRequest request, Caller caller, HttpContext http, ReferenceDataRepository reference, CancellationToken ct)
    {
        if (!Preconditions.TryGetExpectedVersion(http, out var expected, out var precondition)) return precondition!.ToProblem();
        var errors = Validate(request);
        if (!errors.IsEmpty) return errors.ToRejection().ToProblem();
        var outcome = await reference.UpdateTargetGroupAsync(code, request.NameEn!.Trim(), request.NameFa!.Trim(), request.Active!.Value, expected, caller, ct);
        if (outcome.Rejection is { } rejection) return rejection.ToProblem();
        Preconditions.SetETag(http, outcome.Value.RowVersion);
        return TypedResults.Ok(outcome.Value.TargetGroup);
    }
}
