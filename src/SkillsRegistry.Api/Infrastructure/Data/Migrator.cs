using System.Reflection;
using System.Security.Cryptography;
using System.Text;

namespace SkillsRegistry.Api.Infrastructure.Data;

public sealed record MigrationScript(string Name, string Sql, string Checksum);

public sealed class MigrationException(string message) : Exception(message);

/// <summary>
/// Applies db/{dialect}/NNNN_name.sql (embedded in the assembly) in order, in one transaction,
/// recording each with its checksum. A released script that changed stops startup.
/// </summary>
public sealed class Migrator(Db db, ILogger<Migrator> logger)
{
    private const string CreateHistoryTable = """
        CREATE TABLE IF NOT EXISTS schema_migrations (
            name TEXT PRIMARY KEY,
            checksum TEXT NOT NULL,
            applied_at TEXT NOT NULL
        )
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

    public async Task MigrateAsync(CancellationToken ct = default)
    {
        var scripts = Scripts(db.Dialect.MigrationsFolder);
        await db.ReadAsync(s => s.ExecuteScalarAsync<object>(db.Dialect.DatabaseSetupSql), ct);
        var applied = await db.WriteAsync(async s =>
        {
            await s.ExecuteScalarAsync<object>(db.Dialect.MigrationLockSql);
            await s.ExecuteAsync(CreateHistoryTable);
            var done = (await s.QueryAsync<AppliedMigration>("SELECT name, checksum FROM schema_migrations"))
                .ToDictionary(m => m.Name, m => m.Checksum);
            CheckReleasedScriptsUnchanged(scripts, done);
            var newlyApplied = new List<string>();
            foreach (var script in scripts.Where(x => !done.ContainsKey(x.Name)))
            {
                await s.ExecuteAsync(script.Sql);
                await s.ExecuteAsync(
                    "INSERT INTO schema_migrations (name, checksum, applied_at) VALUES (@Name, @Checksum, @AppliedAt)",
                    new { script.Name, script.Checksum, AppliedAt = DateTimeOffset.UtcNow.ToString("O") });
                newlyApplied.Add(script.Name);
            }
            return newlyApplied;
        }, ct);
        foreach (var name in applied) logger.LogInformation("Applied migration {Migration}", name);
    }

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
