using SkillsRegistry.Api.Infrastructure.Text;
using SkillsRegistry.Api.Infrastructure.Auth;
using SkillsRegistry.Api.Infrastructure.Problems;

namespace SkillsRegistry.Api.Features.Partners;

/// <summary>
/// The data grant of a partner key: it works only while its agency's agreement is in force, and reads only records in the
/// agreement's sectors. The in-force check is one endpoint filter set on every route group a partner key may call; it
/// loads the agreement on each request (no caching), so an extension restores access at once. Handlers that filter by
/// sector read the checked agreement with <see cref="AgreementOf"/>.
/// </summary>
public static class PartnerGrant
{
    private static readonly object ItemKey = new();

    /// <summary>Partner callers get 403 (naming the agreement and why) unless their agreement is in force today.</summary>
    public static TBuilder RequirePartnerAgreementInForce<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter(async (context, next) =>
        {
            var http = context.HttpContext;
            var caller = Caller.From(http.User);
            if (!caller.IsPartner) return await next(context);
            var agreement = caller.PartnerId is { } partnerId
                ? await http.RequestServices.GetRequiredService<PartnerRepository>().FindAgreementAsync(partnerId, http.RequestAborted)
                : null;
            var today = RegistryCalendar.Today(http.RequestServices.GetRequiredService<TimeProvider>());
            if (PartnerAgreement.RefusalOn(agreement, today) is { } refusal) return refusal.ToProblem();
            http.Items[ItemKey] = agreement;
            return await next(context);
        });

    /// <summary>
    /// The in-force agreement of a partner caller (checked by the filter for this request), or null for admin and center callers.
    /// Throws when a partner reaches a route that lacks the filter: failing closed beats answering outside the grant.
    /// </summary>
    public static PartnerAgreement? AgreementOf(HttpContext http)
    {
        if (!Caller.From(http.User).IsPartner) return null;
        return http.Items.TryGetValue(ItemKey, out var value) && value is PartnerAgreement agreement
            ? agreement
            : throw new InvalidOperationException($"{http.Request.Path} lets partner keys in without {nameof(RequirePartnerAgreementInForce)}.");
    }

    /// <summary>True when the caller is not a partner, or the partner's agreement covers the sector.</summary>
    public static bool MayRead(HttpContext http, string sectorCode) => AgreementOf(http)?.Covers(sectorCode) ?? true;
}
