using Microsoft.Extensions.Logging.Abstractions;
using SkillsRegistry.Api.Features.Certificates;
using SkillsRegistry.Api.Features.Verification;
using SkillsRegistry.Api.Infrastructure.Text;
using SkillsRegistry.Api.Infrastructure.Caching;
using SkillsRegistry.Api.Infrastructure.Data;

namespace SkillsRegistry.Bench;

/// <summary>
/// Memory per cached verification record: fills a <see cref="VerificationCache"/> with records shaped like the registry's
/// (number, four holder names of typical length, shared standard and center) and measures the managed heap before and after.
/// </summary>
public static class CacheSizeBench
{
    private static readonly string[] GivenFa = ["زهرا", "فاطمه", "محمد", "علی", "مریم", "حسین", "سکینه", "رضا", "نرگس", "ابوالفضل"];
    private static readonly string[] FamilyFa = ["کریمی", "محمدی", "حسینی", "رضایی", "موسوی", "احمدی", "جعفری", "صادقی", "کاظمی", "قاسمی‌نژاد"];
    private static readonly string[] GivenLatin = ["Zahra", "Fatemeh", "Mohammad", "Ali", "Maryam", "Hossein", "Sakineh", "Reza", "Narges", "Abolfazl"];
    private static readonly string[] FamilyLatin = ["Karimi", "Mohammadi", "Hosseini", "Rezaei", "Mousavi", "Ahmadi", "Jafari", "Sadeghi", "Kazemi", "Ghasemi-Nejad"];

    public static void Run(int entries)
    {
        var db = new Db(new DatabaseOptions { Provider = DatabaseProvider.Sqlite, ConnectionString = "Data Source=:memory:" }, TimeProvider.System, NullLogger<Db>.Instance);
        var changes = new RegistryChanges(db, NullLogger<RegistryChanges>.Instance);
        // Twice the entries as capacity: both generations hold what was added, nothing is evicted while measuring.
        var cache = new VerificationCache(new VerificationCacheOptions { CacheEntries = entries * 2 + 2 }, changes, TimeProvider.System);
        var standard = new VerifiedStandard("BENCH01", 1, "بافنده فرش دستباف", "Hand-woven carpet weaver", "7318", 60, 140);
        var center = new VerifiedCenter("TC-BENCH", "مرکز آزمایشی", "Benchmark center", "IR-10", "IR");
        var year = RegistryCalendar.SolarHijriYear(RegistryCalendar.Today(TimeProvider.System));
        var random = new Random(7);

        var before = GC.GetTotalMemory(forceFullCollection: true);
        for (var i = 1; i <= entries; i++)
        {
            // Packed per record, as the lookup does: no sharing between records.
            cache.Add(new VerificationRecord
            {
                Number = CertificateNumber.Format(year, "10", i),
                StoredStatus = CertificateStatus.Valid,
                IssuedOn = new DateOnly(2025, 6, 1),
                ExpiresOn = new DateOnly(2028, 6, 1),
                PackedNames = VerificationRecord.PackNames(GivenFa[random.Next(GivenFa.Length)], FamilyFa[random.Next(FamilyFa.Length)],
                    GivenLatin[random.Next(GivenLatin.Length)], FamilyLatin[random.Next(FamilyLatin.Length)]),
                Standard = standard,
                Center = center,
            }, cache.Stamp());
        }
        var after = GC.GetTotalMemory(forceFullCollection: true);
        GC.KeepAlive(cache);
        var perEntry = (after - before) / (double)entries;
        var defaultEntries = new VerificationCacheOptions().CacheEntries;
        Report.Table($"verification cache — memory per record ({Report.N(entries)} records)", $".NET {Environment.Version}",
            ["records", "managed heap growth", "bytes per record", $"default capacity ({Report.N(defaultEntries)}) when full"],
            [[Report.N(entries), Report.Mib(after - before), Report.N(perEntry), Report.Mib((long)(perEntry * defaultEntries))]],
            "Records as the registry's: a 15-character number, four holder names of 3–13 characters, standard and center shared. " +
            "A record is a 32-byte entry, about 8 bytes of hash table and its names in UTF-8; memory grows with the records held, not with the capacity.");
    }
}
