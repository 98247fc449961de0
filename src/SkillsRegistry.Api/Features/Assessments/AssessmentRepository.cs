using SkillsRegistry.Api.Infrastructure.Text;
using SkillsRegistry.Api.Infrastructure.Data;

namespace SkillsRegistry.Api.Features.Assessments;

public sealed record RecordedAssessment
{
    public Guid Id { get; init; }
    public string Outcome { get; init; } = "";
    public Guid? CertificateId { get; init; }
    public string? CertificateNumber { get; init; }
}

public sealed record NewAssessment(
    Guid Id, Guid CenterId, string ExternalRef, Guid TraineeId, Guid StandardId, DateOnly ExamDate, decimal TheoryScore,
    decimal PracticalScore, string Outcome, string AssessorName, string? AssessorId, Guid BatchId, Guid? SubmittedByKeyId,
    bool SubmittedOnBehalf, DateTimeOffset RecordedAt, string AssessorRecord, Guid? AssessorPractitionerId, Guid? SecondAssessorPractitionerId);

internal sealed record AssessmentRow
{
    public Guid Id { get; init; }
    public Guid CenterId { get; init; }
    public string ExternalRef { get; init; } = "";
    public Guid TraineeId { get; init; }
    public Guid StandardId { get; init; }
    public string StandardCode { get; init; } = "";
    public int StandardVersion { get; init; }
    public DateOnly ExamDate { get; init; }
    public decimal TheoryScore { get; init; }
    public decimal PracticalScore { get; init; }
    public string Outcome { get; init; } = "";
    public string AssessorName { get; init; } = "";
    public string? AssessorId { get; init; }
    public string Status { get; init; } = "";
    public Guid BatchId { get; init; }
    public bool SubmittedOnBehalf { get; init; }
    public DateTimeOffset RecordedAt { get; init; }
    public DateTimeOffset? VoidedAt { get; init; }
    public string? VoidReason { get; init; }
    public string AssessorRecord { get; init; } = "";
    public Guid? AssessorPractitionerId { get; init; }
    public Guid? SecondAssessorPractitionerId { get; init; }

    public AssessmentDto ToDto() => new(Id, CenterId, ExternalRef, TraineeId, StandardId, StandardCode, StandardVersion, ExamDate,
        TheoryScore, PracticalScore, EnumText.Parse<AssessmentOutcome>(Outcome), AssessorName, AssessorId, Status, BatchId,
        SubmittedOnBehalf, RecordedAt, VoidedAt, VoidReason)
    {
        AssessorRecord = AssessorRecord, AssessorPractitionerId = AssessorPractitionerId, SecondAssessorPractitionerId = SecondAssessorPractitionerId,
    };
}

public sealed class AssessmentRepository(Db db)
{
    private const string SelectAssessment = """
        SELECT a.id AS Id, a.center_id AS CenterId, a.external_ref AS ExternalRef, a.trainee_id AS TraineeId, a.standard_id AS StandardId,
               s.code AS StandardCode, s.version AS StandardVersion, a.exam_date AS ExamDate, a.theory_score AS TheoryScore,
               a.practical_score AS PracticalScore, a.outcome AS Outcome, a.assessor_name AS AssessorName, a.assessor_id AS AssessorId,
               a.status AS Status, a.batch_id AS BatchId, a.submitted_on_behalf AS SubmittedOnBehalf, a.recorded_at AS RecordedAt,
               a.voided_at AS VoidedAt, a.void_reason AS VoidReason, a.assessor_record AS AssessorRecord,
               a.assessor_practitioner_id AS AssessorPractitionerId, a.second_assessor_practitioner_id AS SecondAssessorPractitionerId
        FROM assessments a JOIN standards s ON s.id = a.standard_id
        WHERE a.id = @id
        """;

    private const string VoidAssessment = """
        UPDATE assessments SET status = 'voided', voided_at = @now, void_reason = @reason, voided_by_key_id = @keyId
        WHERE id = @id AND status = 'recorded'
        """;

    private const string UpdateResult = """
        UPDATE assessments SET theory_score = @theory, practical_score = @practical, exam_date = @examDate, standard_id = @standardId
        WHERE id = @id
        """;

    private const string MoveDayClaim = "UPDATE assessment_days SET exam_date = @examDate WHERE assessment_id = @id";

    public Task<AssessmentDto?> GetAsync(Guid id, CancellationToken ct) =>
        db.ReadAsync(async s => (await s.QuerySingleOrDefaultAsync<AssessmentRow>(SelectAssessment, new { id }))?.ToDto(), ct);

    public async Task<AssessmentDto?> GetAsync(DbSession s, Guid id) =>
        (await s.QuerySingleOrDefaultAsync<AssessmentRow>(SelectAssessment + s.Dialect.ForUpdate, new { id }))?.ToDto();

    public async Task<bool> MarkVoidedAsync(DbSession s, Guid id, string reason, Guid? keyId, DateTimeOffset now) =>
        await s.ExecuteAsync(VoidAssessment, new { id, reason, keyId, now }) == 1;

    /// <summary>A certificate correction changes what was assessed: the scores, the exam date, the standard version.</summary>
    public Task CorrectResultAsync(DbSession s, Guid id, decimal theory, decimal practical, DateOnly examDate, Guid standardId) =>
        s.ExecuteAsync(UpdateResult, new { id, theory, practical, examDate, standardId });

    /// <summary>Moves the assessment's claim on its (person, standard, day) to another day; false when that day is taken.</summary>
    public async Task<bool> TryMoveDayClaimAsync(DbSession s, Guid id, DateOnly examDate) =>
        await s.TryExecuteAsync(MoveDayClaim, new { id, examDate }) != ConstraintViolation.Unique;
}
