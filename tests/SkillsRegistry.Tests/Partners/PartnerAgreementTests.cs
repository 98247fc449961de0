using SkillsRegistry.Api.Features.Partners;

namespace SkillsRegistry.Tests.Partners;

public sealed class PartnerAgreementTests
{
    private static readonly DateOnly Today = new(2025, 6, 15);

    private static PartnerAgreement Agreement(string status, string? signed, string? ends) =>
        new(Guid.Empty, "p", status, signed is null ? null : DateOnly.Parse(signed), ends is null ? null : DateOnly.Parse(ends), ["cinema"]);

    [Theory]
    [InlineData("active", "2025-01-01", null, true)]          // open-ended
    [InlineData("active", "2025-01-01", "2025-06-15", true)]  // last day counts
    [InlineData("active", "2025-06-15", "2025-12-31", true)]  // first day counts
    [InlineData("active", "2025-01-01", "2025-06-14", false)] // ended yesterday
    [InlineData("active", "2025-06-16", null, false)]         // not started
    [InlineData("active", null, null, false)]                 // never signed (talks, planned MoU)
    [InlineData("suspended", "2025-01-01", null, false)]
    [InlineData("ended", "2025-01-01", null, false)]
    public void An_agreement_is_in_force_only_when_active_signed_and_within_its_dates(string status, string? signed, string? ends, bool inForce) =>
        Assert.Equal(inForce, Agreement(status, signed, ends).InForceOn(Today));
}
