using Npgsql;
using SkillsRegistry.Api.Infrastructure.Data;

namespace SkillsRegistry.Api.Infrastructure.Caching;

/// <summary>
/// PostgreSQL only: LISTENs on a dedicated connection and relays other instances' committed changes to this one's caches.
/// Notifications sent while the connection was down are lost, so on every (re)connect the caches are cleared, and while it
/// is down they are bypassed (<see cref="RegistryChanges.HeardEverywhere"/>).
/// </summary>
public sealed class RegistryChangeListener(Db db, RegistryChanges changes, ILogger<RegistryChangeListener> logger) : BackgroundService
{
    private static readonly TimeSpan IdleCheck = TimeSpan.FromSeconds(20);
    private NpgsqlConnection? connection;
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> toAcknowledge = new();

    /// <summary>Listens before the service takes requests, so caching works from the first one.</summary>
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            connection = await ListenAsync(cancellationToken);
        }
        catch (Exception e) when (IsConnectionFault(e))
        {
            logger.LogWarning(e, "The change listener could not connect at startup; caches are bypassed until it does");
        }
        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var backoff = TimeSpan.FromMilliseconds(200);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                connection ??= await ListenAsync(stoppingToken);
                if (connection is null) return; // SQLite
                backoff = TimeSpan.FromMilliseconds(200);
                await AcknowledgeAsync(connection, stoppingToken);
                if (!toAcknowledge.IsEmpty) continue;
                // A quiet connection may be dead without an error; a round trip now and then finds out.
                if (!await connection.WaitAsync(IdleCheck, stoppingToken))
                {
                    await using var ping = new NpgsqlCommand("SELECT 1", connection);
                    await ping.ExecuteScalarAsync(stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e) when (IsConnectionFault(e))
            {
                if (changes.HeardEverywhere) logger.LogWarning(e, "Lost the change listener's connection; caches are bypassed until it is back");
                changes.ListenerConnected(false);
                await DisposeConnectionAsync();
                try { await Task.Delay(backoff, stoppingToken); } catch (OperationCanceledException) { break; }
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, TimeSpan.FromSeconds(5).Ticks));
            }
        }
        await DisposeConnectionAsync();
    }

    private async Task<NpgsqlConnection?> ListenAsync(CancellationToken ct)
    {
        var opened = await db.OpenListenerAsync(ct);
        if (opened is null) return null;
        try
        {
            opened.Notification += (_, e) => Heard(e.Channel, e.Payload);
            await using (var listen = new NpgsqlCommand($"LISTEN {RegistryChanges.Channel}; LISTEN {RegistryChanges.AckChannel}", opened))
                await listen.ExecuteNonQueryAsync(ct);
        }
        catch
        {
            await opened.DisposeAsync();
            throw;
        }
        changes.ListenerConnected(true);
        return opened;
    }

    // Raised by Npgsql while it reads the connection: only cheap work here; acknowledgements are sent by the loop.
    private void Heard(string channel, string payload)
    {
        if (channel == RegistryChanges.Channel)
        {
            changes.Publish(payload);
            toAcknowledge.Enqueue(payload);
        }
        else if (channel == RegistryChanges.AckChannel && payload.Split(' ', 2) is [var instance, var what])
            changes.Acknowledged(instance, what);
    }

    private async Task AcknowledgeAsync(NpgsqlConnection listening, CancellationToken ct)
    {
        while (toAcknowledge.TryDequeue(out var what))
        {
            await using var ack = new NpgsqlCommand("SELECT pg_notify(@channel, @payload)", listening);
            ack.Parameters.AddWithValue("channel", RegistryChanges.AckChannel);
            ack.Parameters.AddWithValue("payload", $"{changes.InstanceId} {what}");
            await ack.ExecuteNonQueryAsync(ct);
        }
    }

    private async Task DisposeConnectionAsync()
    {
        if (connection is null) return;
        try { await connection.DisposeAsync(); } catch (Exception e) when (IsConnectionFault(e)) { }
        connection = null;
    }

    private static bool IsConnectionFault(Exception e) =>
        e is NpgsqlException or IOException or TimeoutException or InvalidOperationException or System.Net.Sockets.SocketException;
}
