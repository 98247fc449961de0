using System.Reflection;
using Npgsql;
using Xunit.Sdk;

namespace SkillsRegistry.Tests.Support;

public enum TestDatabase { Sqlite, Postgres }

/// <summary>Runs a theory on SQLite.</summary>
public sealed class OnSqliteAttribute : DataAttribute
{
    public override IEnumerable<object[]> GetData(MethodInfo testMethod) => [[TestDatabase.Sqlite]];
}

/// <summary>
/// Runs a theory on PostgreSQL when SKILLSREGISTRY_TEST_POSTGRES holds an admin connection string;
/// otherwise skips, unless SKILLSREGISTRY_REQUIRE_POSTGRES=1, in which case the test fails.
/// </summary>
public sealed class OnPostgresAttribute : DataAttribute
{
    public OnPostgresAttribute()
    {
        if (PostgresServer.AdminConnectionString is null && !PostgresServer.Required)
            Skip = "PostgreSQL tests are off: set SKILLSREGISTRY_TEST_POSTGRES to a connection string of a role that may CREATE DATABASE " +
                   "(e.g. Host=127.0.0.1;Username=registry;Password=registry;Database=postgres), as .ci/run does.";
    }

    public override IEnumerable<object[]> GetData(MethodInfo testMethod) => [[TestDatabase.Postgres]];
}

public static class PostgresServer
{
    public static string? AdminConnectionString =>
        Environment.GetEnvironmentVariable("SKILLSREGISTRY_TEST_POSTGRES") is { Length: > 0 } s ? s : null;

    public static bool Required => Environment.GetEnvironmentVariable("SKILLSREGISTRY_REQUIRE_POSTGRES") == "1";

    /// <summary>Creates an empty database for one test class and returns its connection string.</summary>
    public static async Task<string> CreateDatabaseAsync()
    {
        var admin = AdminConnectionString ?? throw new InvalidOperationException(
            "SKILLSREGISTRY_REQUIRE_POSTGRES=1 but SKILLSREGISTRY_TEST_POSTGRES is not set: PostgreSQL tests cannot run.");
        var name = "sr_test_" + Guid.NewGuid().ToString("N")[..16];
        await using (var connection = new NpgsqlConnection(admin))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await command.ExecuteNonQueryAsync();
        }
        return new NpgsqlConnectionStringBuilder(admin) { Database = name, Pooling = true, MaxPoolSize = 40 }.ConnectionString;
    }

    public static async Task DropDatabaseAsync(string connectionString)
    {
        var name = new NpgsqlConnectionStringBuilder(connectionString).Database;
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(AdminConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS {name} WITH (FORCE)", connection);
        await command.ExecuteNonQueryAsync();
    }
}
