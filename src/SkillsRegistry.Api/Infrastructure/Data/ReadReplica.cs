using System.Collections.Concurrent;
using Npgsql;
using NpgsqlTypes;

namespace SkillsRegistry.Api.Infrastructure.Data;

/// <summary>
/// PostgreSQL read replicas (<c>ConnectionStrings:RegistryReadOnly</c>) for the reads that tolerate a bounded lag, behind a
/// fence that keeps a change from being unseen: every change this instance hears of (its own after commit, other instances'
/// through NOTIFY) raises the fence to the primary's WAL insert position read after hearing it, which is at or past the
/// change's commit; until a replica has replayed that far (<c>pg_last_wal_replay_lsn()</c>) its reads go to the primary.
/// The position each replica host was last seen at is remembered, so once it has caught up no read pays for the check.
/// A replica that cannot be reached is skipped for a few seconds, reads going to the primary meanwhile.
/// </summary>
public sealed class ReadReplica : IAsyncDisposable
{
    internal const string PrimaryPosition = "SELECT pg_current_wal_insert_lsn()::text";
    // NULL on a primary (a multi-host list may fall back to one), which is never behind itself.
    private const string ReplayPosition = "SELECT CASE WHEN pg_is_in_recovery() THEN pg_last_wal_replay_lsn()::text END";
    private static readonly TimeSpan SkipUnreachable = TimeSpan.FromSeconds(5);

    private readonly NpgsqlDataSource replicas;
    private readonly Func<CancellationToken, Task<string?>> readPrimaryPosition;
    private readonly ILogger logger;
    private readonly Lock gate = new();
    private readonly ConcurrentDictionary<string, ulong> replayed = new();
    // Changes heard (starting at one: what was committed before this instance started) and how many of them the fence covers.
    private long raised = 1;
    private long covered;
    private ulong fence;
    private int resolving;
    private volatile bool listening;
    private long unreachableUntil;

    internal ReadReplica(string connectionString, Func<CancellationToken, Task<string?>> readPrimaryPosition, ILogger logger)
    {
        replicas = NpgsqlDataSource.Create(connectionString);
        this.readPrimaryPosition = readPrimaryPosition;
        this.logger = logger;
    }

    /// <summary>
    /// Whether every committed change reaches <see cref="ChangeHeard"/> (the change listener is connected). Until it is, and
    /// whenever it is not, reads go to the primary: a change not heard could not raise the fence.
    /// </summary>
    public void Listening(bool connected)
    {
        if (connected) ChangeHeard(); // first: what was missed while not listening must be covered before the replica is used
        listening = connected;
    }

    /// <summary>A change committed: replica reads wait for a replica that has replayed past it.</summary>
    public void ChangeHeard()
    {
        Interlocked.Increment(ref raised);
        StartResolving();
    }

    /// <summary>A connection to a replica that has replayed past the fence, or null: read the primary.</summary>
    internal async Task<NpgsqlConnection?> OpenAsync(CancellationToken ct)
    {
        if (!listening || Environment.TickCount64 < Interlocked.Read(ref unreachableUntil)) return null;
        ulong needed;
        lock (gate)
        {
            if (covered < raised)
            {
                StartResolving();
                return null;
            }
            needed = fence;
        }
        NpgsqlConnection connection;
        try
        {
            connection = await replicas.OpenConnectionAsync(ct);
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException or System.Net.Sockets.SocketException)
        {
            Interlocked.Exchange(ref unreachableUntil, Environment.TickCount64 + (long)SkipUnreachable.TotalMilliseconds);
            logger.LogWarning(e, "The read replica could not be reached; reads go to the primary for {Seconds} s", SkipUnreachable.TotalSeconds);
            return null;
        }
        var host = $"{connection.Host}:{connection.Port}";
        if (replayed.TryGetValue(host, out var seen) && seen >= needed) return connection;
        await using (var command = new NpgsqlCommand(ReplayPosition, connection))
        {
            if (await command.ExecuteScalarAsync(ct) is not string position) return connection;
            seen = Position(position);
        }
        replayed.AddOrUpdate(host, seen, (_, before) => Math.Max(before, seen));
        if (seen >= needed) return connection;
        await connection.DisposeAsync();
        return null;
    }

    private void StartResolving()
    {
        if (Interlocked.CompareExchange(ref resolving, 1, 0) == 0) _ = ResolveAsync();
    }

    // One read of the primary covers every change heard before it was sent; changes heard meanwhile take another.
    private async Task ResolveAsync()
    {
        try
        {
            while (true)
            {
                var upTo = Interlocked.Read(ref raised);
                var position = await readPrimaryPosition(CancellationToken.None);
                lock (gate)
                {
                    if (position is not null) fence = Math.Max(fence, Position(position));
                    covered = Math.Max(covered, upTo);
                    if (covered >= raised) return;
                }
            }
        }
        catch (Exception e)
        {
            // The fence stays unresolved (reads go to the primary); the next replica read tries again.
            logger.LogWarning(e, "Could not read the primary's WAL position; reads go to the primary");
        }
        finally
        {
            Interlocked.Exchange(ref resolving, 0);
        }
    }

    private static ulong Position(string lsn) => (ulong)NpgsqlLogSequenceNumber.Parse(lsn);

    public ValueTask DisposeAsync() => replicas.DisposeAsync();
}
