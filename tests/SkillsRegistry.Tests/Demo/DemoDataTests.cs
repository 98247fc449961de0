using System.Net.Http.Json;
using System.Net;
using SkillsRegistry.Api.Features.Practitioners;
using SkillsRegistry.Api.Features.Standards;
using SkillsRegistry.Api.Features.Statistics;
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

    [Theory, OnSqlite, OnPostgres]
    public async Task The_demo_fills_the_public_statistics_with_results_whose_assessors_the_register_accepts(TestDatabase db)
    {
        await using var app = await RegistryApp.StartAsync(db, new Dictionary<string, string?>
        {
            [RegistryApp.EnvironmentSetting] = "Development", ["Database:SeedDemoData"] = "true",
        });

        // What the public /stats page shows, after disclosure control: bars above the threshold for several provinces and years.
        async Task<List<(string?[] Groups, int? Published)>> PublicAsync(params StatisticsGroup[] groups) =>
            [.. (await app.Db.ReadAsync(s => StatisticsRepository.CountAsync(s,
                    new StatisticsQuery(StatisticsMeasure.Certificates, groups, null, null, null, null, null), StatisticsVisibility.Public)))
                .Select(cell => DisclosureControl.Certificates(cell, protect: true))
                .Select(row => (row.Groups.Select(g => g.Value).ToArray(), row.Certificates))];
        var provinces = (await PublicAsync(StatisticsGroup.Province)).Where(r => r.Published > DisclosureControl.Threshold).ToList();
        Assert.True(provinces.Count(r => r.Groups[0] is not null) >= 3, $"provinces shown: {string.Join(", ", provinces.Select(p => p.Groups[0]))}");
        var years = (await PublicAsync(StatisticsGroup.SolarYear)).Where(r => r.Published > DisclosureControl.Threshold).ToList();
        Assert.True(years.Count >= 2, $"Solar years shown: {string.Join(", ", years.Select(y => y.Groups[0]))}");
        Assert.True((await PublicAsync(StatisticsGroup.Sector, StatisticsGroup.SolarYear)).Count(r => r.Published > DisclosureControl.Threshold) >= 6);

        // Every result names a registered assessor who, checked again now, was qualified, current and attached that day.
        var results = await app.Db.ReadAsync(s => s.QueryAsync<DemoResult>("""
            SELECT a.center_id AS CenterId, a.assessor_record AS Record, p.code AS AssessorCode, s.code AS StandardCode, a.exam_date AS ExamDate
            FROM assessments a JOIN standards s ON s.id = a.standard_id LEFT JOIN practitioners p ON p.id = a.assessor_practitioner_id
            """));
        Assert.True(results.Count() >= 300);
        Assert.All(results, r => Assert.Equal("registered", r.Record));
        var refusals = await app.Db.ReadAsync(async s =>
        {
            var why = new List<string>();
            foreach (var center in results.GroupBy(r => r.CenterId))
            {
                var register = await PractitionerRepository.AssessorsAsync(s, center.Key, [.. center.Select(r => r.AssessorCode!).Distinct()]);
                foreach (var r in center)
                    if (register.WhyNot(register.Find(r.AssessorCode!)!, center.Key, (await app.Service<StandardRepository>().FindInForceAsync(s, r.StandardCode, r.ExamDate))!,
                            r.ExamDate, second: false) is { } no)
                        why.Add(no);
            }
            return why;
        });
        Assert.Empty(refusals);
        // Among them the Maysan partner's visitor and the stand-in for the assessor whose refresher hours lapsed.
        Assert.Contains(results, r => r.AssessorCode == "PR-MAYSAN-01");
        Assert.Contains(results, r => r.AssessorCode == "PR-THR-THR-CIN" && r.StandardCode == "2654-20-002"
            && results.Any(o => o.CenterId == r.CenterId && o.AssessorCode == "PR-THR-THR-P52"));
        var lapsed = await app.Service<PractitionerRepository>().GetAsync(
            (await app.Db.ReadAsync(s => s.QueryAsync<Guid>("SELECT id FROM practitioners WHERE code = 'PR-THR-THR-P52'"))).Single(), Api.Infrastructure.Auth.Caller.System, default);
        Assert.False(Assert.Single(lapsed!.Qualifications).CurrentToday);
    }

    private sealed class DemoResult
    {
        public Guid CenterId { get; init; }
        public string Record { get; init; } = "";
        public string? AssessorCode { get; init; }
        public string StandardCode { get; init; } = "";
        public DateOnly ExamDate { get; init; }
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
