using SkillsRegistry.Api.Features.Certificates;
using SkillsRegistry.Api.Infrastructure.Caching;

namespace SkillsRegistry.Api.Features.Verification;

/// <summary>Bound from the "Verification" section.</summary>
public sealed class VerificationCacheOptions
{
    /// <summary>
    /// Most records kept, in two generations of half each; 0 turns the cache off. About 77 bytes a record (measured: tests/bench
    /// <c>cache-size</c>), and memory grows only with what is held: a registry of 1,000,000 certificates fits in one generation
    /// (≈ 73 MiB). Both generations full (a registry of more than 1,200,000 certificates, all asked) would take ≈ 176 MiB.
    /// </summary>
    public int CacheEntries { get; set; } = 2_400_000;

    /// <summary>
    /// The longest a record is served from memory after it was last read from the database; a safety net only, since every
    /// change drops it at once. The loader reads every record held again each half lifetime (a pass over 1,000,000 records
    /// costs seconds of CPU and a burst of garbage, which is why this is not minutes).
    /// </summary>
    public int CacheTtlSeconds { get; set; } = 1_800;

    /// <summary>Load the newest certificates into the cache at start and after it was emptied, and refresh it (<see cref="VerificationCacheWarmer"/>).</summary>
    public bool WarmOnStart { get; set; } = true;
}

/// <summary>
/// The registry's records for verified numbers, bounded and dropped on every committed change (in this instance after the
/// commit, in others through <see cref="RegistryChangeListener"/>). Only found records are kept: a number not found is asked
/// again next time, so a newly issued one is never hidden. Records are packed (<see cref="RecordTable"/>, well under 100
/// bytes each), so a registry of a million or two fits whole; a larger one does not, and the cache then holds the recently
/// issued and the recently asked (<see cref="VerificationCacheLoader"/>).
/// Eviction is two generations instead of a per-entry LRU list: new records go to the current generation; when it is
/// full it becomes the previous one and the old previous is dropped; a hit in the previous generation moves the record
/// forward. Frequently asked numbers stay, and there is no per-entry bookkeeping.
/// </summary>
public sealed class VerificationCache
{
    private readonly int generationSize;
    private readonly int ttlSeconds;
    private readonly TimeProvider clock;
    private readonly long startedAt;
    private readonly RegistryChanges changes;
    private readonly Lock writes = new();
    private volatile RecordTable current;
    private volatile RecordTable previous;
    private long changeCount;

    public VerificationCache(VerificationCacheOptions options, RegistryChanges changes, TimeProvider clock)
    {
        generationSize = Math.Max(0, options.CacheEntries) / 2;
        ttlSeconds = Math.Max(0, options.CacheTtlSeconds);
        this.clock = clock;
        startedAt = clock.GetTimestamp();
        this.changes = changes;
        current = new RecordTable(generationSize);
        previous = new RecordTable(generationSize);
        changes.Subscribe(Drop);
    }

    public bool Enabled => generationSize > 0 && ttlSeconds > 0;

    /// <summary>Records written into both generations (a record written again counts again). For measurements.</summary>
    public int Count => current.Count + previous.Count;

    /// <summary>Records one generation holds: half of <see cref="VerificationCacheOptions.CacheEntries"/>.</summary>
    public int GenerationSize => generationSize;

    /// <summary>Seconds on the cache's clock: what <see cref="HeldNumbers"/> compares the time a record was last read with.</summary>
    public int Clock() => Now();

    /// <summary>Taken before reading the database; <see cref="Add"/> keeps the record only if nothing changed since.</summary>
    public long Stamp() => Interlocked.Read(ref changeCount);

    public bool TryGet(string number, out VerificationRecord record)
    {
        record = null!;
        if (!Enabled || !changes.HeardEverywhere || !CertificateNumber.TryPack(number, out var key)) return false;
        var now = Now();
        if (current.TryGet(key, number, now, ttlSeconds, out record, out _)) return true;
        var stamp = Stamp();
        if (!previous.TryGet(key, number, now, ttlSeconds, out record, out var cachedAt)) return false;
        Keep(key, record, stamp, cachedAt);
        return true;
    }

    public void Add(VerificationRecord record, long stamp)
    {
        if (!Enabled || !changes.HeardEverywhere || !CertificateNumber.TryPack(record.Number, out var key)) return;
        Keep(key, record, stamp, Now());
    }

    private int Now() => (int)((clock.GetTimestamp() - startedAt) / clock.TimestampFrequency);

    /// <summary>
    /// The numbers held in either generation whose record was last read before <paramref name="readBefore"/> (<see cref="Clock"/>),
    /// each once, read lazily: what a refresh reads again, instead of the whole registry when it does not fit.
    /// </summary>
    public IEnumerable<string> HeldNumbers(int readBefore)
    {
        var (newer, older) = (current, previous);
        foreach (var key in newer.Keys(readBefore)) yield return CertificateNumber.Unpack(key);
        foreach (var key in older.Keys(readBefore))
            if (!newer.Holds(key)) yield return CertificateNumber.Unpack(key);
    }

    /// <summary>
    /// A record read again for a refresh: renewed where it is held, without moving it forward (a refresh is not a request); a
    /// changed one replaces it in the current generation or leaves the previous one. A number not held is not added.
    /// </summary>
    public void Renew(VerificationRecord record, long stamp)
    {
        if (!Enabled || !changes.HeardEverywhere || !CertificateNumber.TryPack(record.Number, out var key)) return;
        lock (writes)
        {
            if (Stamp() != stamp) return;
            if (current.Holds(key)) Put(key, record, Now());
            else if (previous.Holds(key) && !previous.TryRenew(key, record, Now())) previous.Remove(key);
        }
    }

    private void Keep(ulong key, VerificationRecord record, long stamp, int cachedAt)
    {
        lock (writes)
        {
            // A change committed while the record was read has already been dropped: the record read may predate it.
            if (Stamp() == stamp) Put(key, record, cachedAt);
        }
    }

    private void Put(ulong key, VerificationRecord record, int cachedAt)
    {
        if (current.TryAdd(key, record, cachedAt) || !current.Full) return;
        previous = current;
        current = new RecordTable(generationSize);
        current.TryAdd(key, record, cachedAt);
    }

    private void Drop(string what)
    {
        Interlocked.Increment(ref changeCount);
        lock (writes)
        {
            if (what == RegistryChanges.Everything)
            {
                current = new RecordTable(generationSize);
                previous = new RecordTable(generationSize);
            }
            else if (CertificateNumber.TryPack(what, out var key))
            {
                current.Remove(key);
                previous.Remove(key);
            }
        }
    }
}
