using Microsoft.Data.Sqlite;
using Npgsql;
using SkillsRegistry.Api.Infrastructure.Data;
using SkillsRegistry.Api.Infrastructure.Outcomes;
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
        Assert.Contains("pg_try_advisory_lock", SqlDialect.Postgres.TryMigrationLockSql);
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

    [Theory, OnSqlite, OnPostgres]
    public async Task Month_of_a_date_is_its_year_and_month(TestDatabase db)
    {
        var app = await fixture.For(db);
        var month = await app.Db.ReadAsync(s => s.ExecuteScalarAsync<string>(
            $"SELECT {s.Dialect.MonthOf("@day")}", new { day = new DateOnly(2025, 3, 9) }));
        Assert.Equal("2025-03", month);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Utc_day_of_a_timestamp_is_the_day_in_utc_not_in_the_senders_zone(TestDatabase db)
    {
        var app = await fixture.For(db);
        // 23:30 on the 20th at UTC−2 is 01:30 on the 21st in UTC.
        var at = new DateTimeOffset(2025, 3, 20, 23, 30, 0, TimeSpan.FromHours(-2));
        var day = await app.Db.ReadAsync(s => s.ExecuteScalarAsync<string>($"SELECT CAST({s.Dialect.UtcDayOf("@at")} AS TEXT)", new { at }));
        Assert.Equal("2025-03-21", day);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Days_between_two_dates_counts_whole_days_and_is_negative_backwards(TestDatabase db)
    {
        var app = await fixture.For(db);
        var (forward, backward, toTimestampDay) = await app.Db.ReadAsync(async s => (
            await s.ExecuteScalarAsync<long>($"SELECT {s.Dialect.DaysBetween("@from", "@to")}",
                new { from = new DateOnly(2024, 2, 27), to = new DateOnly(2024, 3, 1) }),
            await s.ExecuteScalarAsync<long>($"SELECT {s.Dialect.DaysBetween("@from", "@to")}",
                new { from = new DateOnly(2024, 3, 1), to = new DateOnly(2024, 2, 27) }),
            // As the integrity signals use it: from an exam date to the UTC day a result was recorded.
            await s.ExecuteScalarAsync<long>($"SELECT {s.Dialect.DaysBetween("@from", s.Dialect.UtcDayOf("@at"))}",
                new { from = new DateOnly(2024, 12, 31), at = new DateTimeOffset(2025, 1, 10, 2, 0, 0, TimeSpan.FromHours(3.5)) })));
        Assert.Equal((3L, -3L, 9L), (forward, backward, toTimestampDay));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task A_failed_statement_spoils_the_transaction_exactly_where_the_dialect_says_a_savepoint_is_needed(TestDatabase db)
    {
        var app = await fixture.For(db);
        const string insert = """
            INSERT INTO api_keys (id, prefix, hash, name, role, created_at) VALUES (@id, 'srk_savepnt1', 'h', 'n', 'admin', @now)
            """;
        var goesOn = false;
        // Rolled back at the end: only what the engine does after an error matters here.
        await app.Db.TryWriteAsync(async s =>
        {
            await s.ExecuteAsync(insert, new { id = Guid.CreateVersion7(), now = DateTimeOffset.UtcNow });
            try { await s.ExecuteAsync(insert, new { id = Guid.CreateVersion7(), now = DateTimeOffset.UtcNow }); }
            catch (System.Data.Common.DbException e) when (s.Dialect.ClassifyViolation(e) == ConstraintViolation.Unique) { }
            try { goesOn = await s.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM api_keys WHERE prefix = 'srk_savepnt1'") == 1; }
            catch (System.Data.Common.DbException) { goesOn = false; }
            return Rejection.Conflict("roll back");
        });
        Assert.Equal(!app.Db.Dialect.NeedsSavepointPerStatement, goesOn);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Only_a_dialect_that_supports_notify_can_send_one(TestDatabase db)
    {
        var app = await fixture.For(db);
        var sent = true;
        try { await app.Db.ReadAsync(s => s.ExecuteScalarAsync<string>("SELECT CAST(pg_notify('sql_dialect_test', 'x') AS TEXT)")); }
        catch (System.Data.Common.DbException) { sent = false; }
        Assert.Equal(app.Db.Dialect.SupportsNotify, sent);
    }
}
