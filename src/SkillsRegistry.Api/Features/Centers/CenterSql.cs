namespace SkillsRegistry.Api.Features.Centers;

/// <summary>The statements of training centers, their licences and their scope (one text for both dialects).</summary>
internal static class CenterSql
{
    // ---- Centers ----

    internal const string CenterColumns = """
        c.id AS Id, c.code AS Code, c.kind AS Kind, c.name_fa AS NameFa, c.name_en AS NameEn, c.province_code AS ProvinceCode,
        c.country AS Country, c.region AS Region, c.city AS City, c.address AS Address, c.phone AS Phone, c.email AS Email,
        c.partner_id AS PartnerId, c.row_version AS RowVersion, c.created_at AS CreatedAt, c.updated_at AS UpdatedAt
        """;

    /// <summary>
    /// Each center's licence status on @today, mirroring <see cref="LicenceEvaluation"/>: per licence not-yet-valid / expired /
    /// its latest status change on or before the date; per center the best of active, suspended, revoked, expired, else unlicensed.
    /// </summary>
    internal const string LicenceStatusToday = """
        WITH licence_state AS (
            SELECT l.center_id AS center_id,
                   CASE WHEN l.valid_from > @today THEN 'not-yet-valid'
                        WHEN l.valid_to IS NOT NULL AND l.valid_to < @today THEN 'expired'
                        ELSE COALESCE((SELECT x.status FROM licence_status_changes x
                                       WHERE x.licence_id = l.id AND x.effective_from <= @today
                                       ORDER BY x.effective_from DESC, x.recorded_at DESC, x.id DESC LIMIT 1), 'not-yet-valid')
                   END AS state
            FROM center_licences l
        ),
        center_state AS (
            SELECT center_id,
                   CASE WHEN SUM(CASE WHEN state = 'active' THEN 1 ELSE 0 END) > 0 THEN 'active'
                        WHEN SUM(CASE WHEN state = 'suspended' THEN 1 ELSE 0 END) > 0 THEN 'suspended'
                        WHEN SUM(CASE WHEN state = 'revoked' THEN 1 ELSE 0 END) > 0 THEN 'revoked'
                        WHEN SUM(CASE WHEN state = 'expired' THEN 1 ELSE 0 END) > 0 THEN 'expired'
                        ELSE 'unlicensed' END AS licence_status
            FROM licence_state GROUP BY center_id
        )
        """;

    internal const string FilteredCenters = """
        FROM training_centers c LEFT JOIN center_state cs ON cs.center_id = c.id
        WHERE (@Kind IS NULL OR c.kind = @Kind)
          AND (@Province IS NULL OR c.province_code = @Province)
          AND (@Code IS NULL OR c.code = @Code)
          AND (@Status IS NULL OR COALESCE(cs.licence_status, 'unlicensed') = @Status)
          AND (@Pattern IS NULL OR c.search_text LIKE @Pattern ESCAPE '\')
          AND (@Restricted = FALSE OR c.id = @OnlyId)
        """;

    internal const string SelectCenters =
        LicenceStatusToday + "SELECT " + CenterColumns + ", COALESCE(cs.licence_status, 'unlicensed') AS LicenceStatus " + FilteredCenters + " ORDER BY c.code";

    internal const string SelectCenterPage = SelectCenters + " LIMIT @Limit OFFSET @Offset";

    internal const string SelectCenterCount = LicenceStatusToday + "SELECT COUNT(*) " + FilteredCenters;

    internal const string SelectCenterById = "SELECT " + CenterColumns + " FROM training_centers c WHERE c.id = @id";

    internal const string SelectCenterForUpdate = "SELECT c.code FROM training_centers c WHERE c.id = @id";

    internal const string SelectCenterVersion = "SELECT row_version FROM training_centers WHERE id = @id";

    internal const string SelectCenterSummary = """
        SELECT id AS Id, code AS Code, kind AS Kind, name_fa AS NameFa, name_en AS NameEn, province_code AS ProvinceCode, country AS Country
        FROM training_centers WHERE id = @id
        """;

    internal const string SelectProvinceCount = "SELECT COUNT(*) FROM provinces WHERE code = @code";
    internal const string SelectPartnerCount = "SELECT COUNT(*) FROM partner_agencies WHERE id = @id";
    internal const string SelectStandardCount = "SELECT COUNT(*) FROM standards WHERE code = @code";

    internal const string InsertCenter = """
        INSERT INTO training_centers (id, code, kind, name_fa, name_en, province_code, country, region, city, address, phone, email,
                                      partner_id, search_text, row_version, created_at, updated_at)
        VALUES (@Id, @Code, @Kind, @NameFa, @NameEn, @ProvinceCode, @Country, @Region, @City, @Address, @Phone, @Email,
                @PartnerId, @SearchText, 1, @Now, @Now)
        """;

    internal const string UpdateCenter = """
        UPDATE training_centers
        SET kind = @Kind, name_fa = @NameFa, name_en = @NameEn, province_code = @ProvinceCode, country = @Country, region = @Region,
            city = @City, address = @Address, phone = @Phone, email = @Email, partner_id = @PartnerId, search_text = @SearchText,
            updated_at = @Now, row_version = row_version + 1
        WHERE id = @Id AND row_version = @Expected
        """;

    internal const string UpdateCenterContact = """
        UPDATE training_centers
        SET address = @Address, phone = @Phone, email = @Email, updated_at = @Now, row_version = row_version + 1
        WHERE id = @Id AND row_version = @Expected
        """;

    // ---- Licences ----

    internal const string LicenceColumns = "l.id AS Id, l.number AS Number, l.valid_from AS ValidFrom, l.valid_to AS ValidTo, l.created_at AS CreatedAt";

    internal const string SelectLicences = "SELECT " + LicenceColumns + " FROM center_licences l WHERE l.center_id = @centerId ORDER BY l.valid_from DESC, l.number";

    internal const string SelectLicence = "SELECT " + LicenceColumns + " FROM center_licences l WHERE l.center_id = @centerId AND l.id = @licenceId";

    internal const string StatusChangeColumns = """
        x.id AS Id, x.licence_id AS LicenceId, x.status AS Status, x.effective_from AS EffectiveFrom, x.reason AS Reason, x.recorded_at AS RecordedAt
        """;

    internal const string SelectStatusChangesOfCenter = "SELECT " + StatusChangeColumns + """
         FROM licence_status_changes x JOIN center_licences l ON l.id = x.licence_id
        WHERE l.center_id = @centerId ORDER BY x.effective_from, x.recorded_at, x.id
        """;

    internal const string SelectStatusChangesOfLicence = "SELECT " + StatusChangeColumns + """
         FROM licence_status_changes x WHERE x.licence_id = @licenceId ORDER BY x.effective_from, x.recorded_at, x.id
        """;

    /// <summary>Every licence of the center with its latest status change on or before @on (one row with nulls when it has none).</summary>
    internal const string SelectLicencesOnDate = """
        SELECT c.code AS CenterCode, l.id AS LicenceId, l.number AS Number, l.valid_from AS ValidFrom, l.valid_to AS ValidTo,
               x.status AS Status, x.effective_from AS StatusFrom, x.reason AS StatusReason
        FROM training_centers c
        LEFT JOIN center_licences l ON l.center_id = c.id
        LEFT JOIN licence_status_changes x ON x.id = (
            SELECT y.id FROM licence_status_changes y
            WHERE y.licence_id = l.id AND y.effective_from <= @on
            ORDER BY y.effective_from DESC, y.recorded_at DESC, y.id DESC LIMIT 1)
        WHERE c.id = @centerId
        """;

    internal const string InsertLicence = """
        INSERT INTO center_licences (id, center_id, number, valid_from, valid_to, created_at)
        VALUES (@Id, @CenterId, @Number, @ValidFrom, @ValidTo, @Now)
        """;

    internal const string InsertStatusChange = """
        INSERT INTO licence_status_changes (id, licence_id, status, effective_from, reason, recorded_at, recorded_by_key_id)
        VALUES (@Id, @LicenceId, @Status, @EffectiveFrom, @Reason, @Now, @KeyId)
        """;

    // ---- Scope ----

    internal const string ScopeColumns = """
        s.id AS Id, s.standard_code AS StandardCode, s.valid_from AS ValidFrom, s.valid_to AS ValidTo, s.reason AS Reason,
        s.end_reason AS EndReason, s.created_at AS CreatedAt
        """;

    internal const string SelectScope = "SELECT " + ScopeColumns + " FROM center_scopes s WHERE s.center_id = @centerId ORDER BY s.standard_code, s.valid_from";

    internal const string SelectScopeEntry = "SELECT " + ScopeColumns + " FROM center_scopes s WHERE s.center_id = @centerId AND s.id = @scopeId";

    internal const string SelectOverlappingScope = "SELECT " + ScopeColumns + """
         FROM center_scopes s
        WHERE s.center_id = @CenterId AND s.standard_code = @StandardCode
          AND s.valid_from <= @To AND (s.valid_to IS NULL OR s.valid_to >= @From)
        ORDER BY s.valid_from
        """;

    internal const string SelectInScopeCount = """
        SELECT COUNT(*) FROM center_scopes
        WHERE center_id = @centerId AND standard_code = @standardCode AND valid_from <= @on AND (valid_to IS NULL OR valid_to >= @on)
        """;

    internal const string InsertScope = """
        INSERT INTO center_scopes (id, center_id, standard_code, valid_from, valid_to, reason, created_at)
        VALUES (@Id, @CenterId, @StandardCode, @ValidFrom, @ValidTo, @Reason, @Now)
        """;

    internal const string UpdateScopeEnd = "UPDATE center_scopes SET valid_to = @ValidTo, end_reason = @Reason WHERE id = @Id";
}
