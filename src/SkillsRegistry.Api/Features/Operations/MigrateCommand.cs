using System.Diagnostics;
using SkillsRegistry.Api.Infrastructure.Data;

namespace SkillsRegistry.Api.Features.Operations;

/// <summary>
/// Maintenance verb: <c>migrate</c> applies the pending migrations of this build and exits, without starting the service
/// or running startup steps. Meant for a large registry, run once from one place while the instances keep serving
/// (with Database:MigrateAtStartup=false): on PostgreSQL a script marked no-transaction builds its index CONCURRENTLY.
/// Interrupted, it can simply be run again: a transaction rolls back whole, and an index left invalid is built again.
/// </summary>
public static class MigrateCommand
{
    public static async Task<int> RunAsync(string[] args)
    {
        var interrupted = AdminHost.CancelOnInterrupt();
        await using var app = await AdminHost.BuildAsync(args[1..], migrate: false);
        var clock = Stopwatch.StartNew();
        try
        {
            var applied = await app.Services.GetRequiredService<Migrator>().MigrateAsync(interrupted);
            Console.Out.WriteLine(applied.Count == 0
                ? "The database is up to date: no migration to apply."
                : $"Applied {applied.Count} migration(s) in {clock.Elapsed.TotalSeconds:0.0} s: {string.Join(", ", applied)}.");
            return 0;
        }
        catch (OperationCanceledException) when (interrupted.IsCancellationRequested)
        {
            Console.Error.WriteLine("\nmigrate interrupted: what was applied is recorded; run it again to apply the rest.");
            return 130;
        }
    }
}
