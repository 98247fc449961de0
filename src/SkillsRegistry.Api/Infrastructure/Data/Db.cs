using System.Data.Common;
using System.Diagnostics;
using Dapper;
using Microsoft.Data.Sqlite;
using Npgsql;
using Polly;
using Polly.Retry;
using SkillsRegistry.Api.Infrastructure.Audit;
using SkillsRegistry.Api.Infrastructure.Outcomes;
using SkillsRegistry.Api.Infrastructure.Telemetry;
using Outcome = SkillsRegistry.Api.Infrastructure.Outcomes.Outcome;
using RegistryOutcome = SkillsRegistry.Api.Infrastructure.Outcomes;

namespace SkillsRegistry.Api.Infrastructure.Data;

/// <summary>
/// The one place that opens connections and transactions. Work is retried as a whole on
/// transient faults only, so a retried transaction never half-applies.
/// </summary>
public sealed class Db : IAsyncDisposable
{
    private readonly string connectionString;
    private readonly NpgsqlDataSource? npgsql;
    private readonly ResiliencePipeline retry;

    private readonly TimeProvider clock;

    public Db(DatabaseOptions options, TimeProvider clock, ILogger<Db> logger)
    {
        this.clock = clock;
        TypeHandlers.Register();
        Dialect = SqlDialect.For(options.Provider);
        connectionString = options.ResolveConnectionString();
        if (options.Provider == DatabaseProvider.Postgres)
        {
            connectionString = WithStatementPreparation(connectionString);
            npgsql = NpgsqlDataSource.Create(connectionString);
            if (!string.IsNullOrWhiteSpace(options.ReadOnlyConnectionString))
                Replica = new ReadReplica(WithStatementPreparation(options.ReadOnlyConnectionString),
                    ct => ReadAsync(s => s.ExecuteScalarAsync<string>(ReadReplica.PrimaryPosition), ct), logger);
        }
        else
            connectionString = new SqliteConnectionStringBuilder(connectionString)
            {
                ForeignKeys = true,
                DefaultTimeout = 30,
                Pooling = true,
            }.ToString();
        retry = BuildRetryPipeline(Dialect, logger);
    }

    public SqlDialect Dialect { get; }

    /// <summary>The read replicas (ConnectionStrings:RegistryReadOnly), when configured on PostgreSQL; null otherwise.</summary>
    public ReadReplica? Replica { get; }

    /// <summary>Reads without a transaction, on the primary.</summary>
    public Task<T> ReadAsync<T>(Func<DbSession, Task<T>> work, CancellationToken ct = default) => ReadOnAsync(OpenAsync, work, ct);

    /// <summary>
    /// Reads that tolerate a bounded lag (verification misses, the cache loader, statistics, open data, search, exports): on a
    /// read replica that has replayed every change this instance heard of (<see cref="ReadReplica"/>), else on the primary.
    /// SQLite and a service without replicas read the primary.
    /// </summary>
    public Task<T> ReadReplicaAsync<T>(Func<DbSession, Task<T>> work, CancellationToken ct = default) =>
        Replica is null ? ReadAsync(work, ct) : ReadOnAsync(async token => await Replica.OpenAsync(token) ?? await OpenAsync(token), work, ct);

    private async Task<T> ReadOnAsync<T>(Func<CancellationToken, Task<DbConnection>> open, Func<DbSession, Task<T>> work, CancellationToken ct)
    {
        using var span = StartSpan("read");
        return await retry.ExecuteAsync(async token =>
        {
            await using var connection = await open(token);
            return await work(new DbSession(connection, null, Dialect, token));
        }, ct);
    }

    /// <summary>
    /// One span per read or transaction (retries included), on both engines: SQLite has no instrumentation of its own, and on
    /// PostgreSQL Npgsql's command spans sit under it.
    /// </summary>
    private Activity? StartSpan(string operation)
    {
        var span = RegistryActivities.Source.StartActivity("db " + operation, ActivityKind.Client);
        span?.SetTag("db.system.name", Dialect.Provider == DatabaseProvider.Postgres ? "postgresql" : "sqlite");
        span?.SetTag("db.operation.name", operation);
        return span;
    }

    /// <summary>Runs work in one transaction; audit records queued on the session are appended just before commit.</summary>
    public async Task<T> WriteAsync<T>(Func<DbSession, Task<T>> work, CancellationToken ct = default)
    {
        using var span = StartSpan("write");
        var (result, committed) = await retry.ExecuteAsync(async token =>
        {
            await using var connection = await OpenAsync(token);
            await using var transaction = await connection.BeginTransactionAsync(token);
            var session = new DbSession(connection, transaction, Dialect, token);
            var result = await work(session);
            await AuditTrail.AppendQueuedAsync(session, clock);
            await transaction.CommitAsync(token);
            return (result, session);
        }, ct);
        // Outside the retry: what follows a commit must never run the committed work again.
        await committed.RunCommittedAsync();
        return result;
    }

    public Task WriteAsync(Func<DbSession, Task> work, CancellationToken ct = default) =>
        WriteAsync(async s => { await work(s); return true; }, ct);

    /// <summary>
    /// Runs work on one connection with no transaction around it: each statement commits on its own. Only for statements a
    /// transaction may not hold (PostgreSQL's CREATE INDEX CONCURRENTLY) and for session-level locks; retried as a whole, so
    /// the work must be safe to run again from the start.
    /// </summary>
    public async Task<T> AutocommitAsync<T>(Func<DbSession, Task<T>> work, CancellationToken ct = default)
    {
        using var span = StartSpan("autocommit");
        return await retry.ExecuteAsync(async token =>
        {
            await using var connection = await OpenAsync(token);
            return await work(new DbSession(connection, null, Dialect, token, autocommit: true));
        }, ct);
    }

    /// <summary>
    /// Runs work in one transaction that commits only when the work succeeds: a rejection rolls back everything the
    /// work wrote (audit records and after-commit actions included) and is returned as it is.
    /// </summary>
    public async Task<RegistryOutcome.Outcome<T>> TryWriteAsync<T>(Func<DbSession, Task<RegistryOutcome.Outcome<T>>> work, CancellationToken ct = default)
    {
        using var span = StartSpan("write");
        var (outcome, session) = await retry.ExecuteAsync(async token =>
        {
            await using var connection = await OpenAsync(token);
            await using var transaction = await connection.BeginTransactionAsync(token);
            var session = new DbSession(connection, transaction, Dialect, token);
            var outcome = await work(session);
            if (!outcome.Succeeded)
            {
                await transaction.RollbackAsync(token);
                return (outcome, (DbSession?)null);
            }
            await AuditTrail.AppendQueuedAsync(session, clock);
            await transaction.CommitAsync(token);
            return (outcome, session);
        }, ct);
        if (session is not null) await session.RunCommittedAsync();
        return outcome;
    }

    /// <inheritdoc cref="TryWriteAsync{T}"/>
    public async Task<Outcome> TryWriteAsync(Func<DbSession, Task<Outcome>> work, CancellationToken ct = default)
    {
        var outcome = await TryWriteAsync<bool>(async s => (await work(s)).Rejection is { } rejection ? rejection : true, ct);
        return outcome.Rejection is { } refused ? refused : Outcome.Done;
    }

    /// <summary>
    /// A connection of its own, outside the pool, for a long-lived PostgreSQL LISTEN; null on SQLite (one process, nothing to hear).
    /// </summary>
    public async Task<NpgsqlConnection?> OpenListenerAsync(CancellationToken ct)
    {
        if (npgsql is null) return null;
        var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString)
        {
            Pooling = false,
            KeepAlive = 15,
            ApplicationName = Caching.RegistryChanges.ListenerName,
        }.ToString());
        await connection.OpenAsync(ct);
        return connection;
    }

    /// <summary>
    /// Statements run often (a verification's lookup, the batch processor's) are prepared on each connection after their
    /// second use, so PostgreSQL parses and plans them once per connection; an explicit setting in the connection string wins.
    /// </summary>
    internal static string WithStatementPreparation(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (!ContainsKey(connectionString, "Max Auto Prepare", "MaxAutoPrepare")) builder.MaxAutoPrepare = 64;
        if (!ContainsKey(connectionString, "Auto Prepare Min Usages", "AutoPrepareMinUsages")) builder.AutoPrepareMinUsages = 2;
        return builder.ToString();
    }

    private static bool ContainsKey(string connectionString, params string[] keys) =>
        connectionString.Split(';').Select(part => part.Split('=')[0].Trim())
            .Any(key => keys.Any(k => string.Equals(k, key, StringComparison.OrdinalIgnoreCase)));

    private async Task<DbConnection> OpenAsync(CancellationToken ct)
    {
        if (npgsql is not null) return await npgsql.OpenConnectionAsync(ct);
        var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync(ct);
        return connection;
    }

    private static ResiliencePipeline BuildRetryPipeline(SqlDialect dialect, ILogger logger) =>
        new ResiliencePipelineBuilder()
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<Exception>(dialect.IsTransient),
                MaxRetryAttempts = 6,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = TimeSpan.FromMilliseconds(25),
                MaxDelay = TimeSpan.FromSeconds(2),
                OnRetry = args =>
                {
                    logger.LogWarning("Transient database fault ({Error}); retry {Attempt} in {Delay}",
                        args.Outcome.Exception?.GetType().Name, args.AttemptNumber + 1, args.RetryDelay);
                    return ValueTask.CompletedTask;
                },
            })
            .Build();

    public async ValueTask DisposeAsync()
    {
        if (npgsql is not null) await npgsql.DisposeAsync();
        if (Replica is not null) await Replica.DisposeAsync();
        SqliteConnection.ClearAllPools();
    }
}

/// <summary>A connection (and transaction, when writing) handed to repositories. Every command goes through here.</summary>
public sealed class DbSession(DbConnection connection, DbTransaction? transaction, SqlDialect dialect, CancellationToken ct, bool autocommit = false)
{
    public SqlDialect Dialect { get; } = dialect;
    public CancellationToken CancellationToken { get; } = ct;
    internal List<AuditEntry> QueuedAudit { get; } = [];
    private List<Func<Task>>? committed;

    /// <summary>Seconds a command may run (0: no limit, for migrations); null: the connection's default (30 s).</summary>
    internal int? CommandTimeoutSeconds { get; set; }

    private CommandDefinition Command(string sql, object? param) =>
        new(sql, param, transaction, CommandTimeoutSeconds, cancellationToken: CancellationToken);

    public Task<IEnumerable<T>> QueryAsync<T>(string sql, object? param = null) =>
        connection.QueryAsync<T>(Command(sql, param));

    /// <summary>Rows one at a time as the database sends them, for reads too long to hold in memory; nothing else may run on the session meanwhile.</summary>
    public async IAsyncEnumerable<T> QueryUnbufferedAsync<T>(string sql, object? param = null)
    {
        await foreach (var row in connection.QueryUnbufferedAsync<T>(sql, param, transaction).WithCancellation(CancellationToken)) yield return row;
    }

    public Task<T?> QuerySingleOrDefaultAsync<T>(string sql, object? param = null) =>
        connection.QuerySingleOrDefaultAsync<T>(Command(sql, param));

    public Task<T> QuerySingleAsync<T>(string sql, object? param = null) =>
        connection.QuerySingleAsync<T>(Command(sql, param));

    /// <summary>
    /// A query with one list parameter, written <c>IN @name</c> in <paramref name="sql"/>: one statement for the whole set, the
    /// same text on both engines (<see cref="SetStatements.ExpandList{T}"/>); <paramref name="other"/> holds the other parameters.
    /// </summary>
    public Task<IEnumerable<T>> QueryInAsync<T, TValue>(string sql, string name, IEnumerable<TValue> values, object? other = null)
    {
        var parameters = new DynamicParameters(other);
        return QueryAsync<T>(SetStatements.ExpandList(sql, name, values, parameters), parameters);
    }

    public Task<T?> ExecuteScalarAsync<T>(string sql, object? param = null) =>
        connection.ExecuteScalarAsync<T>(Command(sql, param));

    public Task<int> ExecuteAsync(string sql, object? param = null)
    {
        RequireTransaction();
        return connection.ExecuteAsync(Command(sql, param));
    }

    /// <summary>
    /// Streams rows into a table in this transaction, where <see cref="SqlDialect.SupportsBulkCopy"/>. Callers go through
    /// <see cref="SetStatements.CopyRowsAsync{T}"/>, which takes the table, columns and values from a <see cref="StreamedTable{T}"/>.
    /// </summary>
    internal Task<ulong> BulkCopyAsync(string table, IReadOnlyList<string> columns, IEnumerable<object?[]> rows)
    {
        RequireTransaction();
        return Dialect.BulkCopyAsync(connection, table, columns, rows, CancellationToken);
    }

    private void RequireTransaction()
    {
        if (transaction is null && !autocommit) throw new InvalidOperationException("Writes need Db.WriteAsync (a transaction).");
    }

    /// <summary>Runs a statement that may break a constraint; returns the violation instead of throwing.</summary>
    public async Task<ConstraintViolation> TryExecuteAsync(string sql, object? param = null)
    {
        var savepoint = Dialect.NeedsSavepointPerStatement;
        if (savepoint) await connection.ExecuteAsync(Command("SAVEPOINT try_statement", null));
        try
        {
            await ExecuteAsync(sql, param);
            if (savepoint) await connection.ExecuteAsync(Command("RELEASE SAVEPOINT try_statement", null));
            return ConstraintViolation.None;
        }
        catch (DbException e) when (Dialect.ClassifyViolation(e) is var kind and not ConstraintViolation.None)
        {
            if (savepoint) await connection.ExecuteAsync(Command("ROLLBACK TO SAVEPOINT try_statement", null));
            return kind;
        }
    }

    /// <summary>
    /// Runs <paramref name="action"/> once this transaction has committed (never if it rolls back or is retried from the start):
    /// for in-memory state that must follow what the database now holds, such as dropping a cached answer.
    /// </summary>
    public void AfterCommit(Action action) => AfterCommitAsync(() =>
    {
        action();
        return Task.CompletedTask;
    });

    /// <summary>As <see cref="AfterCommit"/>, awaited before the write returns to its caller.</summary>
    public void AfterCommitAsync(Func<Task> action)
    {
        if (transaction is null) throw new InvalidOperationException("Only a write transaction commits.");
        (committed ??= []).Add(action);
    }

    internal async Task RunCommittedAsync()
    {
        foreach (var action in committed ?? []) await action();
    }

    /// <summary>Queues an audit record; it is chained and written just before this transaction commits.</summary>
    public void Audit(AuditEntry entry)
    {
        if (transaction is null) throw new InvalidOperationException("Audit records belong to a write transaction.");
        QueuedAudit.Add(entry);
    }
}
