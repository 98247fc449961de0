using SkillsRegistry.Api.Infrastructure.Text;
using SkillsRegistry.Api.Infrastructure.Data;
using SkillsRegistry.Api.Infrastructure.Outcomes;

namespace SkillsRegistry.Api.Features.Partners;

/// <summary>
/// A partner agency's agreement (MoU) as other features need it: is it in force on a date, and which sectors it covers.
/// An agreement with no signed date (talks, planned MoU) is not in force; a null end date is open-ended.
/// </summary>
public sealed record PartnerAgreement(Guid PartnerId, string Code, string Status, DateOnly? SignedOn, DateOnly? EndsOn, IReadOnlyList<string> Sectors)
{
    public bool InForceOn(DateOnly date) =>
        Status == "active" && SignedOn is { } signed && signed <= date && (EndsOn is null || EndsOn >= date);

    public bool Covers(string sectorCode) => Sectors.Contains(sectorCode, StringComparer.Ordinal);

    /// <summary>
    /// The rule for a partner key wherever it acts (reads, statistics, drafting): only while its agency's agreement is in force
    /// on <paramref name="date"/>. Null when it is; otherwise a 403 naming the agreement and why.
    /// </summary>
    public static Rejection? RefusalOn(PartnerAgreement? agreement, DateOnly date) => agreement switch
    {
        null => Rejection.Forbidden("The partner agency of this key no longer exists."),
        _ when agreement.InForceOn(date) => null,
        _ => Rejection.Forbidden(agreement.WhyNotInForceOn(date) + " A partner key is answered only while its agency's agreement is in force."),
    };

    private string WhyNotInForceOn(DateOnly date) =>
        Status != "active" ? $"The agreement of partner agency '{Code}' is {Status}."
        : SignedOn is null ? $"Partner agency '{Code}' has no signed agreement."
        : SignedOn > date ? $"The agreement of partner agency '{Code}' starts on {SignedOn:yyyy-MM-dd}."
        : $"The agreement of partner agency '{Code}' ended on {EndsOn:yyyy-MM-dd}.";

    /// <summary>
    /// In force at an instant as the registry knew it then: an extension recorded later does not reach back into a lapse
    /// (a partner refused on a day stays without that day's events). <paramref name="extensions"/> come from <see cref="PartnerRepository.AgreementExtensionsAsync"/>.
    /// </summary>
    public bool InForceAt(DateTimeOffset instant, IReadOnlyList<AgreementExtensionStep> extensions)
    {
        var later = extensions.Where(e => e.RecordedAt > instant).OrderBy(e => e.RecordedAt).FirstOrDefault();
        var then = later is null ? this : this with { EndsOn = later.PreviousEndsOn };
        return then.InForceOn(RegistryCalendar.DayOf(instant));
    }
}

/// <summary>One recorded extension: when it was recorded and the end date it replaced.</summary>
public sealed class AgreementExtensionStep
{
    public DateTimeOffset RecordedAt { get; init; }
    public DateOnly? PreviousEndsOn { get; init; }
}
