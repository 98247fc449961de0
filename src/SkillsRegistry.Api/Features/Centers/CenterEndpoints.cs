using SkillsRegistry.Api.Infrastructure.OpenApi;
using Microsoft.AspNetCore.Http.HttpResults;
using SkillsRegistry.Api.Infrastructure.Text;
using SkillsRegistry.Api.Infrastructure.Auth;
using SkillsRegistry.Api.Infrastructure.Http;
using SkillsRegistry.Api.Infrastructure.Outcomes;
using SkillsRegistry.Api.Infrastructure.Problems;

namespace SkillsRegistry.Api.Features.Centers;

/// <summary>
/// Training centers, their licences (with status history) and their scope. Admin keys do everything; a center key reads only
/// its own center and may change only its own contact details; partner keys have no access yet.
/// </summary>
public static class CenterEndpoints
{
    public static IServiceCollection AddCenters(this IServiceCollection services) =>
        services.AddSingleton<CenterRepository>();

    public static RouteGroupBuilder MapCenters(this IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("/centers")
            .WithTags("Training centers")
            .RequireAuthorization(Policies.AdminOrCenter);
        // Changes to the register itself: admin only (both policies apply, so a center key gets 403).
        var admin = group.MapGroup("").RequireAuthorization(Policies.Admin);

        admin.MapPost("/", CreateCenter)
            .WithName("CreateCenter")
            .SendsHeader(201, ContractHeaders.ETag)
            .WithSummary("Register a training center")
            .WithDescription("Centers in Iran name their province (ISO 3166-2:IR); a foreign center names its country (ISO 3166-1 alpha-2) " +
                             "and region instead. A partner-run center names its partner agency. The code is permanent and unique.")
            .ProducesProblem(StatusCodes.Status409Conflict);
        group.MapGet("/", ListCenters)
            .WithName("ListCenters")
            .WithSummary("List training centers")
            .WithDescription("Filters: kind, province, code, status (licence status today: active, suspended, revoked, expired, unlicensed) " +
                             "and q (names, code and city; Arabic and Persian letter forms match). With Accept: text/csv the whole " +
                             "filtered list comes as CSV. A center key sees only its own center.");
        group.MapGet("/export.csv", ExportCenters)
            .WithName("ExportCentersCsv")
            .WithSummary("Export training centers as CSV")
            .WithDescription("The same filters as ListCenters, every match (no paging); UTF-8 with a byte-order mark.")
            .Produces(StatusCodes.Status200OK, typeof(string), "text/csv");
        group.MapGet("/{id:guid}", GetCenter)
            .WithName("GetCenter")
            .SendsHeader(200, ContractHeaders.ETag)
            .WithSummary("Get a training center with its licence status, licence history and scope")
            .ProducesProblem(StatusCodes.Status404NotFound);
        admin.MapPut("/{id:guid}", UpdateCenter)
            .WithName("UpdateCenter")
            .WithSummary("Replace a training center's descriptive fields")
            .WithDescription("Every field except the code. Send If-Match with the ETag of your last read.")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed)
            .ProducesProblem(StatusCodes.Status428PreconditionRequired);
        group.MapPatch("/{id:guid}/contact", UpdateCenterContact)
            .WithName("UpdateCenterContact")
            .WithSummary("Change a training center's address, phone or e-mail")
            .WithDescription("Admin, or the center's own key. A field left out keeps its value; an empty string clears it. Send If-Match.")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed)
            .ProducesProblem(StatusCodes.Status428PreconditionRequired);

        group.MapGet("/{id:guid}/licences", ListCenterLicences)
            .WithName("ListCenterLicences")
            .WithSummary("List a center's licences, each with its status history")
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/{id:guid}/licences/{licenceId:guid}", GetCenterLicence)
            .WithName("GetCenterLicence")
            .WithSummary("Get one licence with its status history")
            .ProducesProblem(StatusCodes.Status404NotFound);
        admin.MapPost("/{id:guid}/licences", CreateCenterLicence)
            .WithName("CreateCenterLicence")
            .WithSummary("Issue a licence to a center")
            .WithDescription("The licence is active from validFrom; validTo null means open-ended. After validTo it is expired.")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        admin.MapPost("/{id:guid}/licences/{licenceId:guid}/status", ChangeCenterLicenceStatus)
            .WithName("ChangeCenterLicenceStatus")
            .WithSummary("Record a licence status change (active, suspended, revoked) from a date")
            .WithDescription("Appends to the licence's history; nothing earlier is edited. effectiveFrom defaults to today and must fall " +
                             "within the licence period. A revoked licence cannot change again.")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);

        group.MapGet("/{id:guid}/scope", ListCenterScope)
            .WithName("ListCenterScope")
            .WithSummary("List the standards a center may assess, each with its period")
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/{id:guid}/scope/{scopeId:guid}", GetCenterScopeEntry)
            .WithName("GetCenterScopeEntry")
            .WithSummary("Get one scope entry")
            .ProducesProblem(StatusCodes.Status404NotFound);
        admin.MapPost("/{id:guid}/scope", AddCenterScope)
            .WithName("AddCenterScope")
            .WithSummary("Add a standard to a center's scope for a period")
            .WithDescription("standardCode is a competency standard's code (any version). Periods for the same code may not overlap.")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        admin.MapPost("/{id:guid}/scope/{scopeId:guid}/end", EndCenterScope)
            .WithName("EndCenterScope")
            .WithSummary("End a scope entry on a date")
            .WithDescription("validTo is the last day the center may assess the standard. An end date can be brought forward, not moved later.")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        return group;
    }

    // ---- Centers ----

    private static async Task<Results<Created<CenterDetailDto>, ProblemHttpResult>> CreateCenter(
        CreateCenterRequest request, Caller caller, CenterRepository centers, HttpContext http, CancellationToken ct)
    {
        var errors = CenterValidation.ValidateCreate(request, out var code, out var fields);
        if (!errors.IsEmpty) return errors.ToRejection().ToProblem();
        var outcome = await centers.CreateAsync(code, fields!, caller, ct);
        if (outcome.Rejection is { } rejection) return rejection.ToProblem();
        var created = outcome.Value;
        Preconditions.SetETag(http, created.Version);
        return TypedResults.Created($"/api/v1/centers/{created.Value.Id}", created.Value);
    }

    private static async Task<Results<Ok<Page<CenterDto>>, CsvResult<CenterDto>, ProblemHttpResult>> ListCenters(
        int? page, int? pageSize, [OneOf(typeof(CenterKind))] string? kind, string? province, string? code, [OneOf(typeof(CenterLicenceStatus))] string? status, string? q,
        Caller caller, CenterRepository centers, HttpContext http, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        var filter = Filter(errors, kind, province, code, status, q, caller);
        var (p, size, offset) = Paging.Normalize(page, pageSize, errors);
        if (!errors.IsEmpty) return errors.ToRejection().ToProblem();
        if (Csv.Requested(http)) return ToCsv(await centers.ExportAsync(filter, ct));
        return TypedResults.Ok(await centers.ListAsync(filter, p, size, offset, ct));
    }

    private static async Task<Results<CsvResult<CenterDto>, ProblemHttpResult>> ExportCenters(
        [OneOf(typeof(CenterKind))] string? kind, string? province, string? code, [OneOf(typeof(CenterLicenceStatus))] string? status, string? q, Caller caller, CenterRepository centers, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        var filter = Filter(errors, kind, province, code, status, q, caller);
        if (!errors.IsEmpty) return errors.ToRejection().ToProblem();
        return ToCsv(await centers.ExportAsync(filter, ct));
    }

    private static CenterFilter Filter(ValidationErrors errors, string? kind, string? province, string? code, string? status, string? q, Caller caller)
    {
        string? kindText = null, statusText = null;
        if (!string.IsNullOrWhiteSpace(kind) && errors.OneOf<CenterKind>("kind", kind, out var k)) kindText = EnumText.ToText(k);
        if (!string.IsNullOrWhiteSpace(status) && errors.OneOf<CenterLicenceStatus>("status", status, out var st)) statusText = EnumText.ToText(st);
        errors.MaxLength("q", q, 200);
        var pattern = string.IsNullOrWhiteSpace(q) || PersianText.NormalizeForSearch(q).Length == 0 ? null : PersianText.ContainsPattern(q);
        return new CenterFilter(kindText, CenterValidation.NormalizeProvince(province),
            string.IsNullOrWhiteSpace(code) ? null : CenterValidation.NormalizeCode(code), statusText, pattern,
            caller.IsAdmin ? null : caller.CenterId ?? Guid.Empty);
    }

    private static readonly CsvColumn<CenterDto>[] CsvColumns =
    [
        new("code", c => c.Code), new("kind", c => EnumText.ToText(c.Kind)), new("nameFa", c => c.NameFa), new("nameEn", c => c.NameEn),
        new("provinceCode", c => c.ProvinceCode), new("country", c => c.Country), new("region", c => c.Region), new("city", c => c.City),
        new("address", c => c.Address), new("phone", c => c.Phone), new("email", c => c.Email), new("partnerId", c => c.PartnerId),
        new("licenceStatus", c => EnumText.ToText(c.LicenceStatus)), new("id", c => c.Id),
    ];

    private static CsvResult<CenterDto> ToCsv(IReadOnlyList<CenterDto> rows) => new(rows, CsvColumns, "training-centers.csv");

    private static async Task<Results<Ok<CenterDetailDto>, ProblemHttpResult>> GetCenter(
        Guid id, Caller caller, CenterRepository centers, HttpContext http, CancellationToken ct)
    {
        if (Refuse(caller, id) is { } refused) return refused;
        var center = await centers.GetAsync(id, ct);
        if (center is null) return Rejection.NotFound($"No training center has id {id}.").ToProblem();
        Preconditions.SetETag(http, center.Version);
        return TypedResults.Ok(center.Value);
    }

    private static async Task<Results<Ok<CenterDetailDto>, ProblemHttpResult>> UpdateCenter(
        Guid id, UpdateCenterRequest request, Caller caller, CenterRepository centers, HttpContext http, CancellationToken ct)
    {
        if (!Preconditions.TryGetExpectedVersion(http, out var expected, out var precondition)) return precondition!.ToProblem();
        var errors = CenterValidation.ValidateUpdate(request, out var fields);
        if (!errors.IsEmpty) return errors.ToRejection().ToProblem();
        return Respond(await centers.UpdateAsync(id, expected, fields!, caller, ct), http);
    }

    private static async Task<Results<Ok<CenterDetailDto>, ProblemHttpResult>> UpdateCenterContact(
        Guid id, UpdateCenterContactRequest request, Caller caller, CenterRepository centers, HttpContext http, CancellationToken ct)
    {
        if (Refuse(caller, id) is { } refused) return refused;
        if (!Preconditions.TryGetExpectedVersion(http, out var expected, out var precondition)) return precondition!.ToProblem();
        var errors = CenterValidation.ValidateContactPatch(request, out var patch);
        if (!errors.IsEmpty) return errors.ToRejection().ToProblem();
        return Respond(await centers.UpdateContactAsync(id, expected, patch!, caller, ct), http);
    }

    private static Results<Ok<CenterDetailDto>, ProblemHttpResult> Respond(Outcome<Versioned<CenterDetailDto>> outcome, HttpContext http)
    {
        if (outcome.Rejection is { } rejection) return rejection.ToProblem();
        Preconditions.SetETag(http, outcome.Value.Version);
        return TypedResults.Ok(outcome.Value.Value);
    }

    /// <summary>A center key may act only for its own center; admin keys for any. Partner keys never reach here (group policy).</summary>
    private static ProblemHttpResult? Refuse(Caller caller, Guid centerId) =>
        caller.ActsForCenter(centerId) ? null : Rejection.Forbidden("A center key may only read or change its own training center.").ToProblem();

    // ---- Licences ----

    private static async Task<Results<Ok<Page<LicenceDto>>, ProblemHttpResult>> ListCenterLicences(
        Guid id, int? page, int? pageSize, Caller caller, CenterRepository centers, CancellationToken ct)
    {
        if (Refuse(caller, id) is { } refused) return refused;
        var errors = new ValidationErrors();
        var (p, size, offset) = Paging.Normalize(page, pageSize, errors);
        if (!errors.IsEmpty) return errors.ToRejection().ToProblem();
        var licences = await centers.ListLicencesAsync(id, ct);
        return licences is null ? Rejection.NotFound($"No training center has id {id}.").ToProblem() : TypedResults.Ok(Paging.Slice(licences, p, size, offset));
    }

    private static async Task<Results<Ok<LicenceDto>, ProblemHttpResult>> GetCenterLicence(
        Guid id, Guid licenceId, Caller caller, CenterRepository centers, CancellationToken ct)
    {
        if (Refuse(caller, id) is { } refused) return refused;
        var licence = await centers.GetLicenceAsync(id, licenceId, ct);
        return licence is null ? Rejection.NotFound($"Training center {id} has no licence {licenceId}.").ToProblem() : TypedResults.Ok(licence);
    }

    private static async Task<Results<Created<LicenceDto>, ProblemHttpResult>> CreateCenterLicence(
        Guid id, CreateLicenceRequest request, Caller caller, CenterRepository centers, CancellationToken ct)
    {
        var errors = CenterValidation.ValidateLicence(request, out var licence);
        if (!errors.IsEmpty) return errors.ToRejection().ToProblem();
        var outcome = await centers.CreateLicenceAsync(id, licence!, caller, ct);
        if (outcome.Rejection is { } rejection) return rejection.ToProblem();
        return TypedResults.Created($"/api/v1/centers/{id}/licences/{outcome.Value.Id}", outcome.Value);
    }

    private static async Task<Results<Ok<LicenceDto>, ProblemHttpResult>> ChangeCenterLicenceStatus(
        Guid id, Guid licenceId, ChangeLicenceStatusRequest request, Caller caller, CenterRepository centers, TimeProvider clock, CancellationToken ct)
    {
        var errors = CenterValidation.ValidateStatusChange(request, RegistryCalendar.Today(clock), out var change);
        if (!errors.IsEmpty) return errors.ToRejection().ToProblem();
        return Respond(await centers.ChangeLicenceStatusAsync(id, licenceId, change!, caller, ct));
    }

    // ---- Scope ----

    private static async Task<Results<Ok<Page<ScopeEntryDto>>, ProblemHttpResult>> ListCenterScope(
        Guid id, int? page, int? pageSize, Caller caller, CenterRepository centers, CancellationToken ct)
    {
        if (Refuse(caller, id) is { } refused) return refused;
        var errors = new ValidationErrors();
        var (p, size, offset) = Paging.Normalize(page, pageSize, errors);
        if (!errors.IsEmpty) return errors.ToRejection().ToProblem();
        var scope = await centers.ListScopeAsync(id, ct);
        return scope is null ? Rejection.NotFound($"No training center has id {id}.").ToProblem() : TypedResults.Ok(Paging.Slice(scope, p, size, offset));
    }

    private static async Task<Results<Ok<ScopeEntryDto>, ProblemHttpResult>> GetCenterScopeEntry(
        Guid id, Guid scopeId, Caller caller, CenterRepository centers, CancellationToken ct)
    {
        if (Refuse(caller, id) is { } refused) return refused;
        var entry = await centers.GetScopeEntryAsync(id, scopeId, ct);
        return entry is null ? Rejection.NotFound($"Training center {id} has no scope entry {scopeId}.").ToProblem() : TypedResults.Ok(entry);
    }

    private static async Task<Results<Created<ScopeEntryDto>, ProblemHttpResult>> AddCenterScope(
        Guid id, AddScopeRequest request, Caller caller, CenterRepository centers, CancellationToken ct)
    {
        var errors = CenterValidation.ValidateScope(request, out var entry);
        if (!errors.IsEmpty) return errors.ToRejection().ToProblem();
        var outcome = await centers.AddScopeAsync(id, entry!, caller, ct);
        if (outcome.Rejection is { } rejection) return rejection.ToProblem();
        return TypedResults.Created($"/api/v1/centers/{id}/scope/{outcome.Value.Id}", outcome.Value);
    }

    private static async Task<Results<Ok<ScopeEntryDto>, ProblemHttpResult>> EndCenterScope(
        Guid id, Guid scopeId, EndScopeRequest request, Caller caller, CenterRepository centers, CancellationToken ct)
    {
        var errors = CenterValidation.ValidateEndScope(request);
        if (!errors.IsEmpty) return errors.ToRejection().ToProblem();
        return Respond(await centers.EndScopeAsync(id, scopeId, request.ValidTo!.Value, request.Reason!.Trim(), caller, ct));
    }

    private static Results<Ok<T>, ProblemHttpResult> Respond<T>(Outcome<T> outcome) =>
        outcome.Rejection is { } rejection ? rejection.ToProblem() : TypedResults.Ok(outcome.Value);
}
