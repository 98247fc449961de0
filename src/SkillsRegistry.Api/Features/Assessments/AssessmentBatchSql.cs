using SkillsRegistry.Api.Features.Trainees;
using SkillsRegistry.Api.Infrastructure.Data;

namespace SkillsRegistry.Api.Features.Assessments;

/// <summary>
/// The set-based ingest's SQL: one statement per kind of fact for the whole batch. <c>IN @name</c> lists are expanded to
/// numbered parameters (<see cref="Infrastructure.Data.SetStatements.ExpandList"/>); inserts go to tables described as
/// <see cref="StreamedTable{T}"/>, as multi-row INSERTs skipping conflicting rows
/// (<see cref="Infrastructure.Data.SetStatements.InsertRowsAsync"/>), or streamed where no row can conflict
/// (<see cref="Infrastructure.Data.SetStatements.CopyRowsAsync"/>).
/// </summary>
internal static class AssessmentBatchSql
{
    // Serialises batches of one center: externalRefs and exam days are per center, so a batch's look-ups stay true until it commits.
    internal const string LockCenter = "SELECT id FROM training_centers WHERE id = @centerId";

    internal const string SelectRecordedByExternalRefs = """
        SELECT a.external_ref AS ExternalRef, a.id AS Id, a.outcome AS Outcome, c.id AS CertificateId, c.number AS CertificateNumber
        FROM assessments a
        LEFT JOIN certificates c ON c.assessment_id = a.id AND c.replaces_certificate_id IS NULL
        WHERE a.center_id = @centerId AND a.external_ref IN @refs
        """;

    private const string TraineeFacts = """
        id AS Id, national_id_hash AS NationalIdHash, passport_number_hash AS PassportHash, nationality AS Nationality,
        given_name_fa AS GivenNameFa, family_name_fa AS FamilyNameFa, given_name_latin AS GivenNameLatin,
        family_name_latin AS FamilyNameLatin, birth_date AS BirthDate
        """;

    internal const string SelectTraineesByNationalIdHash = $"SELECT {TraineeFacts} FROM trainees WHERE national_id_hash IN @hashes";
    internal const string SelectTraineesByPassportHash = $"SELECT {TraineeFacts} FROM trainees WHERE passport_number_hash IN @hashes";
    internal const string SelectTraineesById = $"SELECT {TraineeFacts} FROM trainees WHERE id IN @ids";

    internal const string SelectLinked = "SELECT trainee_id FROM center_trainees WHERE center_id = @centerId AND trainee_id IN @ids";

    // In id order, so two batches locking overlapping people take the locks in the same order.
    internal const string LockTrainees = "SELECT id FROM trainees WHERE id IN @ids ORDER BY id";

    internal const string SelectSameDays = """
        SELECT d.trainee_id AS TraineeId, d.standard_code AS StandardCode, d.exam_date AS ExamDate,
               a.id AS AssessmentId, a.external_ref AS ExternalRef
        FROM assessment_days d JOIN assessments a ON a.id = d.assessment_id
        WHERE d.center_id = @centerId AND d.trainee_id IN @ids
        """;

    internal const string SelectHeld = """
        SELECT c.trainee_id AS TraineeId, s.code AS StandardCode, c.id AS Id, c.number AS Number
        FROM certificates c JOIN standards s ON s.id = c.standard_id
        WHERE c.trainee_id IN @ids AND c.status = 'valid' AND (c.expires_on IS NULL OR c.expires_on >= @today)
        ORDER BY c.issued_at, c.id
        """;

    internal const string SelectActiveTargetGroups = "SELECT code FROM target_groups WHERE active = @active";

    internal const string SelectExistingTrainees = "SELECT id FROM trainees WHERE id IN @ids";
    internal const string SelectExistingCertificates = "SELECT id FROM certificates WHERE id IN @ids";

    // A person registered meanwhile by another writer is skipped; the batch reads who was inserted.
    internal static readonly StreamedTable<NewTraineeRow> TraineeRows = TraineeSql.Rows.SkippingConflicts();

    internal static readonly StreamedTable<NewAssessment> AssessmentRows = new("assessments",
        ("id", "Id"), ("center_id", "CenterId"), ("external_ref", "ExternalRef"), ("trainee_id", "TraineeId"), ("standard_id", "StandardId"),
        ("exam_date", "ExamDate"), ("theory_score", "TheoryScore"), ("practical_score", "PracticalScore"), ("outcome", "Outcome"),
        ("assessor_name", "AssessorName"), ("assessor_id", "AssessorId"), StreamedColumn.Fixed("status", "recorded"), ("batch_id", "BatchId"),
        ("submitted_by_key_id", "SubmittedByKeyId"), ("submitted_on_behalf", "SubmittedOnBehalf"), ("recorded_at", "RecordedAt"),
        ("assessor_record", "AssessorRecord"), ("assessor_practitioner_id", "AssessorPractitionerId"),
        ("second_assessor_practitioner_id", "SecondAssessorPractitionerId"));

    internal static readonly StreamedTable<AssessmentDayRow> DayRows = new("assessment_days",
        ("center_id", "CenterId"), ("trainee_id", "TraineeId"), ("standard_code", "StandardCode"), ("exam_date", "ExamDate"),
        ("assessment_id", "AssessmentId"));

    // A block of positions of the newest list, when the whole block fits; otherwise certificates take positions one by one.
    internal const string UpdateTakePositions = """
        UPDATE status_lists SET next_position = next_position + @count
        WHERE id = (SELECT MAX(id) FROM status_lists) AND next_position + @count <= size
        RETURNING id AS ListId, next_position - @count AS First, index_key AS IndexKey
        """;

}
