using SkillsRegistry.Api.Infrastructure.Data;

namespace SkillsRegistry.Api.Features.Standards;

/// <summary>A co-author of a standard version.</summary>
internal sealed record StandardPartnerRow(Guid StandardId, Guid PartnerId);

/// <summary>The statements of <see cref="StandardRepository"/>. Every query names the table <c>standards s</c>.</summary>
internal static class StandardSql
{
    private const string Columns = """
        s.id AS Id, s.code AS Code, s.version AS Version, s.status AS Status, s.isco_code AS IscoCode, s.sector_code AS SectorCode,
        s.title_fa AS TitleFa, s.title_en AS TitleEn, s.theory_hours AS TheoryHours, s.practical_hours AS PracticalHours,
        s.theory_pass_mark AS TheoryPassMark, s.practical_pass_mark AS PracticalPassMark, s.validity_months AS ValidityMonths,
        s.effective_from AS EffectiveFrom, s.effective_to AS EffectiveTo, s.superseded_by_id AS SupersededById,
        s.supersession_equivalent AS SupersessionEquivalent, s.status_reason AS StatusReason,
        s.drafted_by_partner_id AS DraftedByPartnerId, s.refresher_hours AS RefresherHours, s.refresher_months AS RefresherMonths,
        s.requires_partner_assessor AS RequiresPartnerAssessor, s.row_version AS RowVersion, s.created_at AS CreatedAt, s.updated_at AS UpdatedAt
        """;

    private const string Filter = """
        (@Code IS NULL OR s.code = @Code)
        AND (@Sector IS NULL OR s.sector_code = @Sector)
        AND (@Status IS NULL OR s.status = @Status)
        AND (@IscoPattern IS NULL OR s.isco_code LIKE @IscoPattern)
        AND (@Pattern IS NULL OR s.search_text LIKE @Pattern ESCAPE '\')
        AND (@PartnerId IS NULL OR s.sector_code IN (SELECT ps.sector_code FROM partner_sectors ps WHERE ps.partner_id = @PartnerId))
        """;

    public const string SelectById = $"SELECT {Columns} FROM standards s WHERE s.id = @id";
    public const string SelectPage = $"SELECT {Columns} FROM standards s WHERE {Filter} ORDER BY s.code, s.version DESC LIMIT @Limit OFFSET @Offset";
    public const string SelectCount = $"SELECT COUNT(*) FROM standards s WHERE {Filter}";
    public const string SelectVersionsOfCode = $"SELECT {Columns} FROM standards s WHERE s.code = @code ORDER BY s.version DESC";
    public const string SelectVersion = $"SELECT {Columns} FROM standards s WHERE s.code = @code AND s.version = @version";

    /// <summary>The version in force on a date: the one whose effective period (from activation to supersession/withdrawal) holds it.</summary>
    public const string SelectInForce = $"""
        SELECT {Columns} FROM standards s
        WHERE s.code = @code AND s.status IN ('active', 'superseded', 'withdrawn')
          AND s.effective_from <= @on AND (s.effective_to IS NULL OR s.effective_to >= @on)
        ORDER BY s.version DESC LIMIT 1
        """;

    /// <summary>The rows of a list, with the code and version of the replacement of each superseded one (for the CSV export).</summary>
    public const string SelectExport = $"""
        SELECT {Columns}, r.code AS SupersededByCode, r.version AS SupersededByVersion
        FROM standards s LEFT JOIN standards r ON r.id = s.superseded_by_id
        WHERE {Filter}
        ORDER BY s.code, s.version DESC
        """;

    // Co-authors and supersession links are loaded for a whole scope of ids in one query each. The scope is a subquery,
    // not a list parameter: Dapper sends a list to Npgsql as one array parameter, which "IN @ids" cannot take.
    private const string PageIds = $"SELECT s.id FROM standards s WHERE {Filter} ORDER BY s.code, s.version DESC LIMIT @Limit OFFSET @Offset";
    private const string CodeIds = "SELECT id FROM standards WHERE code = @code";
    private const string OneId = "SELECT id FROM standards WHERE id = @id";

    private const string PartnersIn = """
        SELECT sp.standard_id AS StandardId, p.id AS Id, p.code AS Code, p.name_en AS NameEn, p.name_fa AS NameFa
        FROM standard_partners sp JOIN partner_agencies p ON p.id = sp.partner_id
        WHERE sp.standard_id IN
        """;
    private const string SupersededByIn = """
        SELECT o.id AS FromId, r.id AS Id, r.code AS Code, r.version AS Version, o.supersession_equivalent AS Equivalent
        FROM standards o JOIN standards r ON r.id = o.superseded_by_id WHERE o.id IN
        """;
    private const string SupersedesIn = """
        SELECT superseded_by_id AS FromId, id AS Id, code AS Code, version AS Version, supersession_equivalent AS Equivalent
        FROM standards WHERE superseded_by_id IN
        """;

    /// <summary>The three queries that complete the rows of one scope (a page, a code's versions, one version).</summary>
    public sealed record Scope(string Partners, string SupersededBy, string Supersedes);

    public static readonly Scope PageScope = new($"{PartnersIn} ({PageIds}) ORDER BY p.code", $"{SupersededByIn} ({PageIds})", $"{SupersedesIn} ({PageIds}) ORDER BY code, version");
    public static readonly Scope CodeScope = new($"{PartnersIn} ({CodeIds}) ORDER BY p.code", $"{SupersededByIn} ({CodeIds})", $"{SupersedesIn} ({CodeIds}) ORDER BY code, version");
    public static readonly Scope OneScope = new($"{PartnersIn} ({OneId}) ORDER BY p.code", $"{SupersededByIn} ({OneId})", $"{SupersedesIn} ({OneId}) ORDER BY code, version");

    public const string SelectSectorExists = "SELECT COUNT(*) FROM sectors WHERE code = @sector";
    public const string SelectCodeExists = "SELECT COUNT(*) FROM standards WHERE code = @code";
    public const string SelectDraftOfCode = "SELECT id AS Id, version AS Version FROM standards WHERE code = @code AND status = 'draft' ORDER BY version LIMIT 1";
    public const string SelectActiveOfCode = "SELECT id AS Id, version AS Version FROM standards WHERE code = @code AND status = 'active' AND id <> @id";

    /// <summary>An ended version of the same code whose effective period reaches the proposed start: activating would overlap it.</summary>
    public const string SelectOverlapping = """
        SELECT version AS Version, effective_to AS EffectiveTo FROM standards
        WHERE code = @code AND id <> @id AND status IN ('superseded', 'withdrawn')
          AND (effective_to IS NULL OR effective_to >= @from)
        ORDER BY version DESC LIMIT 1
        """;

    public const string InsertStandard = """
        INSERT INTO standards (id, code, version, status, isco_code, sector_code, title_fa, title_en, theory_hours, practical_hours,
                               theory_pass_mark, practical_pass_mark, validity_months, drafted_by_partner_id, search_text,
                               refresher_hours, refresher_months, requires_partner_assessor, row_version, created_at, updated_at)
        VALUES (@Id, @Code, @Version, 'draft', @IscoCode, @Sector, @TitleFa, @TitleEn, @TheoryHours, @PracticalHours,
                @TheoryPassMark, @PracticalPassMark, @ValidityMonths, @DraftedByPartnerId, @SearchText,
                @RefresherHours, @RefresherMonths, @RequiresPartnerAssessor, 1, @Now, @Now)
        """;

    internal static readonly StreamedTable<StandardPartnerRow> StandardPartners = new("standard_partners", ("standard_id", "StandardId"), ("partner_id", "PartnerId"));
    public const string DeleteStandardPartners = "DELETE FROM standard_partners WHERE standard_id = @standardId";

    public const string UpdateDraft = """
        UPDATE standards SET isco_code = @IscoCode, sector_code = @Sector, title_fa = @TitleFa, title_en = @TitleEn,
               theory_hours = @TheoryHours, practical_hours = @PracticalHours, theory_pass_mark = @TheoryPassMark,
               practical_pass_mark = @PracticalPassMark, validity_months = @ValidityMonths, search_text = @SearchText,
               refresher_hours = @RefresherHours, refresher_months = @RefresherMonths, requires_partner_assessor = @RequiresPartnerAssessor,
               updated_at = @Now, row_version = row_version + 1
        WHERE id = @Id AND row_version = @Expected AND status = 'draft'
        """;

    public const string UpdateActivate = """
        UPDATE standards SET status = 'active', effective_from = @From, effective_to = NULL, updated_at = @Now, row_version = row_version + 1
        WHERE id = @Id AND status = 'draft'
        """;

    public const string UpdateSupersede = """
        UPDATE standards SET status = 'superseded', effective_to = @To, superseded_by_id = @ReplacementId,
               supersession_equivalent = @Equivalent, updated_at = @Now, row_version = row_version + 1
        WHERE id = @Id AND row_version = @Expected AND status = 'active'
        """;

    public const string UpdateWithdraw = """
        UPDATE standards SET status = 'withdrawn', effective_to = @To, status_reason = @Reason, updated_at = @Now, row_version = row_version + 1
        WHERE id = @Id AND row_version = @Expected AND status = 'active'
        """;
}
