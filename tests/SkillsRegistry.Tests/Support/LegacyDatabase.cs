using System.Data.Common;
using Dapper;
using Microsoft.Data.Sqlite;
using Npgsql;
using SkillsRegistry.Api.Infrastructure.Data;

namespace SkillsRegistry.Tests.Support;

/// <summary>
/// A database an older release left behind, for upgrade tests: a data directory of its own (the SQLite file, the keys) and,
/// on PostgreSQL, a database of its own; both removed on dispose. <see cref="MigrateBeforeAsync{T}"/> applies the scripts
/// that release knew, as its migrator did, and writes rows the way it wrote them.
/// </summary>
public sealed class LegacyDatabase : IAsyncDisposable
{
    private LegacyDatabase(TestDatabase engine, string directory, string? connectionString)
    {
        Engine = engine;
        Directory = directory;
        ConnectionString = connectionString;
    }

    public TestDatabase Engine { get; }
    public string Directory { get; }
    public string? ConnectionString { get; }

    public static async Task<LegacyDatabase> CreateAsync(TestDatabase engine, string name)
    {
        TypeHandlers.Register();
        var directory = Path.Combine(Path.GetTempPath(), "skillsregistry-tests", name + "-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(directory);
        var connectionString = engine == TestDatabase.Postgres ? await PostgresServer.CreateDatabaseAsync() : null;
        return new LegacyDatabase(engine, directory, connectionString);
    }

    /// <summary>The settings that point a <see cref="RegistryApp"/> at this database.</summary>
    public Dictionary<string, string?> Settings()
    {
        var settings = new Dictionary<string, string?> { ["Database:DataDirectory"] = Directory };
        if (ConnectionString is not null) settings["ConnectionStrings:Registry"] = ConnectionString;
        return settings;
    }

    /// <summary>A connection of its own (outside the service's pools) to this database.</summary>
    public async Task<DbConnection> OpenAsync()
    {
        DbConnection connection = Engine == TestDatabase.Sqlite
            ? new SqliteConnection($"Data Source={Path.Combine(Directory, "registry.db")};Pooling=False")
            : new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        return connection;
    }

    /// <summary>
    /// Applies the scripts named before <paramref name="firstUnknown"/> (e.g. "0016") in one transaction, recording each as the
    /// migrator of that release did, then <paramref name="rows"/> in the same transaction.
    /// </summary>
    public async Task<T> MigrateBeforeAsync<T>(string firstUnknown, Func<DbConnection, DbTransaction, Task<T>> rows)
    {
        await using var connection = await OpenAsync();
        if (Engine == TestDatabase.Sqlite) await connection.ExecuteAsync("PRAGMA journal_mode=WAL;");
        var tx = await connection.BeginTransactionAsync();
        try
        {
            await connection.ExecuteAsync("CREATE TABLE schema_migrations (name TEXT PRIMARY KEY, checksum TEXT NOT NULL, applied_at TEXT NOT NULL)", transaction: tx);
            foreach (var script in Migrator.Scripts(Engine == TestDatabase.Sqlite ? "sqlite" : "postgres").Where(s => string.CompareOrdinal(s.Name, firstUnknown) < 0))
            {
                if (script.OutsideTransaction)
                {
                    // As the migrator runs it: after what came before was committed, one statement at a time.
                    await tx.CommitAsync();
                    await tx.DisposeAsync();
                    foreach (var statement in Migrator.Statements(script.Sql)) await connection.ExecuteAsync(statement);
                    tx = await connection.BeginTransactionAsync();
                }
                else await connection.ExecuteAsync(script.Sql, transaction: tx);
                await connection.ExecuteAsync("INSERT INTO schema_migrations (name, checksum, applied_at) VALUES (@Name, @Checksum, @at)",
                    new { script.Name, script.Checksum, at = DateTimeOffset.UtcNow.ToString("O") }, tx);
            }
            var result = await rows(connection, tx);
            await tx.CommitAsync();
            return result;
        }
        finally
        {
            await tx.DisposeAsync();
        }
    }

    public Task MigrateBeforeAsync(string firstUnknown) => MigrateBeforeAsync(firstUnknown, (_, _) => Task.FromResult(true));

    public async ValueTask DisposeAsync()
    {
        if (ConnectionString is not null) await PostgresServer.DropDatabaseAsync(ConnectionString);
        SqliteConnection.ClearAllPools();
        try { System.IO.Directory.Delete(Directory, recursive: true); } catch (IOException) { }
    }
}
