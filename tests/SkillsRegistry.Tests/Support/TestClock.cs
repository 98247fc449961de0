using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Time.Testing;

namespace SkillsRegistry.Tests.Support;

/// <summary>Where every test app's clock starts: the pinned instant in SKILLSREGISTRY_TEST_CLOCK, else now.</summary>
public static class TestClock
{
    public const string Variable = "SKILLSREGISTRY_TEST_CLOCK";

    public static DateTimeOffset Start()
    {
        var pinned = Environment.GetEnvironmentVariable(Variable);
        if (string.IsNullOrWhiteSpace(pinned)) return TimeProvider.System.GetUtcNow();
        return DateTimeOffset.TryParse(pinned, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var start)
            ? start.ToUniversalTime()
            : throw new InvalidOperationException($"{Variable}='{pinned}' is not a date and time (e.g. 2026-11-30T21:00:00Z).");
    }

    /// <summary>The first instant of 1 Farvardin (Nowruz) of the given Solar Hijri year, in UTC (Tehran is UTC+03:30).</summary>
    public static DateTimeOffset NowruzUtc(int solarHijriYear) =>
        new DateTimeOffset(new PersianCalendar().ToDateTime(solarHijriYear, 1, 1, 0, 0, 0, 0), TimeSpan.FromHours(3.5)).ToUniversalTime();
}

/// <summary>
/// Moves a fake clock along with real time. The webhook dispatcher polls and schedules retries and leases on the
/// service's clock; a clock that never moves would leave it asleep forever.
/// </summary>
internal sealed class ClockFlow : IDisposable
{
    private readonly FakeTimeProvider clock;
    private readonly Stopwatch elapsed = Stopwatch.StartNew();
    private readonly Timer ticker;
    private readonly Lock gate = new();
    private TimeSpan advanced;

    public ClockFlow(FakeTimeProvider clock)
    {
        this.clock = clock;
        ticker = new Timer(_ => Tick(), null, TimeSpan.FromMilliseconds(5), TimeSpan.FromMilliseconds(5));
    }

    private void Tick()
    {
        lock (gate)
        {
            var now = elapsed.Elapsed;
            if (now <= advanced) return;
            clock.Advance(now - advanced);
            advanced = now;
        }
    }

    public void Dispose() => ticker.Dispose();
}
