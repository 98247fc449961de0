using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace SkillsRegistry.Api.Infrastructure.Data;

public enum ConstraintViolation { None, Unique, ForeignKey, Check, NotNull }

/// <summary>The few places where SQLite and PostgreSQL differ. Everything else is one SQL text.</summary>
public abstract class SqlDialect
{
    public abstract DatabaseProvider Provider { get; }

    /// <summary>Folder under db/ that holds this dialect's migrations.</summary>
    public abstract string MigrationsFolder { get; }

    /// <summary>Run once before migrations (outside a transaction).</summary>
    public abstract string DatabaseSetupSql { get; }

    /// <summary>
    /// Takes the migration lock for the session if it is free (true) or answers false at once, so two starting instances
    /// never migrate together. A waiting instance holds no snapshot between attempts: a blocked wait would, and
    /// PostgreSQL's CREATE INDEX CONCURRENTLY waits for every older snapshot, the waiter's included (a deadlock).
    /// </summary>
    public abstract string TryMigrationLockSql { get; }

    /// <summary>Releases <see cref="TryMigrationLockSql"/>'s lock.</summary>
    public abstract string MigrationUnlockSql { get; }

    /// <summary>
    /// True when the index named @name exists but cannot be used: a CREATE INDEX CONCURRENTLY that was interrupted leaves
    /// one behind (PostgreSQL), and IF NOT EXISTS would then keep it. Null where every index build is transactional (SQLite).
    /// </summary>
    public abstract string? InvalidIndexSql { get; }

    /// <summary>Drops an index without blocking reads or writes of its table (outside a transaction); the name is a script's.</summary>
    public abstract string DropIndexSql(string index);

    /// <summary>Appended to a SELECT that must lock the rows it reads until commit.</summary>
    public abstract string ForUpdate { get; }

    /// <summary>
    /// Appended to a SELECT that serialises work on a parent row without blocking inserts that reference it (PostgreSQL's
    /// foreign-key checks take KEY SHARE locks, which FOR UPDATE would wait for and deadlock with).
    /// </summary>
    public abstract string ForNoKeyUpdate { get; }

    /// <summary>Appended to a SELECT that claims work rows: locks them and skips rows another transaction has locked.</summary>
    public abstract string ForUpdateSkipLocked { get; }

    /// <summary>
    /// The last byte (0–255) of a UUID column: random in every version-7 id, so a per-record key that statistics can sum
    /// (SQLite stores ids as lowercase text, PostgreSQL as uuid).
    /// </summary>
    public abstract string RandomByteOf(string uuidColumn);

    /// <summary>The calendar month of a date column or parameter as text, yyyy-MM.</summary>
    public abstract string MonthOf(string dateColumn);

    /// <summary>The UTC calendar day of a timestamp column (a date in PostgreSQL, yyyy-MM-dd text in SQLite).</summary>
    public abstract string UtcDayOf(string timestampColumn);

    /// <summary>Whole days from date <paramref name="from"/> to date <paramref name="to"/> (negative when to is earlier).</summary>
    public abstract string DaysBetween(string from, string to);

    /// <summary>
    /// True when an error inside a transaction aborts the whole transaction (PostgreSQL), so a statement that may fail
    /// and be recovered from must run inside its own savepoint.
    /// </summary>
    public abstract bool NeedsSavepointPerStatement { get; }

    /// <summary>True when the database can tell other processes about a commit (PostgreSQL LISTEN/NOTIFY); SQLite has one process.</summary>
    public abstract bool SupportsNotify { get; }

    /// <summary>
    /// True when rows can be streamed into a table (PostgreSQL binary COPY): one statement for any number of rows, no
    /// parameters to bind. SQLite runs in-process, where a prepared insert per row is as cheap.
    /// </summary>
    public virtual bool SupportsBulkCopy => false;

    /// <summary>
    /// Streams <paramref name="rows"/> (values in <paramref name="columns"/> order, as the connector takes them natively)
    /// into <paramref name="table"/> in the connection's transaction; only when <see cref="SupportsBulkCopy"/>. Table and
    /// column names are code constants. Returns the rows written.
    /// </summary>
    public virtual Task<ulong> BulkCopyAsync(DbConnection connection, string table, IReadOnlyList<string> columns,
        IEnumerable<object?[]> rows, CancellationToken ct) =>
        throw new NotSupportedException($"{Provider} has no bulk copy.");

    /// <summary>
    /// Run outside a transaction after clear values in these tables were overwritten, so the old bytes do not linger in
    /// the database files: SQLite rebuilds the file and folds the WAL back into it; PostgreSQL rewrites the tables
    /// (VACUUM FULL, which locks them: meant for a one-off upgrade at startup). Table names are code constants.
    /// </summary>
    public abstract string RewriteTablesSql(params string[] tables);

    /// <summary>
    /// Waits (at most <paramref name="limit"/>) until every transaction running now has ended, so that row versions
    /// overwritten before this call are dead to everyone and <see cref="RewriteTablesSql"/> drops them. PostgreSQL keeps
    /// a dead version while any older transaction runs — in any database of the cluster. SQLite has nothing to wait for.
    /// </summary>
    public virtual Task WaitForOlderTransactionsAsync(DbSession s, TimeSpan limit) => Task.CompletedTask;

    public abstract bool IsTransient(Exception exception);

    public abstract ConstraintViolation ClassifyViolation(Exception exception);

    public static SqlDialect For(DatabaseProvider provider) => provider switch
    {
        DatabaseProvider.Sqlite => Sqlite,
        DatabaseProvider.Postgres => Postgres,
        _ => throw new ArgumentOutOfRangeException(nameof(provider), provider, "Unsupported database provider"),
    };

    public static readonly SqlDialect Sqlite = new SqliteDialect();
    public static readonly SqlDialect Postgres = new PostgresDialect();

    private sealed class SqliteDialect : SqlDialect
    {
        public override DatabaseProvider Provider => DatabaseProvider.Sqlite;
        public override string MigrationsFolder => "sqlite";
        public override string DatabaseSetupSql => "PRAGMA journal_mode=WAL;";
        // SQLite transactions here are BEGIN IMMEDIATE: each migration transaction holds the one write lock.
        public override string TryMigrationLockSql => "SELECT 1";
        public override string MigrationUnlockSql => "SELECT 1";
        public override string? InvalidIndexSql => null;
        public override string DropIndexSql(string index) => $"DROP INDEX IF EXISTS {index}";
        public override string ForUpdate => "";
        public override string ForNoKeyUpdate => "";
        public override string ForUpdateSkipLocked => ""; // writers are serialized: nothing to skip
        public override string RandomByteOf(string uuidColumn) =>
            $"((instr('0123456789abcdef', lower(substr({uuidColumn}, 35, 1))) - 1) * 16 + instr('0123456789abcdef', lower(substr({uuidColumn}, 36, 1))) - 1)";

        public override string MonthOf(string dateColumn) => $"substr({dateColumn}, 1, 7)";
        public override string UtcDayOf(string timestampColumn) => $"substr({timestampColumn}, 1, 10)"; // stored as UTC ISO 8601 text
        public override string DaysBetween(string from, string to) => $"CAST(julianday({to}) - julianday({from}) AS INTEGER)";
        public override bool NeedsSavepointPerStatement => false;
        public override bool SupportsNotify => false;

        public override string RewriteTablesSql(params string[] tables) => "VACUUM; PRAGMA wal_checkpoint(TRUNCATE);";

        public override bool IsTransient(Exception exception) =>
            exception is SqliteException { SqliteErrorCode: 5 or 6 }; // SQLITE_BUSY, SQLITE_LOCKED

        public override ConstraintViolation ClassifyViolation(Exception exception) =>
            exception is SqliteException { SqliteErrorCode: 19 } e
                ? e.SqliteExtendedErrorCode switch
                {
                    2067 or 1555 => ConstraintViolation.Unique,
                    787 => ConstraintViolation.ForeignKey,
                    275 => ConstraintViolation.Check,
                    1299 => ConstraintViolation.NotNull,
                    _ => ConstraintViolation.Check,
                }
                : ConstraintViolation.None;
    }

    private sealed class PostgresDialect : SqlDialect
    {
        public override DatabaseProvider Provider => DatabaseProvider.Postgres;
        public override string MigrationsFolder => "postgres";
        public override string DatabaseSetupSql => "SELECT 1";
        public override string TryMigrationLockSql => "SELECT pg_try_advisory_lock(7420117)";
        public override string MigrationUnlockSql => "SELECT pg_advisory_unlock(7420117)";
        public override string? InvalidIndexSql => "SELECT EXISTS (SELECT 1 FROM pg_index WHERE indexrelid = to_regclass(@name) AND NOT indisvalid)";
        public override string DropIndexSql(string index) => $"DROP INDEX CONCURRENTLY IF EXISTS {index}";
        public override string ForUpdate => " FOR UPDATE";
        public override string ForNoKeyUpdate => " FOR NO KEY UPDATE";
        public override string ForUpdateSkipLocked => " FOR UPDATE SKIP LOCKED";
        public override string RandomByteOf(string uuidColumn) => $"get_byte(uuid_send({uuidColumn}), 15)";
        public override string MonthOf(string dateColumn) => $"to_char({dateColumn}, 'YYYY-MM')";
        public override string UtcDayOf(string timestampColumn) => $"CAST({timestampColumn} AT TIME ZONE 'UTC' AS date)";
        public override string DaysBetween(string from, string to) => $"({to} - {from})";
        public override bool NeedsSavepointPerStatement => true;
        public override bool SupportsNotify => true;
        public override bool SupportsBulkCopy => true;

        public override async Task<ulong> BulkCopyAsync(DbConnection connection, string table, IReadOnlyList<string> columns,
            IEnumerable<object?[]> rows, CancellationToken ct)
        {
            await using var importer = await ((NpgsqlConnection)connection).BeginBinaryImportAsync(
                $"COPY {table} ({string.Join(", ", columns)}) FROM STDIN (FORMAT BINARY)", ct);
            foreach (var row in rows)
            {
                await importer.StartRowAsync(ct);
                foreach (var value in row)
                    if (value is null) await importer.WriteNullAsync(ct);
                    else await importer.WriteAsync(value, ct); // typed by the value, as a parameter would be
            }
            return await importer.CompleteAsync(ct);
        }

        // A plain VACUUM only marks dead row versions reusable; VACUUM FULL writes new table files without them.
        public override string RewriteTablesSql(params string[] tables) => "VACUUM FULL " + string.Join(", ", tables);

        public override async Task WaitForOlderTransactionsAsync(DbSession s, TimeSpan limit)
        {
            // xmax: the first transaction id not yet assigned. Wait until no session (any database, autovacuum too) runs a
            // transaction or holds a snapshot older than it.
            var horizon = await s.ExecuteScalarAsync<string>("SELECT pg_snapshot_xmax(pg_current_snapshot())::text");
            var deadline = DateTime.UtcNow + limit; // a bound on waiting for other sessions, not business time
            while (DateTime.UtcNow < deadline && await s.ExecuteScalarAsync<long>("""
                       SELECT COUNT(*) FROM pg_stat_activity
                       WHERE pid <> pg_backend_pid()
                         AND (age(backend_xmin) > age(CAST(@horizon AS xid)) OR age(backend_xid) > age(CAST(@horizon AS xid)))
                       """, new { horizon }) > 0)
                await Task.Delay(TimeSpan.FromMilliseconds(100), s.CancellationToken);
        }

        public override bool IsTransient(Exception exception) => exception switch
        {
            PostgresException { SqlState: "40001" or "40P01" or "57P01" or "57P03" or "53300" } => true,
            PostgresException => false,
            NpgsqlException npgsql => npgsql.IsTransient,
            _ => false,
        };

        public override ConstraintViolation ClassifyViolation(Exception exception) => exception switch
        {
            PostgresException { SqlState: "23505" } => ConstraintViolation.Unique,
            PostgresException { SqlState: "23503" } => ConstraintViolation.ForeignKey,
            PostgresException { SqlState: "23514" } => ConstraintViolation.Check,
            PostgresException { SqlState: "23502" } => ConstraintViolation.NotNull,
            _ => ConstraintViolation.None,
        };
    }
}
