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
        var db = new Db(new DatabaseOptions { Provider = DatabaseProvider.Sqlite, ConnectionString = "Data Source=:memory:" }, NullLogger<Db>.Instance);
        var changes = new RegistryChanges(db, NullLogger<RegistryChanges>.Instance);
        var clock = new FakeTimeProvider();
        return (new VerificationCache(new VerificationCacheOptions { CacheEntries = entries, CacheTtlSeconds = ttlSeconds }, changes, clock), changes, clock);
    }

    private static VerificationRecord Record(string number) => new()
    {
        Number = number, StoredStatus = CertificateStatus.Valid, IssuedOn = new DateOnly(2025, 6, 1),
        PackedNames = VerificationRecord.PackNames("زهرا", "کریمی", "Zahra", "Karimi"), Standard = Standard, Center = Center,
    };

    [Fact]
    public void Never_holds_more_than_the_configured_number_of_records()
    {
        var (cache, _, _) = Create(entries: 100);
        for (var i = 0; i < 1_000; i++) cache.Add(Record($"n-{i}"), cache.Stamp());
        Assert.InRange(cache.Count, 1, 100);
        Assert.True(cache.TryGet("n-999", out _));
        Assert.False(cache.TryGet("n-0", out _));
    }

    [Fact]
    public void A_number_asked_often_stays_while_others_come_and_go()
    {
        var (cache, _, _) = Create(entries: 100);
        cache.Add(Record("hot"), cache.Stamp());
        for (var i = 0; i < 1_000; i++)
        {
            cache.Add(Record($"n-{i}"), cache.Stamp());
            if (i % 20 == 0) Assert.True(cache.TryGet("hot", out _), $"dropped after {i} others");
        }
    }

    [Fact]
    public void A_change_drops_that_number_only_and_everything_drops_all()
    {
        var (cache, changes, _) = Create();
        cache.Add(Record("a"), cache.Stamp());
        cache.Add(Record("b"), cache.Stamp());
        changes.Publish("a");
        Assert.False(cache.TryGet("a", out _));
        Assert.True(cache.TryGet("b", out _));
        changes.Publish(RegistryChanges.Everything);
        Assert.False(cache.TryGet("b", out _));
    }

    [Fact]
    public void A_record_read_before_a_change_committed_is_not_kept()
    {
        var (cache, changes, _) = Create();
        var stamp = cache.Stamp(); // the lookup starts
        changes.Publish("a");      // a change commits while the (old) record is being read
        cache.Add(Record("a"), stamp);
        Assert.False(cache.TryGet("a", out _));
    }

    [Fact]
    public void A_record_is_served_no_longer_than_its_lifetime()
    {
        var (cache, _, clock) = Create(ttlSeconds: 60);
        cache.Add(Record("a"), cache.Stamp());
        clock.Advance(TimeSpan.FromSeconds(59));
        Assert.True(cache.TryGet("a", out _));
        clock.Advance(TimeSpan.FromSeconds(2));
        Assert.False(cache.TryGet("a", out _));
    }

    [Fact]
    public void No_entries_configured_means_no_cache()
    {
        var (cache, _, _) = Create(entries: 0);
        cache.Add(Record("a"), cache.Stamp());
        Assert.False(cache.TryGet("a", out _));
    }
}
