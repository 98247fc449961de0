using SkillsRegistry.Api.Infrastructure.Text;

namespace SkillsRegistry.Api.Features.Centers;

/// <summary>One licence as it stood on a date: its period and its latest status change on or before that date.</summary>
public sealed class LicenceOnDate
{
    public Guid LicenceId { get; init; }
    public string Number { get; init; } = "";
    public DateOnly ValidFrom { get; init; }
    public DateOnly? ValidTo { get; init; }
    /// <summary>Latest status change with effective_from on or before the date; null when none had taken effect.</summary>
    public string? Status { get; init; }
    public DateOnly? StatusFrom { get; init; }
    public string? StatusReason { get; init; }
}

/// <summary>
/// "Licence active on D": a licence with valid_from ≤ D ≤ valid_to (or open) whose latest status change on or before D is active.
/// When several licences disagree the center's status is the best of them: active, suspended, revoked, expired, unlicensed.
/// The list filter mirrors this order in SQL (CenterRepository.LicenceStatusToday).
/// </summary>
public static class LicenceEvaluation
{
    private enum State { NotYetValid, Expired, Active, Suspended, Revoked }

    private static State StateOf(LicenceOnDate l, DateOnly on) =>
        l.ValidFrom > on ? State.NotYetValid
        : l.ValidTo is { } to && to < on ? State.Expired
        : l.Status is { } s && EnumText.TryParse<LicenceDecision>(s, out var decision) ? decision switch
        {
            LicenceDecision.Active => State.Active,
            LicenceDecision.Suspended => State.Suspended,
            _ => State.Revoked,
        }
        : State.NotYetValid;

    public static LicenceCheck Evaluate(IReadOnlyCollection<LicenceOnDate> licences, DateOnly on, string centerCode)
    {
        var states = licences.Select(l => (Licence: l, State: StateOf(l, on))).ToList();
        var date = Iso(on);

        var active = states.Where(x => x.State == State.Active).Select(x => x.Licence).FirstOrDefault();
        if (active is not null)
            return new(true, CenterLicenceStatus.Active, $"Licence {active.Number} was active on {date}.", active.LicenceId, active.Number);

        var suspended = states.Where(x => x.State == State.Suspended).Select(x => x.Licence).MaxBy(l => l.StatusFrom);
        if (suspended is not null)
            return new(false, CenterLicenceStatus.Suspended,
                $"Licence {suspended.Number} was suspended from {Iso(suspended.StatusFrom)}{Because(suspended.StatusReason)}.",
                suspended.LicenceId, suspended.Number);

        var revoked = states.Where(x => x.State == State.Revoked).Select(x => x.Licence).MaxBy(l => l.StatusFrom);
        if (revoked is not null)
            return new(false, CenterLicenceStatus.Revoked,
                $"Licence {revoked.Number} was revoked from {Iso(revoked.StatusFrom)}{Because(revoked.StatusReason)}.",
                revoked.LicenceId, revoked.Number);

        var expired = states.Where(x => x.State == State.Expired).Select(x => x.Licence).MaxBy(l => l.ValidTo);
        if (expired is not null)
            return new(false, CenterLicenceStatus.Expired,
                $"Licence {expired.Number} expired on {Iso(expired.ValidTo)}; center {centerCode} had no licence covering {date}.",
                expired.LicenceId, expired.Number);

        var next = states.Where(x => x.State == State.NotYetValid).Select(x => x.Licence).MinBy(l => l.ValidFrom);
        return next is not null
            ? new(false, CenterLicenceStatus.Unlicensed,
                $"Center {centerCode} had no licence covering {date}; licence {next.Number} is valid from {Iso(next.ValidFrom)}.",
                next.LicenceId, next.Number)
            : new(false, CenterLicenceStatus.Unlicensed, $"Center {centerCode} has no licence.", null, null);
    }

    private static string Because(string? reason) => string.IsNullOrWhiteSpace(reason) ? "" : $" ({reason})";

    private static string Iso(DateOnly? date) => date?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) ?? "";
}
