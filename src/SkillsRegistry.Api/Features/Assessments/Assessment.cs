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
/// One result. <c>ExternalRef</c> is the center's own id for it: the same center + externalRef is recorded once.
/// The trainee is named by <c>Trainee.Id</c> or by identity (national ID, or passport + nationality) with names.
/// </summary>
public sealed record AssessmentRowInput(
    [property: Required, MaxLength(100)] string? ExternalRef, [property: Required] TraineeReference? Trainee,
    [property: Required, MaxLength(32)] string? StandardCode, [property: Range(1, int.MaxValue)] int? StandardVersion,
    [property: Required] DateOnly? ExamDate, [property: Required, Range(0, 100)] decimal? TheoryScore,
    [property: Required, Range(0, 100)] decimal? PracticalScore, [property: Required, MaxLength(200)] string? AssessorName,
    [property: MaxLength(64)] string? AssessorId);

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
    [property: OneOf("recorded", "voided")] string Status, Guid BatchId, bool SubmittedOnBehalf, DateTimeOffset RecordedAt, DateTimeOffset? VoidedAt, string? VoidReason);

public sealed record VoidAssessmentRequest([property: Required, MaxLength(500)] string? Reason);
