using System.Collections.Concurrent;
using SkillsRegistry.Api.Infrastructure.Caching;

namespace SkillsRegistry.Api.Features.Verification;

/// <summary>Bound from the "Verification" section.</summary>
public sealed class VerificationCacheOptions
{
    /// <summary>
    /// Most numbers kept; 0 turns the cache off. About 290 bytes each (measured: tests/bench <c>cache-size</c>), so the default
    /// costs ≈ 70 MiB when full and keeps the service within its 300 MiB budget; 1,000,000 would need ≈ 275 MiB.
    /// </summary>
    public int CacheEntries { get; set; } = 250_000;

    /// <summary>The longest a record is served from memory; a safety net only, since every change drops it at once.</summary>
    public int CacheTtlSeconds { get; set; } = 300;
}

/// <summary>
/// The registry's records for recently verified numbers, bounded and dropped on every committed change (in this instance
/// after the commit, in others through <see cref="RegistryChangeListener"/>). Only found records are kept: a number not
/// found is asked again next time, so a newly issued one is never hidden.
/// Eviction is two generations instead of a per-entry LRU list: new records go to the current generation; when it is
/// full it becomes the previous one and the old previous is dropped; a hit in the previous generation moves the record
/// forward. Frequently asked numbers stay, and there is no per-entry bookkeeping beyond the dictionaries themselves.
/// </summary>
public sealed class VerificationCache
{
    private readonly int generationSize;
    private readonly long ttlTicks;
    private readonly TimeProvider clock;
    private readonly RegistryChanges changes;
    private readonly Lock rotation = new();
    private volatile Generation current = new();
    private volatile Generation previous = new();
    private long changeCount;

    private sealed class Generation
    {
        public readonly ConcurrentDictionary<string, Cached> Records = new(StringComparer.Ordinal);
        public int Count;
    }

    private readonly record struct Cached(VerificationRecord Record, long CachedAt);

    public VerificationCache(VerificationCacheOptions options, RegistryChanges changes, TimeProvider clock)
    {
        generationSize = Math.Max(0, options.CacheEntries) / 2;
        ttlTicks = (long)(TimeSpan.FromSeconds(Math.Max(0, options.CacheTtlSeconds)).TotalSeconds * clock.TimestampFrequency);
        this.clock = clock;
        this.changes = changes;
        changes.Subscribe(Drop);
    }

    public bool Enabled => generationSize > 0 && ttlTicks > 0;

    /// <summary>Numbers held now (both generations; a number in both counts twice). For measurements.</summary>
    public int Count => current.Records.Count + previous.Records.Count;

    /// <summary>Taken before reading the database; <see cref="Add"/> keeps the record only if nothing changed since.</summary>
    public long Stamp() => Interlocked.Read(ref changeCount);

    public bool TryGet(string number, out VerificationRecord record)
    {
        record = null!;
        if (!Enabled || !changes.HeardEverywhere) return false;
        var now = clock.GetTimestamp();
        if (current.Records.TryGetValue(number, out var hit))
        {
            if (now - hit.CachedAt < ttlTicks) { record = hit.Record; return true; }
            current.Records.TryRemove(new KeyValuePair<string, Cached>(number, hit));
            return false;
        }
        var stamp = Stamp();
        if (previous.Records.TryGetValue(number, out hit) && now - hit.CachedAt < ttlTicks)
        {
            Keep(number, hit, stamp);
            record = hit.Record;
            return true;
        }
        return false;
    }

    public void Add(VerificationRecord record, long stamp)
    {
        if (!Enabled || !changes.HeardEverywhere) return;
        Keep(record.Number, new Cached(record, clock.GetTimestamp()), stamp);
    }

    private void Keep(string number, Cached cached, long stamp)
    {
        var generation = current;
        if (!generation.Records.TryAdd(number, cached)) return;
        if (Interlocked.Increment(ref generation.Count) >= generationSize) Rotate(generation);
        // A change committed while the record was read may have been dropped before it was added: undo the add.
        // (Drop counts first and removes second, so one of the two always sees the other.)
        if (Stamp() != stamp) generation.Records.TryRemove(new KeyValuePair<string, Cached>(number, cached));
    }

    private void Rotate(Generation full)
    {
        lock (rotation)
        {
            if (current != full) return;
            previous = full;
            current = new Generation();
        }
    }

    private void Drop(string what)
    {
        Interlocked.Increment(ref changeCount);
        if (what == RegistryChanges.Everything)
        {
            lock (rotation)
            {
                current = new Generation();
                previous = new Generation();
            }
            return;
        }
        current.Records.TryRemove(what, out _);
        previous.Records.TryRemove(what, out _);
    }
}
