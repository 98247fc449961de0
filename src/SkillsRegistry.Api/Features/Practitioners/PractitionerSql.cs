namespace SkillsRegistry.Api.Features.Practitioners;

/// <summary>
/// The practitioner repository's SQL. The person's names and (encrypted) identifiers are the trainees row's: a
/// practitioner is a role of a registered person. <c>@seeAll</c>/<c>@centerId</c>/<c>@partnerId</c> select the caller's view.
/// </summary>
internal static class PractitionerSql
{
    private const string Columns = """
        p.id AS Id, p.code AS Code, p.person_id AS PersonId, t.national_id_enc AS NationalIdEnc, t.passport_number_enc AS PassportNumberEnc,
        t.nationality AS Nationality, t.given_name_fa AS GivenNameFa, t.family_name_fa AS FamilyNameFa, t.given_name_latin AS GivenNameLatin,
        t.family_name_latin AS FamilyNameLatin, p.home_center_id AS HomeCenterId, p.home_partner_id AS HomePartnerId,
        COALESCE(c.code, pa.code) AS HomeCode, COALESCE(c.name_fa, pa.name_fa) AS HomeNameFa, COALESCE(c.name_en, pa.name_en) AS HomeNameEn,
        p.phone AS Phone, p.email AS Email, p.created_at AS CreatedAt, p.updated_at AS UpdatedAt
        """;

    private const string From = """
        FROM practitioners p JOIN trainees t ON t.id = p.person_id
        LEFT JOIN training_centers c ON c.id = p.home_center_id LEFT JOIN partner_agencies pa ON pa.id = p.home_partner_id
        """;

    /// <summary>Admin: everyone; a center: its own staff and those with a visit recorded at it; a partner: its own people.</summary>
    private const string VisibleTo = """
        (@seeAll OR p.home_center_id = @centerId OR p.home_partner_id = @partnerId
         OR EXISTS (SELECT 1 FROM practitioner_visits v WHERE v.practitioner_id = p.id AND v.center_id = @centerId))
        """;

    private const string Filter = $"""
        {From} WHERE {VisibleTo}
          AND (@pattern IS NULL OR t.search_text LIKE @pattern ESCAPE '\' OR p.code LIKE @pattern ESCAPE '\')
          AND (@homeCenterId IS NULL OR p.home_center_id = @homeCenterId)
          AND (@homePartnerId IS NULL OR p.home_partner_id = @homePartnerId)
          AND (@standardCode IS NULL OR EXISTS (
                SELECT 1 FROM practitioner_qualifications q WHERE q.practitioner_id = p.id AND q.standard_code = @standardCode))
        """;

    internal const string SelectPage = $"SELECT {Columns} {Filter} ORDER BY p.created_at DESC, p.id DESC LIMIT @limit OFFSET @offset";
    internal const string SelectCount = $"SELECT COUNT(*) {Filter}";
    internal const string SelectVisibleById = $"SELECT {Columns} {From} WHERE p.id = @id AND {VisibleTo}";
    internal const string SelectIdByPerson = "SELECT id FROM practitioners WHERE person_id = @personId";
    internal const string SelectCodeTaken = "SELECT COUNT(*) FROM practitioners WHERE code = @code";

    internal const string SelectQualifications = """
        SELECT id AS Id, standard_code AS StandardCode, kind AS Kind, source AS Source, certificate_id AS CertificateId, partner_id AS PartnerId,
               reason AS Reason, valid_from AS ValidFrom, valid_to AS ValidTo, withdrawn_from AS WithdrawnFrom,
               withdrawal_reason AS WithdrawalReason, withdrawn_for_cause AS WithdrawnForCause, created_at AS CreatedAt
        FROM practitioner_qualifications WHERE practitioner_id = @id ORDER BY standard_code, valid_from, id
        """;

    internal const string SelectRefresherCourses = """
        SELECT r.id AS Id, r.course_code AS CourseCode, r.title AS Title, r.hours AS Hours, r.completed_on AS CompletedOn,
               r.provider_center_id AS ProviderCenterId, r.provider_partner_id AS ProviderPartnerId,
               COALESCE(c.code, pa.code) AS ProviderCode, COALESCE(c.name_fa, pa.name_fa) AS ProviderNameFa,
               COALESCE(c.name_en, pa.name_en) AS ProviderNameEn, r.created_at AS CreatedAt
        FROM refresher_courses r LEFT JOIN training_centers c ON c.id = r.provider_center_id
        LEFT JOIN partner_agencies pa ON pa.id = r.provider_partner_id
        WHERE r.practitioner_id = @id ORDER BY r.completed_on DESC, r.id
        """;

    internal const string SelectVisits = """
        SELECT v.id AS Id, v.center_id AS CenterId, c.code AS CenterCode, v.first_day AS FirstDay, v.last_day AS LastDay,
               v.recorded_by_role AS RecordedByRole, v.created_at AS CreatedAt
        FROM practitioner_visits v JOIN training_centers c ON c.id = v.center_id
        WHERE v.practitioner_id = @id ORDER BY v.first_day DESC, v.id
        """;

    /// <summary>What the version of each code in force on @on asks of assessors.</summary>
    internal const string SelectRequirementsInForce = """
        SELECT code AS Code, refresher_hours AS RefresherHours, refresher_months AS RefresherMonths, requires_partner_assessor AS RequiresPartnerAssessor
        FROM standards
        WHERE code IN @codes AND status <> 'draft' AND effective_from <= @on AND (effective_to IS NULL OR effective_to >= @on)
        """;

    internal const string SelectQualification = """
        SELECT id AS Id, source AS Source, partner_id AS PartnerId, valid_from AS ValidFrom, withdrawn_from AS WithdrawnFrom
        FROM practitioner_qualifications WHERE id = @qualificationId AND practitioner_id = @id
        """;

    /// <summary>The holder's own certificate for the code, valid (not revoked, superseded or expired) on @on.</summary>
    internal const string SelectOwnValidCertificate = """
        SELECT COUNT(*) FROM certificates c JOIN standards s ON s.id = c.standard_id
        WHERE c.id = @certificateId AND c.trainee_id = @personId AND s.code = @code AND c.status = 'valid'
          AND (c.expires_on IS NULL OR c.expires_on >= @on)
        """;

    internal const string SelectCenterExists = "SELECT COUNT(*) FROM training_centers WHERE id = @id";
    internal const string SelectPartnerExists = "SELECT COUNT(*) FROM partner_agencies WHERE id = @id";

    internal const string InsertPractitioner = """
        INSERT INTO practitioners (id, code, person_id, home_center_id, home_partner_id, phone, email, row_version, created_at, updated_at)
        VALUES (@id, @code, @personId, @homeCenterId, @homePartnerId, @phone, @email, 1, @now, @now)
        """;

    internal const string InsertQualification = """
        INSERT INTO practitioner_qualifications (id, practitioner_id, standard_code, kind, source, certificate_id, partner_id, reason,
                                                 valid_from, valid_to, withdrawn_for_cause, created_at)
        VALUES (@id, @practitionerId, @standardCode, @kind, @source, @certificateId, @partnerId, @reason, @validFrom, @validTo, @forCause, @now)
        """;

    internal const string UpdateWithdrawQualification = """
        UPDATE practitioner_qualifications SET withdrawn_from = @from, withdrawal_reason = @reason, withdrawn_for_cause = @forCause
        WHERE id = @qualificationId AND withdrawn_from IS NULL
        """;

    internal const string InsertRefresherCourse = """
        INSERT INTO refresher_courses (id, practitioner_id, course_code, title, hours, completed_on, provider_center_id, provider_partner_id, created_at)
        VALUES (@id, @practitionerId, @courseCode, @title, @hours, @completedOn, @providerCenterId, @providerPartnerId, @now)
        """;

    internal const string InsertVisit = """
        INSERT INTO practitioner_visits (id, practitioner_id, center_id, first_day, last_day, recorded_by_role, created_at)
        VALUES (@id, @practitionerId, @centerId, @firstDay, @lastDay, @role, @now)
        """;

    internal const string UpdateTouch = "UPDATE practitioners SET updated_at = @now, row_version = row_version + 1 WHERE id = @id";

    // ---- The batch's assessor check: two statements for the whole batch ----

    /// <summary>The practitioners a batch names, by id or by code.</summary>
    internal const string SelectAssessors = """
        SELECT p.id AS Id, p.code AS Code, p.home_center_id AS HomeCenterId, p.home_partner_id AS HomePartnerId,
               t.given_name_fa AS GivenNameFa, t.family_name_fa AS FamilyNameFa, t.given_name_latin AS GivenNameLatin,
               t.family_name_latin AS FamilyNameLatin
        FROM practitioners p JOIN trainees t ON t.id = p.person_id
        WHERE p.id IN @ids OR p.code IN @codes
        """;

    /// <summary>
    /// Their assessor qualifications, refresher courses and visits to @centerId, in one list: <c>Fact</c> says which
    /// (q / r / v); <c>FromDay</c>/<c>ToDay</c> are the valid dates, the completion day or the visit's days.
    /// </summary>
    internal const string SelectAssessorFacts = """
        SELECT 'q' AS Fact, q.practitioner_id AS PractitionerId, q.standard_code AS StandardCode, q.valid_from AS FromDay,
               q.valid_to AS ToDay, q.withdrawn_from AS WithdrawnFrom, CAST(NULL AS numeric) AS Hours
        FROM practitioner_qualifications q WHERE q.practitioner_id IN @ids AND q.kind IN ('assessor', 'lead-assessor')
        UNION ALL
        SELECT 'r', r.practitioner_id, NULL, r.completed_on, r.completed_on, CAST(NULL AS date), r.hours
        FROM refresher_courses r WHERE r.practitioner_id IN @ids
        UNION ALL
        SELECT 'v', v.practitioner_id, NULL, v.first_day, v.last_day, CAST(NULL AS date), CAST(NULL AS numeric)
        FROM practitioner_visits v WHERE v.practitioner_id IN @ids AND v.center_id = @centerId
        """;
}
