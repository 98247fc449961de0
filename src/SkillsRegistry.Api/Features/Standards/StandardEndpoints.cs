using SkillsRegistry.Api.Infrastructure.OpenApi;
using SkillsRegistry.Api.Infrastructure.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using SkillsRegistry.Api.Features.Partners;
using SkillsRegistry.Api.Infrastructure.Auth;
using SkillsRegistry.Api.Infrastructure.Http;
using SkillsRegistry.Api.Infrastructure.Outcomes;
using SkillsRegistry.Api.Infrastructure.Problems;

namespace SkillsRegistry.Api.Features.Standards;

/// <summary>
/// Competency standards: national code + version, lifecycle draft → active → superseded/withdrawn.
/// Admin and center keys read every standard; a partner key reads only standards in its agreement's sectors, and only while
/// the agreement is in force (a standard outside them answers 404, as if it did not exist). Admins and (within their
/// agreement) partner agencies draft; only admins change the lifecycle.
/// </summary>
public static class StandardEndpoints
{
    public static IServiceCollection AddStandards(this IServiceCollection services) =>
        services.AddSingleton<StandardRepository>().AddSingleton<StandardDrafting>();

    public static RouteGroupBuilder MapStandards(this IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("/standards")
            .WithTags("Competency standards")
            .RequireAuthorization(Policies.AnyKey)
            .RequirePartnerAgreementInForce();

        group.MapGet("/", ListStandards)
            .WithName("ListStandards")
            .WithSummary("List and search competency standard versions")
            .WithDescription("Filters: code, sector, status, isco (1–4 digit ISCO-08 prefix), q (titles in Persian or English and code; " +
                             "Arabic and Persian letter variants match). Send Accept: text/csv for every match as CSV.")
            .AlsoAnswersCsv();
        group.MapGet("/export.csv", ExportStandards)
            .WithName("ExportStandards")
            .WithSummary("Export competency standard versions as CSV (UTF-8 with BOM)")
            .WithDescription("Takes the same filters as ListStandards and returns every match.")
            .Produces(StatusCodes.Status200OK, typeof(string), "text/csv");
        group.MapPost("/", CreateStandard)
            .WithName("CreateStandard")
            .SendsHeader(201, ContractHeaders.ETag)
            .WithSummary("Draft version 1 of a new competency standard")
            .WithDescription("Admins, and partner agencies in their agreement's sectors while it is in force. " +
                             "For the next version of an existing code use CreateStandardVersion.")
            .ProducesProblem(StatusCodes.Status409Conflict);
        group.MapGet("/{id:guid}", GetStandard)
            .WithName("GetStandard")
            .SendsHeader(200, ContractHeaders.ETag)
            .WithSummary("Get one competency standard version (with ETag)")
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPut("/{id:guid}", UpdateStandard)
            .WithName("UpdateStandard")
            .WithSummary("Edit a draft version (If-Match required)")
            .WithDescription("Replaces every editable field. Only drafts can be edited: an active version is immutable, a change is a new version. " +
                             "Admins edit every draft; a partner key only drafts it authored (it drafted them, or an admin named it co-author), " +
                             "and never changes partnerIds (send them as they are, or leave them out). Outside a partner's sectors every version answers 404.")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed)
            .ProducesProblem(StatusCodes.Status428PreconditionRequired);
        group.MapGet("/{code}/versions", ListStandardVersions)
            .WithName("ListStandardVersions")
            .WithSummary("The version history of a code, newest first")
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPost("/{code}/versions", CreateStandardVersion)
            .WithName("CreateStandardVersion")
            .SendsHeader(201, ContractHeaders.ETag)
            .WithSummary("Draft the next version of a code, copied from its latest version")
            .WithDescription("Fields in the body override the copy. A code has at most one draft at a time.")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        group.MapGet("/{code}/in-force", GetStandardInForce)
            .WithName("GetStandardInForce")
            .WithSummary("The version of a code in force on a date (default today)")
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPost("/{id:guid}/activate", ActivateStandard)
            .WithName("ActivateStandard")
            .WithSummary("Activate a draft (admin; If-Match required)")
            .WithDescription("When another version of the code is active, supersede it instead.")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status428PreconditionRequired);
        group.MapPost("/{id:guid}/supersede", SupersedeStandard)
            .WithName("SupersedeStandard")
            .WithSummary("Replace an active version by a newer one or another code (admin; If-Match of the old version)")
            .WithDescription("In one transaction the replacement becomes active from effectiveFrom (default today) and this version " +
                             "becomes superseded, in force until the day before.")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status428PreconditionRequired);
        group.MapPost("/{id:guid}/withdraw", WithdrawStandard)
            .WithName("WithdrawStandard")
            .WithSummary("Withdraw an active version without replacement (admin; If-Match required)")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status428PreconditionRequired);
        return group;
    }

    private static readonly CsvColumn<StandardRow>[] CsvColumns =
    [
        new("code", r => r.Code), new("version", r => r.Version), new("status", r => r.Status), new("iscoCode", r => r.IscoCode),
        new("sector", r => r.SectorCode), new("titleFa", r => r.TitleFa), new("titleEn", r => r.TitleEn),
        new("theoryHours", r => r.TheoryHours), new("practicalHours", r => r.PracticalHours),
        new("theoryPassMark", r => r.TheoryPassMark), new("practicalPassMark", r => r.PracticalPassMark),
        new("validityMonths", r => r.ValidityMonths), new("effectiveFrom", r => r.EffectiveFrom), new("effectiveTo", r => r.EffectiveTo),
        new("supersededByCode", r => r.SupersededByCode), new("supersededByVersion", r => r.SupersededByVersion),
        new("supersessionEquivalent", r => r.SupersessionEquivalent is { } e ? (e ? "true" : "false") : null), new("id", r => r.Id),
    ];

    private static async Task<Results<Ok<Page<StandardDto>>, CsvResult<StandardRow>, ProblemHttpResult>> ListStandards(
        string? code, string? sector, [OneOf(typeof(StandardStatus))] string? status, string? isco, string? q, int? page, int? pageSize,
        HttpContext context, StandardRepository standards, CancellationToken ct)
    {
        var errors = StandardValidation.ValidateFilter(code, sector, status, isco, q, out var filter);
        filter = VisibleTo(context, filter);
        if (Csv.Requested(context))
        {
            if (!errors.IsEmpty) return errors.ToRejection().ToProblem();
            return new CsvResult<StandardRow>(await standards.ExportAsync(filter, ct), CsvColumns, "standards.csv");
        }
        var (p, size, offset) = Paging.Normalize(page, pageSize, errors);
        if (!errors.IsEmpty) return errors.ToRejection().ToProblem();
        return TypedResults.Ok(await standards.ListAsync(filter, p, size, offset, ct));
    }

    private static async Task<Results<CsvResult<StandardRow>, ProblemHttpResult>> ExportStandards(
        string? code, string? sector, [OneOf(typeof(StandardStatus))] string? status, string? isco, string? q, HttpContext context, StandardRepository standards, CancellationToken ct)
    {
        var errors = StandardValidation.ValidateFilter(code, sector, status, isco, q, out var filter);
        if (!errors.IsEmpty) return errors.ToRejection().ToProblem();
        return new CsvResult<StandardRow>(await standards.ExportAsync(VisibleTo(context, filter), ct), CsvColumns, "standards.csv");
    }

    private static async Task<Results<Ok<StandardDto>, ProblemHttpResult>> GetStandard(
        Guid id, HttpContext context, StandardRepository standards, CancellationToken ct)
    {
        if (await standards.GetAsync(id, ct) is not { } stored || !PartnerGrant.MayRead(context, stored.Standard.Sector))
            return Rejection.NotFound(StandardNotFound.Id(id)).ToProblem();
        Preconditions.SetETag(context, stored.RowVersion);
        return TypedResults.Ok(stored.Standard);
    }

    private static async Task<Results<Created<StandardDto>, ProblemHttpResult>> CreateStandard(
        CreateStandardRequest request, Caller caller, HttpContext context, StandardDrafting drafting, CancellationToken ct)
    {
        if (RefuseDrafting(caller) is { } refused) return refused;
        var errors = StandardValidation.Validate(request, out var code, out var fields);
        if (!errors.IsEmpty) return errors.ToRejection().ToProblem();
        return Created(context, await drafting.CreateAsync(code, fields!, caller, ct));
    }

    private static async Task<Results<Ok<StandardDto>, ProblemHttpResult>> UpdateStandard(
        Guid id, UpdateStandardRequest request, Caller caller, HttpContext context, StandardDrafting drafting, CancellationToken ct)
    {
        if (RefuseDrafting(caller) is { } refused) return refused;
        if (!Preconditions.TryGetExpectedVersion(context, out var expected, out var precondition)) return precondition!.ToProblem();
        var errors = StandardValidation.Validate(request, out var fields);
        if (!errors.IsEmpty) return errors.ToRejection().ToProblem();
        return Stored(context, await drafting.UpdateAsync(id, fields!, expected, caller, ct));
    }

    private static async Task<Results<Ok<Page<StandardDto>>, ProblemHttpResult>> ListStandardVersions(
        string code, int? page, int? pageSize, HttpContext context, StandardRepository standards, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        var (p, size, offset) = Paging.Normalize(page, pageSize, errors);
        if (!errors.IsEmpty) return errors.ToRejection().ToProblem();
        var normalized = StandardValidation.NormalizeCode(code);
        IReadOnlyList<StandardDto> versions = (await standards.ListVersionsAsync(normalized, ct)).Where(v => PartnerGrant.MayRead(context, v.Sector)).ToList();
        return versions.Count == 0 ? Rejection.NotFound(StandardNotFound.Code(normalized)).ToProblem() : TypedResults.Ok(Paging.Slice(versions, p, size, offset));
    }

    private static async Task<Results<Created<StandardDto>, ProblemHttpResult>> CreateStandardVersion(
        string code, CreateStandardVersionRequest? request, Caller caller, HttpContext context, StandardDrafting drafting, CancellationToken ct)
    {
        if (RefuseDrafting(caller) is { } refused) return refused;
        return Created(context, await drafting.CreateVersionAsync(StandardValidation.NormalizeCode(code), request, caller, ct));
    }

    private static async Task<Results<Ok<StandardDto>, ProblemHttpResult>> GetStandardInForce(
        string code, DateOnly? on, HttpContext context, StandardRepository standards, TimeProvider clock, CancellationToken ct)
    {
        var normalized = StandardValidation.NormalizeCode(code);
        var date = on ?? RegistryCalendar.Today(clock);
        var (known, standard) = await standards.FindInForceAsync(normalized, date, ct);
        if (standard is not null && PartnerGrant.MayRead(context, standard.Sector)) return TypedResults.Ok(standard);
        // A partner learns nothing about codes outside its sectors, not even whether they exist: one answer for both.
        if (PartnerGrant.AgreementOf(context) is not null
            && !(known && (await standards.ListVersionsAsync(normalized, ct)).Any(v => PartnerGrant.MayRead(context, v.Sector))))
            return Rejection.NotFound(StandardNotFound.Code(normalized)).ToProblem();
        if (standard is not null) return Rejection.NotFound(StandardNotFound.Code(normalized)).ToProblem();
        return Rejection.NotFound(known
            ? $"No version of standard {normalized} was in force on {date:yyyy-MM-dd}."
            : $"No standard has code {normalized}.").ToProblem();
    }

    private static async Task<Results<Ok<StandardDto>, ProblemHttpResult>> ActivateStandard(
        Guid id, ActivateStandardRequest? request, Caller caller, HttpContext context, StandardRepository standards, CancellationToken ct)
    {
        if (RefuseLifecycle(caller, "activate") is { } refused) return refused;
        if (!Preconditions.TryGetExpectedVersion(context, out var expected, out var precondition)) return precondition!.ToProblem();
        return Stored(context, await standards.ActivateAsync(id, request?.EffectiveFrom, expected, caller, ct));
    }

    private static async Task<Results<Ok<SupersessionDto>, ProblemHttpResult>> SupersedeStandard(
        Guid id, SupersedeStandardRequest request, Caller caller, HttpContext context, StandardRepository standards, CancellationToken ct)
    {
        if (RefuseLifecycle(caller, "supersede") is { } refused) return refused;
        if (!Preconditions.TryGetExpectedVersion(context, out var expected, out var precondition)) return precondition!.ToProblem();
        var errors = new ValidationErrors();
        if (request.ReplacementId is null || request.ReplacementId == Guid.Empty) errors.Add("replacementId", "Required: the id of the replacing version.");
        if (request.Equivalent is null) errors.Add("equivalent", "Required: true when holders of this version are competent in the replacement.");
        if (!errors.IsEmpty) return errors.ToRejection().ToProblem();
        var outcome = await standards.SupersedeAsync(id, request.ReplacementId!.Value, request.Equivalent!.Value, request.EffectiveFrom, expected, caller, ct);
        if (outcome.Rejection is { } rejection) return rejection.ToProblem();
        Preconditions.SetETag(context, outcome.Value.Superseded.RowVersion);
        return TypedResults.Ok(new SupersessionDto(outcome.Value.Superseded.Standard, outcome.Value.Replacement));
    }

    private static async Task<Results<Ok<StandardDto>, ProblemHttpResult>> WithdrawStandard(
        Guid id, WithdrawStandardRequest request, Caller caller, HttpContext context, StandardRepository standards, CancellationToken ct)
    {
        if (RefuseLifecycle(caller, "withdraw") is { } refused) return refused;
        if (!Preconditions.TryGetExpectedVersion(context, out var expected, out var precondition)) return precondition!.ToProblem();
        var errors = new ValidationErrors();
        errors.Required("reason", request.Reason, 500);
        if (!errors.IsEmpty) return errors.ToRejection().ToProblem();
        return Stored(context, await standards.WithdrawAsync(id, request.Reason!.Trim(), request.EffectiveTo, expected, caller, ct));
    }

    private static Results<Ok<StandardDto>, ProblemHttpResult> Stored(HttpContext context, Outcome<StoredStandard> outcome)
    {
        if (outcome.Rejection is { } rejection) return rejection.ToProblem();
        Preconditions.SetETag(context, outcome.Value.RowVersion);
        return TypedResults.Ok(outcome.Value.Standard);
    }

    private static Results<Created<StandardDto>, ProblemHttpResult> Created(HttpContext context, Outcome<StoredStandard> outcome)
    {
        if (outcome.Rejection is { } rejection) return rejection.ToProblem();
        Preconditions.SetETag(context, outcome.Value.RowVersion);
        return TypedResults.Created($"/api/v1/standards/{outcome.Value.Standard.Id}", outcome.Value.Standard);
    }

    /// <summary>A partner key lists only the sectors of its agreement; other keys list everything.</summary>
    private static StandardFilter VisibleTo(HttpContext context, StandardFilter filter) =>
        PartnerGrant.AgreementOf(context) is { } agreement ? filter with { PartnerId = agreement.PartnerId } : filter;

    /// <summary>Centers read only; partners are checked against their agreement by <see cref="StandardDrafting"/>.</summary>
    private static ProblemHttpResult? RefuseDrafting(Caller caller) =>
        caller.IsAdmin || caller.IsPartner ? null
            : Rejection.Forbidden($"A key with the role '{caller.RoleName}' may read competency standards but not draft or edit them.").ToProblem();

    private static ProblemHttpResult? RefuseLifecycle(Caller caller, string verb) =>
        caller.IsAdmin ? null
            : Rejection.Forbidden($"Only an admin may {verb} a competency standard version; a key with the role '{caller.RoleName}' may not.").ToProblem();
}
