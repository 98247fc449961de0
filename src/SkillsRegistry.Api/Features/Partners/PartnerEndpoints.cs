using SkillsRegistry.Api.Infrastructure.OpenApi;
using Microsoft.AspNetCore.Http.HttpResults;
using SkillsRegistry.Api.Infrastructure.Text;
using SkillsRegistry.Api.Infrastructure.Auth;
using SkillsRegistry.Api.Infrastructure.Http;
using SkillsRegistry.Api.Infrastructure.Outcomes;
using SkillsRegistry.Api.Infrastructure.Problems;

namespace SkillsRegistry.Api.Features.Partners;

/// <summary>Endpoints for partner agencies: admins manage them; a partner key reads its own agency.</summary>
public static class PartnerEndpoints
{
    public static IServiceCollection AddPartners(this IServiceCollection services) =>
        services.AddSingleton<PartnerRepository>();

    public static RouteGroupBuilder MapPartners(this IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("/partners")
            .WithTags("Partner agencies")
            .RequireAuthorization(Policies.AdminOrPartner)
            .RequirePartnerAgreementInForce();

        group.MapPost("/", CreatePartner)
            .WithName("CreatePartner")
            .SendsHeader(201, ContractHeaders.ETag)
            .WithSummary("Register a partner agency (admin)")
            .WithDescription("Sectors must be codes from ListSectors; country is ISO 3166-1 alpha-2; status defaults to active.")
            .ProducesProblem(StatusCodes.Status409Conflict);
        group.MapGet("/", ListPartners)
            .WithName("ListPartners")
            .WithSummary("List partner agencies")
            .WithDescription("Admins see every agency; a partner key sees only its own. q searches code and both names " +
                             "(Arabic/Persian letter variants and ZWNJ do not matter).");
        group.MapGet("/{id:guid}", GetPartner)
            .WithName("GetPartner")
            .SendsHeader(200, ContractHeaders.ETag)
            .WithSummary("Get a partner agency with its agreement extension history")
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPut("/{id:guid}", UpdatePartner)
            .WithName("UpdatePartner")
            .WithSummary("Update a partner agency's names, country, sectors, status and note (admin; If-Match)")
            .WithDescription("The code and the agreement dates are not changed here; the end date moves only with ExtendPartnerAgreement.")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed)
            .ProducesProblem(StatusCodes.Status428PreconditionRequired);
        group.MapPost("/{id:guid}/agreement-extensions", ExtendPartnerAgreement)
            .WithName("ExtendPartnerAgreement")
            .WithSummary("Extend a partner agency's agreement to a later end date, or make it open-ended (admin; If-Match)")
            .WithDescription("Records the previous and new end date in the agency's extension history and returns the updated agency.")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status428PreconditionRequired);
        return group;
    }

    private static ProblemHttpResult AdminOnly(HttpContext http) =>
        Rejection.Forbidden($"Only an admin key may call {http.Request.Method} {http.Request.Path}; a partner key can read its own agency.").ToProblem();

    private static async Task<Results<Created<PartnerDto>, ProblemHttpResult>> CreatePartner(
        CreatePartnerRequest request, Caller caller, HttpContext http, PartnerRepository partners, CancellationToken ct)
    {
        if (!caller.IsAdmin) return AdminOnly(http);
        var errors = PartnerValidation.Validate(request, out var partner);
        if (!errors.IsEmpty) return errors.ToRejection().ToProblem();
        var outcome = await partners.CreateAsync(partner!, caller, ct);
        if (outcome.Rejection is { } rejection) return rejection.ToProblem();
        Preconditions.SetETag(http, outcome.Value.RowVersion);
        return TypedResults.Created($"/api/v1/partners/{outcome.Value.Partner.Id}", outcome.Value.Partner);
    }

    private static async Task<Results<Ok<Page<PartnerSummaryDto>>, ProblemHttpResult>> ListPartners(
        int? page, int? pageSize, [OneOf(typeof(PartnerStatus))] string? status, string? sector, string? country, string? q,
        Caller caller, PartnerRepository partners, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        var (p, size, offset) = Paging.Normalize(page, pageSize, errors);
        PartnerStatus? parsedStatus = null;
        if (status is not null && errors.OneOf<PartnerStatus>("status", status, out var st)) parsedStatus = st;
        var normalizedCountry = country is null ? null : Countries.Normalize(country);
        if (country is not null && normalizedCountry is null) errors.Add("country", $"'{country}' is not an ISO 3166-1 alpha-2 country code.");
        errors.MaxLength("q", q, 200);
        if (!errors.IsEmpty) return errors.ToRejection().ToProblem();
        // A partner key lists only its own agency, whatever the filters say.
        var onlyId = caller.IsAdmin ? (Guid?)null : caller.PartnerId ?? Guid.Empty;
        var filter = new PartnerFilter(parsedStatus, string.IsNullOrWhiteSpace(sector) ? null : sector.Trim(), normalizedCountry, q, onlyId);
        return TypedResults.Ok(await partners.ListAsync(filter, p, size, offset, ct));
    }

    private static async Task<Results<Ok<PartnerDto>, ProblemHttpResult>> GetPartner(
        Guid id, Caller caller, HttpContext http, PartnerRepository partners, CancellationToken ct)
    {
        if (!caller.IsAdmin && caller.PartnerId != id)
            return Rejection.Forbidden("A partner key may read only its own partner agency.").ToProblem();
        var found = await partners.GetAsync(id, ct);
        if (found is null) return PartnerRepository.NotFound(id).ToProblem();
        Preconditions.SetETag(http, found.RowVersion);
        return TypedResults.Ok(found.Partner);
    }

    private static async Task<Results<Ok<PartnerDto>, ProblemHttpResult>> UpdatePartner(
        Guid id, UpdatePartnerRequest request, Caller caller, HttpContext http, PartnerRepository partners, CancellationToken ct)
    {
        if (!caller.IsAdmin) return AdminOnly(http);
        if (!Preconditions.TryGetExpectedVersion(http, out var expected, out var precondition)) return precondition!.ToProblem();
        var errors = PartnerValidation.Validate(request, out var changes);
        if (!errors.IsEmpty) return errors.ToRejection().ToProblem();
        return Written(http, await partners.UpdateAsync(id, changes!, expected, caller, ct));
    }

    private static async Task<Results<Ok<PartnerDto>, ProblemHttpResult>> ExtendPartnerAgreement(
        Guid id, ExtendAgreementRequest request, Caller caller, HttpContext http, PartnerRepository partners, CancellationToken ct)
    {
        if (!caller.IsAdmin) return AdminOnly(http);
        if (!Preconditions.TryGetExpectedVersion(http, out var expected, out var precondition)) return precondition!.ToProblem();
        var errors = PartnerValidation.Validate(request);
        if (!errors.IsEmpty) return errors.ToRejection().ToProblem();
        return Written(http, await partners.ExtendAgreementAsync(id, request.NewEndsOn, request.Reason!.Trim(), expected, caller, ct));
    }

    private static Results<Ok<PartnerDto>, ProblemHttpResult> Written(HttpContext http, Outcome<VersionedPartner> outcome)
    {
        if (outcome.Rejection is { } rejection) return rejection.ToProblem();
        Preconditions.SetETag(http, outcome.Value.RowVersion);
        return TypedResults.Ok(outcome.Value.Partner);
    }
}
