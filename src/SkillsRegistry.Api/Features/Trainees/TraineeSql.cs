using SkillsRegistry.Api.Infrastructure.Data;

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

    internal static readonly StreamedTable<NewTraineeRow> Rows = new("trainees",
        ("id", "Id"), ("national_id_hash", "NationalIdHash"), ("national_id_enc", "NationalIdEnc"), ("passport_number_hash", "PassportHash"),
        ("passport_number_enc", "PassportEnc"), ("nationality", "Nationality"), ("given_name_fa", "GivenNameFa"), ("family_name_fa", "FamilyNameFa"),
        ("given_name_latin", "GivenNameLatin"), ("family_name_latin", "FamilyNameLatin"), ("birth_date", "BirthDate"), ("gender", "Gender"),
        ("phone", "Phone"), ("email", "Email"), ("created_by_center_id", "CreatedByCenterId"), ("search_text", "SearchText"),
        StreamedColumn.Fixed("row_version", 1), ("created_at", "Now"), ("updated_at", "Now"));
    internal static readonly StreamedTable<TargetGroupRow> TargetGroupRows = new("trainee_target_groups", ("trainee_id", "TraineeId"), ("target_group_code", "Code"));
    // Insert-if-absent: a center already linked keeps its link.
    internal static readonly StreamedTable<CenterLinkRow> CenterLinks = new StreamedTable<CenterLinkRow>("center_trainees",
        ("center_id", "CenterId"), ("trainee_id", "TraineeId"), ("phone", "Phone"), ("email", "Email")).SkippingConflicts("center_id", "trainee_id");
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
    private const string Unprotected = """
        (national_id_hash IS NOT NULL AND (national_id_enc IS NULL OR substr(national_id_enc, 1, @prefixLength) <> @prefix))
           OR (passport_number_hash IS NOT NULL AND (passport_number_enc IS NULL OR substr(passport_number_enc, 1, @prefixLength) <> @prefix))
        """;

    internal const string SelectUnprotected = $"""
        SELECT id AS Id, national_id_hash AS NationalIdHash, national_id_enc AS NationalIdEnc, passport_number_hash AS PassportHash,
               passport_number_enc AS PassportEnc, nationality AS Nationality
        FROM trainees
        WHERE {Unprotected}
        ORDER BY id LIMIT @limit
        """;

    internal const string CountUnprotected = $"SELECT COUNT(*) FROM trainees WHERE {Unprotected}";

    /// <summary>A chunk's re-protected identifiers, the table <see cref="UpdateProtected"/> reads them from.</summary>
    internal static readonly StreamedTable<ReprotectedIdentifiers> Reprotected = new("reprotected",
        ("id", "Id"), ("national_id_hash", "NationalIdHash"), ("national_id_enc", "NationalIdEnc"),
        ("passport_number_hash", "PassportHash"), ("passport_number_enc", "PassportEnc"));

    /// <summary>Sets every row of the chunk from its own values in one statement (UPDATE ... FROM: PostgreSQL, SQLite 3.33+).</summary>
    internal const string UpdateProtected = """
        UPDATE trainees SET national_id_hash = r.national_id_hash, national_id_enc = r.national_id_enc,
               passport_number_hash = r.passport_number_hash, passport_number_enc = r.passport_number_enc
        FROM reprotected r
        WHERE trainees.id = r.id
        """;
}
