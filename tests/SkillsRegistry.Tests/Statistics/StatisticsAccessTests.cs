using System.Net;
using System.Text.Json;
using SkillsRegistry.Api.Infrastructure.Auth;
using SkillsRegistry.Tests.Support;

namespace SkillsRegistry.Tests.Statistics;

/// <summary>Who sees which rows: a center its own (and its province's totals), a partner its agreement's sectors.</summary>
public sealed class StatisticsAccessTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    private static Dictionary<string, JsonElement> RowsBy(JsonElement report) =>
        report.GetProperty("rows").EnumerateArray().ToDictionary(r => string.Join("|", r.GetProperty("groups").EnumerateArray().Select(g => g.GetProperty("value").GetString())));

    [Theory, OnSqlite, OnPostgres]
    public async Task A_center_key_sees_only_its_own_rows_and_its_provinces_totals(TestDatabase db)
    {
        var app = await fixture.For(db);
        var (standardId, _) = await app.InsertStatsStandardAsync("handicrafts");
        var own = await app.InsertCenterAsync(province: "IR-21");
        var neighbour = await app.InsertCenterAsync(province: "IR-21");
        var elsewhere = await app.InsertCenterAsync(province: "IR-22");
        var date = new DateOnly(2045, 6, 1);
        await app.InsertResultsAsync([
            .. new SeedResult(own, standardId, date).Times(6),
            .. new SeedResult(neighbour, standardId, date).Times(4),
            .. new SeedResult(elsewhere, standardId, date).Times(9),
        ]);
        var center = app.ClientWithKey(await app.CreateKeyAsync(ApiKeyRole.Center, centerId: own));
        const string window = "&from=2045-01-01&to=2045-12-31";

        var mine = RowsBy(await (await center.GetAsync("/api/v1/statistics/assessments?groupBy=center" + window)).ReadJsonAsync());
        var single = Assert.Single(mine);
        Assert.Equal(6, single.Value.GetProperty("recorded").GetInt32());

        var provinceReport = await (await center.GetAsync("/api/v1/statistics/assessments?groupBy=sector&scope=province" + window)).ReadJsonAsync();
        Assert.Equal("province", provinceReport.GetProperty("scope").GetString());
        Assert.Equal(10, Assert.Single(RowsBy(provinceReport)).Value.GetProperty("recorded").GetInt32()); // 6 own + 4 neighbour, not IR-22

        var perCenter = await (await center.GetAsync("/api/v1/statistics/assessments?groupBy=center&scope=province" + window))
            .AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.NotEmpty(perCenter.FieldErrors("groupBy"));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task A_partner_sees_only_its_sectors_with_small_cells_withheld(TestDatabase db)
    {
        var app = await fixture.For(db);
        var cinema = (await app.InsertStatsStandardAsync("cinema")).Id;
        var crafts = (await app.InsertStatsStandardAsync("handicrafts")).Id;
        var tehran = await app.InsertCenterAsync(province: "IR-07");
        var isfahan = await app.InsertCenterAsync(province: "IR-04");
        var date = new DateOnly(2046, 6, 1);
        await app.InsertResultsAsync([
            .. new SeedResult(tehran, cinema, date, Certificate: true).Times(7),
            .. new SeedResult(isfahan, cinema, date, Certificate: true).Times(3),
            .. new SeedResult(tehran, crafts, date, Certificate: true).Times(6),
        ]);
        var partnerId = await app.InsertPartnerAsync(sector: "cinema", signedOn: new DateOnly(2024, 1, 1));
        var partner = app.ClientWithKey(await app.CreateKeyAsync(ApiKeyRole.Partner, partnerId: partnerId));
        const string window = "&from=2046-01-01&to=2046-12-31";

        var bySector = await (await partner.GetAsync("/api/v1/statistics/certificates?groupBy=sector" + window)).ReadJsonAsync();
        Assert.Equal(["cinema"], RowsBy(bySector).Keys);
        Assert.Equal(5, bySector.GetProperty("suppressedBelow").GetInt32());
        Assert.Equal(5, bySector.GetProperty("roundedToBase").GetInt32());

        var cells = RowsBy(await (await partner.GetAsync("/api/v1/statistics/certificates?groupBy=province,sector" + window)).ReadJsonAsync());
        Assert.Contains(cells["IR-07|cinema"].GetProperty("certificates").GetInt32(), new[] { 5, 10 }); // 7, randomly rounded to base 5
        Assert.Equal(JsonValueKind.Null, cells["IR-04|cinema"].GetProperty("certificates").ValueKind);
        Assert.True(cells["IR-04|cinema"].GetProperty("suppressed").GetBoolean());
        Assert.DoesNotContain("IR-07|handicrafts", cells.Keys);

        await (await partner.GetAsync("/api/v1/statistics/certificates?groupBy=province&sector=handicrafts" + window))
            .AssertProblemAsync(HttpStatusCode.Forbidden);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task A_partner_whose_agreement_is_not_in_force_is_refused_with_the_reason(TestDatabase db)
    {
        var app = await fixture.For(db);
        var partnerId = await app.InsertPartnerAsync(sector: "cinema", signedOn: new DateOnly(2099, 1, 1));
        var partner = app.ClientWithKey(await app.CreateKeyAsync(ApiKeyRole.Partner, partnerId: partnerId));

        var problem = await (await partner.GetAsync("/api/v1/statistics/assessments?groupBy=sector")).AssertProblemAsync(HttpStatusCode.Forbidden);

        Assert.Contains("starts on 2099-01-01", problem.GetProperty("detail").GetString());
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Province_scope_is_for_center_keys(TestDatabase db)
    {
        var app = await fixture.For(db);
        var admin = await app.AdminClientAsync();

        var problem = await (await admin.GetAsync("/api/v1/statistics/assessments?groupBy=sector&scope=province")).AssertProblemAsync(HttpStatusCode.BadRequest);

        Assert.NotEmpty(problem.FieldErrors("scope"));
    }
}
