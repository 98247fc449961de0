using SkillsRegistry.Api.Features.Partners;
using SkillsRegistry.Api.Infrastructure.Text;
using SkillsRegistry.Api.Infrastructure.Audit;
using SkillsRegistry.Api.Infrastructure.Auth;
using SkillsRegistry.Api.Infrastructure.Caching;
using SkillsRegistry.Api.Infrastructure.Data;
using SkillsRegistry.Api.Infrastructure.Http;
using SkillsRegistry.Api.Infrastructure.Problems;
using SkillsRegistry.Api.Features.Webhooks;

namespace SkillsRegistry.Api.Features.Standards;

/// <summary>
/// Competency standards: versions of a national code and their lifecycle. An active version is immutable; a change is a
/// new version that supersedes it. At most one version of a code is active (enforced again by a unique index, 0004).
/// </summary>
public sealed class StandardRepository(Db db, TimeProvider clock, RegistryChanges changes)
{
    private const string Columns = """
        id AS Id, code AS Code, version AS Version, status AS Status, isco_code AS IscoCode, sector_code AS SectorCode,
        title_fa AS TitleFa, title_en AS TitleEn, theory_hours AS TheoryHours, practical_hours AS PracticalHours,
        theory_pass_mark AS TheoryPassMark, practical_pass_mark AS PracticalPassMark, validity_months AS ValidityMonths,
        effective_from AS EffectiveFrom, effective_to AS EffectiveTo, superseded_by_id AS SupersededById,
        supersession_equivalent AS SupersessionEquivalent, status_reason AS StatusReason,
        drafted_by_partner_id AS DraftedByPartnerId, row_version AS RowVersion, created_at AS CreatedAt, updated_at AS UpdatedAt
        """;

    private const string Filter = """
        (@Code IS NULL OR code = @Code)
        AND (@Sector IS NULL OR sector_code = @Sector)
        AND (@Status IS NULL OR status = @Status)
        AND (@IscoPattern IS NULL OR isco_code LIKE @IscoPattern)
        AND (@Pattern IS NULL OR search_text LIKE @Pattern ESCAPE '\')
        AND (@PartnerId IS NULL OR sector_code IN (SELECT ps.sector_code FROM partner_sectors ps WHERE ps.partner_id = @PartnerId))
        """;

    private const string SelectById = $"SELECT {Columns} FROM standards WHERE id = @id";
    private const string SelectPage = $"SELECT {Columns} FROM standards WHERE {Filter} ORDER BY code, version DESC LIMIT @Limit OFFSET @Offset";
    private const string SelectCount = $"SELECT COUNT(*) FROM standards WHERE {Filter}";
    private const string SelectVersionsOfCode = $"SELECT {Columns} FROM standards WHERE code = @code ORDER BY version DESC";
    private const string SelectVersion = $"SELECT {Columns} FROM standards WHERE code = @code AND version = @version";

    /// <summary>The version in force on a date: the one whose effective period (from activation to supersession/withdrawal) holds it.</summary>
    private const string SelectInForce = $"""
        SELECT {Columns} FROM standards
        WHERE code = @code AND status IN ('active', 'superseded', 'withdrawn')
          AND effective_from <= @on AND (effective_to IS NULL OR effective_to >= @on)
        ORDER BY version DESC LIMIT 1
        """;

    private const string SelectExport = """
        SELECT s.code AS Code, s.version AS Version, s.status AS Status, s.isco_code AS IscoCode, s.sector_code AS SectorCode,
               s.title_fa AS TitleFa, s.title_en AS TitleEn, s.theory_hours AS TheoryHours, s.practical_hours AS PracticalHours,
               s.theory_pass_mark AS TheoryPassMark, s.practical_pass_mark AS PracticalPassMark, s.validity_months AS ValidityMonths,
               s.effective_from AS EffectiveFrom, s.effective_to AS EffectiveTo, r.code AS SupersededByCode,
               r.version AS SupersededByVersion, s.supersession_equivalent AS SupersessionEquivalent, s.id AS Id
        FROM standards s LEFT JOIN standards r ON r.id = s.superseded_by_id
        WHERE (@Code IS NULL OR s.code = @Code)
          AND (@Sector IS NULL OR s.sector_code = @Sector)
          AND (@Status IS NULL OR s.status = @Status)
          AND (@IscoPattern IS NULL OR s.isco_code LIKE @IscoPattern)
          AND (@Pattern IS NULL OR s.search_text LIKE @Pattern ESCAPE '\')
          AND (@PartnerId IS NULL OR s.sector_code IN (SELECT ps.sector_code FROM partner_sectors ps WHERE ps.partner_id = @PartnerId))
        ORDER BY s.code, s.version DESC
        """;

    // Co-authors and supersession links are loaded for a whole scope of ids in one query each. The scope is a subquery,
    // not a list parameter: Dapper sends a list to Npgsql as one array parameter, which "IN @ids" cannot take.
    private const string PageIds = $"SELECT id FROM standards WHERE {Filter} ORDER BY code, version DESC LIMIT @Limit OFFSET @Offset";
    private const string CodeIds = "SELECT id FROM standards WHERE code = @code";
    private const string OneId = "SELECT id FROM standards WHERE id = @id";

    private const string PartnersIn = """
        SELECT sp.standard_id AS StandardId, p.id AS Id, p.code AS Code, p.name_en AS NameEn, p.name_fa AS NameFa
        FROM standard_partners sp JOIN partner_agencies p ON p.id = sp.partner_id
        WHERE sp.standard_id IN
        """;
    private const string SupersededByIn = """
        SELECT s.id AS FromId, r.id AS Id, r.code AS Code, r.version AS Version, s.supersession_equivalent AS Equivalent
        FROM standards s JOIN standards r ON r.id = s.superseded_by_id WHERE s.id IN
        """;
    private const string SupersedesIn = """
        SELECT superseded_by_id AS FromId, id AS Id, code AS Code, version AS Version, supersession_equivalent AS Equivalent
        FROM standards WHERE superseded_by_id IN
        """;

    private const string SelectPartnersOfPage = $"{PartnersIn} ({PageIds}) ORDER BY p.code";
    private const string SelectSupersededByOfPage = $"{SupersededByIn} ({PageIds})";
    private const string SelectSupersedesOfPage = $"{SupersedesIn} ({PageIds}) ORDER BY code, version";
    private const string SelectPartnersOfCode = $"{PartnersIn} ({CodeIds}) ORDER BY p.code";
    private const string SelectSupersededByOfCode = $"{SupersededByIn} ({CodeIds})";
    private const string SelectSupersedesOfCode = $"{SupersedesIn} ({CodeIds}) ORDER BY code, version";
    private const string SelectPartnersOfOne = $"{PartnersIn} ({OneId}) ORDER BY p.code";
    private const string SelectSupersededByOfOne = $"{SupersededByIn} ({OneId})";
    private const string SelectSupersedesOfOne = $"{SupersedesIn} ({OneId}) ORDER BY code, version";

    /// <summary>The three queries that complete the rows of one scope (a page, a code's versions, one version).</summary>
    private sealed record Scope(string Partners, string SupersededBy, string Supersedes);

    private static readonly Scope PageScope = new(SelectPartnersOfPage, SelectSupersededByOfPage, SelectSupersedesOfPage);
    private static readonly Scope CodeScope = new(SelectPartnersOfCode, SelectSupersededByOfCode, SelectSupersedesOfCode);
    private static readonly Scope OneScope = new(SelectPartnersOfOne, SelectSupersededByOfOne, SelectSupersedesOfOne);

    private const string SelectSectorExists = "SELECT COUNT(*) FROM sectors WHERE code = @sector";
    private const string SelectPartnerExists = "SELECT COUNT(*) FROM partner_agencies WHERE id = @id";
    private const string SelectCodeExists = "SELECT COUNT(*) FROM standards WHERE code = @code";
    private const string SelectDraftOfCode = "SELECT id AS Id, version AS Version FROM standards WHERE code = @code AND status = 'draft' ORDER BY version LIMIT 1";
    private const string SelectActiveOfCode = "SELECT id AS Id, version AS Version FROM standards WHERE code = @code AND status = 'active' AND id <> @id";

    /// <summary>An ended version of the same code whose effective period reaches the proposed start: activating would overlap it.</summary>
    private const string SelectOverlapping = """
        SELECT version AS Version, effective_to AS EffectiveTo FROM standards
        WHERE code = @code AND id <> @id AND status IN ('superseded', 'withdrawn')
          AND (effective_to IS NULL OR effective_to >= @from)
        ORDER BY version DESC LIMIT 1
        """;

    private const string InsertStandard = """
        INSERT INTO standards (id, code, version, status, isco_code, sector_code, title_fa, title_en, theory_hours, practical_hours,
                               theory_pass_mark, practical_pass_mark, validity_months, drafted_by_partner_id, search_text,
                               row_version, created_at, updated_at)
        VALUES (@Id, @Code, @Version, 'draft', @IscoCode, @Sector, @TitleFa, @TitleEn, @TheoryHours, @PracticalHours,
                @TheoryPassMark, @PracticalPassMark, @ValidityMonths, @DraftedByPartnerId, @SearchText, 1, @Now, @Now)
        """;

    private const string InsertStandardPartner = "INSERT INTO standard_partners (standard_id, partner_id) VALUES (@standardId, @partnerId)";
    private const string DeleteStandardPartners = "DELETE FROM standard_partners WHERE standard_id = @standardId";

    private const string UpdateDraft = """
        UPDATE standards SET isco_code = @IscoCode, sector_code = @Sector, title_fa = @TitleFa, title_en = @TitleEn,
               theory_hours = @TheoryHours, practical_hours = @PracticalHours, theory_pass_mark = @TheoryPassMark,
               practical_pass_mark = @PracticalPassMark, validity_months = @ValidityMonths, search_text = @SearchText,
               updated_at = @Now, row_version = row_version + 1
        WHERE id = @Id AND row_version = @Expected AND status = 'draft'
        """;

    private const string UpdateActivate = """
        UPDATE standards SET status = 'active', effective_from = @From, effective_to = NULL, updated_at = @Now, row_version = row_version + 1
        WHERE id = @Id AND status = 'draft'
        """;

    private const string UpdateSupersede = """
        UPDATE standards SET status = 'superseded', effective_to = @To, superseded_by_id = @ReplacementId,
               supersession_equivalent = @Equivalent, updated_at = @Now, row_version = row_version + 1
        WHERE id = @Id AND row_version = @Expected AND status = 'active'
        """;

    private const string UpdateWithdraw = """
        UPDATE standards SET status = 'withdrawn', effective_to = @To, status_reason = @Reason, updated_at = @Now, row_version = row_version + 1
        WHERE id = @Id AND row_version = @Expected AND status = 'active'
        """;

    private sealed class VersionRef { public Guid Id { get; set; } public int Version { get; set; } }
    private sealed class EndedVersion { public int Version { get; set; } public DateOnly? EffectiveTo { get; set; } }

    private DateOnly Today => RegistryCalendar.Today(clock);

    // ---- For other features, inside their own transaction ----

    /// <summary>The version of <paramref name="code"/> in force on <paramref name="on"/> (active, or superseded/withdrawn later), or null.</summary>
    public async Task<StandardVersion?> FindInForceAsync(DbSession s, string code, DateOnly on) =>
        (await s.QuerySingleOrDefaultAsync<StandardRow>(SelectInForce, new { code = StandardValidation.NormalizeCode(code), on }))?.ToVersion();

    /// <summary>One version of a code in any status, or null.</summary>
    public async Task<StandardVersion?> FindVersionAsync(DbSession s, string code, int version) =>
        (await s.QuerySingleOrDefaultAsync<StandardRow>(SelectVersion, new { code = StandardValidation.NormalizeCode(code), version }))?.ToVersion();

    // ---- Reads ----

    public Task<StoredStandard?> GetAsync(Guid id, CancellationToken ct) => db.ReadAsync(s => LoadAsync(s, id), ct);

    public Task<Page<StandardDto>> ListAsync(StandardFilter filter, int page, int size, int offset, CancellationToken ct) =>
        db.ReadAsync(async s =>
        {
            var args = FilterArgs(filter) with { Limit = size, Offset = offset };
            var rows = (await s.QueryAsync<StandardRow>(SelectPage, args)).ToList();
            var total = await s.ExecuteScalarAsync<long>(SelectCount, args);
            return new Page<StandardDto>(await ToDtosAsync(s, rows, PageScope, args), page, size, total);
        }, ct);

    public Task<IReadOnlyList<StandardExportRow>> ExportAsync(StandardFilter filter, CancellationToken ct) =>
        db.ReadAsync<IReadOnlyList<StandardExportRow>>(async s => (await s.QueryAsync<StandardExportRow>(SelectExport, FilterArgs(filter))).ToList(), ct);

    /// <summary>Every version of a code, newest first; empty when the code is unknown.</summary>
    public Task<IReadOnlyList<StandardDto>> ListVersionsAsync(string code, CancellationToken ct) =>
        db.ReadAsync(async s => await ToDtosAsync(s, (await s.QueryAsync<StandardRow>(SelectVersionsOfCode, new { code })).ToList(), CodeScope, new { code }), ct);

    /// <summary>The version in force on a date; <c>CodeKnown</c> tells a 404 for an unknown code from one for a date.</summary>
    public Task<(bool CodeKnown, StandardDto? Standard)> FindInForceAsync(string code, DateOnly on, CancellationToken ct) =>
        db.ReadAsync<(bool, StandardDto?)>(async s =>
        {
            var row = await s.QuerySingleOrDefaultAsync<StandardRow>(SelectInForce, new { code, on });
            if (row is not null) return (true, (await ToDtosAsync(s, [row], OneScope, new { id = row.Id }))[0]);
            return (await s.ExecuteScalarAsync<long>(SelectCodeExists, new { code }) > 0, null);
        }, ct);

    // ---- Drafting (admin, or a partner within its agreement) ----

    public Task<StoredStandard> CreateAsync(string code, StandardFields fields, Caller actor, CancellationToken ct) =>
        db.WriteAsync(async s =>
        {
            await AuthorizeDraftingAsync(s, actor, fields.Sector);
            if (actor.PartnerId is { } self) DraftAuthorship.RefuseCoAuthorChange(fields.PartnerIds, [self], self);
            var existing = (await s.QueryAsync<StandardRow>(SelectVersionsOfCode, new { code })).ToList();
            if (existing.Count > 0)
            {
                // A partner is not told more about a code outside its sectors than that it cannot be used.
                if (await DraftAuthorship.AgreementAsync(s, actor) is { } agreement && !existing.Any(v => agreement.Covers(v.SectorCode)))
                    throw RequestRejectedException.Conflict($"The code {code} cannot be used for a new standard; choose another code.");
                throw RequestRejectedException.Conflict(
                    $"Standard {code} already exists. Create its next version with POST /api/v1/standards/{code}/versions.");
            }
            return await InsertDraftAsync(s, code, 1, fields, actor);
        }, ct);

    /// <summary>Drafts the next version of a code from its latest version, with the request's overrides.</summary>
    public Task<StoredStandard> CreateVersionAsync(string code, CreateStandardVersionRequest? request, Caller actor, CancellationToken ct) =>
        db.WriteAsync(async s =>
        {
            var versions = (await s.QueryAsync<StandardRow>(SelectVersionsOfCode, new { code })).ToList();
            var agreement = await DraftAuthorship.AgreementAsync(s, actor);
            if (agreement is not null && !versions.Any(v => agreement.Covers(v.SectorCode)))
                throw RequestRejectedException.NotFound(DraftAuthorship.NotVisibleCode(code));
            if (versions.Count == 0) throw RequestRejectedException.NotFound($"No standard has code {code}.");
            if (await s.QuerySingleOrDefaultAsync<VersionRef>(SelectDraftOfCode, new { code }) is { } draft)
                throw RequestRejectedException.Conflict(
                    $"Version {draft.Version} of standard {code} is already a draft (id {draft.Id}); edit it with PUT /api/v1/standards/{draft.Id}.");
            var latest = versions[0];
            var latestPartners = (await s.QueryAsync<PartnerRow>(SelectPartnersOfOne, new { id = latest.Id })).Select(p => p.Id).ToList();
            if (agreement is not null) DraftAuthorship.RefuseCoAuthorChange(request?.PartnerIds ?? [], latestPartners, agreement.PartnerId);
            var errors = StandardValidation.Merge(latest.ToFields(latestPartners), request, out var fields);
            if (!errors.IsEmpty)
                throw new RequestRejectedException(400, "Validation failed",
                    "The new version would have invalid fields: " + string.Join(", ", errors.ToDictionary().Keys) + ".", errors.ToDictionary());
            return await InsertDraftAsync(s, code, latest.Version + 1, fields!, actor);
        }, ct);

    public Task<StoredStandard> UpdateAsync(Guid id, StandardFields fields, long expected, Caller actor, CancellationToken ct) =>
        db.WriteAsync(async s =>
        {
            var row = await LockAsync(s, id);
            var keptCoAuthors = await DraftAuthorship.AuthorizeEditAsync(s, actor, row, fields.PartnerIds);
            if (row.StatusValue != StandardStatus.Draft)
                throw RequestRejectedException.Conflict(
                    $"Version {row.Version} of standard {row.Code} is {row.Status}: active versions are immutable (and so are superseded and withdrawn ones). " +
                    $"A change is a new version: POST /api/v1/standards/{row.Code}/versions.");
            if (keptCoAuthors is not null) fields = fields with { PartnerIds = keptCoAuthors };
            await CheckReferencesAsync(s, fields);
            await AuthorizeDraftingAsync(s, actor, row.SectorCode, fields.Sector);
            CheckVersion(row, expected);
            var changed = await s.ExecuteAsync(UpdateDraft, Params(id, row.Code, fields) with { Expected = expected });
            if (changed != 1) throw Stale(row.RowVersion);
            await s.ExecuteAsync(DeleteStandardPartners, new { standardId = id });
            await InsertPartnersAsync(s, id, keptCoAuthors ?? CoAuthors(fields, actor));
            s.Audit(new AuditEntry(actor, "update", "standard", id.ToString(), AuditFields(row.Code, row.Version, fields, actor)));
            return (await LoadAsync(s, id))!;
        }, ct);

    // ---- Lifecycle (admin) ----

    public Task<StoredStandard> ActivateAsync(Guid id, DateOnly? effectiveFrom, long expected, Caller actor, CancellationToken ct) =>
        db.WriteAsync(async s =>
        {
            var row = await LockAsync(s, id);
            if (row.StatusValue != StandardStatus.Draft)
                throw RequestRejectedException.Conflict($"Version {row.Version} of standard {row.Code} is {row.Status}; only a draft can be activated.");
            CheckVersion(row, expected);
            var from = effectiveFrom ?? Today;
            await ActivateDraftAsync(s, row, from, actor, viaSupersede: false);
            return (await LoadAsync(s, id))!;
        }, ct);

    /// <summary>The old (active) version ends the day before <paramref name="effectiveFrom"/>; the replacement is active from it.</summary>
    public Task<SupersessionResult> SupersedeAsync(Guid id, Guid replacementId, bool equivalent, DateOnly? effectiveFrom, long expected,
        Caller actor, CancellationToken ct) =>
        db.WriteAsync(async s =>
        {
            var old = await LockAsync(s, id);
            if (old.StatusValue != StandardStatus.Active)
                throw RequestRejectedException.Conflict($"Version {old.Version} of standard {old.Code} is {old.Status}; only an active version can be superseded.");
            CheckVersion(old, expected);
            if (replacementId == id) throw RequestRejectedException.Field("replacementId", "A version cannot supersede itself.");
            var replacement = await s.QuerySingleOrDefaultAsync<StandardRow>(SelectById + s.Dialect.ForUpdate, new { id = replacementId })
                ?? throw RequestRejectedException.Field("replacementId", $"No standard version has id {replacementId}.");
            var from = effectiveFrom ?? Today;
            if (old.EffectiveFrom is { } oldFrom && from <= oldFrom)
                throw RequestRejectedException.Field("effectiveFrom",
                    $"Must be after {oldFrom:yyyy-MM-dd}, when version {old.Version} of {old.Code} took effect (it stays in force until the day before).");

            if (replacement.Code == old.Code)
            {
                if (replacement.StatusValue != StandardStatus.Draft)
                    throw RequestRejectedException.Conflict(
                        $"Version {replacement.Version} of standard {replacement.Code} is {replacement.Status}; a version of the same code is replaced by a draft.");
                if (replacement.Version < old.Version)
                    throw RequestRejectedException.Conflict(
                        $"Version {replacement.Version} is older than version {old.Version}; a version is superseded by a later one.");
            }
            else if (replacement.StatusValue is not (StandardStatus.Draft or StandardStatus.Active))
                throw RequestRejectedException.Conflict(
                    $"Version {replacement.Version} of standard {replacement.Code} is {replacement.Status}; a standard can map only to a draft or active version.");

            var to = from.AddDays(-1);
            var changed = await s.ExecuteAsync(UpdateSupersede,
                new { Id = id, Expected = expected, To = to, ReplacementId = replacementId, Equivalent = equivalent, Now = clock.GetUtcNow() });
            if (changed != 1) throw Stale(old.RowVersion);
            changes.SharedDataChanged(s); // verification shows a superseded standard's current equivalent
            await WebhookEvents.StandardAsync(s, WebhookEventTypes.StandardSuperseded, id, clock.GetUtcNow());
            s.Audit(new AuditEntry(actor, "supersede", "standard", id.ToString(), new
            {
                old.Code, old.Version, ReplacementId = replacementId, ReplacementCode = replacement.Code,
                ReplacementVersion = replacement.Version, Equivalent = equivalent, EffectiveTo = to,
            }));
            if (replacement.StatusValue == StandardStatus.Draft)
                await ActivateDraftAsync(s, replacement, from, actor, viaSupersede: true);
            return new SupersessionResult((await LoadAsync(s, id))!, (await LoadAsync(s, replacementId))!.Standard);
        }, ct);

    public Task<StoredStandard> WithdrawAsync(Guid id, string reason, DateOnly? effectiveTo, long expected, Caller actor, CancellationToken ct) =>
        db.WriteAsync(async s =>
        {
            var row = await LockAsync(s, id);
            if (row.StatusValue != StandardStatus.Active)
                throw RequestRejectedException.Conflict($"Version {row.Version} of standard {row.Code} is {row.Status}; only an active version can be withdrawn.");
            CheckVersion(row, expected);
            var to = effectiveTo ?? Today;
            if (row.EffectiveFrom is { } from && to < from)
                throw RequestRejectedException.Field("effectiveTo", $"Must be on or after {from:yyyy-MM-dd}, when this version took effect.");
            var changed = await s.ExecuteAsync(UpdateWithdraw, new { Id = id, Expected = expected, To = to, Reason = reason, Now = clock.GetUtcNow() });
            if (changed != 1) throw Stale(row.RowVersion);
            s.Audit(new AuditEntry(actor, "withdraw", "standard", id.ToString(), new { row.Code, row.Version, EffectiveTo = to, Reason = reason }));
            return (await LoadAsync(s, id))!;
        }, ct);

    // ---- Internals ----

    private async Task<StoredStandard> InsertDraftAsync(DbSession s, string code, int version, StandardFields fields, Caller actor)
    {
        await CheckReferencesAsync(s, fields);
        await AuthorizeDraftingAsync(s, actor, fields.Sector);
        var id = Guid.CreateVersion7();
        var args = Params(id, code, fields) with { Version = version, DraftedByPartnerId = actor.IsPartner ? actor.PartnerId : null };
        if (await s.TryExecuteAsync(InsertStandard, args) == ConstraintViolation.Unique)
            throw RequestRejectedException.Conflict($"Version {version} of standard {code} was created by someone else meanwhile; reload its versions.");
        await InsertPartnersAsync(s, id, CoAuthors(fields, actor));
        s.Audit(new AuditEntry(actor, "create", "standard", id.ToString(), AuditFields(code, version, fields, actor)));
        return (await LoadAsync(s, id))!;
    }

    private async Task ActivateDraftAsync(DbSession s, StandardRow row, DateOnly from, Caller actor, bool viaSupersede)
    {
        if (await s.QuerySingleOrDefaultAsync<VersionRef>(SelectActiveOfCode, new { code = row.Code, id = row.Id }) is { } active)
            throw RequestRejectedException.Conflict(viaSupersede
                ? $"Standard {row.Code} already has an active version ({active.Version}); supersede it by version {row.Version} first, then map to {row.Code}."
                : $"Version {active.Version} of standard {row.Code} is active. Activate version {row.Version} by superseding it: " +
                  $"POST /api/v1/standards/{active.Id}/supersede with replacementId {row.Id}.");
        if (await s.QuerySingleOrDefaultAsync<EndedVersion>(SelectOverlapping, new { code = row.Code, id = row.Id, from }) is { } overlap)
            throw RequestRejectedException.Field("effectiveFrom",
                $"Version {overlap.Version} of {row.Code} was in force until {overlap.EffectiveTo:yyyy-MM-dd}; version {row.Version} must take effect after that.");
        var violation = await s.TryExecuteAsync(UpdateActivate, new { Id = row.Id, From = from, Now = clock.GetUtcNow() });
        if (violation == ConstraintViolation.Unique)
            throw RequestRejectedException.Conflict($"Another version of standard {row.Code} was activated meanwhile; reload its versions.");
        s.Audit(new AuditEntry(actor, "activate", "standard", row.Id.ToString(), new { row.Code, row.Version, EffectiveFrom = from }));
        await WebhookEvents.StandardAsync(s, WebhookEventTypes.StandardActivated, row.Id, clock.GetUtcNow());
    }

    /// <summary>Only admins and partner agencies draft; a partner only in its agreement's sectors while the agreement is in force.</summary>
    private async Task AuthorizeDraftingAsync(DbSession s, Caller actor, params string[] sectors)
    {
        if (actor.IsAdmin || actor.Role is null) return; // admin, or the system itself (seeding)
        if (!actor.IsPartner || actor.PartnerId is not { } partnerId)
            throw RequestRejectedException.Forbidden($"A key with the role '{actor.RoleName}' may read competency standards but not draft them.");
        var agreement = await PartnerAgreement.LoadAsync(s, partnerId)
            ?? throw RequestRejectedException.Forbidden($"Partner agency {partnerId} of this key no longer exists.");
        if (agreement.RefusalOn(Today) is { } refusal)
            throw RequestRejectedException.Forbidden(refusal + " A partner agency drafts standards only while its agreement is in force.");
        foreach (var sector in sectors.Distinct())
        {
            if (!agreement.Covers(sector))
                throw RequestRejectedException.Forbidden(
                    $"The agreement of partner agency '{agreement.Code}' does not cover the sector '{sector}' " +
                    $"(it covers: {(agreement.Sectors.Count == 0 ? "none" : string.Join(", ", agreement.Sectors))}).");
        }
    }

    private static async Task CheckReferencesAsync(DbSession s, StandardFields fields)
    {
        var errors = new ValidationErrors();
        if (await s.ExecuteScalarAsync<long>(SelectSectorExists, new { sector = fields.Sector }) == 0)
            errors.Add("sector", $"No sector has code '{fields.Sector}'. See GET /api/v1/sectors.");
        if (fields.PartnerIds.Count > 0)
        {
            foreach (var id in fields.PartnerIds)
            {
                if (await s.ExecuteScalarAsync<long>(SelectPartnerExists, new { id }) == 0)
                    errors.Add("partnerIds", $"No partner agency has id {id}.");
            }
        }
        if (!errors.IsEmpty)
            throw new RequestRejectedException(400, "Validation failed",
                "The request names records that do not exist: " + string.Join(", ", errors.ToDictionary().Keys) + ".", errors.ToDictionary());
    }

    private static async Task<StandardRow> LockAsync(DbSession s, Guid id) =>
        await s.QuerySingleOrDefaultAsync<StandardRow>(SelectById + s.Dialect.ForUpdate, new { id })
        ?? throw RequestRejectedException.NotFound(DraftAuthorship.NotVisibleId(id));

    private static void CheckVersion(StandardRow row, long expected)
    {
        if (row.RowVersion != expected) throw Stale(row.RowVersion);
    }

    private static RequestRejectedException Stale(long current) =>
        new(412, "Precondition failed", Preconditions.Stale(current).ProblemDetails.Detail!);

    private static IReadOnlyList<Guid> CoAuthors(StandardFields fields, Caller actor) =>
        actor.IsPartner && actor.PartnerId is { } own && !fields.PartnerIds.Contains(own) ? [.. fields.PartnerIds, own] : fields.PartnerIds;

    private static async Task InsertPartnersAsync(DbSession s, Guid standardId, IReadOnlyList<Guid> partnerIds)
    {
        foreach (var partnerId in partnerIds) await s.ExecuteAsync(InsertStandardPartner, new { standardId, partnerId });
    }

    private static object AuditFields(string code, int version, StandardFields f, Caller actor) => new
    {
        Code = code, Version = version, f.IscoCode, f.Sector, f.TitleFa, f.TitleEn, f.TheoryHours, f.PracticalHours,
        f.TheoryPassMark, f.PracticalPassMark, f.ValidityMonths, PartnerIds = CoAuthors(f, actor),
    };

    private sealed record WriteArgs(
        Guid Id, string Code, int Version, string IscoCode, string Sector, string TitleFa, string TitleEn, int TheoryHours, int PracticalHours,
        decimal TheoryPassMark, decimal PracticalPassMark, int? ValidityMonths, Guid? DraftedByPartnerId, string SearchText,
        DateTimeOffset Now, long Expected);

    private WriteArgs Params(Guid id, string code, StandardFields f) => new(
        id, code, 0, f.IscoCode, f.Sector, f.TitleFa, f.TitleEn, f.TheoryHours, f.PracticalHours, f.TheoryPassMark, f.PracticalPassMark,
        f.ValidityMonths, null, PersianText.SearchText(code, f.TitleFa, f.TitleEn), clock.GetUtcNow(), 0);

    private sealed record FilterArguments(string? Code, string? Sector, string? Status, string? IscoPattern, string? Pattern, Guid? PartnerId, int Limit = 0, int Offset = 0);

    private static FilterArguments FilterArgs(StandardFilter f) => new(
        f.Code, f.Sector, f.Status is { } st ? EnumText.ToText(st) : null,
        f.Isco is null ? null : f.Isco + "%", // digits only (validated), so no LIKE escaping needed
        f.Query is null ? null : PersianText.ContainsPattern(f.Query), f.PartnerId);

    private static async Task<StoredStandard?> LoadAsync(DbSession s, Guid id)
    {
        var row = await s.QuerySingleOrDefaultAsync<StandardRow>(SelectById, new { id });
        return row is null ? null : new StoredStandard((await ToDtosAsync(s, [row], OneScope, new { id }))[0], row.RowVersion);
    }

    /// <summary>Rows to DTOs with their co-authors and supersession links, in three queries for the whole list.</summary>
    private static async Task<IReadOnlyList<StandardDto>> ToDtosAsync(DbSession s, IReadOnlyList<StandardRow> rows, Scope scope, object args)
    {
        if (rows.Count == 0) return [];
        var partners = (await s.QueryAsync<PartnerRow>(scope.Partners, args)).ToLookup(p => p.StandardId);
        var supersededBy = (await s.QueryAsync<LinkRow>(scope.SupersededBy, args)).ToDictionary(l => l.FromId);
        var supersedes = (await s.QueryAsync<LinkRow>(scope.Supersedes, args)).ToLookup(l => l.FromId);
        return rows.Select(r => new StandardDto(
            r.Id, r.Code, r.Version, r.StatusValue, r.IscoCode, r.SectorCode, r.TitleFa, r.TitleEn, r.TheoryHours, r.PracticalHours,
            r.TheoryPassMark, r.PracticalPassMark, r.ValidityMonths, r.EffectiveFrom, r.EffectiveTo, r.StatusReason,
            supersededBy.GetValueOrDefault(r.Id)?.ToDto(), supersedes[r.Id].Select(l => l.ToDto()).ToList(),
            r.DraftedByPartnerId, partners[r.Id].Select(p => p.ToDto()).ToList(), r.CreatedAt, r.UpdatedAt)).ToList();
    }
}

/// <summary>The superseded version (with its row version, for the ETag) and the replacement as it is now.</summary>
public sealed record SupersessionResult(StoredStandard Superseded, StandardDto Replacement);

/// <summary>One CSV line of the standards export.</summary>
public sealed class StandardExportRow
{
    public Guid Id { get; set; }
    public string Code { get; set; } = "";
    public int Version { get; set; }
    public string Status { get; set; } = "";
    public string IscoCode { get; set; } = "";
    public string SectorCode { get; set; } = "";
    public string TitleFa { get; set; } = "";
    public string TitleEn { get; set; } = "";
    public int TheoryHours { get; set; }
    public int PracticalHours { get; set; }
    public decimal TheoryPassMark { get; set; }
    public decimal PracticalPassMark { get; set; }
    public int? ValidityMonths { get; set; }
    public DateOnly? EffectiveFrom { get; set; }
    public DateOnly? EffectiveTo { get; set; }
    public string? SupersededByCode { get; set; }
    public int? SupersededByVersion { get; set; }
    public bool? SupersessionEquivalent { get; set; }
}
