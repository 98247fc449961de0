using SkillsRegistry.Api.Features.Trainees;
using SkillsRegistry.Api.Infrastructure.OpenApi;
using System.ComponentModel.DataAnnotations;
namespace SkillsRegistry.Api.Features.Assessments;

public enum AssessmentOutcome { Passed, Failed }

public enum RowResult { Recorded, AlreadyRecorded, Rejected }

/// <summary>A batch of results from one training center. Admin must name the center it submits for.</summary>
public sealed record AssessmentBatchRequest(
    Guid? CenterId, [property: Required, MinLength(1), MaxLength(AssessmentBatchProcessor.MaxRows)] IReadOnlyList<AssessmentRowInput?>? Rows);

/// <summary>
/// One result. <c>AssessorId</c> names a registered practitioner by id or code: they must hold an assessor (or lead-assessor)
/// qualification for the standard's code, current on the exam date, and be attached to the center that day (own staff or a
/// visit). <c>SecondAssessorId</c>: a partner agency's practitioner for a joint exam. <c>ExternalRef</c> is the center's own id for it: the same center + externalRef is recorded once.
/// The trainee is named by <c>Trainee.Id</c> or by identity (national ID, or passport + nationality) with names.
/// </summary>
public sealed record AssessmentRowInput(
    [property: Required, MaxLength(100)] string? ExternalRef, [property: Required] TraineeReference? Trainee,
    [property: Required, MaxLength(32)] string? StandardCode, [property: Range(1, int.MaxValue)] int? StandardVersion,
    [property: Required] DateOnly? ExamDate, [property: Required, Range(0, 100)] decimal? TheoryScore,
    [property: Required, Range(0, 100)] decimal? PracticalScore,
    [property: MaxLength(200), NullMeans("the registered practitioner's name is recorded (free text only where unregistered assessors are allowed).")] string? AssessorName,
    [property: MaxLength(64), NullMeans("no registered assessor: the row is rejected unless Assessments:AllowUnregisteredAssessors is set.")] string? AssessorId,
    [property: MaxLength(64), NullMeans("no second assessor (required when the standard version asks for a partner assessor).")] string? SecondAssessorId = null);

/// <summary>An existing trainee by id, or a person by identity; unknown identities are registered with these names.</summary>
public sealed record TraineeReference(
    Guid? Id, string? NationalId, string? PassportNumber, string? Nationality,
    string? GivenNameFa, string? FamilyNameFa, string? GivenNameLatin, string? FamilyNameLatin,
    DateOnly? BirthDate, [property: OneOf(typeof(TraineeGender))] string? Gender, IReadOnlyList<string>? TargetGroups);

/// <summary>
/// One row's outcome. A pass by a person who already holds a valid certificate for the standard code issues none:
/// <c>CertificateId</c> stays null and <c>HeldCertificateId</c>/<c>HeldCertificateNumber</c> name the one they hold.
/// </summary>
public sealed record AssessmentRowResult(
    int Index, string? ExternalRef, RowResult Result, Guid? AssessmentId, AssessmentOutcome? Outcome,
    Guid? CertificateId, string? CertificateNumber, IDictionary<string, string[]>? Errors)
{
    public Guid? HeldCertificateId { get; init; }
    public string? HeldCertificateNumber { get; init; }
}

public sealed record AssessmentBatchResponse(
    Guid BatchId, Guid CenterId, bool SubmittedOnBehalf, int Received, int Recorded, int AlreadyRecorded, int Rejected,
    IReadOnlyList<AssessmentRowResult> Rows);

public sealed record AssessmentDto(
    Guid Id, Guid CenterId, string ExternalRef, Guid TraineeId, Guid StandardId, string StandardCode, int StandardVersion,
    DateOnly ExamDate, decimal TheoryScore, decimal PracticalScore, AssessmentOutcome Outcome, string AssessorName, string? AssessorId,
    [property: OneOf("recorded", "voided")] string Status, Guid BatchId, bool SubmittedOnBehalf, DateTimeOffset RecordedAt, DateTimeOffset? VoidedAt, string? VoidReason)
{
    /// <summary>
    /// <c>registered</c>: the assessor is the practitioner <c>AssessorPractitionerId</c>, checked when recorded; <c>legacy</c>: recorded
    /// before assessors were registered, free text as sent; <c>unregistered</c>: free text accepted by the setting.
    /// </summary>
    [OneOf("registered", "legacy", "unregistered")] public string AssessorRecord { get; init; } = "legacy";
    public Guid? AssessorPractitionerId { get; init; }
    public Guid? SecondAssessorPractitionerId { get; init; }
}

/// <summary>Settings of result submission (section <c>Assessments</c>).</summary>
public sealed class AssessmentOptions
{
    public const string Section = "Assessments";

    /// <summary>Accept rows whose assessor is free text (no registered practitioner), recorded as <c>unregistered</c>. Default false.</summary>
    public bool AllowUnregisteredAssessors { get; set; }
}

public sealed record VoidAssessmentRequest([property: Required, MaxLength(500)] string? Reason);
