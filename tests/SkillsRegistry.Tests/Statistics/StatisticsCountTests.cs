using System.Net;
using System.Text;
using System.Text.Json;
using SkillsRegistry.Tests.Support;

namespace SkillsRegistry.Tests.Statistics;

/// <summary>
/// Grouped counts over a handcrafted dataset: 3 provinces × 2 sectors with known results. Each test uses its own exam
/// years (the class shares one database), so the filters isolate its rows.
/// </summary>
public sealed class StatisticsCountTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    // (province, sector) → (recorded, passed). Passed results get a certificate.
    private static readonly (string Province, string Sector, int Recorded, int Passed)[] Cells =
    [
        ("IR-07", "handicrafts", 6, 4), ("IR-07", "cinema", 3, 3),
        ("IR-04", "handicrafts", 5, 2), ("IR-04", "cinema", 8, 6),
        ("IR-14", "handicrafts", 2, 1), ("IR-14", "cinema", 4, 0),
    ];

    private static async Task InsertDatasetAsync(RegistryApp app, DateOnly examDate)
    {
        var standards = new Dictionary<string, Guid>
        {
            ["handicrafts"] = (await app.InsertStatsStandardAsync("handicrafts")).Id,
            ["cinema"] = (await app.InsertStatsStandardAsync("cinema")).Id,
        };
        var centers = new Dictionary<string, Guid>();
        foreach (var province in Cells.Select(c => c.Province).Distinct()) centers[province] = await app.InsertCenterAsync(province: province);
        var rows = new List<SeedResult>();
        foreach (var (province, sector, recorded, passed) in Cells)
        {
            var passing = new SeedResult(centers[province], standards[sector], examDate, Passed: true, Certificate: true);
            rows.AddRange(passing.Times(passed));
            rows.AddRange((passing with { Passed = false, Theory = 30, Certificate = false }).Times(recorded - passed));
        }
        // Noise that must not count: a voided result (with no certificate).
        rows.Add(new SeedResult(centers["IR-07"], standards["handicrafts"], examDate, Voided: true));
        await app.InsertResultsAsync(rows);
    }

    private static Dictionary<string, JsonElement> RowsBy(JsonElement report) =>
        report.GetProperty("rows").EnumerateArray().ToDictionary(r => string.Join("|", r.GetProperty("groups").EnumerateArray().Select(g => g.GetProperty("value").GetString())));

    [Theory, OnSqlite, OnPostgres]
    public async Task Assessments_by_province_count_recorded_passed_failed_and_pass_rate_exactly(TestDatabase db)
    {
        var app = await fixture.For(db);
        await InsertDatasetAsync(app, new DateOnly(2040, 5, 10));
        var admin = await app.AdminClientAsync();

        var report = await (await admin.GetAsync("/api/v1/statistics/assessments?groupBy=province&from=2040-01-01&to=2040-12-31")).ReadJsonAsync();

        var rows = RowsBy(report);
        Assert.Equal(["IR-04", "IR-07", "IR-14"], rows.Keys.Order());
        Assert.Equal((9, 7, 2), Counts(rows["IR-07"]));
        Assert.Equal((13, 8, 5), Counts(rows["IR-04"]));
        Assert.Equal((6, 1, 5), Counts(rows["IR-14"]));
        Assert.Equal(0.7778m, rows["IR-07"].GetProperty("passRate").GetDecimal());
        Assert.Equal("تهران", rows["IR-07"].GetProperty("groups")[0].GetProperty("nameFa").GetString());
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Certificates_by_sector_and_by_province_and_sector_count_originals_exactly(TestDatabase db)
    {
        var app = await fixture.For(db);
        await InsertDatasetAsync(app, new DateOnly(2041, 5, 10));
        var admin = await app.AdminClientAsync();

        var bySector = RowsBy(await (await admin.GetAsync("/api/v1/statistics/certificates?groupBy=sector&from=2041-01-01&to=2041-12-31")).ReadJsonAsync());
        Assert.Equal(7, bySector["handicrafts"].GetProperty("certificates").GetInt32());
        Assert.Equal(9, bySector["cinema"].GetProperty("certificates").GetInt32());

        var both = RowsBy(await (await admin.GetAsync("/api/v1/statistics/certificates?groupBy=province,sector&from=2041-01-01&to=2041-12-31")).ReadJsonAsync());
        Assert.Equal(5, both.Count); // IR-14 cinema has no passes, so no certificates
        Assert.Equal(6, both["IR-04|cinema"].GetProperty("certificates").GetInt32());
        Assert.Equal(1, both["IR-14|handicrafts"].GetProperty("certificates").GetInt32());
        Assert.False(both["IR-14|handicrafts"].GetProperty("suppressed").GetBoolean()); // admin sees exact small counts
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task A_corrected_certificate_counts_once(TestDatabase db)
    {
        var app = await fixture.For(db);
        var (standardId, _) = await app.InsertStatsStandardAsync("ai");
        var centerId = await app.InsertCenterAsync(province: "IR-25");
        var examDate = new DateOnly(2042, 2, 2);
        var trainee = await app.Db.WriteAsync(s => s.InsertTraineeAsync());
        var assessment = (await app.InsertResultsAsync([new SeedResult(centerId, standardId, examDate, TraineeId: trainee)]))[0];
        await app.Db.WriteAsync(async s =>
        {
            var original = await s.InsertCertificateAsync(assessment, trainee, standardId, centerId, examDate, examDate);
            await s.InsertCertificateAsync(assessment, trainee, standardId, centerId, examDate, examDate.AddDays(3), replaces: original);
        });
        var admin = await app.AdminClientAsync();

        var rows = RowsBy(await (await admin.GetAsync("/api/v1/statistics/certificates?groupBy=province&from=2042-01-01&to=2042-12-31")).ReadJsonAsync());

        Assert.Equal(1, rows["IR-25"].GetProperty("certificates").GetInt32());
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Months_and_solar_years_split_at_Nowruz(TestDatabase db)
    {
        var app = await fixture.For(db);
        var (standardId, _) = await app.InsertStatsStandardAsync("oil-gas");
        var centerId = await app.InsertCenterAsync(province: "IR-06");
        var result = new SeedResult(centerId, standardId, default, Certificate: true);
        await app.InsertResultsAsync([
            .. (result with { ExamDate = new(2024, 3, 19) }).Times(1),  // 1402
            .. (result with { ExamDate = new(2024, 3, 20) }).Times(4),  // 1403 starts on 2024-03-20
            .. (result with { ExamDate = new(2025, 3, 20) }).Times(3),  // still 1403
            .. (result with { ExamDate = new(2025, 3, 21) }).Times(5),  // 1404 starts on 2025-03-21
            .. (result with { ExamDate = new(2025, 4, 2) }).Times(2),
        ]);
        var admin = await app.AdminClientAsync();
        const string window = "&sector=oil-gas&province=IR-06&from=2024-01-01&to=2025-12-31";

        var years = RowsBy(await (await admin.GetAsync("/api/v1/statistics/certificates?groupBy=solar-year" + window)).ReadJsonAsync());
        Assert.Equal(new Dictionary<string, int> { ["1402"] = 1, ["1403"] = 7, ["1404"] = 7 },
            years.ToDictionary(r => r.Key, r => r.Value.GetProperty("certificates").GetInt32()));
        Assert.Equal("۱۴۰۴", years["1404"].GetProperty("groups")[0].GetProperty("nameFa").GetString());

        var months = RowsBy(await (await admin.GetAsync("/api/v1/statistics/assessments?groupBy=month" + window)).ReadJsonAsync());
        Assert.Equal(new Dictionary<string, int> { ["2024-03"] = 5, ["2025-03"] = 8, ["2025-04"] = 2 },
            months.ToDictionary(r => r.Key, r => r.Value.GetProperty("recorded").GetInt32()));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Grouping_by_target_group_counts_a_person_in_each_of_their_groups(TestDatabase db)
    {
        var app = await fixture.For(db);
        var (standardId, _) = await app.InsertStatsStandardAsync("home-based");
        var centerId = await app.InsertCenterAsync(province: "IR-26");
        var date = new DateOnly(2043, 7, 7);
        await app.InsertResultsAsync([
            new SeedResult(centerId, standardId, date, TargetGroups: ["female-heads-of-household", "rural-job-seekers"], Gender: "female"),
            new SeedResult(centerId, standardId, date, TargetGroups: ["rural-job-seekers"], Gender: "male"),
            new SeedResult(centerId, standardId, date, TargetGroups: [], Gender: "male"),
        ]);
        var admin = await app.AdminClientAsync();
        const string window = "&province=IR-26&from=2043-01-01&to=2043-12-31";

        var groups = RowsBy(await (await admin.GetAsync("/api/v1/statistics/assessments?groupBy=target-group" + window)).ReadJsonAsync());
        Assert.Equal(1, groups["female-heads-of-household"].GetProperty("recorded").GetInt32());
        Assert.Equal(2, groups["rural-job-seekers"].GetProperty("recorded").GetInt32());
        Assert.Equal(1, groups[""].GetProperty("recorded").GetInt32()); // no target group

        var genders = RowsBy(await (await admin.GetAsync("/api/v1/statistics/assessments?groupBy=gender" + window)).ReadJsonAsync());
        Assert.Equal(1, genders["female"].GetProperty("recorded").GetInt32());
        Assert.Equal(2, genders["male"].GetProperty("recorded").GetInt32());
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Csv_has_a_BOM_and_Persian_headers_with_lang_fa(TestDatabase db)
    {
        var app = await fixture.For(db);
        await InsertDatasetAsync(app, new DateOnly(2044, 5, 10));
        var admin = await app.AdminClientAsync();

        var response = await admin.GetAsync("/api/v1/statistics/assessments?groupBy=province&from=2044-01-01&to=2044-12-31&format=csv&lang=fa");
        var bytes = await response.Content.ReadAsByteArrayAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(new byte[] { 0xEF, 0xBB, 0xBF }, bytes[..3]);
        var lines = Encoding.UTF8.GetString(bytes[3..]).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("استان,نام استان,آزمون‌های ثبت‌شده,قبول,مردود,نرخ قبولی", lines[0]);
        Assert.Contains("IR-07,تهران,9,7,2,0.7778", lines);

        var english = await admin.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/api/v1/statistics/certificates?groupBy=sector&from=2044-01-01&to=2044-12-31")
        {
            Headers = { { "Accept", "text/csv" } },
        });
        var text = Encoding.UTF8.GetString((await english.Content.ReadAsByteArrayAsync())[3..]);
        Assert.StartsWith("sector,sectorName,certificates\r\n", text);
        Assert.Contains("handicrafts,Handicrafts and traditional arts,7", text);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Unknown_or_too_many_groups_are_field_errors(TestDatabase db)
    {
        var app = await fixture.For(db);
        var admin = await app.AdminClientAsync();

        var none = await (await admin.GetAsync("/api/v1/statistics/certificates")).AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.NotEmpty(none.FieldErrors("groupBy"));
        var three = await (await admin.GetAsync("/api/v1/statistics/certificates?groupBy=province,sector,month")).AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.NotEmpty(three.FieldErrors("groupBy"));
        var injected = await (await admin.GetAsync("/api/v1/statistics/assessments?groupBy=province;DROP TABLE assessments")).AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.NotEmpty(injected.FieldErrors("groupBy"));
        var dates = await (await admin.GetAsync("/api/v1/statistics/assessments?groupBy=month&from=2025-13-01")).AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.NotEmpty(dates.FieldErrors("from"));
    }

    private static (int Recorded, int Passed, int Failed) Counts(JsonElement row) =>
        (row.GetProperty("recorded").GetInt32(), row.GetProperty("passed").GetInt32(), row.GetProperty("failed").GetInt32());
}
