using SkillsRegistry.Api.Infrastructure.Data;

namespace SkillsRegistry.Api.Features.Certificates;

/// <summary>
/// The certificate row as every reader selects it (<see cref="CertificateRow"/>): one column list and one set of joins,
/// shared by <see cref="CertificateRepository"/> and the verification repository.
/// </summary>
internal static class CertificateSql
{
    internal const string Columns = """
        c.id AS Id, c.number AS Number, c.status AS Status, c.assessment_id AS AssessmentId, c.trainee_id AS TraineeId,
               c.holder_given_name_fa AS GivenNameFa, c.holder_family_name_fa AS FamilyNameFa,
               c.holder_given_name_latin AS GivenNameLatin, c.holder_family_name_latin AS FamilyNameLatin,
               s.id AS StandardId, s.code AS StandardCode, s.version AS StandardVersion, s.title_fa AS TitleFa, s.title_en AS TitleEn,
               s.isco_code AS IscoCode, s.sector_code AS SectorCode, s.theory_hours AS TheoryHours, s.practical_hours AS PracticalHours,
               s.theory_pass_mark AS TheoryPassMark, s.practical_pass_mark AS PracticalPassMark,
               c.status_list_id AS StatusListId, c.status_index AS StatusIndex,
               t.id AS CenterId, t.code AS CenterCode, t.name_fa AS CenterNameFa, t.name_en AS CenterNameEn,
               t.province_code AS ProvinceCode, t.country AS Country,
               c.theory_score AS TheoryScore, c.practical_score AS PracticalScore, c.exam_date AS ExamDate,
               c.issued_on AS IssuedOn, c.expires_on AS ExpiresOn,
               c.revocation_reason_code AS RevocationReasonCode, c.revocation_reason AS RevocationReason, c.revoked_at AS RevokedAt,
               c.superseded_by_id AS SupersededById, n.number AS SupersededByNumber,
               c.replaces_certificate_id AS ReplacesId, c.correction_reason AS CorrectionReason,
               ca.assessor_record AS AssessorRecord, ca.assessor_name AS AssessorName, cp.code AS AssessorCode
        """;

    /// <summary>A certificate's (c) standard (s), center (t), replacement (n), assessment (ca) and registered assessor (cp).</summary>
    internal const string Joins = """
        JOIN standards s ON s.id = c.standard_id
        JOIN training_centers t ON t.id = c.center_id
        LEFT JOIN certificates n ON n.id = c.superseded_by_id
        LEFT JOIN assessments ca ON ca.id = c.assessment_id
        LEFT JOIN practitioners cp ON cp.id = ca.assessor_practitioner_id
        """;

    /// <summary>The certificate (c), its standard (s), center (t), replacement (n), assessment (ca) and registered assessor (cp).</summary>
    internal const string From = "FROM certificates c\n" + Joins;

    internal const string Select = "SELECT " + Columns + "\n" + From;

    /// <summary>Certificate rows (one issued, or a batch's); a row whose number is taken is skipped: draw another number.</summary>
    internal static readonly StreamedTable<NewCertificate> Rows = new StreamedTable<NewCertificate>("certificates",
        ("id", "Id"), ("number", "Number"), ("assessment_id", "AssessmentId"), ("trainee_id", "TraineeId"), ("standard_id", "StandardId"),
        ("center_id", "CenterId"), ("holder_given_name_fa", "GivenNameFa"), ("holder_family_name_fa", "FamilyNameFa"),
        ("holder_given_name_latin", "GivenNameLatin"), ("holder_family_name_latin", "FamilyNameLatin"), ("theory_score", "TheoryScore"),
        ("practical_score", "PracticalScore"), ("exam_date", "ExamDate"), ("issued_on", "IssuedOn"), ("issued_at", "IssuedAt"),
        ("expires_on", "ExpiresOn"), StreamedColumn.Fixed("status", "valid"), ("replaces_certificate_id", "Replaces"),
        ("correction_reason", "CorrectionReason"), ("token", "Token"), ("issued_by_key_id", "IssuedByKeyId"),
        ("status_list_id", "StatusListId"), ("status_index", "StatusIndex"))
        .SkippingConflicts("number");
}
