using SkillsRegistry.Tests.Support;

namespace SkillsRegistry.Tests.Demo;

/// <summary>Issue 11, defect 5: demo people, certificates and working keys never appear in production by default.</summary>
public sealed class DemoDataOutsideDevelopmentTests
{
    private static Task<long> PartnersAsync(RegistryApp app) =>
        app.Db.ReadAsync(s => s.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM partner_agencies"));

    private static Task<long> KeysAsync(RegistryApp app) =>
        app.Db.ReadAsync(s => s.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM api_keys"));

    [Theory, OnSqlite, OnPostgres]
    public async Task Production_with_the_setting_unset_starts_empty_and_writes_no_keys(TestDatabase db)
    {
        await using var app = await RegistryApp.StartAsync(db, new Dictionary<string, string?>
        {
            [RegistryApp.EnvironmentSetting] = "Production", ["Database:SeedDemoData"] = null,
        });
        Assert.Equal(0, await PartnersAsync(app));
        Assert.Equal(0, await KeysAsync(app));
        Assert.False(File.Exists(Path.Combine(app.DataDirectory, "demo-keys.txt")));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Production_refuses_to_start_with_demo_data_unless_a_second_setting_allows_it(TestDatabase db)
    {
        var refused = await Assert.ThrowsAnyAsync<Exception>(() => RegistryApp.StartAsync(db, new Dictionary<string, string?>
        {
            [RegistryApp.EnvironmentSetting] = "Production", ["Database:SeedDemoData"] = "true",
        }));
        var messages = string.Join(" | ", Flatten(refused).Select(e => e.Message));
        Assert.Contains("Database:AllowDemoDataInProduction", messages);

        await using var app = await RegistryApp.StartAsync(db, new Dictionary<string, string?>
        {
            [RegistryApp.EnvironmentSetting] = "Production", ["Database:SeedDemoData"] = "true", ["Database:AllowDemoDataInProduction"] = "true",
        });
        Assert.Equal(5, await PartnersAsync(app));
        Assert.Equal(0, await KeysAsync(app)); // demo data, but no working keys anywhere
        Assert.False(File.Exists(Path.Combine(app.DataDirectory, "demo-keys.txt")));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Demo_data_asked_for_outside_development_is_seeded_without_a_key_file(TestDatabase db)
    {
        await using var app = await RegistryApp.StartAsync(db, new Dictionary<string, string?>
        {
            [RegistryApp.EnvironmentSetting] = "Staging", ["Database:SeedDemoData"] = "true",
        });
        Assert.Equal(5, await PartnersAsync(app));
        Assert.Equal(0, await KeysAsync(app));
        Assert.Empty(Directory.GetFiles(app.DataDirectory, "*keys*", SearchOption.AllDirectories));
    }

    private static IEnumerable<Exception> Flatten(Exception e)
    {
        for (var current = e; current is not null; current = current.InnerException)
        {
            yield return current;
            if (current is AggregateException aggregate)
                foreach (var inner in aggregate.InnerExceptions.SelectMany(Flatten)) yield return inner;
        }
    }
}
