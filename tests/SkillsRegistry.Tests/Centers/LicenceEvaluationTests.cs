using SkillsRegistry.Api.Features.Centers;

namespace SkillsRegistry.Tests.Centers;

public sealed class LicenceEvaluationTests
{
    private static readonly DateOnly On = new(2025, 5, 1);

    private static LicenceOnDate Licence(string number, DateOnly from, DateOnly? to, string? status, DateOnly? statusFrom = null, string? reason = null) =>
        new() { LicenceId = Guid.NewGuid(), Number = number, ValidFrom = from, ValidTo = to, Status = status, StatusFrom = statusFrom ?? from, StatusReason = reason };

    [Fact]
    public void An_active_licence_wins_over_an_expired_or_suspended_one()
    {
        var check = LicenceEvaluation.Evaluate(
        [
            Licence("OLD", new(2020, 1, 1), new(2024, 12, 31), "active"),
            Licence("SUS", new(2025, 1, 1), null, "suspended", new(2025, 3, 1), "x"),
            Licence("NEW", new(2025, 1, 1), null, "active"),
        ], On, "C1");
        Assert.True(check.Active);
        Assert.Equal("NEW", check.LicenceNumber);
    }

    [Fact]
    public void A_suspension_is_reported_before_an_expiry()
    {
        var check = LicenceEvaluation.Evaluate(
        [
            Licence("OLD", new(2020, 1, 1), new(2024, 12, 31), "active"),
            Licence("SUS", new(2025, 1, 1), null, "suspended", new(2025, 3, 1), "Fire safety"),
        ], On, "C1");
        Assert.Equal(CenterLicenceStatus.Suspended, check.Status);
        Assert.Equal("Licence SUS was suspended from 2025-03-01 (Fire safety).", check.Reason);
    }

    [Fact]
    public void A_licence_whose_status_has_not_taken_effect_does_not_count()
    {
        var check = LicenceEvaluation.Evaluate([Licence("L", new(2025, 1, 1), null, status: null)], On, "C1");
        Assert.False(check.Active);
        Assert.Equal(CenterLicenceStatus.Unlicensed, check.Status);
    }

    [Fact]
    public void No_licences_means_unlicensed_naming_the_center()
    {
        var check = LicenceEvaluation.Evaluate([], On, "C1");
        Assert.Equal("Center C1 has no licence.", check.Reason);
    }
}
