using System.Linq.Expressions;
using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;
using Npgsql;
using NpgsqlTypes;
using SkillsRegistry.Api.Features.Statistics;
using SkillsRegistry.Api.Infrastructure.Data;
using Row = SkillsRegistry.Bench.DirectRows.Row;
using Spread = SkillsRegistry.Bench.DirectRows.Spread;

namespace SkillsRegistry.Bench;

/// <summary>
/// Bulk generation for the verification and statistics benchmarks: the same rows as <see cref="DirectRows"/> (the
/// service's stored form, national IDs protected on every core), written the fastest way each engine offers, one
/// transaction per chunk: PostgreSQL binary COPY; SQLite one prepared single-row INSERT per table, created once and
/// re-bound for every row. <see cref="CheckRollupAsync"/> proves the statistics roll-up exact afterwards.
/// </summary>
public sealed class BulkWriter : IAsyncDisposable
{
    private readonly BenchDatabase database;
    private readonly NpgsqlConnection? postgres;
    private readonly SqliteConnection? sqlite;
    private readonly List<(SqliteCommand Command, Func<Row, object?>[] Values)> sqliteInserts = [];

    private BulkWriter(BenchDatabase database, NpgsqlConnection? postgres, SqliteConnection? sqlite)
    {
        this.database = database;
        this.postgres = postgres;
        this.sqlite = sqlite;
    }

    /// <summary>National IDs protected on every core; false for the ingest benchmark's context row, to stay comparable with its one-core baseline.</summary>
    public bool ParallelProtection { get; set; } = true;

    /// <summary>Time spent making rows (national IDs protected, identifiers drawn) rather than writing them.</summary>
    public TimeSpan Preparing { get; private set; }

    /// <summary>
    /// <paramref name="withoutTriggers"/> (PostgreSQL): COPY with <c>session_replication_role = replica</c>, i.e. without
    /// the roll-up's row triggers (and the foreign keys' checks: the generated rows are consistent by construction), for a
    /// load followed by the service's own roll-up rebuild. With the triggers, every generated certificate of the
    /// verification data (all on one day, center and standard) updates the same roll-up row: one new row version each,
    /// a HOT chain that every next update walks within the transaction.
    /// </summary>
    public static async Task<BulkWriter> OpenAsync(BenchDatabase database, bool withoutTriggers = false)
    {
        if (database.ConnectionString is { } connectionString)
        {
            var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync();
            if (withoutTriggers)
            {
                await using var replica = new NpgsqlCommand("SET session_replication_role = replica", connection);
                await replica.ExecuteNonQueryAsync();
            }
            return new BulkWriter(database, connection, null);
        }
        // As the service opens it (foreign keys on), without pooling: this connection is closed before the service starts.
        var sqliteConnection = new SqliteConnection(new SqliteConnectionStringBuilder(database.Service<DatabaseOptions>().ResolveConnectionString())
        {
            ForeignKeys = true, DefaultTimeout = 30, Pooling = false,
        }.ToString());
        await sqliteConnection.OpenAsync();
        // A page cache that holds the growing indexes (this connection only; the file is the same either way).
        await using (var cache = sqliteConnection.CreateCommand())
        {
            cache.CommandText = "PRAGMA cache_size = -262144";
            await cache.ExecuteNonQueryAsync();
        }
        return new BulkWriter(database, null, sqliteConnection);
    }

    /// <summary>What <see cref="GenerateAsync"/> made: certificates, the time it took to write them, and the roll-up's rows once checked.</summary>
    public sealed record Generated(int Certificates, TimeSpan Elapsed, TimeSpan Preparing, int RollupRows, TimeSpan CheckedIn)
    {
        public string Describe(int results) =>
            $"{Report.N(Certificates)} certificates ({Report.N(results)} results with their trainees) generated in {Elapsed.TotalSeconds:0.0} s " +
            $"({Report.N(Certificates / Elapsed.TotalSeconds)} certificates/s, of which {Preparing.TotalSeconds:0.0} s making the rows with the national IDs " +
            $"protected on every core; PostgreSQL binary COPY or SQLite prepared INSERTs, one transaction per " +
            $"{Report.N(ResultsPerTransaction)} results; roll-up kept by the triggers (SQLite) or rebuilt after the load (PostgreSQL) and checked equal to a recount in {CheckedIn.TotalSeconds:0.0} s: " +
            $"{Report.N(RollupRows)} rows)";
    }

    public const int ResultsPerTransaction = 20_000;

    /// <summary>
    /// Results 0 … <paramref name="results"/> − 1 made by <paramref name="make"/> and placed by <paramref name="spread"/>,
    /// certificate numbers from 1; then statistics for the planner (PostgreSQL: as autovacuum would gather shortly after a
    /// bulk load) and the roll-up check. SQLite keeps the roll-up by its triggers while loading; PostgreSQL loads without
    /// them and then rebuilds the roll-up with the service's <see cref="StatisticsRollup.RebuildAsync"/> (<c>stats rebuild</c>,
    /// the documented way after a bulk load with triggers disabled).
    /// </summary>
    public static async Task<Generated> GenerateAsync(BenchDatabase database, int results, Func<int, GeneratedResult> make, Func<GeneratedResult, Spread> spread)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var number = 1L;
        TimeSpan preparing;
        await using (var writer = await OpenAsync(database, withoutTriggers: true))
        {
            for (var start = 0; start < results; start += ResultsPerTransaction)
            {
                var chunk = Enumerable.Range(start, Math.Min(ResultsPerTransaction, results - start)).Select(make).ToList();
                number += await writer.WriteAsync(chunk, number, spread);
            }
            if (writer.postgres is not null)
            {
                await database.Service<StatisticsRollup>().RebuildAsync(CancellationToken.None);
                await using var analyze = new NpgsqlCommand("ANALYZE", writer.postgres);
                analyze.CommandTimeout = 0;
                await analyze.ExecuteNonQueryAsync();
            }
            preparing = writer.Preparing;
        }
        var elapsed = clock.Elapsed;
        clock.Restart();
        var rollupRows = await CheckRollupAsync(database);
        return new Generated((int)(number - 1), elapsed, preparing, rollupRows, clock.Elapsed);
    }

    /// <summary>Writes one chunk in one transaction; certificate numbers continue from <paramref name="firstNumber"/>. Returns certificates written.</summary>
    public async Task<int> WriteAsync(IReadOnlyList<GeneratedResult> results, long firstNumber, Func<GeneratedResult, Spread> spread)
    {
        var preparing = System.Diagnostics.Stopwatch.StartNew();
        var rows = DirectRows.BuildRows(DirectRows.ProtectionFor(database.Db), results, firstNumber, spread, ParallelProtection);
        Preparing += preparing.Elapsed;
        var passing = rows.Where(r => r.Outcome == "passed").ToList();
        var withTargetGroup = rows.Where(r => r.TargetGroup is not null).ToList();
        if (postgres is not null) await BulkCopy.WriteAsync(postgres, rows, withTargetGroup, passing);
        else await InsertPreparedAsync(rows, withTargetGroup, passing);
        return passing.Count;
    }

    private async Task InsertPreparedAsync(List<Row> rows, List<Row> withTargetGroup, List<Row> passing)
    {
        await using var transaction = (SqliteTransaction)await sqlite!.BeginTransactionAsync();
        if (sqliteInserts.Count == 0)
            foreach (var sql in new[] { DirectRows.InsertTrainee, DirectRows.InsertCenterTrainee, DirectRows.InsertTraineeTargetGroup,
                         DirectRows.InsertAssessment, DirectRows.InsertCertificate })
                sqliteInserts.Add(Prepare(sql));
        foreach (var ((command, values), table) in sqliteInserts.Zip(new[] { rows, rows, withTargetGroup, rows, passing }))
        {
            command.Transaction = transaction;
            foreach (var row in table)
            {
                for (var i = 0; i < values.Length; i++) command.Parameters[i].Value = values[i](row) ?? DBNull.Value;
                await command.ExecuteNonQueryAsync();
            }
        }
        await transaction.CommitAsync();
    }

    /// <summary>One command per statement, its parameters added once (in the order of <c>@Name</c>s in the text), each bound from the row's property of that name.</summary>
    private (SqliteCommand, Func<Row, object?>[]) Prepare(string sql)
    {
        var command = sqlite!.CreateCommand();
        command.CommandText = sql;
        var names = Regex.Matches(sql, @"@(\w+)").Select(m => m.Groups[1].Value).Distinct().ToArray();
        foreach (var name in names) command.Parameters.Add(new SqliteParameter("@" + name, null));
        command.Prepare();
        return (command, names.Select(SqliteValue).ToArray());
    }

    /// <summary>The row's property, as the service's Dapper type handlers store it in SQLite (Guid, DateOnly, DateTimeOffset as TEXT).</summary>
    private static Func<Row, object?> SqliteValue(string property)
    {
        var row = Expression.Parameter(typeof(Row));
        var read = Expression.Lambda<Func<Row, object?>>(Expression.Convert(Expression.Property(row, property), typeof(object)), row).Compile();
        return typeof(Row).GetProperty(property)!.PropertyType switch
        {
            var t when t == typeof(Guid) => r => ((Guid)read(r)!).ToString(),
            var t when t == typeof(DateOnly) => r => ((DateOnly)read(r)!).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            var t when t == typeof(DateTimeOffset) => r => ((DateTimeOffset)read(r)!).ToUniversalTime()
                .ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", System.Globalization.CultureInfo.InvariantCulture),
            _ => read,
        };
    }

    /// <summary>
    /// The roll-up the statistics read must equal a recount from the base tables (what <c>stats check</c> does, with the
    /// service's own <see cref="StatisticsRollup"/>): fails loudly otherwise. Returns the roll-up's rows.
    /// </summary>
    public static async Task<int> CheckRollupAsync(BenchDatabase database)
    {
        var rollup = database.Service<StatisticsRollup>();
        var stored = await rollup.StoredAsync(CancellationToken.None);
        var recount = await rollup.RecountAsync(CancellationToken.None);
        var differing = stored.Except(recount).Count() + recount.Except(stored).Count();
        if (differing != 0)
            throw new InvalidOperationException($"The statistics roll-up differs from a recount of the generated rows in {differing} rows " +
                $"({stored.Count} stored, {recount.Count} recounted): the generator bypassed the triggers.");
        return stored.Count;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var (command, _) in sqliteInserts) await command.DisposeAsync();
        if (sqlite is not null) await sqlite.DisposeAsync();
        if (postgres is not null) await postgres.DisposeAsync();
    }
}
