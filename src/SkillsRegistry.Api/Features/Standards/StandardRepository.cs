using SkillsRegistry.Api.Features.Partners;
using SkillsRegistry.Api.Features.Webhooks;
using SkillsRegistry.Api.Infrastructure.Text;
using SkillsRegistry.Api.Infrastructure.Audit;
using SkillsRegistry.Api.Infrastructure.Auth;
using SkillsRegistry.Api.Infrastructure.Caching;
using SkillsRegistry.Api.Infrastructure.Data;
using SkillsRegistry.Api.Infrastructure.Http;
using SkillsRegistry.Api.Infrastructure.Outcomes;
using static SkillsRegistry.Api.Features.Standards.StandardSql;

namespace SkillsRegistry.Api.Features.Standards;

/// <summary>
/// Competency standards: versions of a national code and their lifecycle. An active version is immutable; a change is a
/// new version that supersedes it. At most one version of a code is active (enforced again by a unique index, 0004).
/// Who may draft what is decided by <see cref="StandardDrafting"/> before it calls the drafting methods here.
/// </summary>
public sealed class StandardRepository(Db db, TimeProvider clock, RegistryChanges changes)
{
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

    /// <summary>Every match of the filter, for the CSV export.</summary>
    internal Task<IReadOnlyList<StandardRow>> ExportAsync(StandardFilter filter, CancellationToken ct) =>
        db.ReadReplicaAsync<IReadOnlyList<StandardRow>>(async s => (await s.QueryAsync<StandardRow>(SelectExport, FilterArgs(filter))).ToList(), ct);

    /// <summary>Every version of a code, newest first; empty when the code is unknown.</summary>
    public Task<IReadOnlyList<StandardDto>> ListVersionsAsync(string code, CancellationToken ct) =>
        db.ReadAsync(async s => await ToDtosAsync(s, await VersionsOfCodeAsync(s, code), CodeScope, new { code }), ct);

    /// <summary>The version in force on a date; <c>CodeKnown</c> tells an unknown code from a code with no version on that date.</summary>
    public Task<(bool CodeKnown, StandardDto? Standard)> FindInForceAsync(string code, DateOnly on, CancellationToken ct) =>
        db.ReadAsync<(bool, StandardDto?)>(async s =>
        {
            var row = await s.QuerySingleOrDefaultAsync<StandardRow>(SelectInForce, new { code, on });
            if (row is not null) return (true, (await ToDtosAsync(s, [row], OneScope, new { id = row.Id }))[0]);
            return (await s.ExecuteScalarAsync<long>(SelectCodeExists, new { code }) > 0, null);
        }, ct);

    // ---- Drafting, inside the transaction of StandardDrafting (which has decided that the caller may) ----

    /// <summary>One version, locked for the rest of the transaction; null when no version has the id.</summary>
    internal async Task<StandardRow?> LockAsync(DbSession s, Guid id) =>
        await s.QuerySingleOrDefaultAsync<StandardRow>(SelectById + s.Dialect.ForUpdate, new { id });

    /// <summary>Every version of a code, newest first.</summary>
    internal async Task<IReadOnlyList<StandardRow>> VersionsOfCodeAsync(DbSession s, string code) =>
        (await s.QueryAsync<StandardRow>(SelectVersionsOfCode, new { code })).ToList();

    internal Task<VersionRef?> FindDraftOfCodeAsync(DbSession s, string code) =>
        s.QuerySingleOrDefaultAsync<VersionRef>(SelectDraftOfCode, new { code });

    /// <summary>The partner agencies named as co-authors of a version, by code.</summary>
    internal async Task<IReadOnlyList<Guid>> CoAuthorsAsync(DbSession s, Guid standardId) =>
        (await s.QueryAsync<PartnerRow>(OneScope.Partners, new { id = standardId })).Select(p => p.Id).ToList();

    /// <summary>An invalid-field rejection naming the sector and co-authors that do not exist; null when all of them do.</summary>
    internal async Task<Rejection?> FindUnknownReferencesAsync(DbSession s, StandardFields fields)
    {
        var errors = new ValidationErrors();
        if (await s.ExecuteScalarAsync<long>(SelectSectorExists, new { sector = fields.Sector }) == 0)
            errors.Add("sector", $"No sector has code '{fields.Sector}'. See GET /api/v1/sectors.");
        var partners = await PartnerRepository.ExistingAsync(s, fields.PartnerIds);
        foreach (var id in fields.PartnerIds.Where(id => !partners.Contains(id))) errors.Add("partnerIds", $"No partner agency has id {id}.");
        if (errors.IsEmpty) return null;
        var byField = new Dictionary<string, string[]>(errors.ToDictionary());
        return Rejection.InvalidFields(byField, "The request names records that do not exist: " + string.Join(", ", byField.Keys) + ".");
    }

    /// <summary>Inserts a draft; a partner caller is recorded as its drafter and co-author.</summary>
    internal async Task<Outcome<StoredStandard>> InsertDraftAsync(DbSession s, string code, int version, StandardFields fields, Caller actor)
    {
        var id = Guid.CreateVersion7();
        var args = Params(id, code, fields) with { Version = version, DraftedByPartnerId = actor.IsPartner ? actor.PartnerId : null };
        if (await s.TryExecuteAsync(InsertStandard, args) == ConstraintViolation.Unique)
            return Rejection.Conflict($"Version {version} of standard {code} was created by someone else meanwhile; reload its versions.");
        await InsertPartnersAsync(s, id, CoAuthors(fields, actor));
        s.Audit(new AuditEntry(actor, "create", "standard", id.ToString(), AuditFields(code, version, fields, actor)));
        return (await LoadAsync(s, id))!;
    }

    /// <summary>Replaces a draft's fields; <paramref name="keptCoAuthors"/> (a partner's edit) are stored instead of the fields' own.</summary>
    internal async Task<Outcome<StoredStandard>> UpdateDraftAsync(
        DbSession s, StandardRow row, StandardFields fields, long expected, IReadOnlyList<Guid>? keptCoAuthors, Caller actor)
    {
        if (row.RowVersion != expected) return Rejection.Stale(row.RowVersion);
        var changed = await s.ExecuteAsync(UpdateDraft, Params(row.Id, row.Code, fields) with { Expected = expected });
        if (changed != 1) return Rejection.Stale(row.RowVersion);
        await s.ExecuteAsync(DeleteStandardPartners, new { standardId = row.Id });
        await InsertPartnersAsync(s, row.Id, keptCoAuthors ?? CoAuthors(fields, actor));
        s.Audit(new AuditEntry(actor, "update", "standard", row.Id.ToString(), AuditFields(row.Code, row.Version, fields, actor)));
        return (await LoadAsync(s, row.Id))!;
    }

    // ---- Lifecycle (admin) ----

    public Task<Outcome<StoredStandard>> ActivateAsync(Guid id, DateOnly? effectiveFrom, long expected, Caller actor, CancellationToken ct) =>
        db.TryWriteAsync<StoredStandard>(async s =>
        {
            if (await LockAsync(s, id) is not { } row) return Rejection.NotFound(StandardNotFound.Id(id));
            if (row.StatusValue != StandardStatus.Draft)
                return Rejection.Conflict($"Version {row.Version} of standard {row.Code} is {row.Status}; only a draft can be activated.");
            if (row.RowVersion != expected) return Rejection.Stale(row.RowVersion);
            if (await ActivateDraftAsync(s, row, effectiveFrom ?? Today, actor, viaSupersede: false) is { } refused) return refused;
            return (await LoadAsync(s, id))!;
        }, ct);

    /// <summary>The old (active) version ends the day before <paramref name="effectiveFrom"/>; the replacement is active from it.</summary>
    public Task<Outcome<SupersessionResult>> SupersedeAsync(Guid id, Guid replacementId, bool equivalent, DateOnly? effectiveFrom, long expected,
        Caller actor, CancellationToken ct) =>
        db.TryWriteAsync<SupersessionResult>(async s =>
        {
            if (await LockAsync(s, id) is not { } old) return Rejection.NotFound(StandardNotFound.Id(id));
            if (old.StatusValue != StandardStatus.Active)
                return Rejection.Conflict($"Version {old.Version} of standard {old.Code} is {old.Status}; only an active version can be superseded.");
            if (old.RowVersion != expected) return Rejection.Stale(old.RowVersion);
            if (replacementId == id) return Rejection.UnprocessableField("replacementId", "A version cannot supersede itself.");
            if (await LockAsync(s, replacementId) is not { } replacement)
                return Rejection.UnprocessableField("replacementId", $"No standard version has id {replacementId}.");
            var from = effectiveFrom ?? Today;
            if (old.EffectiveFrom is { } oldFrom && from <= oldFrom)
                return Rejection.UnprocessableField("effectiveFrom",
                    $"Must be after {oldFrom:yyyy-MM-dd}, when version {old.Version} of {old.Code} took effect (it stays in force until the day before).");
            if (RefuseReplacement(old, replacement) is { } unfit) return unfit;

            var to = from.AddDays(-1);
            var changed = await s.ExecuteAsync(UpdateSupersede,
                new { Id = id, Expected = expected, To = to, ReplacementId = replacementId, Equivalent = equivalent, Now = clock.GetUtcNow() });
            if (changed != 1) return Rejection.Stale(old.RowVersion);
            changes.SharedDataChanged(s); // verification shows a superseded standard's current equivalent
            await WebhookEvents.StandardAsync(s, WebhookEventTypes.StandardSuperseded, id, clock.GetUtcNow());
            s.Audit(new AuditEntry(actor, "supersede", "standard", id.ToString(), new
            {
                old.Code, old.Version, ReplacementId = replacementId, ReplacementCode = replacement.Code,
                ReplacementVersion = replacement.Version, Equivalent = equivalent, EffectiveTo = to,
            }));
            if (replacement.StatusValue == StandardStatus.Draft
                && await ActivateDraftAsync(s, replacement, from, actor, viaSupersede: true) is { } refused)
                return refused;
            return new SupersessionResult((await LoadAsync(s, id))!, (await LoadAsync(s, replacementId))!.Standard);
        }, ct);

    public Task<Outcome<StoredStandard>> WithdrawAsync(Guid id, string reason, DateOnly? effectiveTo, long expected, Caller actor, CancellationToken ct) =>
        db.TryWriteAsync<StoredStandard>(async s =>
        {
            if (await LockAsync(s, id) is not { } row) return Rejection.NotFound(StandardNotFound.Id(id));
            if (row.StatusValue != StandardStatus.Active)
                return Rejection.Conflict($"Version {row.Version} of standard {row.Code} is {row.Status}; only an active version can be withdrawn.");
            if (row.RowVersion != expected) return Rejection.Stale(row.RowVersion);
            var to = effectiveTo ?? Today;
            if (row.EffectiveFrom is { } from && to < from)
                return Rejection.UnprocessableField("effectiveTo", $"Must be on or after {from:yyyy-MM-dd}, when this version took effect.");
            var changed = await s.ExecuteAsync(UpdateWithdraw, new { Id = id, Expected = expected, To = to, Reason = reason, Now = clock.GetUtcNow() });
            if (changed != 1) return Rejection.Stale(row.RowVersion);
            s.Audit(new AuditEntry(actor, "withdraw", "standard", id.ToString(), new { row.Code, row.Version, EffectiveTo = to, Reason = reason }));
            return (await LoadAsync(s, id))!;
        }, ct);

    // ---- Internals ----

    /// <summary>A version of the same code is replaced by a later draft; another code maps only to a draft or active version.</summary>
    private static Rejection? RefuseReplacement(StandardRow old, StandardRow replacement)
    {
        if (replacement.Code != old.Code)
            return replacement.StatusValue is StandardStatus.Draft or StandardStatus.Active ? null
                : Rejection.Conflict($"Version {replacement.Version} of standard {replacement.Code} is {replacement.Status}; a standard can map only to a draft or active version.");
        if (replacement.StatusValue != StandardStatus.Draft)
            return Rejection.Conflict(
                $"Version {replacement.Version} of standard {replacement.Code} is {replacement.Status}; a version of the same code is replaced by a draft.");
        if (replacement.Version < old.Version)
            return Rejection.Conflict($"Version {replacement.Version} is older than version {old.Version}; a version is superseded by a later one.");
        return null;
    }

    private async Task<Rejection?> ActivateDraftAsync(DbSession s, StandardRow row, DateOnly from, Caller actor, bool viaSupersede)
    {
        if (await s.QuerySingleOrDefaultAsync<VersionRef>(SelectActiveOfCode, new { code = row.Code, id = row.Id }) is { } active)
            return Rejection.Conflict(viaSupersede
                ? $"Standard {row.Code} already has an active version ({active.Version}); supersede it by version {row.Version} first, then map to {row.Code}."
                : $"Version {active.Version} of standard {row.Code} is active. Activate version {row.Version} by superseding it: " +
                  $"POST /api/v1/standards/{active.Id}/supersede with replacementId {row.Id}.");
        if (await s.QuerySingleOrDefaultAsync<EndedVersion>(SelectOverlapping, new { code = row.Code, id = row.Id, from }) is { } overlap)
            return Rejection.UnprocessableField("effectiveFrom",
                $"Version {overlap.Version} of {row.Code} was in force until {overlap.EffectiveTo:yyyy-MM-dd}; version {row.Version} must take effect after that.");
        var violation = await s.TryExecuteAsync(UpdateActivate, new { Id = row.Id, From = from, Now = clock.GetUtcNow() });
        if (violation == ConstraintViolation.Unique)
            return Rejection.Conflict($"Another version of standard {row.Code} was activated meanwhile; reload its versions.");
        s.Audit(new AuditEntry(actor, "activate", "standard", row.Id.ToString(), new { row.Code, row.Version, EffectiveFrom = from }));
        await WebhookEvents.StandardAsync(s, WebhookEventTypes.StandardActivated, row.Id, clock.GetUtcNow());
        return null;
    }

    private static IReadOnlyList<Guid> CoAuthors(StandardFields fields, Caller actor) =>
        actor.IsPartner && actor.PartnerId is { } own && !fields.PartnerIds.Contains(own) ? [.. fields.PartnerIds, own] : fields.PartnerIds;

    private static Task<int> InsertPartnersAsync(DbSession s, Guid standardId, IReadOnlyList<Guid> partnerIds) =>
        s.InsertRowsAsync(StandardPartners, partnerIds.Select(partnerId => new StandardPartnerRow(standardId, partnerId)).ToList());

    private static object AuditFields(string code, int version, StandardFields f, Caller actor) => new
    {
        Code = code, Version = version, f.IscoCode, f.Sector, f.TitleFa, f.TitleEn, f.TheoryHours, f.PracticalHours,
        f.TheoryPassMark, f.PracticalPassMark, f.ValidityMonths, PartnerIds = CoAuthors(f, actor), f.Assessors,
    };

    private sealed record WriteArgs(
        Guid Id, string Code, int Version, string IscoCode, string Sector, string TitleFa, string TitleEn, int TheoryHours, int PracticalHours,
        decimal TheoryPassMark, decimal PracticalPassMark, int? ValidityMonths, Guid? DraftedByPartnerId, string SearchText,
        DateTimeOffset Now, long Expected, int? RefresherHours, int? RefresherMonths, bool RequiresPartnerAssessor);

    private WriteArgs Params(Guid id, string code, StandardFields f) => new(
        id, code, 0, f.IscoCode, f.Sector, f.TitleFa, f.TitleEn, f.TheoryHours, f.PracticalHours, f.TheoryPassMark, f.PracticalPassMark,
        f.ValidityMonths, null, PersianText.SearchText(code, f.TitleFa, f.TitleEn), clock.GetUtcNow(), 0,
        f.Assessors.RefresherHours, f.Assessors.RefresherMonths, f.Assessors.RequiresPartnerAssessor);

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
            r.DraftedByPartnerId, partners[r.Id].Select(p => p.ToDto()).ToList(), r.CreatedAt, r.UpdatedAt) { Assessors = r.Assessors }).ToList();
    }
}

/// <summary>The superseded version (with its row version, for the ETag) and the replacement as it is now.</summary>
public sealed record SupersessionResult(StoredStandard Superseded, StandardDto Replacement);
