using Microsoft.AspNetCore.Http.HttpResults;
using SkillsRegistry.Api.Features.Partners;
using SkillsRegistry.Api.Infrastructure.Audit;
using SkillsRegistry.Api.Infrastructure.Auth;
using SkillsRegistry.Api.Infrastructure.Http;
using SkillsRegistry.Api.Infrastructure.OpenApi;
using SkillsRegistry.Api.Infrastructure.Outcomes;
using SkillsRegistry.Api.Infrastructure.Problems;
using SkillsRegistry.Api.Infrastructure.Text;

namespace SkillsRegistry.Api.Features.Practitioners;

/// <summary>
/// Practitioners — the people who train and assess — with their qualifications per standard code, refresher courses and
/// visits to other centers. Results name a registered assessor by practitioner id or code (see the assessment batch).
/// </summary>
public static class PractitionerEndpoints
{
    private const string Visibility =
        "An admin sees every practitioner; a center key its own staff and the practitioners with a visit recorded at it; a " +
        "partner key (while its agreement is in force) its own people. Anyone else is 404 to the key.";

    public static IServiceCollection AddPractitioners(this IServiceCollection services) =>
        services.AddSingleton<PractitionerRepository>().AddSingleton<PractitionerRegistry>().AddSingleton<ForCauseReviewRepository>();

    public static RouteGroupBuilder MapPractitioners(this IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("/practitioners")
            .WithTags("Practitioners")
            .RequireAuthorization(Policies.AnyKey)
            .RequirePartnerAgreementInForce();

        group.MapPost("/", CreatePractitioner)
            .WithName("CreatePractitioner")
            .WithSummary("Register a practitioner (an instructor or assessor)")
            .WithDescription(
                "The person is identified as trainees are (nationalId, or passportNumber + nationality, with names, birth date and " +
                "gender): a person already registered — as a trainee or otherwise — is the same person, and counts only when the " +
                "identifier, birth date and family name all match (otherwise 422 `Identity not confirmed`); an unknown person is " +
                "registered. One practitioner per person (409 with the existing record's location when the caller may see it). " +
                "Home organisation: a center key registers its own staff, a partner key its own people; an admin names " +
                "homeCenterId or homePartnerId. The code is generated when left out. " + Visibility)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        group.MapGet("/", ListPractitioners)
            .WithName("ListPractitioners")
            .WithSummary("List practitioners")
            .WithDescription("Filters: `q` (names in Persian or Latin, or code), `standardCode` (holders of a qualification for it), " +
                             "`homeCenterId`, `homePartnerId`. Newest first. With `Accept: text/csv` every match (up to " + ExportLimit +
                             ") comes as CSV. Every response that names persons is recorded in the audit log. " + Visibility)
            .AlsoAnswersCsv();
        group.MapGet("/for-cause-review", ListForCauseReview)
            .WithName("ListForCauseReview")
            .WithSummary("Certificates to review after an assessor's qualification was withdrawn for cause")
            .WithDescription(
                "One item per certificate and withdrawn qualification: the result's assessor (assessorRole assessor) or second assessor " +
                "(second-assessor) held an assessor or lead-assessor qualification for the standard code whose period (validFrom to validTo) " +
                "covers the exam date, and it was later withdrawn with forCause true. Every result assessed under that qualification is " +
                "listed, also those before the withdrawal's effective day, since a withdrawal for cause casts doubt on all of them. " +
                "Nothing is revoked: the list is for review, and a certificate keeps its status until someone decides otherwise. " +
                "Newest withdrawals first. No trainee names; the assessors are named by practitioner code, so each response is " +
                "recorded in the audit log. With `Accept: text/csv` every item (up to " + ExportLimit + ") comes as CSV. " +
                "An admin sees all; a center key the certificates it issued; a partner key (while its agreement is in force) those " +
                "of standard versions it co-authored and those under its own accreditations.")
            .AlsoAnswersCsv();
        group.MapGet("/{id:guid}", GetPractitioner)
            .WithName("GetPractitioner")
            .WithSummary("Get a practitioner with qualifications, refresher courses and visits")
            .WithDescription("Each qualification says whether it is in force today and current today (in force, and the refresher " +
                             "hours the standard's version in force asks for were done in the period ending today). Each read is audited. " + Visibility)
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPost("/{id:guid}/qualifications", AddQualification)
            .WithName("AddPractitionerQualification")
            .WithSummary("Qualify a practitioner for a standard code")
            .WithDescription(
                "kind: instructor, assessor or lead-assessor. source: `certificate` (a center or admin; certificateId must be the " +
                "practitioner's own valid certificate for the code on validFrom), `partner-accreditation` (a partner key, for standards " +
                "in its agreement's sectors while the agreement is in force — outside them 404 as for standards, after it ended 403; " +
                "it ends at the latest with the agreement), or `admin-decision` (admin, with a reason). validFrom and validTo are the " +
                "first and last day included. " + Visibility)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        group.MapPost("/{id:guid}/qualifications/{qualificationId:guid}/withdraw", WithdrawQualification)
            .WithName("WithdrawPractitionerQualification")
            .WithSummary("Withdraw a qualification, for cause or not")
            .WithDescription("From effectiveFrom (default today) the qualification no longer counts; results recorded before are " +
                             "kept. forCause marks a withdrawal for misconduct or incompetence. An admin withdraws any qualification, " +
                             "a partner its own accreditations, a center the certificate-based ones of its staff.")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        group.MapPost("/{id:guid}/refresher-courses", AddRefresherCourse)
            .WithName("AddPractitionerRefresherCourse")
            .WithSummary("Record a refresher course a practitioner completed")
            .WithDescription("The provider is the calling center or partner agency (an admin names it). A standard version may ask its " +
                             "assessors for refresher hours within a period (refresherHours, refresherMonths). " + Visibility)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        group.MapPost("/{id:guid}/visits", AddVisit)
            .WithName("AddPractitionerVisit")
            .WithSummary("Record a practitioner's visit to a training center")
            .WithDescription("On the days of a visit (first and last included) the practitioner is attached to the center and may " +
                             "assess its results. Recorded by an admin, by the host center (the key of centerId), by the " +
                             "practitioner's home center or by their partner agency: the exchange of instructors between partners.")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        return group;
    }

    public static string LocationOf(Guid id) => $"/api/v1/practitioners/{id}";

    private const int ExportLimit = 10_000;

    private static readonly CsvColumn<PractitionerSummaryDto>[] CsvColumns =
    [
        new("id", p => p.Id), new("code", p => p.Code), new("personId", p => p.PersonId), new("givenNameFa", p => p.GivenNameFa),
        new("familyNameFa", p => p.FamilyNameFa), new("givenNameLatin", p => p.GivenNameLatin), new("familyNameLatin", p => p.FamilyNameLatin),
        new("homeKind", p => p.Home.Kind), new("homeId", p => p.Home.Id), new("homeCode", p => p.Home.Code),
    ];

    private static async Task<Results<Created<PractitionerDto>, ProblemHttpResult>> CreatePractitioner(
        CreatePractitionerRequest request, Caller caller, PractitionerRegistry registry, TimeProvider clock, HttpContext http, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        var valid = PractitionerValidation.Validate(request, RegistryCalendar.Today(clock), errors);
        if (valid is null) return errors.ToRejection().ToProblem();
        var outcome = await registry.CreateAsync(valid, caller, ct);
        if (outcome.Rejection is { } rejection)
        {
            if (rejection.Extensions?.GetValueOrDefault("location") is string location) http.Response.Headers.Location = location;
            return rejection.ToProblem();
        }
        return TypedResults.Created(LocationOf(outcome.Value.Id), outcome.Value);
    }

    private static async Task<Results<Ok<Page<PractitionerSummaryDto>>, CsvResult<PractitionerSummaryDto>, ProblemHttpResult>> ListPractitioners(
        int? page, int? pageSize, string? q, string? standardCode, Guid? homeCenterId, Guid? homePartnerId,
        Caller caller, PractitionerRepository practitioners, PersonalDataReads reads, HttpContext http, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        var (p, size, offset) = Paging.Normalize(page, pageSize, errors);
        errors.MaxLength("q", q, 100);
        errors.MaxLength("standardCode", standardCode, 32);
        if (!errors.IsEmpty) return errors.ToRejection().ToProblem();
        var query = new PractitionerQuery(string.IsNullOrWhiteSpace(q) ? null : q,
            string.IsNullOrWhiteSpace(standardCode) ? null : Standards.StandardValidation.NormalizeCode(standardCode), homeCenterId, homePartnerId);
        if (Csv.Requested(http))
        {
            var all = await practitioners.ListAsync(query, caller, 1, ExportLimit, 0, ct);
            await reads.RecordAsync(caller, "ExportPractitioners", all.Items.Select(x => x.PersonId).ToList(), ct);
            return new CsvResult<PractitionerSummaryDto>(all.Items, CsvColumns, "practitioners.csv");
        }
        var result = await practitioners.ListAsync(query, caller, p, size, offset, ct);
        await reads.RecordAsync(caller, "ListPractitioners", result.Items.Select(x => x.PersonId).ToList(), ct);
        return TypedResults.Ok(result);
    }

    private static readonly CsvColumn<ForCauseReviewItemDto>[] ReviewCsvColumns =
    [
        new("certificateId", r => r.CertificateId), new("certificateNumber", r => r.CertificateNumber), new("status", r => EnumText.ToText(r.Status)),
        new("standardCode", r => r.StandardCode), new("standardVersion", r => r.StandardVersion), new("examDate", r => r.ExamDate),
        new("centerId", r => r.Center.Id), new("centerCode", r => r.Center.Code), new("assessorRole", r => r.AssessorRole),
        new("practitionerId", r => r.PractitionerId), new("practitionerCode", r => r.PractitionerCode), new("qualificationId", r => r.QualificationId),
        new("qualificationValidFrom", r => r.QualificationValidFrom), new("qualificationValidTo", r => r.QualificationValidTo),
        new("withdrawnFrom", r => r.WithdrawnFrom), new("withdrawalReason", r => r.WithdrawalReason),
    ];

    private static async Task<Results<Ok<Page<ForCauseReviewItemDto>>, CsvResult<ForCauseReviewItemDto>, ProblemHttpResult>> ListForCauseReview(
        int? page, int? pageSize, Caller caller, ForCauseReviewRepository review, PersonalDataReads reads, HttpContext http, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        var (p, size, offset) = Paging.Normalize(page, pageSize, errors);
        if (!errors.IsEmpty) return errors.ToRejection().ToProblem();
        if (Csv.Requested(http))
        {
            var (all, named) = await review.ListAsync(caller, 1, ExportLimit, 0, ct);
            await reads.RecordAsync(caller, "ExportForCauseReview", named, ct);
            return new CsvResult<ForCauseReviewItemDto>(all.Items, ReviewCsvColumns, "for-cause-review.csv");
        }
        var (result, persons) = await review.ListAsync(caller, p, size, offset, ct);
        await reads.RecordAsync(caller, "ListForCauseReview", persons, ct);
        return TypedResults.Ok(result);
    }

    private static async Task<Results<Ok<PractitionerDto>, ProblemHttpResult>> GetPractitioner(
        Guid id, Caller caller, PractitionerRepository practitioners, PersonalDataReads reads, CancellationToken ct)
    {
        if (await practitioners.GetAsync(id, caller, ct) is not { } practitioner) return PractitionerRegistry.NotVisible(id).ToProblem();
        await reads.RecordAsync(caller, "GetPractitioner", [practitioner.PersonId], ct);
        return TypedResults.Ok(practitioner);
    }

    private static async Task<Results<Created<PractitionerDto>, ProblemHttpResult>> AddQualification(
        Guid id, AddQualificationRequest request, Caller caller, PractitionerRegistry registry, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        var valid = PractitionerValidation.Validate(request, errors);
        if (valid is null) return errors.ToRejection().ToProblem();
        return Answer(await registry.AddQualificationAsync(id, valid, caller, ct));
    }

    private static async Task<Results<Ok<PractitionerDto>, ProblemHttpResult>> WithdrawQualification(
        Guid id, Guid qualificationId, WithdrawQualificationRequest request, Caller caller, PractitionerRegistry registry, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        errors.Required("reason", request.Reason, 500);
        if (request.ForCause is null) errors.Add("forCause", "Required: true when withdrawn for misconduct or incompetence, false otherwise.");
        if (!errors.IsEmpty) return errors.ToRejection().ToProblem();
        var outcome = await registry.WithdrawQualificationAsync(id, qualificationId, request.Reason!.Trim(), request.ForCause!.Value, request.EffectiveFrom, caller, ct);
        return outcome.Rejection is { } rejection ? rejection.ToProblem() : TypedResults.Ok(outcome.Value);
    }

    private static async Task<Results<Created<PractitionerDto>, ProblemHttpResult>> AddRefresherCourse(
        Guid id, AddRefresherCourseRequest request, Caller caller, PractitionerRegistry registry, TimeProvider clock, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        var valid = PractitionerValidation.Validate(request, RegistryCalendar.Today(clock), errors);
        if (valid is null) return errors.ToRejection().ToProblem();
        return Answer(await registry.AddRefresherCourseAsync(id, valid, caller, ct));
    }

    private static async Task<Results<Created<PractitionerDto>, ProblemHttpResult>> AddVisit(
        Guid id, AddVisitRequest request, Caller caller, PractitionerRegistry registry, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        PractitionerValidation.Validate(request, errors);
        if (!errors.IsEmpty) return errors.ToRejection().ToProblem();
        return Answer(await registry.AddVisitAsync(id, request.CenterId!.Value, request.FirstDay!.Value, request.LastDay!.Value, caller, ct));
    }

    /// <summary>A record added to a practitioner: 201 with the practitioner as it now is.</summary>
    private static Results<Created<PractitionerDto>, ProblemHttpResult> Answer(Outcome<PractitionerDto> outcome) =>
        outcome.Rejection is { } rejection ? rejection.ToProblem() : TypedResults.Created(LocationOf(outcome.Value.Id), outcome.Value);
}
