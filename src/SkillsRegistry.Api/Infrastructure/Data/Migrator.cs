using System.Data.Common;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace SkillsRegistry.Api.Infrastructure.Data;

/// <summary>
/// One db/{dialect}/NNNN_name.sql. <see cref="OutsideTransaction"/>: its first line is <see cref="Migrator.NoTransactionMarker"/>.
/// </summary>
public sealed record MigrationScript(string Name, string Sql, string Checksum)
{
    public bool OutsideTransaction { get; } = Sql.StartsWith(Migrator.NoTransactionMarker + "\n", StringComparison.Ordinal);
}

public sealed class MigrationException(string message) : Exception(message);

/// <summary>
/// Applies db/{dialect}/NNNN_name.sql (embedded in the assembly) in order, recording each with its checksum; a released
/// script that changed stops startup. Consecutive ordinary scripts run in one transaction. A script marked
/// <see cref="NoTransactionMarker"/> (PostgreSQL's CREATE INDEX CONCURRENTLY, which a transaction may not hold) runs on its
/// own, one statement at a time, and is recorded after its last statement succeeded; an index it builds that an interrupted
/// run left invalid is dropped first, so running it again repairs it. One instance migrates at a time (a session lock).
/// </summary>
public sealed partial class Migrator(Db db, TimeProvider clock, ILogger<Migrator> logger)
{
    /// <summary>First line of a script that must run outside a transaction. Its statements are separated by semicolons at line ends.</summary>
    public const string NoTransactionMarker = "-- migration: no-transaction";

    private const string CreateHistoryTable = """
        CREATE TABLE IF NOT EXISTS schema_migrations (
            name TEXT PRIMARY KEY,
            checksum TEXT NOT NULL,
            applied_at TEXT NOT NULL
        )
        """;

    private const string RecordApplied = """
        INSERT INTO schema_migrations (name, checksum, applied_at) VALUES (@Name, @Checksum, @AppliedAt) ON CONFLICT (name) DO NOTHING
        """;

    private sealed record AppliedMigration(string Name, string Checksum);

    public static IReadOnlyList<MigrationScript> Scripts(string folder)
    {
        var assembly = typeof(Migrator).Assembly;
        var prefix = $"db/{folder}/";
        return assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(prefix, StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(n => Load(assembly, n, n[prefix.Length..]))
            .ToList();
    }

    private static MigrationScript Load(Assembly assembly, string resource, string name)
    {
        using var stream = assembly.GetManifestResourceStream(resource)!;
        using var reader = new StreamReader(stream, Encoding.UTF8);
        // Line endings depend on the checkout, not on the script's meaning.
        var sql = reader.ReadToEnd().Replace("\r\n", "\n");
        var checksum = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(sql)));
        return new MigrationScript(name, sql, checksum);
    }

    /// <summary>Applies every pending script; returns the names applied (empty when the database was up to date).</summary>
    public async Task<IReadOnlyList<string>> MigrateAsync(CancellationToken ct = default)
    {
        var scripts = Scripts(db.Dialect.MigrationsFolder);
        await db.ReadAsync(s => s.ExecuteScalarAsync<object>(db.Dialect.DatabaseSetupSql), ct);
        var applied = await db.AutocommitAsync(async session =>
        {
            while (!await session.ExecuteScalarAsync<bool>(db.Dialect.TryMigrationLockSql))
            {
                logger.LogInformation("Another instance is migrating the database; waiting for it");
                await Task.Delay(TimeSpan.FromSeconds(1), session.CancellationToken);
            }
            try
            {
                var newlyApplied = new List<string>();
                while (true)
                {
                    var (batch, next) = await ApplyTransactionalAsync(scripts);
                    newlyApplied.AddRange(batch);
                    if (next is null) return newlyApplied;
                    await ApplyOutsideTransactionAsync(session, next);
                    newlyApplied.Add(next.Name);
                }
            }
            finally
            {
                await ReleaseLockAsync(session);
            }
        }, ct);
        foreach (var name in applied) logger.LogInformation("Applied migration {Migration}", name);
        return applied;
    }

    /// <summary>
    /// In one transaction, the pending scripts up to the first that must run outside one; returns their names and that
    /// script (null when none is left).
    /// </summary>
    private Task<(List<string> Applied, MigrationScript? Next)> ApplyTransactionalAsync(IReadOnlyList<MigrationScript> scripts) =>
        db.WriteAsync(async s =>
        {
            s.CommandTimeoutSeconds = 0; // a migration over a large table takes what it takes
            await s.ExecuteAsync(CreateHistoryTable);
            var done = (await s.QueryAsync<AppliedMigration>("SELECT name, checksum FROM schema_migrations"))
                .ToDictionary(m => m.Name, m => m.Checksum);
            CheckReleasedScriptsUnchanged(scripts, done);
            var applied = new List<string>();
            foreach (var script in scripts.Where(x => !done.ContainsKey(x.Name)))
            {
                if (script.OutsideTransaction) return (applied, script);
                await s.ExecuteAsync(script.Sql);
                await s.ExecuteAsync(RecordApplied, new { script.Name, script.Checksum, AppliedAt = clock.GetUtcNow().ToString("O") });
                applied.Add(script.Name);
            }
            return (applied, (MigrationScript?)null);
        });

    private async Task ApplyOutsideTransactionAsync(DbSession session, MigrationScript script)
    {
        session.CommandTimeoutSeconds = 0;
        if (db.Dialect.InvalidIndexSql is { } invalid)
            foreach (var index in IndexesBuiltConcurrently(script.Sql))
                if (await session.ExecuteScalarAsync<bool>(invalid, new { name = index }))
                {
                    logger.LogWarning("Index {Index} of migration {Migration} was left invalid by an interrupted build; dropping it to build it again",
                        index, script.Name);
                    await session.ExecuteAsync(db.Dialect.DropIndexSql(index));
                }
        foreach (var statement in Statements(script.Sql)) await session.ExecuteAsync(statement);
        await db.WriteAsync(s => s.ExecuteAsync(RecordApplied, new { script.Name, script.Checksum, AppliedAt = clock.GetUtcNow().ToString("O") }));
    }

    private async Task ReleaseLockAsync(DbSession session)
    {
        try
        {
            await session.ExecuteScalarAsync<object>(db.Dialect.MigrationUnlockSql);
        }
        catch (DbException e)
        {
            // The connection broke: the server ended its session, and the session's lock with it.
            logger.LogWarning("Could not release the migration lock ({Error}); the broken connection released it", e.Message);
        }
    }

    /// <summary>The statements of a no-transaction script: comment lines dropped, split at semicolons that end a line.</summary>
    public static IReadOnlyList<string> Statements(string sql) =>
        string.Join("\n", sql.Split('\n').Where(line => !line.TrimStart().StartsWith("--", StringComparison.Ordinal)))
            .Split(";\n").Select(statement => statement.Trim().TrimEnd(';').Trim()).Where(statement => statement.Length > 0).ToList();

    private static IEnumerable<string> IndexesBuiltConcurrently(string sql) =>
        ConcurrentIndex().Matches(sql).Select(m => m.Groups["name"].Value);

    [GeneratedRegex(@"CREATE\s+(UNIQUE\s+)?INDEX\s+CONCURRENTLY\s+(IF\s+NOT\s+EXISTS\s+)?(?<name>\w+)", RegexOptions.IgnoreCase)]
    private static partial Regex ConcurrentIndex();

    private static void CheckReleasedScriptsUnchanged(IReadOnlyList<MigrationScript> scripts, Dictionary<string, string> applied)
    {
        foreach (var script in scripts)
        {
            if (applied.TryGetValue(script.Name, out var recorded) && recorded != script.Checksum)
                throw new MigrationException(
                    $"Migration {script.Name} was changed after it was applied to this database " +
                    $"(recorded checksum {recorded[..12]}…, file checksum {script.Checksum[..12]}…). " +
                    "Released migrations must never be edited: restore the original file and put the change in a new migration.");
        }
    }

    /// <summary>Names of scripts this build knows that the database has not recorded (empty = up to date).</summary>
    public async Task<IReadOnlyList<string>> PendingAsync(CancellationToken ct = default)
    {
        var scripts = Scripts(db.Dialect.MigrationsFolder);
        var done = await db.ReadAsync(s => s.QueryAsync<string>("SELECT name FROM schema_migrations"), ct);
        var set = done.ToHashSet();
        return scripts.Where(x => !set.Contains(x.Name)).Select(x => x.Name).ToList();
    }
}
