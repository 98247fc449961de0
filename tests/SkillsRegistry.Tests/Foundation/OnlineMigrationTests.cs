using System.Net;
using Dapper;
using Microsoft.Data.Sqlite;
using Npgsql;
using SkillsRegistry.Api.Infrastructure.Data;
using SkillsRegistry.Tests.Support;

namespace SkillsRegistry.Tests.Foundation;

/// <summary>
/// Migration 0019 (indexes of results by registered assessor) on a database made by 0001–0018: applied at startup or by the
/// <c>migrate</c> verb while the service runs, a no-op when run again, and on PostgreSQL (CREATE INDEX CONCURRENTLY, outside
/// a transaction) repaired when an interrupted build left an invalid index.
/// </summary>
public sealed class OnlineMigrationTests
{
    private const string ByAssessor = "SELECT id FROM assessments WHERE assessor_practitioner_id = @id AND exam_date BETWEEN @from AND @to";
    private const string BySecondAssessor = "SELECT id FROM assessments WHERE second_assessor_practitioner_id = @id";

    [Theory, OnSqlite, OnPostgres]
    public async Task A_registry_of_0018_gets_the_assessor_indexes_at_startup_and_a_second_run_changes_nothing(TestDatabase db)
    {
        await using var old = await LegacyDatabase.CreateAsync(db, "before-0019");
        await old.MigrateBeforeAsync("0019");
        await using var app = await RegistryApp.StartAsync(db, old.Settings());

        Assert.Contains("ix_assessments_assessor_exam", await PlanAsync(app.Db, ByAssessor));
        Assert.Contains("ix_assessments_second_assessor_exam", await PlanAsync(app.Db, BySecondAssessor));
        Assert.Empty(await app.Service<Migrator>().MigrateAsync());
        var recorded = await app.Db.ReadAsync(s => s.QueryAsync<string>("SELECT name FROM schema_migrations"));
        Assert.Equal(Migrator.Scripts(app.Db.Dialect.MigrationsFolder).Select(s => s.Name).Order(StringComparer.Ordinal), recorded.Order(StringComparer.Ordinal));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task The_migrate_verb_applies_0019_while_a_service_started_without_migrating_keeps_serving(TestDatabase db)
    {
        await using var old = await LegacyDatabase.CreateAsync(db, "verb-0019");
        await old.MigrateBeforeAsync("0019");
        var settings = old.Settings();
        settings["Database:MigrateAtStartup"] = "false";
        await using var app = await RegistryApp.StartAsync(db, settings);
        var client = app.CreateClient();
        var pending = await client.GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, pending.StatusCode);
        Assert.Contains("0019_assessor_result_indexes.sql", await pending.Content.ReadAsStringAsync());

        string[] migrate = ["migrate", .. AdminVerb.DatabaseSwitches(db, old.Directory, old.ConnectionString)];
        var run = await AdminVerb.RunAsync(migrate, workingDirectory: old.Directory);
        Assert.True(run.ExitCode == 0, run.ToString());
        var later = Migrator.Scripts(db == TestDatabase.Sqlite ? "sqlite" : "postgres").Count(s => string.CompareOrdinal(s.Name, "0019") >= 0);
        Assert.Contains($"Applied {later} migration(s)", run.Stdout);
        Assert.Contains("0019_assessor_result_indexes.sql", run.Stdout);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/ready")).StatusCode);
        Assert.Contains("ix_assessments_assessor_exam", await PlanAsync(app.Db, ByAssessor));

        var again = await AdminVerb.RunAsync(migrate, workingDirectory: old.Directory);
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Contains("up to date", again.Stdout);
    }

    [Theory, OnPostgres]
    public async Task An_assessor_index_left_invalid_by_an_interrupted_concurrent_build_is_built_again_on_the_next_start(TestDatabase db)
    {
        await using var old = await LegacyDatabase.CreateAsync(db, "invalid-0019");
        await old.MigrateBeforeAsync("0019");
        var script = Migrator.Scripts("postgres").Single(s => s.Name.StartsWith("0019_", StringComparison.Ordinal));
        Assert.True(script.OutsideTransaction);
        await InterruptConcurrentBuildAsync(old, Migrator.Statements(script.Sql)[0]);
        await using (var check = await old.OpenAsync())
            Assert.True(await check.ExecuteScalarAsync<bool>("SELECT NOT indisvalid FROM pg_index WHERE indexrelid = to_regclass('ix_assessments_assessor_exam')"));

        await using var app = await RegistryApp.StartAsync(db, old.Settings());

        Assert.Contains("ix_assessments_assessor_exam", await PlanAsync(app.Db, ByAssessor)); // the planner uses valid indexes only
        Assert.Contains("ix_assessments_second_assessor_exam", await PlanAsync(app.Db, BySecondAssessor));
        Assert.Empty(await app.Service<Migrator>().PendingAsync());
    }

    [Theory, OnSqlite]
    public async Task On_sqlite_a_migration_holding_the_write_lock_lets_readers_read_while_writers_wait(TestDatabase db)
    {
        await using var app = await RegistryApp.StartAsync(db);
        var scripts = Migrator.Scripts("sqlite").Count;
        await app.Db.WriteAsync(async s =>
        {
            // As a migration does: an index built inside the migration's transaction (BEGIN IMMEDIATE: the write lock).
            await s.ExecuteAsync("CREATE INDEX ix_test_held_migration ON assessments (exam_date, standard_id)");

            Assert.Equal(scripts, await app.Db.ReadAsync(r => r.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM schema_migrations")));
            // A writer that waits a second at most is refused: the service's writers wait (30 s, then retry) for the commit.
            await using var writer = new SqliteConnection($"Data Source={Path.Combine(app.DataDirectory, "registry.db")};Default Timeout=1;Pooling=False");
            await writer.OpenAsync();
            var refused = await Assert.ThrowsAsync<SqliteException>(() => writer.ExecuteAsync("BEGIN IMMEDIATE; DELETE FROM schema_migrations WHERE name = 'none'; COMMIT;"));
            Assert.Equal(5, refused.SqliteErrorCode); // SQLITE_BUSY
        });
    }

    /// <summary>
    /// Starts <paramref name="build"/> (a CREATE INDEX CONCURRENTLY) while a write transaction is open on assessments, so the build
    /// waits for it with its index already in the catalog, and cancels it there, as an operator's Ctrl+C or a lost connection would.
    /// </summary>
    private static async Task InterruptConcurrentBuildAsync(LegacyDatabase database, string build)
    {
        await using var writer = (NpgsqlConnection)await database.OpenAsync();
        await using var builder = (NpgsqlConnection)await database.OpenAsync();
        await using var observer = (NpgsqlConnection)await database.OpenAsync();
        await using var writing = await writer.BeginTransactionAsync();
        await writer.ExecuteAsync("LOCK TABLE assessments IN ROW EXCLUSIVE MODE", transaction: writing);
        var building = builder.ExecuteAsync(build);
        while (!await observer.ExecuteScalarAsync<bool>(
                   "SELECT EXISTS (SELECT 1 FROM pg_stat_activity WHERE pid = @pid AND wait_event_type = 'Lock')", new { pid = builder.ProcessID }))
            await Task.Delay(20);
        await observer.ExecuteAsync("SELECT pg_cancel_backend(@pid)", new { pid = builder.ProcessID });
        var cancelled = await Assert.ThrowsAsync<PostgresException>(() => building);
        Assert.Equal(PostgresErrorCodes.QueryCanceled, cancelled.SqlState);
        await writing.RollbackAsync();
    }

    /// <summary>The plan of <paramref name="sql"/> as text (PostgreSQL: with sequential scans off, so the few test rows do not decide).</summary>
    private static Task<string> PlanAsync(Db db, string sql) => db.WriteAsync(async s =>
    {
        var postgres = db.Dialect.Provider == DatabaseProvider.Postgres;
        if (postgres) await s.ExecuteAsync("SET LOCAL enable_seqscan = off");
        var rows = await s.QueryAsync<dynamic>((postgres ? "EXPLAIN " : "EXPLAIN QUERY PLAN ") + sql,
            new { id = Guid.CreateVersion7(), from = new DateOnly(2025, 1, 1), to = new DateOnly(2025, 12, 31) });
        return string.Join("\n", rows.Select(r => string.Join(" ", ((IDictionary<string, object>)r).Values)));
    });
}
