using SkillsRegistry.Api.Infrastructure.Caching;

namespace SkillsRegistry.Api.Features.Verification;

/// <summary>Records read for the cache: <paramref name="Rows"/> rows ending at <paramref name="Last"/>, of which <paramref name="Records"/> may be kept.</summary>
public sealed record RecordPage(IReadOnlyList<VerificationRecord> Records, int Rows, string? Last);

/// <summary>Where <see cref="VerificationCacheLoader"/> reads records (<see cref="VerificationRecords"/>).</summary>
public interface IVerificationRecordSource
{
    /// <summary>Up to <paramref name="count"/> certificates numbered below <paramref name="before"/> (all when null), highest number first.</summary>
    Task<RecordPage> NewestAsync(string? before, int count, CancellationToken ct);

    /// <summary>The records of those of <paramref name="numbers"/> the registry has.</summary>
    Task<IReadOnlyList<VerificationRecord>> FindManyAsync(IReadOnlyList<string> numbers, CancellationToken ct);
}

/// <summary>
/// What <see cref="VerificationCache"/> holds when the registry may not fit in it. The year leads a certificate number, so the
/// highest numbers are the recently issued. A fill (at start, after the cache was emptied) reads the newest numbers until one
/// generation is full: a registry of up to a generation is held whole, a larger one by its newest, and the other generation
/// stays free for the numbers asked. A refresh (every half lifetime) reads again the newest quarter of a generation, moving
/// them forward so the recently issued stay however little they were asked, then only the other records held, renewed where
/// they are (<see cref="VerificationCache.Renew"/>): never the whole registry, which at ten million certificates would be
/// minutes of database load and push out every asked record.
/// </summary>
public sealed class VerificationCacheLoader(IVerificationRecordSource source, VerificationCache cache, RegistryChanges changes)
{
    public const int PageSize = 5_000;
    public const int NumbersPerRead = 512; // a power of two: the list is not padded (SetStatements.ExpandList)

    /// <summary>Newest first until a generation is full or the registry ends; false if the change listener stopped it (it asks again once back).</summary>
    public Task<bool> FillAsync(CancellationToken ct) => LoadNewestAsync(cache.GenerationSize, ct);

    public async Task<bool> RefreshAsync(CancellationToken ct)
    {
        var started = cache.Clock();
        if (!await LoadNewestAsync(cache.GenerationSize / 4, ct)) return false;
        foreach (var numbers in cache.HeldNumbers(started).Chunk(NumbersPerRead))
        {
            if (!changes.HeardEverywhere) return false;
            var stamp = cache.Stamp();
            foreach (var record in await source.FindManyAsync(numbers, ct)) cache.Renew(record, stamp);
        }
        return true;
    }

    private async Task<bool> LoadNewestAsync(int count, CancellationToken ct)
    {
        string? before = null;
        for (var read = 0; read < count;)
        {
            if (!changes.HeardEverywhere) return false;
            var (stamp, wanted) = (cache.Stamp(), Math.Min(PageSize, count - read));
            var page = await source.NewestAsync(before, wanted, ct);
            foreach (var record in page.Records) cache.Add(record, stamp);
            read += page.Rows;
            if (page.Rows < wanted) break;
            before = page.Last;
        }
        return true;
    }
}
