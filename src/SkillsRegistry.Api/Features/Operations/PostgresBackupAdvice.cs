using Npgsql;

namespace SkillsRegistry.Api.Features.Operations;

/// <summary>On PostgreSQL the backup and restore verbs step aside for PostgreSQL's own tools, and say which keys to keep.</summary>
public static class PostgresBackupAdvice
{
    public static int Print(string verb, string? connectionString, string dataDirectory, IConfiguration configuration)
    {
        var c = new NpgsqlConnectionStringBuilder(connectionString ?? "");
        var target = $"--host={c.Host ?? "HOST"} --port={c.Port} --username={c.Username ?? "USER"}";
        var output = Console.Error;
        output.WriteLine($"'{verb}' copies the embedded SQLite registry; this registry runs on PostgreSQL. Use PostgreSQL's own tools");
        output.WriteLine("(pg_dump takes a consistent snapshot while the service runs; the password comes from PGPASSWORD or ~/.pgpass):");
        output.WriteLine();
        output.WriteLine($"  pg_dump --format=custom {target} --dbname={c.Database ?? "DATABASE"} --file=registry.dump");
        output.WriteLine($"  createdb {target} registry_restored");
        output.WriteLine($"  pg_restore {target} --dbname=registry_restored --no-owner --exit-on-error registry.dump");
        output.WriteLine();
        output.WriteLine("The database alone is not enough. Keep, encrypted and apart from the dump, the key material it needs:");
        foreach (var line in KeyMaterial.Describe(dataDirectory, configuration)) output.WriteLine("  " + line);
        output.WriteLine("Without the field keys the national IDs, passport numbers and webhook secrets cannot be read; without the signing");
        output.WriteLine("keys no printed QR code verifies. Restore them into the new instance's data directory (or configuration) before it starts.");
        return 2;
    }
}
