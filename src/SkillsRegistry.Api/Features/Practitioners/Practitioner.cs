using System.ComponentModel.DataAnnotations;
using SkillsRegistry.Api.Features.Trainees;
using SkillsRegistry.Api.Infrastructure.OpenApi;

namespace SkillsRegistry.Api.Features.Practitioners;

/// <summary>What a qualification lets its holder do for a standard code. A lead assessor may assess too.</summary>
public enum QualificationKind { Instructor, Assessor, LeadAssessor }

/// <summary>
/// Where a qualification comes from: the holder's own valid certificate in this registry for the code, a partner agency's
/// accreditation (in its sectors, while its agreement is in force), or a decision of the registry (admin) with a reason.
/// </summary>
public enum QualificationSource { Certificate, PartnerAccreditation, AdminDecision }

/// <summary>
/// Registers a practitioner: the person (the same identity rules as trainees — one person, one record), an optional code
/// (generated when left out) and the home organisation: exactly one of a training center or a partner agency.
/// </summary>
public sealed record CreatePractitionerRequest(
    [property: Required] TraineeIdentityInput? Person,
    [property: MaxLength(PractitionerValidation.CodeMaxLength), NullMeans("the registry assigns a code (PR- and 8 characters).")] string? Code,
    [property: NullMeans("the home organisation is a partner agency (homePartnerId), or the calling center itself.")] Guid? HomeCenterId,
    [property: NullMeans("the home organisation is a training center (homeCenterId), or the calling partner itself.")] Guid? HomePartnerId);

/// <summary>A qualification for one standard code. <c>validTo</c> null: open-ended (a partner's accreditation ends with its agreement).</summary>
public sealed record AddQualificationRequest(
    [property: Required, MaxLength(32)] string? StandardCode,
    [property: Required, OneOf(typeof(QualificationKind))] string? Kind,
    [property: Required, OneOf(typeof(QualificationSource))] string? Source,
    [property: NullMeans("the source is not a certificate.")] Guid? CertificateId,
    [property: MaxLength(500), NullMeans("no reason (required for an admin decision).")] string? Reason,
    [property: Required] DateOnly? ValidFrom,
    [property: NullMeans("open-ended (for a partner's accreditation: until its agreement ends).")] DateOnly? ValidTo);

/// <summary>Withdraws a qualification from <c>effectiveFrom</c> (default today); <c>forCause</c> marks a withdrawal for misconduct or incompetence.</summary>
public sealed record WithdrawQualificationRequest(
    [property: Required, MaxLength(500)] string? Reason, [property: Required] bool? ForCause,
    [property: NullMeans("today (Tehran).")] DateOnly? EffectiveFrom);

/// <summary>A refresher course the practitioner completed: a code or a title (or both), hours, the day, and who gave it.</summary>
public sealed record AddRefresherCourseRequest(
    [property: MaxLength(64), NullMeans("no course code; give a title.")] string? CourseCode,
    [property: MaxLength(300), NullMeans("no title; give a course code.")] string? Title,
    [property: Required, Range(0.5, 1000)] decimal? Hours,
    [property: Required] DateOnly? CompletedOn,
    [property: NullMeans("the provider is a partner agency, or the calling center itself.")] Guid? ProviderCenterId,
    [property: NullMeans("the provider is a training center, or the calling partner itself.")] Guid? ProviderPartnerId);

/// <summary>A practitioner's visit to a training center, first and last day included: they may assess there on those days.</summary>
public sealed record AddVisitRequest([property: Required] Guid? CenterId, [property: Required] DateOnly? FirstDay, [property: Required] DateOnly? LastDay);

/// <summary>A home organisation or a provider: a training center or a partner agency.</summary>
public sealed record OrganisationDto([property: OneOf("center", "partner")] string Kind, Guid Id, string Code, string NameFa, string NameEn);

public sealed record QualificationDto(
    Guid Id, string StandardCode, QualificationKind Kind, QualificationSource Source, Guid? CertificateId, Guid? PartnerId, string? Reason,
    DateOnly ValidFrom, DateOnly? ValidTo, DateOnly? WithdrawnFrom, string? WithdrawalReason, bool WithdrawnForCause,
    bool InForceToday, bool CurrentToday, DateTimeOffset CreatedAt);

public sealed record RefresherCourseDto(
    Guid Id, string? CourseCode, string? Title, decimal Hours, DateOnly CompletedOn, OrganisationDto Provider, DateTimeOffset CreatedAt);

public sealed record VisitDto(Guid Id, Guid CenterId, string CenterCode, DateOnly FirstDay, DateOnly LastDay, string RecordedByRole, DateTimeOffset CreatedAt);

/// <summary>
/// A practitioner: the person (identity as trainees show it to admins and centers that may see them), the code, the home
/// organisation, contact details, qualifications (each says whether it is in force and current today), refresher
/// courses and visits.
/// </summary>
public sealed record PractitionerDto(
    Guid Id, string Code, Guid PersonId, string? NationalId, string? PassportNumber, string? Nationality,
    string GivenNameFa, string FamilyNameFa, string GivenNameLatin, string FamilyNameLatin, OrganisationDto Home,
    string? Phone, string? Email, IReadOnlyList<QualificationDto> Qualifications, IReadOnlyList<RefresherCourseDto> RefresherCourses,
    IReadOnlyList<VisitDto> Visits, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

/// <summary>One line of the practitioner list (no identifiers): who, the code and the home organisation.</summary>
public sealed record PractitionerSummaryDto(
    Guid Id, string Code, Guid PersonId, string GivenNameFa, string FamilyNameFa, string GivenNameLatin, string FamilyNameLatin,
    OrganisationDto Home, DateTimeOffset CreatedAt);

/// <summary>List filters, validated: <c>Q</c> names or code, <c>StandardCode</c> holders of a qualification for it.</summary>
public sealed record PractitionerQuery(string? Q, string? StandardCode, Guid? HomeCenterId, Guid? HomePartnerId);
