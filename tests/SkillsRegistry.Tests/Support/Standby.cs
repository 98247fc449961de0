using Npgsql;
using Xunit;

namespace SkillsRegistry.Tests.Support;

/// <summary>
/// Runs a test on a real streaming standby of the test PostgreSQL server (SKILLSREGISTRY_TEST_POSTGRES_STANDBY, as printed by
/// tests/replica/start-standby.sh); otherwise skips, unless SKILLSREGISTRY_REQUIRE_POSTGRES=1, in which case the test fails.
/// </summary>
public sealed class OnStandbyAttribute : FactAttribute
{
    public OnStandbyAttribute()
    {
        if ((PostgresServer.AdminConnectionString is null || Standby.ConnectionString is null) && !PostgresServer.Required)
            Skip = "Read-replica tests are off: run tests/replica/start-standby.sh (as root) and set SKILLSREGISTRY_TEST_POSTGRES_STANDBY " +
                   "to the connection string it prints, with SKILLSREGISTRY_TEST_POSTGRES set for the primary, as .ci/run does.";
    }
}

/// <summary>The standby: connection strings to a test database's copy, waiting for replay, pausing and resuming it.</summary>
public static class Standby
{
    public static string? ConnectionString =>
        Environment.GetEnvironmentVariable("SKILLSREGISTRY_TEST_POSTGRES_STANDBY") is { Length: > 0 } s ? s : null;

    private static string Required => ConnectionString ?? throw new InvalidOperationException(
        "SKILLSREGISTRY_REQUIRE_POSTGRES=1 but SKILLSREGISTRY_TEST_POSTGRES_STANDBY is not set: run tests/replica/start-standby.sh.");

    /// <summary>The standby's copy of the database the primary connection string names.</summary>
    public static string For(string primaryConnectionString) =>
        new NpgsqlConnectionStringBuilder(Required) { Database = new NpgsqlConnectionStringBuilder(primaryConnectionString).Database }.ConnectionString;

    /// <summary>
    /// Npgsql's multi-host form listing the primary first and the standby second, with Target Session Attributes=prefer-standby:
    /// the standby is chosen while it is up.
    /// </summary>
    public static string MultiHostFor(string primaryConnectionString)
    {
        var primary = new NpgsqlConnectionStringBuilder(primaryConnectionString);
        var standby = new NpgsqlConnectionStringBuilder(For(primaryConnectionString));
        return new NpgsqlConnectionStringBuilder(primaryConnectionString)
        {
            Host = $"{primary.Host}:{primary.Port},{standby.Host}:{standby.Port}",
            TargetSessionAttributes = "prefer-standby",
        }.ConnectionString;
    }

    /// <summary>Waits until the standby has replayed everything the primary has written so far (its databases included).</summary>
    public static async Task CaughtUpAsync()
    {
        string primaryPosition;
        await using (var primary = new NpgsqlConnection(PostgresServer.AdminConnectionString))
        {
            await primary.OpenAsync();
            await using var command = new NpgsqlCommand("SELECT pg_current_wal_insert_lsn()::text", primary);
            primaryPosition = (string)(await command.ExecuteScalarAsync())!;
        }
        await using var standby = await OpenAsync();
        await using var replayed = new NpgsqlCommand("SELECT pg_last_wal_replay_lsn() >= CAST(@position AS pg_lsn)", standby);
        replayed.Parameters.AddWithValue("position", primaryPosition);
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (!(bool)(await replayed.ExecuteScalarAsync(limit.Token))!) await Task.Delay(20, limit.Token);
    }

    /// <summary>Pauses replay; dispose the result to resume it (always, in a finally, so other tests find the standby replaying).</summary>
    public static async Task<IAsyncDisposable> PauseAsync()
    {
        var resume = new Resume();
        await ExecuteAsync("SELECT pg_wal_replay_pause()");
        // The request takes effect at the next record replayed: what the primary writes from now on stays unreplayed.
        try
        {
            await using var standby = await OpenAsync();
            await using var paused = new NpgsqlCommand("SELECT pg_get_wal_replay_pause_state() = 'paused'", standby);
            using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            while (!(bool)(await paused.ExecuteScalarAsync(limit.Token))!) await Task.Delay(20, limit.Token);
        }
        catch
        {
            await resume.DisposeAsync();
            throw;
        }
        return resume;
    }

    /// <summary>What the standby's copy of <paramref name="primaryConnectionString"/>'s database answers to a query.</summary>
    public static async Task<T> QueryAsync<T>(string primaryConnectionString, string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(For(primaryConnectionString)) { Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    private sealed class Resume : IAsyncDisposable
    {
        public async ValueTask DisposeAsync() => await ExecuteAsync("SELECT pg_wal_replay_resume()");
    }

    private static async Task ExecuteAsync(string sql)
    {
        await using var connection = await OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<NpgsqlConnection> OpenAsync()
    {
        var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(Required) { Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        return connection;
    }
}
