using SkillsRegistry.Api.Infrastructure.Text;
using SkillsRegistry.Api.Infrastructure.Audit;
using SkillsRegistry.Api.Infrastructure.Auth;
using SkillsRegistry.Api.Infrastructure.Caching;
using SkillsRegistry.Api.Infrastructure.Data;
using SkillsRegistry.Api.Infrastructure.Http;
using SkillsRegistry.Api.Infrastructure.Problems;

namespace SkillsRegistry.Api.Features.Centers;

public sealed class CenterRepository(Db db, TimeProvider clock, RegistryChanges changes)
{
    // ---- Centers ----

    private const string CenterColumns = """
        c.id AS Id, c.code AS Code, c.kind AS Kind, c.name_fa AS NameFa, c.name_en AS NameEn, c.province_code AS ProvinceCode,
        c.country AS Country, c.region AS Region, c.city AS City, c.address AS Address, c.phone AS Phone, c.email AS Email,
        c.partner_id AS PartnerId, c.row_version AS RowVersion, c.created_at AS CreatedAt, c.updated_at AS UpdatedAt
        """;

    /// <summary>
    /// Each center's licence status on @today, mirroring <see cref="LicenceEvaluation"/>: per licence not-yet-valid / expired /
    /// its latest status change on or before the date; per center the best of active, suspended, revoked, expired, else unlicensed.
    /// </summary>
    private const string LicenceStatusToday = """
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

    private const string FilteredCenters = """
        FROM training_centers c LEFT JOIN center_state cs ON cs.center_id = c.id
        WHERE (@Kind IS NULL OR c.kind = @Kind)
          AND (@Province IS NULL OR c.province_code = @Province)
          AND (@Code IS NULL OR c.code = @Code)
          AND (@Status IS NULL OR COALESCE(cs.licence_status, 'unlicensed') = @Status)
          AND (@Pattern IS NULL OR c.search_text LIKE @Pattern ESCAPE '\')
          AND (@Restricted = FALSE OR c.id = @OnlyId)
        """;

    private const string SelectCenters =
        LicenceStatusToday + "SELECT " + CenterColumns + ", COALESCE(cs.licence_status, 'unlicensed') AS LicenceStatus " + FilteredCenters + " ORDER BY c.code";

    private const string SelectCenterPage = SelectCenters + " LIMIT @Limit OFFSET @Offset";

    private const string SelectCenterCount = LicenceStatusToday + "SELECT COUNT(*) " + FilteredCenters;

    private const string SelectCenterById = "SELECT " + CenterColumns + " FROM training_centers c WHERE c.id = @id";

    private const string SelectCenterForUpdate = "SELECT c.code FROM training_centers c WHERE c.id = @id";

    private const string SelectCenterVersion = "SELECT row_version FROM training_centers WHERE id = @id";

    private const string SelectCenterSummary = """
        SELECT id AS Id, code AS Code, kind AS Kind, name_fa AS NameFa, name_en AS NameEn, province_code AS ProvinceCode, country AS Country
        FROM training_centers WHERE id = @id
        """;

    private const string SelectProvinceCount = "SELECT COUNT(*) FROM provinces WHERE code = @code";
    private const string SelectPartnerCount = "SELECT COUNT(*) FROM partner_agencies WHERE id = @id";
    private const string SelectStandardCount = "SELECT COUNT(*) FROM standards WHERE code = @code";

    private const string InsertCenter = """
        INSERT INTO training_centers (id, code, kind, name_fa, name_en, province_code, country, region, city, address, phone, email,
                                      partner_id, search_text, row_version, created_at, updated_at)
        VALUES (@Id, @Code, @Kind, @NameFa, @NameEn, @ProvinceCode, @Country, @Region, @City, @Address, @Phone, @Email,
                @PartnerId, @SearchText, 1, @Now, @Now)
        """;

    private const string UpdateCenter = """
        UPDATE training_centers
        SET kind = @Kind, name_fa = @NameFa, name_en = @NameEn, province_code = @ProvinceCode, country = @Country, region = @Region,
            city = @City, address = @Address, phone = @Phone, email = @Email, partner_id = @PartnerId, search_text = @SearchText,
            updated_at = @Now, row_version = row_version + 1
        WHERE id = @Id AND row_version = @Expected
        """;

    private const string UpdateCenterContact = """
        UPDATE training_centers
        SET address = @Address, phone = @Phone, email = @Email, updated_at = @Now, row_version = row_version + 1
        WHERE id = @Id AND row_version = @Expected
        """;

    // ---- Licences ----

    private const string LicenceColumns = "l.id AS Id, l.number AS Number, l.valid_from AS ValidFrom, l.valid_to AS ValidTo, l.created_at AS CreatedAt";

    private const string SelectLicences = "SELECT " + LicenceColumns + " FROM center_licences l WHERE l.center_id = @centerId ORDER BY l.valid_from DESC, l.number";

    private const string SelectLicence = "SELECT " + LicenceColumns + " FROM center_licences l WHERE l.center_id = @centerId AND l.id = @licenceId";

    private const string StatusChangeColumns = """
        x.id AS Id, x.licence_id AS LicenceId, x.status AS Status, x.effective_from AS EffectiveFrom, x.reason AS Reason, x.recorded_at AS RecordedAt
        """;

    private const string SelectStatusChangesOfCenter = "SELECT " + StatusChangeColumns + """
         FROM licence_status_changes x JOIN center_licences l ON l.id = x.licence_id
        WHERE l.center_id = @centerId ORDER BY x.effective_from, x.recorded_at, x.id
        """;

    private const string SelectStatusChangesOfLicence = "SELECT " + StatusChangeColumns + """
         FROM licence_status_changes x WHERE x.licence_id = @licenceId ORDER BY x.effective_from, x.recorded_at, x.id
        """;

    /// <summary>Every licence of the center with its latest status change on or before @on (one row with nulls when it has none).</summary>
    private const string SelectLicencesOnDate = """
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

    private const string InsertLicence = """
        INSERT INTO center_licences (id, center_id, number, valid_from, valid_to, created_at)
        VALUES (@Id, @CenterId, @Number, @ValidFrom, @ValidTo, @Now)
        """;

    private const string InsertStatusChange = """
        INSERT INTO licence_status_changes (id, licence_id, status, effective_from, reason, recorded_at, recorded_by_key_id)
        VALUES (@Id, @LicenceId, @Status, @EffectiveFrom, @Reason, @Now, @KeyId)
        """;

    // ---- Scope ----

    private const string ScopeColumns = """
        s.id AS Id, s.standard_code AS StandardCode, s.valid_from AS ValidFrom, s.valid_to AS ValidTo, s.reason AS Reason,
        s.end_reason AS EndReason, s.created_at AS CreatedAt
        """;

    private const string SelectScope = "SELECT " + ScopeColumns + " FROM center_scopes s WHERE s.center_id = @centerId ORDER BY s.standard_code, s.valid_from";

    private const string SelectScopeEntry = "SELECT " + ScopeColumns + " FROM center_scopes s WHERE s.center_id = @centerId AND s.id = @scopeId";

    private const string SelectOverlappingScope = "SELECT " + ScopeColumns + """
         FROM center_scopes s
        WHERE s.center_id = @CenterId AND s.standard_code = @StandardCode
          AND s.valid_from <= @To AND (s.valid_to IS NULL OR s.valid_to >= @From)
        ORDER BY s.valid_from
        """;

    private const string SelectInScopeCount = """
        SELECT COUNT(*) FROM center_scopes
        WHERE center_id = @centerId AND standard_code = @standardCode AND valid_from <= @on AND (valid_to IS NULL OR valid_to >= @on)
        """;

    private const string InsertScope = """
        INSERT INTO center_scopes (id, center_id, standard_code, valid_from, valid_to, reason, created_at)
        VALUES (@Id, @CenterId, @StandardCode, @ValidFrom, @ValidTo, @Reason, @Now)
        """;

    private const string UpdateScopeEnd = "UPDATE center_scopes SET valid_to = @ValidTo, end_reason = @Reason WHERE id = @Id";

    private DateOnly Today => RegistryCalendar.Today(clock);

    // ======== For other features, inside THEIR transaction ========

    /// <summary>Whether the center held an active licence on <paramref name="on"/>; when not, the reason names the licence and date.</summary>
    public async Task<LicenceCheck> CheckLicenceAsync(DbSession s, Guid centerId, DateOnly on)
    {
        var rows = (await s.QueryAsync<LicenceOnDateRow>(SelectLicencesOnDate, new { centerId, on })).ToList();
        if (rows.Count == 0) return new LicenceCheck(false, CenterLicenceStatus.Unlicensed, $"No training center has id {centerId}.", null, null);
        var licences = rows.Where(r => r.LicenceId is not null).Select(r => r.ToLicence()).ToList();
        return LicenceEvaluation.Evaluate(licences, on, rows[0].CenterCode);
    }

    /// <summary>Whether the center may assess the standard (by code) on that date.</summary>
    public async Task<bool> IsInScopeAsync(DbSession s, Guid centerId, string standardCode, DateOnly on) =>
        await s.ExecuteScalarAsync<long>(SelectInScopeCount, new { centerId, standardCode, on }) > 0;

    public async Task<CenterSummary?> FindAsync(DbSession s, Guid id)
    {
        var row = await s.QuerySingleOrDefaultAsync<CenterRow>(SelectCenterSummary, new { id });
        return row is null ? null : new CenterSummary(row.Id, row.Code, row.KindValue, row.NameFa, row.NameEn, row.ProvinceCode, row.Country);
    }

    // ======== Centers ========

    public async Task<Page<CenterDto>> ListAsync(CenterFilter filter, int page, int size, int offset, CancellationToken ct) =>
        await db.ReadAsync(async s =>
        {
            var args = FilterArgs(filter, size, offset);
            var rows = await s.QueryAsync<CenterRow>(SelectCenterPage, args);
            var total = await s.ExecuteScalarAsync<long>(SelectCenterCount, args);
            return new Page<CenterDto>(rows.Select(r => r.ToDto()).ToList(), page, size, total);
        }, ct);

    /// <summary>Every center matching the filter, for CSV export.</summary>
    public async Task<IReadOnlyList<CenterDto>> ExportAsync(CenterFilter filter, CancellationToken ct) =>
        await db.ReadAsync(async s => (IReadOnlyList<CenterDto>)(await s.QueryAsync<CenterRow>(SelectCenters, FilterArgs(filter, 0, 0)))
            .Select(r => r.ToDto()).ToList(), ct);

    private object FilterArgs(CenterFilter f, int limit, int offset) => new
    {
        today = Today, f.Kind, f.Province, f.Code, f.Status, f.Pattern,
        Restricted = f.OnlyCenterId is not null, OnlyId = f.OnlyCenterId ?? Guid.Empty, Limit = limit, Offset = offset,
    };

    public async Task<Versioned<CenterDetailDto>?> GetAsync(Guid id, CancellationToken ct) =>
        await db.ReadAsync(s => LoadDetailAsync(s, id), ct);

    public async Task<Versioned<CenterDetailDto>> CreateAsync(string code, CenterFields fields, Caller actor, CancellationToken ct) =>
        await db.WriteAsync(async s =>
        {
            await CheckReferencesAsync(s, fields);
            var id = Guid.CreateVersion7();
            var row = Parameters(id, fields, code);
            if (await s.TryExecuteAsync(InsertCenter, row) is var violation and not ConstraintViolation.None)
                throw violation == ConstraintViolation.Unique
                    ? RequestRejectedException.Conflict($"A training center with code {code} already exists.")
                    : new RequestRejectedException(422, "Unprocessable entity", $"The center could not be stored ({violation} constraint).");
            s.Audit(new AuditEntry(actor, "create", "center", id.ToString(), AuditFields(row)));
            return (await LoadDetailAsync(s, id))!;
        }, ct);

    public async Task<CenterUpdateResult> UpdateAsync(Guid id, long expected, CenterFields fields, Caller actor, CancellationToken ct) =>
        await db.WriteAsync(async s =>
        {
            var code = await s.QuerySingleOrDefaultAsync<string>(SelectCenterForUpdate + s.Dialect.ForUpdate, new { id });
            if (code is null) return new CenterUpdateResult(UpdateOutcome.NotFound, null, 0);
            await CheckReferencesAsync(s, fields);
            var parameters = Parameters(id, fields, code) with { Expected = expected };
            var changed = await s.ExecuteAsync(UpdateCenter, parameters);
            if (changed == 0) return new CenterUpdateResult(UpdateOutcome.Stale, null, await s.ExecuteScalarAsync<long>(SelectCenterVersion, new { id }));
            changes.SharedDataChanged(s); // verification shows the center's names
            s.Audit(new AuditEntry(actor, "update", "center", id.ToString(), AuditFields(parameters)));
            var detail = (await LoadDetailAsync(s, id))!;
            return new CenterUpdateResult(UpdateOutcome.Updated, detail, detail.Version);
        }, ct);

    public async Task<CenterUpdateResult> UpdateContactAsync(Guid id, long expected, ContactPatch patch, Caller actor, CancellationToken ct) =>
        await db.WriteAsync(async s =>
        {
            var row = await s.QuerySingleOrDefaultAsync<CenterRow>(SelectCenterById + s.Dialect.ForUpdate, new { id });
            if (row is null) return new CenterUpdateResult(UpdateOutcome.NotFound, null, 0);
            if (row.RowVersion != expected) return new CenterUpdateResult(UpdateOutcome.Stale, null, row.RowVersion);
            var contact = new
            {
                Address = patch.SetAddress ? patch.Address : row.Address,
                Phone = patch.SetPhone ? patch.Phone : row.Phone,
                Email = patch.SetEmail ? patch.Email : row.Email,
            };
            var changed = await s.ExecuteAsync(UpdateCenterContact,
                new { Id = id, Expected = expected, Now = clock.GetUtcNow(), contact.Address, contact.Phone, contact.Email });
            if (changed == 0) return new CenterUpdateResult(UpdateOutcome.Stale, null, await s.ExecuteScalarAsync<long>(SelectCenterVersion, new { id }));
            s.Audit(new AuditEntry(actor, "update-contact", "center", id.ToString(), contact));
            var detail = (await LoadDetailAsync(s, id))!;
            return new CenterUpdateResult(UpdateOutcome.Updated, detail, detail.Version);
        }, ct);

    private static async Task CheckReferencesAsync(DbSession s, CenterFields fields)
    {
        if (fields.ProvinceCode is { } code && await s.ExecuteScalarAsync<long>(SelectProvinceCount, new { code }) == 0)
            throw RequestRejectedException.Field("provinceCode", $"No province has code {code}; see the provinces reference list.", 400);
        if (fields.PartnerId is { } id && await s.ExecuteScalarAsync<long>(SelectPartnerCount, new { id }) == 0)
            throw RequestRejectedException.Field("partnerId", $"No partner agency has id {id}.", 400);
    }

    private CenterParameters Parameters(Guid id, CenterFields f, string code) => new(
        id, code, EnumText.ToText(f.Kind), f.NameFa, f.NameEn, f.ProvinceCode, f.Country, f.Region, f.City, f.Address, f.Phone, f.Email,
        f.PartnerId, PersianText.SearchText(code, f.NameFa, f.NameEn, f.City), clock.GetUtcNow());

    /// <summary>What the audit trail records of a center's fields (contact data included; no secrets exist here).</summary>
    private static object AuditFields(CenterParameters p) => new
    {
        p.Code, p.Kind, p.NameFa, p.NameEn, p.ProvinceCode, p.Country, p.Region, p.City, p.Address, p.Phone, p.Email, p.PartnerId,
    };

    private async Task<Versioned<CenterDetailDto>?> LoadDetailAsync(DbSession s, Guid id)
    {
        var row = await s.QuerySingleOrDefaultAsync<CenterRow>(SelectCenterById, new { id });
        if (row is null) return null;
        var today = Today;
        var licences = await LoadLicencesAsync(s, id, today);
        var scope = (await s.QueryAsync<ScopeRow>(SelectScope, new { centerId = id })).Select(r => r.ToDto(today)).ToList();
        var check = await CheckLicenceAsync(s, id, today);
        return new Versioned<CenterDetailDto>(row.ToDetail(check, licences, scope), row.RowVersion);
    }

    // ======== Licences ========

    public async Task<IReadOnlyList<LicenceDto>?> ListLicencesAsync(Guid centerId, CancellationToken ct) =>
        await db.ReadAsync(async s => await CenterExistsAsync(s, centerId) ? await LoadLicencesAsync(s, centerId, Today) : null, ct);

    public async Task<LicenceDto?> GetLicenceAsync(Guid centerId, Guid licenceId, CancellationToken ct) =>
        await db.ReadAsync(s => LoadLicenceAsync(s, centerId, licenceId), ct);

    public async Task<LicenceDto> CreateLicenceAsync(Guid centerId, NewLicence licence, Caller actor, CancellationToken ct) =>
        await db.WriteAsync(async s =>
        {
            await LockCenterAsync(s, centerId);
            var id = Guid.CreateVersion7();
            var now = clock.GetUtcNow();
            var inserted = await s.TryExecuteAsync(InsertLicence, new { Id = id, CenterId = centerId, licence.Number, licence.ValidFrom, licence.ValidTo, Now = now });
            if (inserted == ConstraintViolation.Unique)
                throw RequestRejectedException.Conflict($"Licence number {licence.Number} is already registered.");
            if (inserted != ConstraintViolation.None)
                throw new RequestRejectedException(422, "Unprocessable entity", $"The licence could not be stored ({inserted} constraint).");
            await s.ExecuteAsync(InsertStatusChange, new
            {
                Id = Guid.CreateVersion7(), LicenceId = id, Status = EnumText.ToText(LicenceDecision.Active),
                EffectiveFrom = licence.ValidFrom, Reason = "Licence issued.", Now = now, actor.KeyId,
            });
            s.Audit(new AuditEntry(actor, "create", "center-licence", id.ToString(), new { centerId, licence.Number, licence.ValidFrom, licence.ValidTo }));
            return (await LoadLicenceAsync(s, centerId, id))!;
        }, ct);

    /// <summary>Appends a status change; history is never edited. A revoked licence stays revoked: a new licence is needed.</summary>
    public async Task<LicenceDto> ChangeLicenceStatusAsync(Guid centerId, Guid licenceId, NewLicenceStatus change, Caller actor, CancellationToken ct) =>
        await db.WriteAsync(async s =>
        {
            await LockCenterAsync(s, centerId);
            var licence = await s.QuerySingleOrDefaultAsync<LicenceRow>(SelectLicence, new { centerId, licenceId })
                ?? throw RequestRejectedException.NotFound($"Training center {centerId} has no licence {licenceId}.");
            if (change.EffectiveFrom < licence.ValidFrom || (licence.ValidTo is { } to && change.EffectiveFrom > to))
                throw RequestRejectedException.Field("effectiveFrom",
                    $"Must fall within licence {licence.Number}'s period ({Iso(licence.ValidFrom)} to {(licence.ValidTo is { } t ? Iso(t) : "open")}).");
            var history = (await s.QueryAsync<StatusChangeRow>(SelectStatusChangesOfLicence, new { licenceId })).ToList();
            var revocation = history.FirstOrDefault(h => h.Status == EnumText.ToText(LicenceDecision.Revoked) && h.EffectiveFrom <= change.EffectiveFrom);
            if (revocation is not null)
                throw RequestRejectedException.Conflict(
                    $"Licence {licence.Number} was revoked from {Iso(revocation.EffectiveFrom)}; a revoked licence cannot change status. Issue a new licence.");
            var inForce = history.Where(h => h.EffectiveFrom <= change.EffectiveFrom).LastOrDefault();
            var status = EnumText.ToText(change.Status);
            if (inForce is not null && inForce.Status == status)
                throw RequestRejectedException.Conflict(
                    $"Licence {licence.Number} is already {status} on {Iso(change.EffectiveFrom)} (since {Iso(inForce.EffectiveFrom)}).");
            var id = Guid.CreateVersion7();
            await s.ExecuteAsync(InsertStatusChange, new
            {
                Id = id, LicenceId = licenceId, Status = status, change.EffectiveFrom, change.Reason, Now = clock.GetUtcNow(), actor.KeyId,
            });
            s.Audit(new AuditEntry(actor, "change-status", "center-licence", licenceId.ToString(),
                new { centerId, licence.Number, status, change.EffectiveFrom, change.Reason, statusChangeId = id }));
            return (await LoadLicenceAsync(s, centerId, licenceId))!;
        }, ct);

    private async Task<LicenceDto?> LoadLicenceAsync(DbSession s, Guid centerId, Guid licenceId)
    {
        var licence = await s.QuerySingleOrDefaultAsync<LicenceRow>(SelectLicence, new { centerId, licenceId });
        if (licence is null) return null;
        var changes = (await s.QueryAsync<StatusChangeRow>(SelectStatusChangesOfLicence, new { licenceId })).ToList();
        return ToLicenceDto(licence, changes, Today);
    }

    private static async Task<IReadOnlyList<LicenceDto>> LoadLicencesAsync(DbSession s, Guid centerId, DateOnly today)
    {
        var licences = await s.QueryAsync<LicenceRow>(SelectLicences, new { centerId });
        var changes = (await s.QueryAsync<StatusChangeRow>(SelectStatusChangesOfCenter, new { centerId })).ToLookup(c => c.LicenceId);
        return licences.Select(l => ToLicenceDto(l, changes[l.Id].ToList(), today)).ToList();
    }

    /// <summary>Status changes come ordered by effective_from, recorded_at, id, the same order the SQL uses to pick the latest.</summary>
    private static LicenceDto ToLicenceDto(LicenceRow l, IReadOnlyList<StatusChangeRow> changes, DateOnly today)
    {
        var latest = changes.LastOrDefault(c => c.EffectiveFrom <= today);
        var onDate = new LicenceOnDate
        {
            LicenceId = l.Id, Number = l.Number, ValidFrom = l.ValidFrom, ValidTo = l.ValidTo,
            Status = latest?.Status, StatusFrom = latest?.EffectiveFrom, StatusReason = latest?.Reason,
        };
        var status = LicenceEvaluation.Evaluate([onDate], today, "").Status;
        return new LicenceDto(l.Id, l.Number, l.ValidFrom, l.ValidTo, status, changes.Select(c => c.ToDto()).ToList(), l.CreatedAt);
    }

    // ======== Scope ========

    public async Task<IReadOnlyList<ScopeEntryDto>?> ListScopeAsync(Guid centerId, CancellationToken ct) =>
        await db.ReadAsync(async s =>
        {
            if (!await CenterExistsAsync(s, centerId)) return null;
            var today = Today;
            return (IReadOnlyList<ScopeEntryDto>)(await s.QueryAsync<ScopeRow>(SelectScope, new { centerId })).Select(r => r.ToDto(today)).ToList();
        }, ct);

    public async Task<ScopeEntryDto?> GetScopeEntryAsync(Guid centerId, Guid scopeId, CancellationToken ct) =>
        await db.ReadAsync(async s => (await s.QuerySingleOrDefaultAsync<ScopeRow>(SelectScopeEntry, new { centerId, scopeId }))?.ToDto(Today), ct);

    public async Task<ScopeEntryDto> AddScopeAsync(Guid centerId, NewScopeEntry entry, Caller actor, CancellationToken ct) =>
        await db.WriteAsync(async s =>
        {
            await LockCenterAsync(s, centerId);
            if (await s.ExecuteScalarAsync<long>(SelectStandardCount, new { code = entry.StandardCode }) == 0)
                throw RequestRejectedException.Field("standardCode", $"No competency standard has code {entry.StandardCode}.", 400);
            var overlap = await s.QueryAsync<ScopeRow>(SelectOverlappingScope, new
            {
                CenterId = centerId, entry.StandardCode, From = entry.ValidFrom, To = entry.ValidTo ?? DateOnly.MaxValue,
            });
            if (overlap.FirstOrDefault() is { } existing)
                throw RequestRejectedException.Conflict(
                    $"The center's scope already covers standard {entry.StandardCode} from {Iso(existing.ValidFrom)} to " +
                    $"{(existing.ValidTo is { } t ? Iso(t) : "open")} (entry {existing.Id}); periods for the same standard may not overlap.");
            var id = Guid.CreateVersion7();
            await s.ExecuteAsync(InsertScope, new { Id = id, CenterId = centerId, entry.StandardCode, entry.ValidFrom, entry.ValidTo, entry.Reason, Now = clock.GetUtcNow() });
            s.Audit(new AuditEntry(actor, "add", "center-scope", id.ToString(), new { centerId, entry.StandardCode, entry.ValidFrom, entry.ValidTo, entry.Reason }));
            return (await s.QuerySingleAsync<ScopeRow>(SelectScopeEntry, new { centerId, scopeId = id })).ToDto(Today);
        }, ct);

    /// <summary>Sets the last day of a scope entry. It may shorten a period, never lengthen it (that could overlap another entry).</summary>
    public async Task<ScopeEntryDto> EndScopeAsync(Guid centerId, Guid scopeId, DateOnly validTo, string reason, Caller actor, CancellationToken ct) =>
        await db.WriteAsync(async s =>
        {
            await LockCenterAsync(s, centerId);
            var entry = await s.QuerySingleOrDefaultAsync<ScopeRow>(SelectScopeEntry, new { centerId, scopeId })
                ?? throw RequestRejectedException.NotFound($"Training center {centerId} has no scope entry {scopeId}.");
            if (validTo < entry.ValidFrom)
                throw RequestRejectedException.Field("validTo", $"Must be on or after the entry's start, {Iso(entry.ValidFrom)}.");
            if (entry.ValidTo is { } current && validTo > current)
                throw RequestRejectedException.Conflict(
                    $"This scope entry already ends on {Iso(current)}; an end date cannot be moved later. Add a new scope entry instead.");
            await s.ExecuteAsync(UpdateScopeEnd, new { Id = scopeId, ValidTo = validTo, Reason = reason });
            s.Audit(new AuditEntry(actor, "end", "center-scope", scopeId.ToString(),
                new { centerId, entry.StandardCode, previousValidTo = entry.ValidTo, validTo, reason }));
            return (await s.QuerySingleAsync<ScopeRow>(SelectScopeEntry, new { centerId, scopeId })).ToDto(Today);
        }, ct);

    // ======== Helpers ========

    private static async Task<bool> CenterExistsAsync(DbSession s, Guid id) =>
        await s.QuerySingleOrDefaultAsync<string>(SelectCenterForUpdate, new { id }) is not null;

    /// <summary>Locks the center row so checks and inserts on its licences and scope are not raced; 404 when it does not exist.</summary>
    private static async Task LockCenterAsync(DbSession s, Guid id)
    {
        if (await s.QuerySingleOrDefaultAsync<string>(SelectCenterForUpdate + s.Dialect.ForUpdate, new { id }) is null)
            throw RequestRejectedException.NotFound($"No training center has id {id}.");
    }

    private static string Iso(DateOnly date) => date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    private sealed record CenterParameters(
        Guid Id, string Code, string Kind, string NameFa, string NameEn, string? ProvinceCode, string Country, string? Region,
        string City, string? Address, string? Phone, string? Email, Guid? PartnerId, string SearchText, DateTimeOffset Now)
    {
        public long Expected { get; init; }
    }

    private sealed class LicenceOnDateRow
    {
        public string CenterCode { get; init; } = "";
        public Guid? LicenceId { get; init; }
        public string? Number { get; init; }
        public DateOnly? ValidFrom { get; init; }
        public DateOnly? ValidTo { get; init; }
        public string? Status { get; init; }
        public DateOnly? StatusFrom { get; init; }
        public string? StatusReason { get; init; }

        public LicenceOnDate ToLicence() => new()
        {
            LicenceId = LicenceId!.Value, Number = Number!, ValidFrom = ValidFrom!.Value, ValidTo = ValidTo,
            Status = Status, StatusFrom = StatusFrom, StatusReason = StatusReason,
        };
    }
}
