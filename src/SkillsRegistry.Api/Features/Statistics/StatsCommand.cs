using SkillsRegistry.Api.Infrastructure.Hosting;

namespace SkillsRegistry.Api.Features.Statistics;

/// <summary>
/// Maintenance verb: <c>stats rebuild</c> recounts the statistics roll-up from the base tables (after a restore, a bulk
/// load with triggers disabled, or to prove it is exact: <c>stats check</c> compares without writing).
/// </summary>
public static class StatsCommand
{
    public static bool Matches(string[] args) => args.Length >= 1 && args[0] == "stats";

    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length < 2 || args[1] is not ("rebuild" or "check"))
        {
            Console.Error.WriteLine("Usage: stats rebuild | stats check   (plus configuration overrides such as --Database:Provider=Postgres)");
            return 2;
        }
        var builder = WebApplication.CreateBuilder(args[2..]);
        builder.Logging.ClearProviders();
        builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.AddSkillsRegistry();
        await using var app = builder.Build();
        await app.Services.GetRequiredService<DatabaseStartup>().StartAsync(CancellationToken.None);
        var rollup = app.Services.GetRequiredService<StatisticsRollup>();

        if (args[1] == "rebuild")
        {
            var rows = await rollup.RebuildAsync(CancellationToken.None);
            Console.Out.WriteLine($"Statistics roll-up rebuilt from the base tables: {rows} rows.");
            return 0;
        }
        var stored = await rollup.StoredAsync(CancellationToken.None);
        var recount = await rollup.RecountAsync(CancellationToken.None);
        var differing = stored.Except(recount).Count() + recount.Except(stored).Count();
        Console.Out.WriteLine(differing == 0
            ? $"Statistics roll-up equals a recount ({stored.Count} rows)."
            : $"Statistics roll-up differs from a recount in {differing} rows: run 'stats rebuild'.");
        return differing == 0 ? 0 : 1;
    }
}
