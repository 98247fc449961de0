using SkillsRegistry.Api.Infrastructure.Data;

namespace SkillsRegistry.Api.Infrastructure.Hosting;

/// <summary>Seed routines that features contribute (reference data, demo data). Run after migrations, in registration order.</summary>
public interface IDataSeeder
{
    Task SeedAsync(Db db, DatabaseOptions options, CancellationToken ct);
}

/// <summary>Migrates (and seeds) before the server takes requests; a failed migration stops startup.</summary>
public sealed class DatabaseStartup(Migrator migrator, Db db, DatabaseOptions options, IEnumerable<IDataSeeder> seeders) : IHostedService
{
    public async Task StartAsync(CancellationToken ct)
    {
        await migrator.MigrateAsync(ct);
        foreach (var seeder in seeders) await seeder.SeedAsync(db, options, ct);
    }

    public Task StopAsync(CancellationToken ct) => Task.CompletedTask;
}
