using System.Net.Http.Json;
using System.Net;
using SkillsRegistry.Api.Infrastructure.Audit;
using SkillsRegistry.Api.Infrastructure.Data;
using SkillsRegistry.Tests.Support;

namespace SkillsRegistry.Tests.Demo;

public sealed class DemoDataTests
{
    [Theory, OnSqlite, OnPostgres]
    public async Task The_demo_is_explorable_at_once_with_the_keys_it_wrote(TestDatabase db)
    {
        await using var app = await RegistryApp.StartAsync(db, new Dictionary<string, string?>
        {
            [RegistryApp.EnvironmentSetting] = "Development", ["Database:SeedDemoData"] = "true",
        });
        var keys = await File.ReadAllLinesAsync(Path.Combine(app.DataDirectory, "demo-keys.txt"));
        string Value(string prefix) => keys.Single(l => l.StartsWith(prefix, StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries)[^1];

        var admin = app.ClientWithKey(Value("admin"));
        var partners = await (await admin.GetAsync("/api/v1/partners")).ReadJsonAsync();
        Assert.Equal(5, partners.GetProperty("total").GetInt32());
        var centers = await (await admin.GetAsync("/api/v1/centers?province=IR-10")).ReadJsonAsync();
        Assert.True(centers.GetProperty("total").GetInt32() >= 2);

        var valid = await (await app.CreateClient().GetAsync($"/api/v1/verify/{Value("valid")}")).ReadJsonAsync();
        Assert.Equal("valid", valid.GetProperty("status").GetString());
        var revoked = await (await app.CreateClient().GetAsync($"/api/v1/verify/{Value("revoked")}")).ReadJsonAsync();
        Assert.Equal("revoked", revoked.GetProperty("status").GetString());

        // A newcomer can try the holder routes with the code in the file: the valid certificate is among the holder's own.
        var session = await (await app.CreateClient().PostAsJsonAsync("/holder/sessions", new { code = Value("holder-code"), birthDate = Value("holder-birth-date") }))
            .ReadJsonAsync(System.Net.HttpStatusCode.Created);
        var own = await (await app.HolderClient(session.GetProperty("token").GetString()!).GetAsync("/holder/certificates")).ReadJsonAsync();
        Assert.Contains(Value("valid"), own.GetProperty("items").EnumerateArray().Select(c => c.GetProperty("number").GetString()));
        Assert.Equal(HttpStatusCode.OK, (await app.ClientWithKey(Value("center")).GetAsync("/api/v1/certificates")).StatusCode);

        var chain = await app.Db.ReadAsync(AuditTrail.VerifyAsync);
        Assert.True(chain.Intact, chain.Problem);
        Assert.True(chain.RecordsChecked > 50);

        // A restart does not seed twice.
        await app.Service<Api.Infrastructure.Hosting.DatabaseStartup>().StartAsync(default);
        Assert.Equal(5, (await (await admin.GetAsync("/api/v1/partners")).ReadJsonAsync()).GetProperty("total").GetInt32());
    }

    [Fact]
    public void Demo_data_goes_only_into_a_development_sqlite_database_unless_asked_for()
    {
        var development = new TestEnvironment("Development");
        var production = new TestEnvironment("Production");
        Assert.True(new DatabaseOptions { Provider = DatabaseProvider.Sqlite }.ShouldSeedDemoData(development));
        Assert.False(new DatabaseOptions { Provider = DatabaseProvider.Sqlite }.ShouldSeedDemoData(production));
        Assert.False(new DatabaseOptions { Provider = DatabaseProvider.Sqlite }.ShouldSeedDemoData(new TestEnvironment("Staging")));
        Assert.False(new DatabaseOptions { Provider = DatabaseProvider.Postgres }.ShouldSeedDemoData(development));
        Assert.True(new DatabaseOptions { Provider = DatabaseProvider.Postgres, SeedDemoData = true }.ShouldSeedDemoData(production));
        Assert.False(new DatabaseOptions { Provider = DatabaseProvider.Sqlite, SeedDemoData = false }.ShouldSeedDemoData(development));
    }

    private sealed class TestEnvironment(string name) : Microsoft.Extensions.Hosting.IHostEnvironment
    {
        public string EnvironmentName { get; set; } = name;
        public string ApplicationName { get; set; } = "SkillsRegistry.Api";
        public string ContentRootPath { get; set; } = "";
        public Microsoft.Extensions.FileProviders.IFileProvider ContentRootFileProvider { get; set; } = new Microsoft.Extensions.FileProviders.NullFileProvider();
    }
}
