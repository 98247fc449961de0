using SkillsRegistry.Api.Features.Operations;
using SkillsRegistry.Api.Infrastructure.Hosting;

namespace SkillsRegistry.Api.Features.Statistics;

/// <summary>
/// Maintenance verb: <c>stats rebuild</c> recounts the statistics roll-up from the base tables (after a restore, a bulk
/// load with triggers disabled, or to prove it is exact: <c>stats check</c> compares without writing). The rebuild is one
/// transaction: interrupted, it leaves the roll-up as it was and can simply be run again.
/// </summary>
public static class StatsCommand
{
    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length < 2 || args[1] is not ("rebuild" or "check"))
        {
            Console.Error.WriteLine("Usage: stats rebuild | stats check   (plus configuration overrides such as --Database:Provider=Postgres)");
            return 2;
        }
        var interrupted = AdminHost.CancelOnInterrupt();
        await using var app = await AdminHost.BuildAsync(args[2..], migrate: true);
        var rollup = app.Services.GetRequiredService<StatisticsRollup>();
        try
        {
            if (args[1] == "rebuild")
            {
                var progress = new ProgressReporter("stats rebuild", StatisticsRollup.RebuildSteps, "steps");
                var rows = await rollup.RebuildAsync(interrupted, progress);
                progress.Complete($"{rows} roll-up rows recounted");
                Console.Out.WriteLine($"Statistics roll-up rebuilt from the base tables: {rows} rows.");
                return 0;
            }
            var check = new ProgressReporter("stats check", 2, "steps");
            var stored = await rollup.StoredAsync(interrupted);
            check.Advance();
            var recount = await rollup.RecountAsync(interrupted);
            check.Complete($"{stored.Count} stored rows compared with a recount");
            var differing = stored.Except(recount).Count() + recount.Except(stored).Count();
            Console.Out.WriteLine(differing == 0
                ? $"Statistics roll-up equals a recount ({stored.Count} rows)."
                : $"Statistics roll-up differs from a recount in {differing} rows: run 'stats rebuild'.");
            return differing == 0 ? 0 : 1;
        }
        catch (OperationCanceledException) when (interrupted.IsCancellationRequested)
        {
            Console.Error.WriteLine($"\nstats {args[1]} interrupted: nothing was changed; run it again.");
            return 130;
        }
    }
}
