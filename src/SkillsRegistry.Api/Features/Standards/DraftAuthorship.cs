using SkillsRegistry.Api.Features.Partners;
using SkillsRegistry.Api.Infrastructure.Auth;
using SkillsRegistry.Api.Infrastructure.Data;
using SkillsRegistry.Api.Infrastructure.Problems;

namespace SkillsRegistry.Api.Features.Standards;

/// <summary>
/// What a partner key may do to a standard it asks about. Outside its agreement's sectors a standard does not exist for it
/// (the same 404 as an unknown id or code, whatever the standard's state); inside them only the draft's authors — the
/// drafting partner and the co-authors an admin named — edit it, and the co-author list is the registry's to change.
/// </summary>
public static class DraftAuthorship
{
    private const string SelectCoAuthors = "SELECT partner_id FROM standard_partners WHERE standard_id = @standardId";

    public static string NotVisibleId(Guid id) => $"No standard version with id {id} is visible to this key.";

    public static string NotVisibleCode(string code) => $"No standard with code {code} is visible to this key.";

    public static async Task<IReadOnlyList<Guid>> CoAuthorsAsync(DbSession s, Guid standardId) =>
        (await s.QueryAsync<Guid>(SelectCoAuthors, new { standardId })).ToList();

    /// <summary>The partner caller's agreement (the route filter already refused one not in force), or null for other callers.</summary>
    public static async Task<PartnerAgreement?> AgreementAsync(DbSession s, Caller actor) =>
        actor.IsPartner && actor.PartnerId is { } partnerId
            ? await PartnerAgreement.LoadAsync(s, partnerId) ?? throw RequestRejectedException.Forbidden($"Partner agency {partnerId} of this key no longer exists.")
            : null;

    /// <summary>
    /// Before anything else about the version is told (its state, its ETag): 404 outside the partner's sectors, 403 for a
    /// partner that is not one of its authors, 403 for a change of the co-author list. Returns the co-authors to keep.
    /// </summary>
    internal static async Task<IReadOnlyList<Guid>?> AuthorizeEditAsync(DbSession s, Caller actor, StandardRow row, IReadOnlyList<Guid> requestedCoAuthors)
    {
        if (await AgreementAsync(s, actor) is not { } agreement) return null;
        if (!agreement.Covers(row.SectorCode)) throw RequestRejectedException.NotFound(NotVisibleId(row.Id));
        var coAuthors = await CoAuthorsAsync(s, row.Id);
        var self = agreement.PartnerId;
        if (row.DraftedByPartnerId != self && !coAuthors.Contains(self))
            throw RequestRejectedException.Forbidden(
                $"Version {row.Version} of standard {row.Code} is not a draft of partner agency '{agreement.Code}': only its authors " +
                "(the drafting partner agency and the co-authors the registry named) and admins edit it.");
        RefuseCoAuthorChange(requestedCoAuthors, coAuthors, self);
        return coAuthors;
    }

    /// <summary>A partner may send back the co-author list as it is (with or without itself), or none; any other list is refused.</summary>
    public static void RefuseCoAuthorChange(IReadOnlyList<Guid> requested, IReadOnlyList<Guid> current, Guid self)
    {
        if (requested.Count == 0) return;
        var asked = requested.ToHashSet();
        var kept = current.ToHashSet();
        if (asked.SetEquals(kept) || asked.Append(self).ToHashSet().SetEquals(kept.Append(self))) return;
        throw new RequestRejectedException(403, "Forbidden",
            "Only an admin changes the co-authors of a competency standard. Send partnerIds as they are, or leave them out.",
            new Dictionary<string, string[]> { ["partnerIds"] = ["Only an admin adds or removes co-authors."] });
    }
}
