using SkillsRegistry.Api.Features.Partners;
using SkillsRegistry.Api.Infrastructure.Text;
using SkillsRegistry.Api.Infrastructure.Auth;
using SkillsRegistry.Api.Infrastructure.Data;
using SkillsRegistry.Api.Infrastructure.Outcomes;

namespace SkillsRegistry.Api.Features.Standards;

/// <summary>
/// Drafting competency standards, and who may. Admins (and the system, when seeding) draft anything. A partner agency drafts
/// only in its agreement's sectors while the agreement is in force; outside them a standard does not exist for it (the same
/// 404 as an unknown id or code, whatever the standard's state). Inside them only the draft's authors — the drafting
/// partner and the co-authors an admin named — edit it, and the co-author list is the registry's to change.
/// Each write is one transaction: what the caller may do is decided in it, before <see cref="StandardRepository"/> writes.
/// </summary>
public sealed class StandardDrafting(Db db, StandardRepository standards, TimeProvider clock)
{
    /// <summary>The caller as a drafter: its agreement when it is a partner agency, none for an admin or the system.</summary>
    private sealed record Drafter(PartnerAgreement? Agreement);

    private DateOnly Today => RegistryCalendar.Today(clock);

    public Task<Outcome<StoredStandard>> CreateAsync(string code, StandardFields fields, Caller actor, CancellationToken ct) =>
        db.TryWriteAsync<StoredStandard>(async s =>
        {
            var drafter = await DrafterAsync(s, actor);
            if (drafter.Rejection is { } refused) return refused;
            var agreement = drafter.Value.Agreement;
            if (RefuseSectors(agreement, fields.Sector) is { } outside) return outside;
            if (actor.PartnerId is { } self && RefuseCoAuthorChange(fields.PartnerIds, [self], self) is { } locked) return locked;
            var existing = await standards.VersionsOfCodeAsync(s, code);
            if (existing.Count > 0)
                // A partner is not told more about a code outside its sectors than that it cannot be used.
                return agreement is not null && !existing.Any(v => agreement.Covers(v.SectorCode))
                    ? Rejection.Conflict($"The code {code} cannot be used for a new standard; choose another code.")
                    : Rejection.Conflict($"Standard {code} already exists. Create its next version with POST /api/v1/standards/{code}/versions.");
            return await InsertAsync(s, agreement, code, 1, fields, actor);
        }, ct);

    /// <summary>Drafts the next version of a code from its latest version, with the request's overrides.</summary>
    public Task<Outcome<StoredStandard>> CreateVersionAsync(string code, CreateStandardVersionRequest? request, Caller actor, CancellationToken ct) =>
        db.TryWriteAsync<StoredStandard>(async s =>
        {
            var versions = await standards.VersionsOfCodeAsync(s, code);
            var drafter = await DrafterAsync(s, actor);
            if (drafter.Rejection is { } refused) return refused;
            var agreement = drafter.Value.Agreement;
            if (agreement is not null && !versions.Any(v => agreement.Covers(v.SectorCode))) return Rejection.NotFound(StandardNotFound.Code(code));
            if (versions.Count == 0) return Rejection.NotFound($"No standard has code {code}.");
            if (await standards.FindDraftOfCodeAsync(s, code) is { } draft)
                return Rejection.Conflict(
                    $"Version {draft.Version} of standard {code} is already a draft (id {draft.Id}); edit it with PUT /api/v1/standards/{draft.Id}.");
            var latest = versions[0];
            var latestPartners = await standards.CoAuthorsAsync(s, latest.Id);
            if (agreement is not null && RefuseCoAuthorChange(request?.PartnerIds ?? [], latestPartners, agreement.PartnerId) is { } locked)
                return locked;
            var errors = StandardValidation.Merge(latest.ToFields(latestPartners), request, out var fields);
            if (!errors.IsEmpty)
            {
                var byField = new Dictionary<string, string[]>(errors.ToDictionary());
                return Rejection.InvalidFields(byField, "The new version would have invalid fields: " + string.Join(", ", byField.Keys) + ".");
            }
            return await InsertAsync(s, agreement, code, latest.Version + 1, fields!, actor);
        }, ct);

    /// <summary>
    /// Before anything else about the version is told (its state, its ETag): 404 outside a partner's sectors, 403 for a
    /// partner that is not one of its authors, 403 for a change of the co-author list.
    /// </summary>
    public Task<Outcome<StoredStandard>> UpdateAsync(Guid id, StandardFields fields, long expected, Caller actor, CancellationToken ct) =>
        db.TryWriteAsync<StoredStandard>(async s =>
        {
            if (await standards.LockAsync(s, id) is not { } row) return Rejection.NotFound(StandardNotFound.Id(id));
            var drafter = await DrafterAsync(s, actor);
            if (drafter.Rejection is { } refused) return refused;
            var agreement = drafter.Value.Agreement;
            IReadOnlyList<Guid>? keptCoAuthors = null;
            if (agreement is not null)
            {
                if (!agreement.Covers(row.SectorCode)) return Rejection.NotFound(StandardNotFound.Id(row.Id));
                keptCoAuthors = await standards.CoAuthorsAsync(s, row.Id);
                var self = agreement.PartnerId;
                if (row.DraftedByPartnerId != self && !keptCoAuthors.Contains(self))
                    return Rejection.Forbidden(
                        $"Version {row.Version} of standard {row.Code} is not a draft of partner agency '{agreement.Code}': only its authors " +
                        "(the drafting partner agency and the co-authors the registry named) and admins edit it.");
                if (RefuseCoAuthorChange(fields.PartnerIds, keptCoAuthors, self) is { } locked) return locked;
                fields = fields with { PartnerIds = keptCoAuthors };
            }
            if (row.StatusValue != StandardStatus.Draft)
                return Rejection.Conflict(
                    $"Version {row.Version} of standard {row.Code} is {row.Status}: active versions are immutable (and so are superseded and withdrawn ones). " +
                    $"A change is a new version: POST /api/v1/standards/{row.Code}/versions.");
            if (await standards.FindUnknownReferencesAsync(s, fields) is { } unknown) return unknown;
            if (RefuseSectors(agreement, row.SectorCode, fields.Sector) is { } outside) return outside;
            return await standards.UpdateDraftAsync(s, row, fields, expected, keptCoAuthors, actor);
        }, ct);

    /// <summary>A partner may send back the co-author list as it is (with or without itself), or none; any other list is refused.</summary>
    private static Rejection? RefuseCoAuthorChange(IReadOnlyList<Guid> requested, IReadOnlyList<Guid> current, Guid self)
    {
        if (requested.Count == 0) return null;
        var asked = requested.ToHashSet();
        var kept = current.ToHashSet();
        if (asked.SetEquals(kept) || asked.Append(self).ToHashSet().SetEquals(kept.Append(self))) return null;
        return new Rejection(RejectionKind.Forbidden,
            "Only an admin changes the co-authors of a competency standard. Send partnerIds as they are, or leave them out.",
            new Dictionary<string, string[]> { ["partnerIds"] = ["Only an admin adds or removes co-authors."] });
    }

    private async Task<Outcome<StoredStandard>> InsertAsync(DbSession s, PartnerAgreement? agreement, string code, int version, StandardFields fields, Caller actor)
    {
        if (await standards.FindUnknownReferencesAsync(s, fields) is { } unknown) return unknown;
        if (RefuseSectors(agreement, fields.Sector) is { } outside) return outside;
        return await standards.InsertDraftAsync(s, code, version, fields, actor);
    }

    /// <summary>
    /// Only admins (and the system) and partner agencies draft; a partner only while its agreement is in force, read in this
    /// transaction.
    /// </summary>
    private async Task<Outcome<Drafter>> DrafterAsync(DbSession s, Caller actor)
    {
        if (actor.IsAdmin || actor.Role is null) return new Drafter(null);
        if (!actor.IsPartner || actor.PartnerId is not { } partnerId)
            return Rejection.Forbidden($"A key with the role '{actor.RoleName}' may read competency standards but not draft them.");
        var agreement = await PartnerRepository.FindAgreementAsync(s, partnerId);
        return PartnerAgreement.RefusalOn(agreement, Today) is { } refused ? refused : new Drafter(agreement);
    }

    /// <summary>A partner drafts only in the sectors its agreement covers.</summary>
    private static Rejection? RefuseSectors(PartnerAgreement? agreement, params string[] sectors)
    {
        if (agreement is null) return null;
        foreach (var sector in sectors.Distinct())
        {
            if (!agreement.Covers(sector))
                return Rejection.Forbidden(
                    $"The agreement of partner agency '{agreement.Code}' does not cover the sector '{sector}' " +
                    $"(it covers: {(agreement.Sectors.Count == 0 ? "none" : string.Join(", ", agreement.Sectors))}).");
        }
        return null;
    }
}
