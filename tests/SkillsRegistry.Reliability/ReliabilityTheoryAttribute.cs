using SkillsRegistry.Tests.Support;

[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace SkillsRegistry.Reliability;

/// <summary>
/// A reliability theory: runs by default (CI included); skipped when SKILLSREGISTRY_SKIP_RELIABILITY=1 for quick local runs.
/// Sizes and durations are small in CI and can be raised by environment variables (see <see cref="ReliabilitySettings"/>).
/// </summary>
public sealed class ReliabilityTheoryAttribute : TheoryAttribute
{
    public ReliabilityTheoryAttribute()
    {
        if (ReliabilitySettings.Skip) Skip = "Reliability suite skipped: SKILLSREGISTRY_SKIP_RELIABILITY=1.";
    }
}

public static class ReliabilitySettings
{
    public static bool Skip => Environment.GetEnvironmentVariable("SKILLSREGISTRY_SKIP_RELIABILITY") == "1";

    public static int Int(string name, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), out var value) && value > 0 ? value : fallback;

    /// <summary>Hostile requests per database (default 10,000).</summary>
    public static int HostileRequests => Int("SKILLSREGISTRY_HOSTILE_REQUESTS", 10_000);

    /// <summary>Results ingested across crashes (5,000 by default; 20,000 for the full run).</summary>
    public static int CrashRows => Int("SKILLSREGISTRY_CRASH_ROWS", 5_000);

    /// <summary>Seconds of verification load in the soak test (20 by default; 60 for the full run).</summary>
    public static int SoakSeconds => Int("SKILLSREGISTRY_SOAK_SECONDS", 20);

    /// <summary>The random seed; printed by each test so a failure can be replayed with SKILLSREGISTRY_SEED.</summary>
    public static int Seed => Int("SKILLSREGISTRY_SEED", 20_251_122);

    public static string ProviderOf(TestDatabase database) => database == TestDatabase.Postgres ? "Postgres" : "Sqlite";
}
