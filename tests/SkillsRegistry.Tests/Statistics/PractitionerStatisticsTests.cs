using System.Net;
using System.Text.Json;
using SkillsRegistry.Api.Infrastructure.Auth;
using SkillsRegistry.Tests.Support;

namespace SkillsRegistry.Tests.Statistics;

/// <summary>Practitioners qualified and current per standard code and province, and refresher hours per sector and year.</summary>
public sealed class PractitionerStatisticsTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    private static readonly DateOnly Before = new(2029, 1, 1);

    private static Dictionary<string, JsonElement> RowsBy(JsonElement report) =>
        report.GetProperty("rows").EnumerateArray()
            .ToDictionary(r => string.Join("|", r.GetProperty("groups").EnumerateArray().Select(g => g.GetProperty("value").GetString() ?? "-")));

    private static int? Figure(JsonElement row, string name) =>
        row.GetProperty(name).ValueKind == JsonValueKind.Null ? null : row.GetProperty(name).GetInt32();

    [Theory, OnSqlite, OnPostgres]
    public async Task Counts_who_holds_a_qualification_in_force_and_who_is_current_per_code_and_province(TestDatabase db)
    {
        var app = await fixture.For(db);
        var (_, camera) = await app.InsertStatsStandardAsync("cinema");
        var (_, weaving) = await app.InsertStatsStandardAsync("handicrafts");
        await app.RequireRefresherAsync(camera, hours: 10, months: 12);
        var tehran = await app.InsertCenterAsync(province: "IR-07");
        var fars = await app.InsertCenterAsync(province: "IR-14");
        var partner = await app.InsertPartnerAsync(sector: "cinema");
        var on = new DateOnly(2030, 6, 1);

        await app.InsertPractitionerAsync(tehran, null, [new(camera, Before)], (new(2030, 3, 1), 10));                    // current
        await app.InsertPractitionerAsync(tehran, null, [new(camera, Before, Kind: "lead-assessor")], (new(2029, 3, 1), 10)); // course too old
        await app.InsertPractitionerAsync(tehran, null, [new(camera, Before, WithdrawnFrom: new(2030, 5, 1))], (new(2030, 3, 1), 10));
        await app.InsertPractitionerAsync(tehran, null, [new(camera, Before, Kind: "instructor")], (new(2030, 5, 1), 12));
        await app.InsertPractitionerAsync(fars, null, [new(camera, Before, To: new(2030, 5, 31)), new(weaving, Before)]);
        await app.InsertPractitionerAsync(null, partner, [new(camera, Before)], (new(2030, 1, 1), 6), (new(2030, 2, 1), 4));
        await app.InsertPractitionerAsync(tehran, null, [new(camera, Before), new(camera, Before, Kind: "lead-assessor")], (new(2030, 4, 1), 10));
        await app.InsertPractitionerAsync(tehran, null, [new(camera, new(2030, 7, 1))]);
        var admin = await app.AdminClientAsync();

        var assessors = await (await admin.GetAsync("/api/v1/statistics/practitioners?on=2030-06-01&kind=assessor")).ReadJsonAsync();
        Assert.Equal(JsonValueKind.Null, assessors.GetProperty("suppressedBelow").ValueKind);
        var rows = RowsBy(assessors);
        Assert.Equal((3, 2), (Figure(rows[$"{camera}|IR-07"], "qualified"), Figure(rows[$"{camera}|IR-07"], "current")));
        Assert.Equal((1, 1), (Figure(rows[$"{camera}|partner-agencies"], "qualified"), Figure(rows[$"{camera}|partner-agencies"], "current")));
        Assert.Equal("Partner agencies", rows[$"{camera}|partner-agencies"].GetProperty("groups")[1].GetProperty("nameEn").GetString());
        Assert.Equal((1, 1), (Figure(rows[$"{weaving}|IR-14"], "qualified"), Figure(rows[$"{weaving}|IR-14"], "current")));
        Assert.DoesNotContain($"{camera}|IR-14", rows.Keys); // expired the day before

        var everyKind = RowsBy(await (await admin.GetAsync("/api/v1/statistics/practitioners?on=2030-06-01")).ReadJsonAsync());
        Assert.Equal((4, 3), (Figure(everyKind[$"{camera}|IR-07"], "qualified"), Figure(everyKind[$"{camera}|IR-07"], "current")));

        var later = RowsBy(await (await admin.GetAsync("/api/v1/statistics/practitioners?on=2030-07-15&kind=assessor")).ReadJsonAsync());
        Assert.Equal((4, 2), (Figure(later[$"{camera}|IR-07"], "qualified"), Figure(later[$"{camera}|IR-07"], "current")));

        var center = app.ClientWithKey(await app.CreateKeyAsync(ApiKeyRole.Center, centerId: tehran));
        var own = await (await center.GetAsync("/api/v1/statistics/practitioners?on=2030-06-01&kind=assessor")).ReadJsonAsync();
        Assert.Equal([$"{camera}|IR-07"], RowsBy(own).Keys.Where(k => k.StartsWith(camera, StringComparison.Ordinal)));
        Assert.Equal(3, Figure(RowsBy(own)[$"{camera}|IR-07"], "qualified")); // its own staff, exactly
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task A_partner_sees_its_sectors_practitioners_rounded_with_small_cells_withheld(TestDatabase db)
    {
        var app = await fixture.For(db);
        var (_, camera) = await app.InsertStatsStandardAsync("cinema");
        var (_, weaving) = await app.InsertStatsStandardAsync("handicrafts");
        await app.RequireRefresherAsync(camera, hours: 8, months: 12);
        var tehran = await app.InsertCenterAsync(province: "IR-07");
        var fars = await app.InsertCenterAsync(province: "IR-14");
        for (var i = 0; i < 6; i++) await app.InsertPractitionerAsync(tehran, null, [new(camera, Before)], (new(2031, 1, 10), 8));
        for (var i = 0; i < 5; i++) await app.InsertPractitionerAsync(tehran, null, [new(camera, Before)]);
        for (var i = 0; i < 3; i++) await app.InsertPractitionerAsync(fars, null, [new(camera, Before)], (new(2031, 1, 10), 8));
        for (var i = 0; i < 6; i++) await app.InsertPractitionerAsync(tehran, null, [new(weaving, Before)]);
        var partnerId = await app.InsertPartnerAsync(sector: "cinema", signedOn: new DateOnly(2024, 1, 1));
        var partner = app.ClientWithKey(await app.CreateKeyAsync(ApiKeyRole.Partner, partnerId: partnerId));

        var report = await (await partner.GetAsync("/api/v1/statistics/practitioners?on=2031-02-01")).ReadJsonAsync();
        Assert.Equal(5, report.GetProperty("suppressedBelow").GetInt32());
        Assert.Equal(5, report.GetProperty("roundedToBase").GetInt32());
        var rows = RowsBy(report);
        Assert.Contains(Figure(rows[$"{camera}|IR-07"], "qualified"), new int?[] { 10, 15 }); // 11, randomly rounded
        Assert.Contains(Figure(rows[$"{camera}|IR-07"], "current"), new int?[] { 5, 10 });    // 6
        Assert.Null(Figure(rows[$"{camera}|IR-14"], "qualified"));                          // 3
        Assert.True(rows[$"{camera}|IR-14"].GetProperty("suppressed").GetBoolean());
        Assert.DoesNotContain($"{weaving}|IR-07", rows.Keys);

        var csv = await (await partner.GetAsync("/api/v1/statistics/practitioners?on=2031-02-01&format=csv")).Content.ReadAsStringAsync();
        Assert.Contains("qualified", csv);
        Assert.Contains($"{camera},", csv);
        Assert.Contains("<5", csv);

        await (await partner.GetAsync("/api/v1/statistics/practitioners?sector=handicrafts")).AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await partner.GetAsync("/api/v1/statistics/refresher-hours?sector=handicrafts")).AssertProblemAsync(HttpStatusCode.Forbidden);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Refresher_hours_count_per_sector_and_solar_year_and_are_withheld_for_fewer_than_five_practitioners(TestDatabase db)
    {
        var app = await fixture.For(db);
        var (_, camera) = await app.InsertStatsStandardAsync("cinema");
        var (_, weaving) = await app.InsertStatsStandardAsync("handicrafts");
        var tehran = await app.InsertCenterAsync(province: "IR-07");
        // 2032-03-01 is in 1410, 2032-05-01 in 1411.
        await app.InsertPractitionerAsync(tehran, null, [new(camera, Before), new(weaving, Before)], (new(2032, 3, 1), 10), (new(2032, 5, 1), 2.5m));
        await app.InsertPractitionerAsync(tehran, null, [new(camera, Before)], (new(2032, 5, 1), 4));
        await app.InsertPractitionerAsync(tehran, null, [], (new(2032, 5, 1), 3));
        var admin = await app.AdminClientAsync();
        const string window = "from=2032-01-01&to=2032-12-31";

        var exact = RowsBy(await (await admin.GetAsync("/api/v1/statistics/refresher-hours?" + window)).ReadJsonAsync());
        Assert.Equal(["cinema|1410", "cinema|1411", "handicrafts|1410", "handicrafts|1411", "-|1411"], exact.Keys);
        Assert.Equal((1, 10m), (Figure(exact["cinema|1410"], "practitioners"), exact["cinema|1410"].GetProperty("hours").GetDecimal()));
        Assert.Equal((2, 6.5m), (Figure(exact["cinema|1411"], "practitioners"), exact["cinema|1411"].GetProperty("hours").GetDecimal()));
        Assert.Equal(2.5m, exact["handicrafts|1411"].GetProperty("hours").GetDecimal());
        Assert.Equal(3m, exact["-|1411"].GetProperty("hours").GetDecimal()); // no qualification: the unknown sector

        // Six more cinema practitioners in 1411: that cell (8 people, 24.5 hours) is published rounded; the 1410 cell of one is withheld.
        for (var i = 0; i < 6; i++) await app.InsertPractitionerAsync(tehran, null, [new(camera, Before)], (new(2032, 6, 1), 3));
        var partnerId = await app.InsertPartnerAsync(sector: "cinema", signedOn: new DateOnly(2024, 1, 1));
        var partner = app.ClientWithKey(await app.CreateKeyAsync(ApiKeyRole.Partner, partnerId: partnerId));
        var report = await (await partner.GetAsync("/api/v1/statistics/refresher-hours?" + window)).ReadJsonAsync();
        var rows = RowsBy(report);
        Assert.Equal(["cinema|1410", "cinema|1411"], rows.Keys);
        Assert.Contains(Figure(rows["cinema|1411"], "practitioners"), new int?[] { 5, 10 });
        Assert.Contains(Figure(rows["cinema|1411"], "hours"), new int?[] { 20, 25 });
        Assert.Null(Figure(rows["cinema|1410"], "practitioners"));
        Assert.Null(Figure(rows["cinema|1410"], "hours"));
        Assert.True(rows["cinema|1410"].GetProperty("suppressed").GetBoolean());

        var csv = await (await partner.GetAsync("/api/v1/statistics/refresher-hours?lang=fa&format=csv&" + window)).Content.ReadAsStringAsync();
        Assert.Contains("سال شمسی", csv);
        Assert.Contains(",<5,<5", csv); // the 1410 cell of one practitioner: count and hours withheld
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task A_request_the_client_can_fix_gets_the_field_and_the_form(TestDatabase db)
    {
        var app = await fixture.For(db);
        var admin = await app.AdminClientAsync();

        var badDay = await (await admin.GetAsync("/api/v1/statistics/practitioners?on=2030-13-01&kind=boss")).AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.NotEmpty(badDay.FieldErrors("on"));
        Assert.NotEmpty(badDay.FieldErrors("kind"));
        var scope = await (await admin.GetAsync("/api/v1/statistics/refresher-hours?scope=province")).AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.NotEmpty(scope.FieldErrors("scope"));
        var order = await (await admin.GetAsync("/api/v1/statistics/refresher-hours?from=2031-01-02&to=2031-01-01")).AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.NotEmpty(order.FieldErrors("to"));
        await (await app.CreateClient().GetAsync("/api/v1/statistics/practitioners")).AssertProblemAsync(HttpStatusCode.Unauthorized);
    }
}
