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
               c.replaces_certificate_id AS ReplacesId, c.correction_reason AS CorrectionReason
        """;

    /// <summary>A certificate's (c) standard (s), center (t) and replacement (n).</summary>
    internal const string Joins = """
        JOIN standards s ON s.id = c.standard_id
        JOIN training_centers t ON t.id = c.center_id
        LEFT JOIN certificates n ON n.id = c.superseded_by_id
        """;

    /// <summary>The certificate (c), its standard (s), center (t) and replacement (n).</summary>
    internal const string From = "FROM certificates c\n" + Joins;

    internal const string Select = "SELECT " + Columns + "\n" + From;

    /// <summary>One certificate row; also the template of the batch's multi-row insert.</summary>
    internal const string Insert = """
        INSERT INTO certificates (id, number, assessment_id, trainee_id, standard_id, center_id,
            holder_given_name_fa, holder_family_name_fa, holder_given_name_latin, holder_family_name_latin,
            theory_score, practical_score, exam_date, issued_on, issued_at, expires_on, status,
            replaces_certificate_id, correction_reason, token, issued_by_key_id, status_list_id, status_index)
        VALUES (@Id, @Number, @AssessmentId, @TraineeId, @StandardId, @CenterId,
            @GivenNameFa, @FamilyNameFa, @GivenNameLatin, @FamilyNameLatin,
            @TheoryScore, @PracticalScore, @ExamDate, @IssuedOn, @IssuedAt, @ExpiresOn, 'valid',
            @Replaces, @CorrectionReason, @Token, @IssuedByKeyId, @StatusListId, @StatusIndex)
        ON CONFLICT (number) DO NOTHING
        """;
}
