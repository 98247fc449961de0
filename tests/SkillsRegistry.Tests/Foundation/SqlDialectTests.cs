using Microsoft.Data.Sqlite;
using Npgsql;
using SkillsRegistry.Api.Infrastructure.Data;
using SkillsRegistry.Tests.Support;

namespace SkillsRegistry.Tests.Foundation;

public sealed class SqlDialectTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    [Fact]
    public void Sqlite_busy_and_locked_are_transient_other_errors_are_not()
    {
        Assert.True(SqlDialect.Sqlite.IsTransient(new SqliteException("busy", 5)));
        Assert.True(SqlDialect.Sqlite.IsTransient(new SqliteException("locked", 6)));
        Assert.False(SqlDialect.Sqlite.IsTransient(new SqliteException("constraint", 19)));
        Assert.False(SqlDialect.Sqlite.IsTransient(new InvalidOperationException()));
    }

    [Fact]
    public void Postgres_serialization_failures_and_deadlocks_are_transient_constraint_errors_are_not()
    {
        Assert.True(SqlDialect.Postgres.IsTransient(new PostgresException("", "ERROR", "ERROR", "40001")));
        Assert.True(SqlDialect.Postgres.IsTransient(new PostgresException("", "ERROR", "ERROR", "40P01")));
        Assert.False(SqlDialect.Postgres.IsTransient(new PostgresException("", "ERROR", "ERROR", "23505")));
        Assert.True(SqlDialect.Postgres.IsTransient(new NpgsqlException("connection lost", new System.Net.Sockets.SocketException())));
    }

    [Fact]
    public void Each_dialect_rewrites_tables_so_overwritten_values_leave_the_files()
    {
        Assert.Equal("VACUUM; PRAGMA wal_checkpoint(TRUNCATE);", SqlDialect.Sqlite.RewriteTablesSql("trainees"));
        Assert.Equal("VACUUM FULL trainees, webhook_subscriptions", SqlDialect.Postgres.RewriteTablesSql("trainees", "webhook_subscriptions"));
    }

    [Fact]
    public void Each_dialect_locks_rows_its_own_way()
    {
        Assert.Equal("", SqlDialect.Sqlite.ForUpdate);
        Assert.Equal(" FOR UPDATE", SqlDialect.Postgres.ForUpdate);
        Assert.Equal("", SqlDialect.Sqlite.ForNoKeyUpdate);
        Assert.Equal(" FOR NO KEY UPDATE", SqlDialect.Postgres.ForNoKeyUpdate);
        Assert.Contains("pg_advisory_xact_lock", SqlDialect.Postgres.MigrationLockSql);
        Assert.Equal("sqlite", SqlDialect.Sqlite.MigrationsFolder);
        Assert.Equal("postgres", SqlDialect.Postgres.MigrationsFolder);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Constraint_violations_are_classified_and_the_transaction_goes_on(TestDatabase db)
    {
        var app = await fixture.For(db);
        var id = Guid.CreateVersion7();
        const string insert = """
            INSERT INTO api_keys (id, prefix, hash, name, role, center_id, partner_id, created_at)
            VALUES (@id, @prefix, 'h', 'n', @role, @center, NULL, @now)
            """;
        var outcome = await app.Db.WriteAsync(async s =>
        {
            var first = await s.TryExecuteAsync(insert, new { id, prefix = "srk_dialect1", role = "admin", center = (Guid?)null, now = DateTimeOffset.UtcNow });
            var duplicate = await s.TryExecuteAsync(insert, new { id = Guid.CreateVersion7(), prefix = "srk_dialect1", role = "admin", center = (Guid?)null, now = DateTimeOffset.UtcNow });
            var check = await s.TryExecuteAsync(insert, new { id = Guid.CreateVersion7(), prefix = "srk_dialect2", role = "center", center = (Guid?)null, now = DateTimeOffset.UtcNow });
            var count = await s.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM api_keys WHERE prefix LIKE 'srk_dialect%'");
            return (first, duplicate, check, count);
        });
        Assert.Equal((ConstraintViolation.None, ConstraintViolation.Unique, ConstraintViolation.Check, 1L), outcome);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Guid_dates_and_times_round_trip_exactly(TestDatabase db)
    {
        var app = await fixture.For(db);
        var id = Guid.CreateVersion7();
        var created = new DateTimeOffset(2025, 4, 13, 8, 30, 15, 123, TimeSpan.Zero);
        var expires = new DateTimeOffset(2026, 3, 20, 23, 59, 59, TimeSpan.FromHours(3.5)); // Tehran time is stored as UTC
        await app.Db.WriteAsync(s => s.ExecuteAsync("""
            INSERT INTO api_keys (id, prefix, hash, name, role, created_at, expires_at)
            VALUES (@id, 'srk_roundtr1', 'h', 'n', 'admin', @created, @expires)
            """, new { id, created, expires }));
        var row = await app.Db.ReadAsync(s => s.QuerySingleAsync<(Guid Id, DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt)>(
            "SELECT id, created_at, expires_at FROM api_keys WHERE id = @id", new { id }));
        Assert.Equal(id, row.Id);
        Assert.Equal(created, row.CreatedAt);
        Assert.Equal(expires, row.ExpiresAt);
        Assert.Equal(TimeSpan.Zero, row.ExpiresAt.Offset);
    }
}
