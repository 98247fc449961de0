using SkillsRegistry.Api.Infrastructure.Data;
using SkillsRegistry.Tests.Support;

namespace SkillsRegistry.Tests.Foundation;

public sealed class MigrationTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    [Fact]
    public void Both_dialect_folders_hold_the_same_script_names()
    {
        static string[] Names(string dialect) => Directory.GetFiles(Path.Combine(RepositoryRoot.Path, "db", dialect), "*.sql")
            .Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray()!;
        var sqlite = Names("sqlite");
        Assert.NotEmpty(sqlite);
        Assert.Equal(sqlite, Names("postgres"));
        Assert.All(sqlite, n => Assert.Matches(@"^\d{4}_[a-z0-9_]+\.sql$", n));
        Assert.Equal(sqlite, Migrator.Scripts("sqlite").Select(s => s.Name).ToArray()); // embedded = on disk
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Migrating_twice_changes_nothing(TestDatabase db)
    {
        var app = await fixture.For(db);
        await app.Service<Migrator>().MigrateAsync();
        Assert.Empty(await app.Service<Migrator>().PendingAsync());
        var count = await app.Db.ReadAsync(s => s.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM schema_migrations"));
        Assert.Equal(Migrator.Scripts(app.Db.Dialect.MigrationsFolder).Count, count);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task A_released_script_that_changed_stops_startup_with_a_clear_message(TestDatabase db)
    {
        await using var app = await RegistryApp.StartAsync(db);
        await app.Db.WriteAsync(s => s.ExecuteAsync("UPDATE schema_migrations SET checksum = 'abcdefabcdefabcdef' WHERE name = '0001_foundation.sql'"));
        var error = await Assert.ThrowsAsync<MigrationException>(() => app.Service<Migrator>().MigrateAsync());
        Assert.Contains("0001_foundation.sql was changed after it was applied", error.Message);
        Assert.Contains("new migration", error.Message);
    }
}
