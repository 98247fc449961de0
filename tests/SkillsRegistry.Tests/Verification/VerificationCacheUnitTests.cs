using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using SkillsRegistry.Api.Features.Certificates;
using SkillsRegistry.Api.Features.Verification;
using SkillsRegistry.Api.Infrastructure.Caching;
using SkillsRegistry.Api.Infrastructure.Data;

namespace SkillsRegistry.Tests.Verification;

public sealed class VerificationCacheUnitTests
{
    private static readonly VerifiedStandard Standard = new("BENCH01", 1, "بافنده فرش دستباف", "Hand-woven carpet weaver", "7318", 60, 140);
    private static readonly VerifiedCenter Center = new("C-1", "مرکز", "Center", "IR-10", "IR");

    private static (VerificationCache Cache, RegistryChanges Changes, FakeTimeProvider Clock) Create(int entries = 100, int ttlSeconds = 300)
    {
        var db = new Db(new DatabaseOptions { Provider = DatabaseProvider.Sqlite, ConnectionString = "Data Source=:memory:" }, TimeProvider.System, NullLogger<Db>.Instance);
        var changes = new RegistryChanges(db, NullLogger<RegistryChanges>.Instance);
        var clock = new FakeTimeProvider();
        return (new VerificationCache(new VerificationCacheOptions { CacheEntries = entries, CacheTtlSeconds = ttlSeconds }, changes, clock), changes, clock);
    }

    /// <summary>A real certificate number (the cache keys on the number's packed form) for a short name.</summary>
    private static string N(string name) => CertificateNumber.Format(1404, "10", Serials.GetOrAdd(name, _ => Interlocked.Increment(ref lastSerial)));

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, long> Serials = new();
    private static long lastSerial;

    private static VerificationRecord Record(string name, CertificateStatus status = CertificateStatus.Valid, string? number = null,
        DateOnly? issuedOn = null, string? packedNames = null) => new()
    {
        Number = number ?? N(name), StoredStatus = status, IssuedOn = issuedOn ?? new DateOnly(2025, 6, 1),
        PackedNames = packedNames ?? VerificationRecord.PackNames("زهرا", "کریمی", "Zahra", "Karimi"), Standard = Standard, Center = Center,
    };

    [Fact]
    public void Never_holds_more_than_the_configured_number_of_records()
    {
        var (cache, _, _) = Create(entries: 100);
        for (var i = 0; i < 1_000; i++) cache.Add(Record($"n-{i}"), cache.Stamp());
        Assert.InRange(cache.Count, 1, 100);
        Assert.True(cache.TryGet(N("n-999"), out _));
        Assert.False(cache.TryGet(N("n-0"), out _));
    }

    [Fact]
    public void A_number_asked_often_stays_while_others_come_and_go()
    {
        var (cache, _, _) = Create(entries: 100);
        cache.Add(Record("hot"), cache.Stamp());
        for (var i = 0; i < 1_000; i++)
        {
            cache.Add(Record($"n-{i}"), cache.Stamp());
            if (i % 20 == 0) Assert.True(cache.TryGet(N("hot"), out _), $"dropped after {i} others");
        }
    }

    [Fact]
    public void A_change_drops_that_number_only_and_everything_drops_all()
    {
        var (cache, changes, _) = Create();
        cache.Add(Record("a"), cache.Stamp());
        cache.Add(Record("b"), cache.Stamp());
        changes.Publish(N("a"));
        Assert.False(cache.TryGet(N("a"), out _));
        Assert.True(cache.TryGet(N("b"), out _));
        changes.Publish(RegistryChanges.Everything);
        Assert.False(cache.TryGet(N("b"), out _));
    }

    [Fact]
    public void A_record_read_before_a_change_committed_is_not_kept()
    {
        var (cache, changes, _) = Create();
        var stamp = cache.Stamp(); // the lookup starts
        changes.Publish(N("a"));      // a change commits while the (old) record is being read
        cache.Add(Record("a"), stamp);
        Assert.False(cache.TryGet(N("a"), out _));
    }

    [Fact]
    public void A_record_is_served_no_longer_than_its_lifetime()
    {
        var (cache, _, clock) = Create(ttlSeconds: 60);
        cache.Add(Record("a"), cache.Stamp());
        clock.Advance(TimeSpan.FromSeconds(59));
        Assert.True(cache.TryGet(N("a"), out _));
        clock.Advance(TimeSpan.FromSeconds(2));
        Assert.False(cache.TryGet(N("a"), out _));
    }

    [Fact]
    public void No_entries_configured_means_no_cache()
    {
        var (cache, _, _) = Create(entries: 0);
        cache.Add(Record("a"), cache.Stamp());
        Assert.False(cache.TryGet(N("a"), out _));
    }

    [Fact]
    public void A_record_comes_back_with_everything_it_was_kept_with()
    {
        var (cache, _, _) = Create();
        var full = Record("full");
        var revoked = new VerificationRecord
        {
            Number = N("revoked"), StoredStatus = CertificateStatus.Superseded, IssuedOn = new DateOnly(2024, 3, 20), ExpiresOn = new DateOnly(2027, 3, 20),
            PackedNames = VerificationRecord.PackNames("ابوالفضل", "قاسمی‌نژاد", "Abolfazl", "Ghasemi-Nejad"),
            Standard = Standard, CurrentStandard = new CurrentEquivalent("BENCH01", 2, "بافنده", "Weaver", true),
            Center = new VerifiedCenter("C-2", "مرکز دوم", "Second", null, "AF"),
            Revocation = new RecordedRevocation(RevocationReason.Fraud, new DateTimeOffset(2025, 1, 2, 3, 4, 5, TimeSpan.Zero)),
            SupersededByNumber = N("replacement"),
        };
        cache.Add(full, cache.Stamp());
        cache.Add(revoked, cache.Stamp());

        foreach (var kept in new[] { full, revoked })
        {
            Assert.True(cache.TryGet(kept.Number, out var back));
            Assert.Equal(kept.Number, back.Number);
            Assert.Equal(kept.StoredStatus, back.StoredStatus);
            Assert.Equal(kept.IssuedOn, back.IssuedOn);
            Assert.Equal(kept.ExpiresOn, back.ExpiresOn);
            Assert.Equal(kept.Holder, back.Holder);
            Assert.Equal(kept.Standard, back.Standard);
            Assert.Equal(kept.CurrentStandard, back.CurrentStandard);
            Assert.Equal(kept.Center, back.Center);
            Assert.Equal(kept.Revocation, back.Revocation);
            Assert.Equal(kept.SupersededByNumber, back.SupersededByNumber);
        }
    }

    [Fact]
    public void A_number_kept_again_with_changes_answers_the_new_record_and_unchanged_only_lives_longer()
    {
        var (cache, _, clock) = Create(ttlSeconds: 60);
        cache.Add(Record("a"), cache.Stamp());
        cache.Add(Record("a", CertificateStatus.Revoked), cache.Stamp());
        Assert.True(cache.TryGet(N("a"), out var changed));
        Assert.Equal(CertificateStatus.Revoked, changed.StoredStatus);

        clock.Advance(TimeSpan.FromSeconds(50));
        cache.Add(Record("a", CertificateStatus.Revoked), cache.Stamp()); // read again, same: a fresh lifetime
        clock.Advance(TimeSpan.FromSeconds(50));
        Assert.True(cache.TryGet(N("a"), out _));
        clock.Advance(TimeSpan.FromSeconds(11));
        Assert.False(cache.TryGet(N("a"), out _));
    }

    [Fact]
    public void Only_well_formed_certificate_numbers_are_kept()
    {
        var (cache, _, _) = Create();
        cache.Add(Record("a", number: "not-a-number"), cache.Stamp());
        Assert.False(cache.TryGet("not-a-number", out _));
        var number = N("a");
        Assert.False(cache.TryGet(number[..^1] + (number[^1] == 'A' ? 'B' : 'A'), out _)); // another check character: another number
    }

    [Fact]
    public async Task Readers_running_while_records_are_written_and_dropped_only_ever_see_whole_records_of_their_own_number()
    {
        var (cache, changes, _) = Create(entries: 400_000);
        const int count = 100_000;
        var numbers = Enumerable.Range(0, count).Select(i => CertificateNumber.Format(1405, "10", 500_000_000 + i)).ToArray();
        VerificationRecord RecordOf(int i) => Record("x", number: numbers[i], issuedOn: DateOnly.FromDayNumber(700_000 + i),
            packedNames: VerificationRecord.PackNames("نام" + i, "خانواده" + i, "Given" + i, "Family" + i));
        var writing = true;
        var seen = 0;
        using var started = new CountdownEvent(3);
        var readers = Enumerable.Range(0, 3).Select(r => Task.Run(() =>
        {
            var random = new Random(r);
            started.Signal();
            for (var reads = 0; Volatile.Read(ref writing) || reads < 10_000; reads++)
            {
                var i = random.Next(count);
                if (!cache.TryGet(numbers[i], out var record)) continue;
                Interlocked.Increment(ref seen);
                Assert.Equal(numbers[i], record.Number);
                Assert.Equal(700_000 + i, record.IssuedOn.DayNumber);
                Assert.Equal("Family" + i, record.Holder.FamilyNameLatin);
            }
        })).ToArray();
        Assert.True(started.Wait(TimeSpan.FromMinutes(1)), "the readers did not start");
        for (var i = 0; i < count; i++)
        {
            cache.Add(RecordOf(i), cache.Stamp());
            if (i % 7 == 0) changes.Publish(numbers[i / 2]);
        }
        Volatile.Write(ref writing, false);
        await Task.WhenAll(readers);
        Assert.True(seen > 0, "no reader found any record");
        Assert.True(cache.TryGet(numbers[count - 1], out _));
    }
}
