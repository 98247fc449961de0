namespace SkillsRegistry.Api.Features.Assessments;

public enum AssessmentOutcome { Passed, Failed }

public enum RowResult { Recorded, AlreadyRecorded, Rejected }

/// <summary>A batch of results from one training center. Admin must name the center it submits for.</summary>
public sealed record AssessmentBatchRequest(Guid? CenterId, IReadOnlyList<AssessmentRowInput?>? Rows);

/// <summary>
/// One result. <c>ExternalRef</c> is the center's own id for it: the same center + externalRef is recorded once.
/// The trainee is named by <c>Trainee.Id</c> or by identity (national ID, or passport + nationality) with names.
/// </summary>
public sealed record AssessmentRowInput(
    string? ExternalRef, TraineeReference? Trainee, string? StandardCode, int? StandardVersion, DateOnly? ExamDate,
    decimal? TheoryScore, decimal? PracticalScore, string? AssessorName, string? AssessorId);

/// <summary>An existing trainee by id, or a person by identity; unknown identities are registered with these names.</summary>
public sealed record TraineeReference(
    Guid? Id, string? NationalId, string? PassportNumber, string? Nationality,
    string? GivenNameFa, string? FamilyNameFa, string? GivenNameLatin, string? FamilyNameLatin,
    DateOnly? BirthDate, string? Gender, IReadOnlyList<string>? TargetGroups);

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
    string Status, Guid BatchId, bool SubmittedOnBehalf, DateTimeOffset RecordedAt, DateTimeOffset? VoidedAt, string? VoidReason);

public sealed record VoidAssessmentRequest(string? Reason);
