using SkillsRegistry.Api.Infrastructure.Data;

namespace SkillsRegistry.Api.Features.Operations;

/// <summary>
/// What the verbs that work on the SQLite file (backup, restore) start from: their options with the one they need, a token
/// that Ctrl+C/SIGTERM cancels, and the registry's container. On PostgreSQL they print the pg_dump/pg_restore advice instead.
/// </summary>
public sealed record SqliteFileVerb(
    WebApplication App, DatabaseOptions Database, IReadOnlyDictionary<string, string> Options, string Target, CancellationToken Interrupted)
    : IAsyncDisposable
{
    /// <summary>The verb's start, or null with the exit code to return (a usage error, or the PostgreSQL advice).</summary>
    public static async Task<(SqliteFileVerb? Verb, int Exit)> StartAsync(
        string verb, string[] args, IReadOnlySet<string> known, string required, string usage)
    {
        var options = AdminHost.ParseOptions(args[1..], known, out var configuration);
        if (options is null || !options.TryGetValue(required, out var target)) return (null, AdminHost.Refuse("Usage: " + usage));
        var interrupted = AdminHost.CancelOnInterrupt();
        var app = await AdminHost.BuildAsync(configuration, migrate: false);
        var database = app.Services.GetRequiredService<DatabaseOptions>();
        if (database.Provider != DatabaseProvider.Postgres) return (new SqliteFileVerb(app, database, options, target, interrupted), 0);
        var advice = PostgresBackupAdvice.Print(verb, database.ConnectionString, database.DataDirectory, app.Configuration);
        await app.DisposeAsync();
        return (null, advice);
    }

    public ValueTask DisposeAsync() => App.DisposeAsync();
}
