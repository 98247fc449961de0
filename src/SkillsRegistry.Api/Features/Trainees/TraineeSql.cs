namespace SkillsRegistry.Api.Features.Trainees;

/// <summary>
/// The trainee repository's SQL. Identifiers are matched by keyed hash (<c>*_hash</c>) and read encrypted (<c>*_enc</c>);
/// <c>@seeAll</c>/<c>@centerId</c> select the caller's view, including whose contact details it gets.
/// </summary>
internal static class TraineeSql
{
    internal const string Columns = """
        t.id AS Id, t.national_id_enc AS NationalIdEnc, t.passport_number_enc AS PassportNumberEnc, t.nationality AS Nationality,
        t.given_name_fa AS GivenNameFa, t.family_name_fa AS FamilyNameFa, t.given_name_latin AS GivenNameLatin,
        t.family_name_latin AS FamilyNameLatin, t.birth_date AS BirthDate, t.gender AS Gender,
        CASE WHEN @seeAll THEN t.phone ELSE own.phone END AS Phone, CASE WHEN @seeAll THEN t.email ELSE own.email END AS Email,
        t.created_at AS CreatedAt, t.updated_at AS UpdatedAt, t.row_version AS RowVersion
        """;

    /// <summary>The caller's own link (none for admin): its contact details and its right to see the person.</summary>
    internal const string OwnLink = "LEFT JOIN center_trainees own ON own.trainee_id = t.id AND own.center_id = @centerId";

    /// <summary>@seeAll (bool) for admin/system; otherwise only rows linked to @centerId.</summary>
    internal const string VisibleTo = "(@seeAll OR own.center_id IS NOT NULL)";

    internal const string ListFilter = $"""
        FROM trainees t {OwnLink}
        WHERE {VisibleTo}
          AND (@nationalIdHash IS NULL OR t.national_id_hash = @nationalIdHash)
          AND (@passportHash IS NULL OR (t.passport_number_hash = @passportHash AND t.nationality = @nationality))
          AND (@pattern IS NULL OR t.search_text LIKE @pattern ESCAPE '\')
          AND (@gender IS NULL OR t.gender = @gender)
          AND (@targetGroup IS NULL OR EXISTS (
                SELECT 1 FROM trainee_target_groups g WHERE g.trainee_id = t.id AND g.target_group_code = @targetGroup))
        """;

    internal const string PageOrder = "ORDER BY t.created_at DESC, t.id DESC LIMIT @limit OFFSET @offset";
    internal const string SelectPage = $"SELECT {Columns} {ListFilter} {PageOrder}";
    internal const string SelectCount = $"SELECT COUNT(*) {ListFilter}";
    internal const string SelectVisibleById = $"SELECT {Columns} FROM trainees t {OwnLink} WHERE t.id = @id AND {VisibleTo}";
    // Lists are not expanded the same way on both engines (Npgsql takes arrays), so target groups come by id or by page.
    internal const string SelectTargetGroupsOfPage = $"""
        SELECT trainee_id AS TraineeId, target_group_code AS Code FROM trainee_target_groups
        WHERE trainee_id IN (SELECT t.id {ListFilter} {PageOrder}) ORDER BY target_group_code
        """;
    internal const string SelectTargetGroupsOf = """
        SELECT trainee_id AS TraineeId, target_group_code AS Code FROM trainee_target_groups
        WHERE trainee_id = @id ORDER BY target_group_code
        """;
    internal const string SelectIdByNationalId = "SELECT id FROM trainees WHERE national_id_hash = @hash";
    internal const string SelectIdByPassport = "SELECT id FROM trainees WHERE passport_number_hash = @hash AND nationality = @nationality";
    internal const string SelectLinkCount = "SELECT COUNT(*) FROM center_trainees WHERE trainee_id = @traineeId";
    internal const string SelectIsGranted = "SELECT COUNT(*) FROM center_trainees WHERE center_id = @centerId AND trainee_id = @traineeId";
    internal const string SelectActiveTargetGroupsIn = "SELECT code FROM target_groups WHERE code IN @codes AND active = @active";

    internal const string InsertTrainee = """
        INSERT INTO trainees (id, national_id_hash, national_id_enc, passport_number_hash, passport_number_enc, nationality,
                              given_name_fa, family_name_fa, given_name_latin, family_name_latin, birth_date, gender, phone, email,
                              created_by_center_id, search_text, row_version, created_at, updated_at)
        VALUES (@id, @nationalIdHash, @nationalIdEnc, @passportHash, @passportEnc, @nationality,
                @givenNameFa, @familyNameFa, @givenNameLatin, @familyNameLatin, @birthDate, @gender, @phone, @email,
                @createdByCenterId, @searchText, 1, @now, @now)
        """;
    internal const string InsertTargetGroup = "INSERT INTO trainee_target_groups (trainee_id, target_group_code) VALUES (@TraineeId, @Code)";
    internal const string InsertCenterTrainee = """
        INSERT INTO center_trainees (center_id, trainee_id, phone, email) VALUES (@centerId, @traineeId, @phone, @email)
        ON CONFLICT (center_id, trainee_id) DO NOTHING
        """;
    internal const string UpdateCenterContact = """
        UPDATE center_trainees SET phone = @phone, email = @email WHERE center_id = @centerId AND trainee_id = @traineeId
        """;
    internal const string UpdateTrainee = """
        UPDATE trainees SET national_id_hash = @nationalIdHash, national_id_enc = @nationalIdEnc, passport_number_hash = @passportHash,
               passport_number_enc = @passportEnc, nationality = @nationality,
               given_name_fa = @givenNameFa, family_name_fa = @familyNameFa, given_name_latin = @givenNameLatin,
               family_name_latin = @familyNameLatin, birth_date = @birthDate, gender = @gender,
               phone = CASE WHEN @registryContact THEN @phone ELSE phone END, email = CASE WHEN @registryContact THEN @email ELSE email END,
               search_text = @searchText, updated_at = @now, row_version = row_version + 1
        WHERE id = @id AND row_version = @expected
        """;
    internal const string DeleteTargetGroups = "DELETE FROM trainee_target_groups WHERE trainee_id = @traineeId";

    // ---- The startup step that protects identifiers (TraineeIdentifierProtection) ----

    /// <summary>Clear values are those without a ciphertext; stale ones carry another key id (@prefix) in front of the ciphertext.</summary>
    internal const string SelectUnprotected = """
        SELECT id AS Id, national_id_hash AS NationalIdHash, national_id_enc AS NationalIdEnc, passport_number_hash AS PassportHash,
               passport_number_enc AS PassportEnc, nationality AS Nationality
        FROM trainees
        WHERE (national_id_hash IS NOT NULL AND (national_id_enc IS NULL OR substr(national_id_enc, 1, @prefixLength) <> @prefix))
           OR (passport_number_hash IS NOT NULL AND (passport_number_enc IS NULL OR substr(passport_number_enc, 1, @prefixLength) <> @prefix))
        ORDER BY id LIMIT @limit
        """;

    internal const string UpdateProtected = """
        UPDATE trainees SET national_id_hash = @nationalIdHash, national_id_enc = @nationalIdEnc,
               passport_number_hash = @passportHash, passport_number_enc = @passportEnc
        WHERE id = @id
        """;
}
