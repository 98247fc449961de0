using SkillsRegistry.Api.Infrastructure.Data;

namespace SkillsRegistry.Api.Infrastructure.Hosting;

/// <summary>Seed routines that features contribute (reference data, demo data). Run after migrations, in registration order.</summary>
public interface IDataSeeder
{
    Task SeedAsync(Db db, DatabaseOptions options, CancellationToken ct);
}

/// <summary>Migrates (unless Database:MigrateAtStartup is false) and seeds before the server takes requests; a failed migration stops startup.</summary>
public sealed class DatabaseStartup(Migrator migrator, Db db, DatabaseOptions options, IEnumerable<IDataSeeder> seeders,
    ILogger<DatabaseStartup> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken ct)
    {
        if (options.MigrateAtStartup) await migrator.MigrateAsync(ct);
        else if (await migrator.PendingAsync(ct) is { Count: > 0 } pending)
            logger.LogWarning("Database:MigrateAtStartup is false and migrations are pending ({Pending}): apply them with the 'migrate' verb",
                string.Join(", ", pending));
        foreach (var seeder in seeders) await seeder.SeedAsync(db, options, ct);
    }

    public Task StopAsync(CancellationToken ct) => Task.CompletedTask;
}
