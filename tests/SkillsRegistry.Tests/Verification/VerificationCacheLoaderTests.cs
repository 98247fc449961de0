using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using SkillsRegistry.Api.Features.Certificates;
using SkillsRegistry.Api.Features.Verification;
using SkillsRegistry.Api.Infrastructure.Caching;
using SkillsRegistry.Api.Infrastructure.Data;

namespace SkillsRegistry.Tests.Verification;

/// <summary>What the cache holds when the registry does not fit: a registry of 1,000 certificates, a cache of 100 records.</summary>
public sealed class VerificationCacheLoaderTests
{
    private const int Registry = 1_000;
    private const int TtlSeconds = 300;
    private static readonly VerifiedStandard Standard = new("BENCH01", 1, "بافنده فرش دستباف", "Hand-woven carpet weaver", "7318", 60, 140);
    private static readonly VerifiedCenter Center = new("C-1", "مرکز", "Center", "IR-10", "IR");

    private readonly FakeTimeProvider clock = new();
    private readonly VerificationCache cache;
    private readonly FakeRegistry registry = new();
    private readonly VerificationCacheLoader loader;

    public VerificationCacheLoaderTests()
    {
        var db = new Db(new DatabaseOptions { Provider = DatabaseProvider.Sqlite, ConnectionString = "Data Source=:memory:" }, TimeProvider.System, NullLogger<Db>.Instance);
        var changes = new RegistryChanges(db, NullLogger<RegistryChanges>.Instance);
        cache = new VerificationCache(new VerificationCacheOptions { CacheEntries = 100, CacheTtlSeconds = TtlSeconds }, changes, clock);
        loader = new VerificationCacheLoader(registry, cache, changes);
    }

    /// <summary>Serial 1 was issued first, serial 1,000 last.</summary>
    private static string Number(int serial) => CertificateNumber.Format(1404, "10", serial);

    private bool Served(int serial) => cache.TryGet(Number(serial), out _);

    /// <summary>A verification: from the cache, else read (and kept) like <see cref="VerificationRecords.FindAsync"/>.</summary>
    private void Ask(int serial)
    {
        if (!Served(serial)) cache.Add(FakeRegistry.Record(Number(serial)), cache.Stamp());
    }

    [Fact]
    public async Task A_fill_loads_the_newest_certificates_until_one_generation_is_full_and_reads_no_further()
    {
        await loader.FillAsync(CancellationToken.None);

        Assert.Equal(50, registry.RowsRead);
        Assert.All(Enumerable.Range(951, 50), s => Assert.True(Served(s), $"serial {s}"));
        Assert.False(Served(950));
        // The other generation is free for the numbers asked: asking 40 older ones pushes none of the newest out.
        foreach (var s in Enumerable.Range(1, 40)) Ask(s);
        Assert.All(Enumerable.Range(1, 40).Concat([951, 975, 1000]), s => Assert.True(Served(s), $"serial {s}"));
    }

    [Fact]
    public async Task Numbers_asked_stay_across_generation_turns_while_the_newest_nobody_asks_for_go()
    {
        await loader.FillAsync(CancellationToken.None);
        var hot = new[] { 1000, 990, 980 };
        // Many other numbers asked once each, over two more generation turns; the hot ones asked again now and then.
        foreach (var s in Enumerable.Range(200, 120))
        {
            Ask(s);
            if (s % 20 == 0) Array.ForEach(hot, Ask);
        }

        Assert.All(hot, s => Assert.True(Served(s), $"asked serial {s} was dropped"));
        Assert.False(Served(970));
        Assert.True(Served(319));
    }

    [Fact]
    public async Task A_refresh_reads_again_only_the_records_held_and_keeps_them_past_their_first_lifetime()
    {
        await loader.FillAsync(CancellationToken.None);
        foreach (var s in Enumerable.Range(1, 20)) Ask(s);
        var held = Enumerable.Range(951, 50).Concat(Enumerable.Range(1, 20)).ToList();
        registry.RowsRead = 0;

        clock.Advance(TimeSpan.FromSeconds(TtlSeconds / 2));
        await loader.RefreshAsync(CancellationToken.None);

        // The newest quarter of a generation by page, the rest of what is held by number; nothing else of the registry.
        Assert.Equal(12, registry.RowsRead);
        Assert.Equal(held.Except(Enumerable.Range(989, 12)).Order(), registry.FoundByNumber.Select(n => Serial(n)).Order());
        clock.Advance(TimeSpan.FromSeconds(TtlSeconds / 2 + 10)); // past the lifetime of the first reads
        // A sample of both generations (asking them all would move the previous one forward and turn the generation meanwhile).
        Assert.All(new[] { 1, 20, 951, 988, 989, 1000 }, s => Assert.True(Served(s), $"held serial {s} was not renewed"));
        Assert.False(Served(500));
    }

    [Fact]
    public async Task A_refresh_shows_a_change_nobody_reported_and_leaves_numbers_not_held_out()
    {
        await loader.FillAsync(CancellationToken.None);
        registry.Revoke(960);
        clock.Advance(TimeSpan.FromSeconds(TtlSeconds / 2));
        await loader.RefreshAsync(CancellationToken.None);

        Assert.True(cache.TryGet(Number(960), out var record));
        Assert.Equal(CertificateStatus.Revoked, record.StoredStatus);
        Assert.DoesNotContain(registry.FoundByNumber, n => Serial(n) <= 950);
    }

    private static int Serial(string number) => int.Parse(number[8..^2], System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Certificates with serials 1 … 1,000 (the highest is the newest), counting what is read.</summary>
    private sealed class FakeRegistry : IVerificationRecordSource
    {
        private readonly HashSet<int> revoked = [];

        public int RowsRead { get; set; }
        public List<string> FoundByNumber { get; } = [];

        public void Revoke(int serial) => revoked.Add(serial);

        public static VerificationRecord Record(string number, CertificateStatus status = CertificateStatus.Valid) => new()
        {
            Number = number, StoredStatus = status, IssuedOn = new DateOnly(2025, 6, 1),
            PackedNames = VerificationRecord.PackNames("زهرا", "کریمی", "Zahra", "Karimi"), Standard = Standard, Center = Center,
        };

        private VerificationRecord RecordOf(int serial) => Record(Number(serial), revoked.Contains(serial) ? CertificateStatus.Revoked : CertificateStatus.Valid);

        public Task<RecordPage> NewestAsync(string? before, int count, CancellationToken ct)
        {
            var below = before is null ? Registry + 1 : Serial(before);
            var serials = Enumerable.Range(1, below - 1).Reverse().Take(count).ToList();
            RowsRead += serials.Count;
            return Task.FromResult(new RecordPage(serials.Select(RecordOf).ToList(), serials.Count, serials.Count == 0 ? null : Number(serials[^1])));
        }

        public Task<IReadOnlyList<VerificationRecord>> FindManyAsync(IReadOnlyList<string> numbers, CancellationToken ct)
        {
            FoundByNumber.AddRange(numbers);
            return Task.FromResult<IReadOnlyList<VerificationRecord>>(numbers.Select(n => RecordOf(Serial(n))).ToList());
        }
    }
}
