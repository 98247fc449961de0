using SkillsRegistry.Api.Features.Partners;
using SkillsRegistry.Api.Infrastructure.Text;
using SkillsRegistry.Api.Infrastructure.Audit;
using SkillsRegistry.Api.Infrastructure.Auth;
using SkillsRegistry.Api.Infrastructure.Caching;
using SkillsRegistry.Api.Infrastructure.Data;
using SkillsRegistry.Api.Infrastructure.Http;
using SkillsRegistry.Api.Infrastructure.Outcomes;

using static SkillsRegistry.Api.Features.Centers.CenterSql;

namespace SkillsRegistry.Api.Features.Centers;

public sealed class CenterRepository(Db db, TimeProvider clock, RegistryChanges changes)
{
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
        await db.ReadReplicaAsync(async s => (IReadOnlyList<CenterDto>)(await s.QueryAsync<CenterRow>(SelectCenters, FilterArgs(filter, 0, 0)))
            .Select(r => r.ToDto()).ToList(), ct);

    private object FilterArgs(CenterFilter f, int limit, int offset) => new
    {
        today = Today, f.Kind, f.Province, f.Code, f.Status, f.Pattern,
        Restricted = f.OnlyCenterId is not null, OnlyId = f.OnlyCenterId ?? Guid.Empty, Limit = limit, Offset = offset,
    };

    public async Task<Versioned<CenterDetailDto>?> GetAsync(Guid id, CancellationToken ct) =>
        await db.ReadAsync(s => LoadDetailAsync(s, id), ct);

    public async Task<Outcome<Versioned<CenterDetailDto>>> CreateAsync(string code, CenterFields fields, Caller actor, CancellationToken ct) =>
        await db.TryWriteAsync<Versioned<CenterDetailDto>>(async s =>
        {
            if (await CheckReferencesAsync(s, fields) is { } unknown) return unknown;
            var id = Guid.CreateVersion7();
            var row = Parameters(id, fields, code);
            if (await s.TryExecuteAsync(InsertCenter, row) is var violation and not ConstraintViolation.None)
                return violation == ConstraintViolation.Unique
                    ? Rejection.Conflict($"A training center with code {code} already exists.")
                    : Rejection.Unprocessable($"The center could not be stored ({violation} constraint).");
            s.Audit(new AuditEntry(actor, "create", "center", id.ToString(), AuditFields(row)));
            return (await LoadDetailAsync(s, id))!;
        }, ct);

    public async Task<Outcome<Versioned<CenterDetailDto>>> UpdateAsync(Guid id, long expected, CenterFields fields, Caller actor, CancellationToken ct) =>
        await db.TryWriteAsync<Versioned<CenterDetailDto>>(async s =>
        {
            var code = await s.QuerySingleOrDefaultAsync<string>(SelectCenterForUpdate + s.Dialect.ForUpdate, new { id });
            if (code is null) return NoSuchCenter(id);
            if (await CheckReferencesAsync(s, fields) is { } unknown) return unknown;
            var parameters = Parameters(id, fields, code) with { Expected = expected };
            var changed = await s.ExecuteAsync(UpdateCenter, parameters);
            if (changed == 0) return Rejection.Stale(await s.ExecuteScalarAsync<long>(SelectCenterVersion, new { id }));
            changes.SharedDataChanged(s); // verification shows the center's names
            s.Audit(new AuditEntry(actor, "update", "center", id.ToString(), AuditFields(parameters)));
            return (await LoadDetailAsync(s, id))!;
        }, ct);

    public async Task<Outcome<Versioned<CenterDetailDto>>> UpdateContactAsync(Guid id, long expected, ContactPatch patch, Caller actor, CancellationToken ct) =>
        await db.TryWriteAsync<Versioned<CenterDetailDto>>(async s =>
        {
            var row = await s.QuerySingleOrDefaultAsync<CenterRow>(SelectCenterById + s.Dialect.ForUpdate, new { id });
            if (row is null) return NoSuchCenter(id);
            if (row.RowVersion != expected) return Rejection.Stale(row.RowVersion);
            var contact = new
            {
                Address = patch.SetAddress ? patch.Address : row.Address,
                Phone = patch.SetPhone ? patch.Phone : row.Phone,
                Email = patch.SetEmail ? patch.Email : row.Email,
            };
            var changed = await s.ExecuteAsync(UpdateCenterContact,
                new { Id = id, Expected = expected, Now = clock.GetUtcNow(), contact.Address, contact.Phone, contact.Email });
            if (changed == 0) return Rejection.Stale(await s.ExecuteScalarAsync<long>(SelectCenterVersion, new { id }));
            s.Audit(new AuditEntry(actor, "update-contact", "center", id.ToString(), contact));
            return (await LoadDetailAsync(s, id))!;
        }, ct);

    private static async Task<Rejection?> CheckReferencesAsync(DbSession s, CenterFields fields)
    {
        if (fields.ProvinceCode is { } code && await s.ExecuteScalarAsync<long>(SelectProvinceCount, new { code }) == 0)
            return Rejection.InvalidField("provinceCode", $"No province has code {code}; see the provinces reference list.");
        if (fields.PartnerId is { } id && !await PartnerRepository.ExistsAsync(s, id))
            return Rejection.InvalidField("partnerId", $"No partner agency has id {id}.");
        return null;
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

    public async Task<Outcome<LicenceDto>> CreateLicenceAsync(Guid centerId, NewLicence licence, Caller actor, CancellationToken ct) =>
        await db.TryWriteAsync<LicenceDto>(async s =>
        {
            if (await LockCenterAsync(s, centerId) is { } missing) return missing;
            var id = Guid.CreateVersion7();
            var now = clock.GetUtcNow();
            var inserted = await s.TryExecuteAsync(InsertLicence, new { Id = id, CenterId = centerId, licence.Number, licence.ValidFrom, licence.ValidTo, Now = now });
            if (inserted == ConstraintViolation.Unique)
                return Rejection.Conflict($"Licence number {licence.Number} is already registered.");
            if (inserted != ConstraintViolation.None)
                return Rejection.Unprocessable($"The licence could not be stored ({inserted} constraint).");
            await s.ExecuteAsync(InsertStatusChange, new
            {
                Id = Guid.CreateVersion7(), LicenceId = id, Status = EnumText.ToText(LicenceDecision.Active),
                EffectiveFrom = licence.ValidFrom, Reason = "Licence issued.", Now = now, actor.KeyId,
            });
            s.Audit(new AuditEntry(actor, "create", "center-licence", id.ToString(), new { centerId, licence.Number, licence.ValidFrom, licence.ValidTo }));
            return (await LoadLicenceAsync(s, centerId, id))!;
        }, ct);

    /// <summary>Appends a status change; history is never edited. A revoked licence stays revoked: a new licence is needed.</summary>
    public async Task<Outcome<LicenceDto>> ChangeLicenceStatusAsync(Guid centerId, Guid licenceId, NewLicenceStatus change, Caller actor, CancellationToken ct) =>
        await db.TryWriteAsync<LicenceDto>(async s =>
        {
            if (await LockCenterAsync(s, centerId) is { } missing) return missing;
            var licence = await s.QuerySingleOrDefaultAsync<LicenceRow>(SelectLicence, new { centerId, licenceId });
            if (licence is null) return Rejection.NotFound($"Training center {centerId} has no licence {licenceId}.");
            if (change.EffectiveFrom < licence.ValidFrom || (licence.ValidTo is { } to && change.EffectiveFrom > to))
                return Rejection.UnprocessableField("effectiveFrom",
                    $"Must fall within licence {licence.Number}'s period ({Iso(licence.ValidFrom)} to {(licence.ValidTo is { } t ? Iso(t) : "open")}).");
            var history = (await s.QueryAsync<StatusChangeRow>(SelectStatusChangesOfLicence, new { licenceId })).ToList();
            var revocation = history.FirstOrDefault(h => h.Status == EnumText.ToText(LicenceDecision.Revoked) && h.EffectiveFrom <= change.EffectiveFrom);
            if (revocation is not null)
                return Rejection.Conflict(
                    $"Licence {licence.Number} was revoked from {Iso(revocation.EffectiveFrom)}; a revoked licence cannot change status. Issue a new licence.");
            var inForce = history.Where(h => h.EffectiveFrom <= change.EffectiveFrom).LastOrDefault();
            var status = EnumText.ToText(change.Status);
            if (inForce is not null && inForce.Status == status)
                return Rejection.Conflict(
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

    public async Task<Outcome<ScopeEntryDto>> AddScopeAsync(Guid centerId, NewScopeEntry entry, Caller actor, CancellationToken ct) =>
        await db.TryWriteAsync<ScopeEntryDto>(async s =>
        {
            if (await LockCenterAsync(s, centerId) is { } missing) return missing;
            if (await s.ExecuteScalarAsync<long>(SelectStandardCount, new { code = entry.StandardCode }) == 0)
                return Rejection.InvalidField("standardCode", $"No competency standard has code {entry.StandardCode}.");
            var overlap = await s.QueryAsync<ScopeRow>(SelectOverlappingScope, new
            {
                CenterId = centerId, entry.StandardCode, From = entry.ValidFrom, To = entry.ValidTo ?? DateOnly.MaxValue,
            });
            if (overlap.FirstOrDefault() is { } existing)
                return Rejection.Conflict(
                    $"The center's scope already covers standard {entry.StandardCode} from {Iso(existing.ValidFrom)} to " +
                    $"{(existing.ValidTo is { } t ? Iso(t) : "open")} (entry {existing.Id}); periods for the same standard may not overlap.");
            var id = Guid.CreateVersion7();
            await s.ExecuteAsync(InsertScope, new { Id = id, CenterId = centerId, entry.StandardCode, entry.ValidFrom, entry.ValidTo, entry.Reason, Now = clock.GetUtcNow() });
            s.Audit(new AuditEntry(actor, "add", "center-scope", id.ToString(), new { centerId, entry.StandardCode, entry.ValidFrom, entry.ValidTo, entry.Reason }));
            return (await s.QuerySingleAsync<ScopeRow>(SelectScopeEntry, new { centerId, scopeId = id })).ToDto(Today);
        }, ct);

    /// <summary>Sets the last day of a scope entry. It may shorten a period, never lengthen it (that could overlap another entry).</summary>
    public async Task<Outcome<ScopeEntryDto>> EndScopeAsync(Guid centerId, Guid scopeId, DateOnly validTo, string reason, Caller actor, CancellationToken ct) =>
        await db.TryWriteAsync<ScopeEntryDto>(async s =>
        {
            if (await LockCenterAsync(s, centerId) is { } missing) return missing;
            var entry = await s.QuerySingleOrDefaultAsync<ScopeRow>(SelectScopeEntry, new { centerId, scopeId });
            if (entry is null) return Rejection.NotFound($"Training center {centerId} has no scope entry {scopeId}.");
            if (validTo < entry.ValidFrom)
                return Rejection.UnprocessableField("validTo", $"Must be on or after the entry's start, {Iso(entry.ValidFrom)}.");
            if (entry.ValidTo is { } current && validTo > current)
                return Rejection.Conflict(
                    $"This scope entry already ends on {Iso(current)}; an end date cannot be moved later. Add a new scope entry instead.");
            await s.ExecuteAsync(UpdateScopeEnd, new { Id = scopeId, ValidTo = validTo, Reason = reason });
            s.Audit(new AuditEntry(actor, "end", "center-scope", scopeId.ToString(),
                new { centerId, entry.StandardCode, previousValidTo = entry.ValidTo, validTo, reason }));
            return (await s.QuerySingleAsync<ScopeRow>(SelectScopeEntry, new { centerId, scopeId })).ToDto(Today);
        }, ct);

    // ======== Helpers ========

    private static async Task<bool> CenterExistsAsync(DbSession s, Guid id) =>
        await s.QuerySingleOrDefaultAsync<string>(SelectCenterForUpdate, new { id }) is not null;

    /// <summary>Locks the center row so checks and inserts on its licences and scope are not raced; a rejection when it does not exist.</summary>
    private static async Task<Rejection?> LockCenterAsync(DbSession s, Guid id) =>
        await s.QuerySingleOrDefaultAsync<string>(SelectCenterForUpdate + s.Dialect.ForUpdate, new { id }) is null ? NoSuchCenter(id) : null;

    internal static Rejection NoSuchCenter(Guid id) => Rejection.NotFound($"No training center has id {id}.");

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
