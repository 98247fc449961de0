using SkillsRegistry.Api.Infrastructure.OpenApi;
using Microsoft.AspNetCore.Http.HttpResults;
using SkillsRegistry.Api.Infrastructure.Text;
using SkillsRegistry.Api.Infrastructure.Audit;
using SkillsRegistry.Api.Infrastructure.Auth;
using SkillsRegistry.Api.Infrastructure.Hosting;
using SkillsRegistry.Api.Infrastructure.Http;
using SkillsRegistry.Api.Infrastructure.Outcomes;
using SkillsRegistry.Api.Infrastructure.Problems;

namespace SkillsRegistry.Api.Features.Trainees;

/// <summary>Endpoints for trainees: one person, one record, identified by national ID or passport + nationality.</summary>
public static class TraineeEndpoints
{
    private const string Visibility =
        "An admin sees every trainee; a center key sees the trainees linked to it — those it registered, and those it " +
        "identified in full (national ID or passport + nationality, birth date and family name) when registering or assessing " +
        "them. Any other trainee is 404 to it. Partner keys get 403.";

    public static IServiceCollection AddTrainees(this IServiceCollection services) =>
        services.AddSingleton<TraineeRepository>().AddSingleton<TraineeRegistration>().AddSingleton<PersonalDataReads>().AddSingleton<IDataSeeder, TraineeIdentifierProtection>();

    public static RouteGroupBuilder MapTrainees(this IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("/trainees")
            .WithTags("Trainees")
            .RequireAuthorization(Policies.AdminOrCenter);

        group.MapPost("/", CreateTrainee)
            .WithName("CreateTrainee")
            .SendsHeader(201, ContractHeaders.ETag)
            .WithSummary("Register a trainee")
            .WithDescription(
                "Registers a person once. Identity: nationalId (10 digits with its check digit; Persian/Arabic-Indic digits, " +
                "spaces and dashes accepted) for Iranian nationals, or passportNumber + nationality (ISO 3166-1 alpha-2, not IR) " +
                "for foreign nationals — exactly one of the two. A center key registering a trainee may see them from then on.\n\n" +
                "**One person, one record.** When the identity is already registered: for an admin, or a center already linked to " +
                "the person, the answer is 409 with a `Location` header and `existingId`/`location` extensions pointing to the record. " +
                "A center not yet linked is linked (200, `Location` of the record) only when it identifies the person in full, as the " +
                "civil registry does: national ID (or passport number + nationality) **and** birth date **and** family name (Persian " +
                "or Latin; letter forms, ZWNJ and case do not matter). Otherwise the answer is 422 `Identity not confirmed`, worded " +
                "the same whatever differed. A linked center sees the identity and the contact details it supplied itself: phone " +
                "and e-mail are kept per center. Two simultaneous creates of the same person give one 201 and one 409/200.")
            .Produces<TraineeDto>(StatusCodes.Status200OK)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        group.MapGet("/", ListTrainees)
            .WithName("ListTrainees")
            .WithSummary("List or look up trainees")
            .WithDescription(
                "Look-up by identity: `nationalId` (Persian digits accepted), or `passportNumber` with `nationality`. Filters: " +
                "`q` (given/family names in Persian or Latin; Arabic ي/ك, ZWNJ and case do not matter), `targetGroup`, `gender`. " +
                "Newest first. With `Accept: text/csv` every match (up to " + ExportLimit + ") comes as CSV. Every response that " +
                "names persons is recorded in the audit log (action `read`). " + Visibility)
            .Produces(StatusCodes.Status200OK, typeof(string), "text/csv");
        group.MapGet("/{id:guid}", GetTrainee)
            .WithName("GetTrainee")
            .SendsHeader(200, ContractHeaders.ETag)
            .WithSummary("Get a trainee")
            .WithDescription("The ETag header is the version to send in If-Match when updating. Phone and e-mail are the ones the " +
                             "caller supplied (a center's own, or the registry's for an admin). Each read is audited. " + Visibility)
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPut("/{id:guid}", UpdateTrainee)
            .WithName("UpdateTrainee")
            .WithSummary("Update a trainee's names, birth date, gender, target groups and contact")
            .WithDescription(
                "Send every field (a full replacement); If-Match with the ETag from your last GET is required (428 without it, " +
                "412 when the trainee changed since). nationalId/passportNumber/nationality may be omitted (kept) or repeated " +
                "unchanged; changing them is a correction only an admin may make (403 for a center; 409 when another trainee holds " +
                "the new identity). Names, birth date and gender of a person known to more than one center change only through an " +
                "admin too (409 for a center). Phone and e-mail are the caller's own: a center changes only its copy. When an admin " +
                "corrects a name, every valid certificate of the person is re-issued as a correction carrying the corrected names " +
                "(new number, new QR token; the old one superseded, certificate.superseded and certificate.issued webhooks). " +
                Visibility)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status428PreconditionRequired);
        return group;
    }

    public static string LocationOf(Guid id) => $"/api/v1/trainees/{id}";

    private const int ExportLimit = 10_000;

    private static readonly CsvColumn<TraineeDto>[] CsvColumns =
    [
        new("id", t => t.Id), new("nationalId", t => t.NationalId), new("passportNumber", t => t.PassportNumber),
        new("nationality", t => t.Nationality), new("givenNameFa", t => t.GivenNameFa), new("familyNameFa", t => t.FamilyNameFa),
        new("givenNameLatin", t => t.GivenNameLatin), new("familyNameLatin", t => t.FamilyNameLatin), new("birthDate", t => t.BirthDate),
        new("gender", t => EnumText.ToText(t.Gender)), new("targetGroups", t => string.Join(' ', t.TargetGroups)),
        new("phone", t => t.Phone), new("email", t => t.Email),
    ];

    private static async Task<Results<Created<TraineeDto>, Ok<TraineeDto>, ProblemHttpResult>> CreateTrainee(
        TraineeIdentityInput request, Caller caller, TraineeRegistration registration, TimeProvider clock, HttpContext http, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        var trainee = TraineeValidation.Validate(request, Today(clock), errors);
        if (trainee is null) return errors.ToRejection().ToProblem();
        var outcome = await registration.CreateAsync(trainee, caller, ct);
        if (outcome.Rejection is { } rejection) return Refused(rejection, http);
        var created = outcome.Value.Trainee;
        if (outcome.Value.Linked)
        {
            Preconditions.SetETag(http, created.RowVersion);
            http.Response.Headers.Location = LocationOf(created.Id);
            return TypedResults.Ok(created);
        }
        Preconditions.SetETag(http, created.RowVersion);
        return TypedResults.Created(LocationOf(created.Id), created);
    }

    private static async Task<Results<Ok<Page<TraineeDto>>, CsvResult<TraineeDto>, ProblemHttpResult>> ListTrainees(
        int? page, int? pageSize, string? q, string? nationalId, string? passportNumber, string? nationality,
        string? targetGroup, [OneOf(typeof(TraineeGender))] string? gender, Caller caller, TraineeRepository trainees, PersonalDataReads reads, HttpContext http, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        var (p, size, offset) = Paging.Normalize(page, pageSize, errors);
        var query = ParseQuery(q, nationalId, passportNumber, nationality, targetGroup, gender, errors);
        if (!errors.IsEmpty) return errors.ToRejection().ToProblem();
        if (Csv.Requested(http))
        {
            var all = await trainees.ListAsync(query, caller, 1, ExportLimit, 0, ct);
            await reads.RecordAsync(caller, "ExportTrainees", all.Items.Select(t => t.Id).ToList(), ct);
            return new CsvResult<TraineeDto>(all.Items, CsvColumns, "trainees.csv");
        }
        var result = await trainees.ListAsync(query, caller, p, size, offset, ct);
        await reads.RecordAsync(caller, "ListTrainees", result.Items.Select(t => t.Id).ToList(), ct);
        return TypedResults.Ok(result);
    }

    private static async Task<Results<Ok<TraineeDto>, ProblemHttpResult>> GetTrainee(
        Guid id, Caller caller, TraineeRepository trainees, PersonalDataReads reads, HttpContext http, CancellationToken ct)
    {
        var trainee = await trainees.GetAsync(id, caller, ct);
        if (trainee is null) return NotFound(id);
        await reads.RecordAsync(caller, "GetTrainee", [id], ct);
        Preconditions.SetETag(http, trainee.RowVersion);
        return TypedResults.Ok(trainee);
    }

    private static async Task<Results<Ok<TraineeDto>, ProblemHttpResult>> UpdateTrainee(
        Guid id, TraineeIdentityInput request, Caller caller, TraineeRegistration registration, TimeProvider clock, HttpContext http, CancellationToken ct)
    {
        if (!Preconditions.TryGetExpectedVersion(http, out var expected, out var precondition)) return precondition!.ToProblem();
        var errors = new ValidationErrors();
        var trainee = TraineeValidation.Validate(request, Today(clock), errors, "", identityRequired: false);
        if (trainee is null) return errors.ToRejection().ToProblem();
        var outcome = await registration.UpdateAsync(id, expected, trainee, caller, ct);
        if (outcome.Rejection is { } rejection) return Refused(rejection, http);
        Preconditions.SetETag(http, outcome.Value.RowVersion);
        return TypedResults.Ok(outcome.Value);
    }

    private static TraineeQuery ParseQuery(string? q, string? nationalId, string? passportNumber, string? nationality,
        string? targetGroup, string? gender, ValidationErrors errors)
    {
        string? normalizedNationalId = null, passport = null, country = null;
        if (!string.IsNullOrWhiteSpace(nationalId))
        {
            if (NationalId.TryNormalize(nationalId, out var n, out var error)) normalizedNationalId = n;
            else errors.Add("nationalId", error);
        }
        if (!string.IsNullOrWhiteSpace(passportNumber) || !string.IsNullOrWhiteSpace(nationality))
        {
            passport = TraineeValidation.TryNormalizePassport(passportNumber, out var passportError);
            if (passport is null) errors.Add("passportNumber", passportError);
            country = TraineeValidation.NormalizeNationality(nationality, errors, "nationality");
        }
        errors.MaxLength("q", q, 100);
        TraineeGender? parsedGender = null;
        if (!string.IsNullOrWhiteSpace(gender) && errors.OneOf<TraineeGender>("gender", gender.Trim(), out var g)) parsedGender = g;
        var group = string.IsNullOrWhiteSpace(targetGroup) ? null : targetGroup.Trim().ToLowerInvariant();
        return new TraineeQuery(normalizedNationalId, passport, country, string.IsNullOrWhiteSpace(q) ? null : q, group, parsedGender);
    }

    /// <summary>
    /// The problem for a refused write. An identity already registered to a record the caller may see carries its location
    /// (also as the Location header).
    /// </summary>
    private static ProblemHttpResult Refused(Rejection rejection, HttpContext http)
    {
        if (rejection.Kind == RejectionKind.Conflict && rejection.Extensions?.GetValueOrDefault("location") is string location)
            http.Response.Headers.Location = location;
        return rejection.ToProblem();
    }

    private static ProblemHttpResult NotFound(Guid id) => TraineeRegistration.NotVisible(id).ToProblem();

    private static DateOnly Today(TimeProvider clock) => RegistryCalendar.Today(clock);
}
