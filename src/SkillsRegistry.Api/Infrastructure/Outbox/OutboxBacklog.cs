using SkillsRegistry.Api.Infrastructure.Data;

namespace SkillsRegistry.Api.Infrastructure.Outbox;

/// <summary>
/// How far behind the outbox is: the age of its oldest event that no dispatcher has taken yet. Read when asked (a metrics
/// scrape, a readiness check), never on a timer; the last answer is kept for the metric's gauge.
/// </summary>
public sealed class OutboxBacklog(Db db, TimeProvider clock)
{
    private const string SelectOldestUndispatched =
        "SELECT occurred_at FROM outbox_events WHERE dispatched_at IS NULL ORDER BY occurred_at LIMIT 1";

    private long lastKnownAgeTicks;

    /// <summary>Zero when nothing waits (or before the first read).</summary>
    public TimeSpan LastKnownAge => TimeSpan.FromTicks(Interlocked.Read(ref lastKnownAgeTicks));

    /// <summary>Reads the oldest waiting event; its age now (zero when nothing waits).</summary>
    public async Task<TimeSpan> ReadAgeAsync(CancellationToken ct)
    {
        var oldest = await db.ReadAsync(s => s.QuerySingleOrDefaultAsync<DateTimeOffset?>(SelectOldestUndispatched), ct);
        var age = oldest is { } at ? clock.GetUtcNow() - at : TimeSpan.Zero;
        if (age < TimeSpan.Zero) age = TimeSpan.Zero;
        Interlocked.Exchange(ref lastKnownAgeTicks, age.Ticks);
        return age;
    }
}
