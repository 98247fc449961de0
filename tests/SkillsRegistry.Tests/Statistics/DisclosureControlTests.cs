using System.Text.Json;
using SkillsRegistry.Api.Features.Statistics;
using SkillsRegistry.Api.Infrastructure.Auth;
using SkillsRegistry.Tests.Support;

namespace SkillsRegistry.Tests.Statistics;

public sealed class DisclosureRoundingTests
{
    [Fact]
    public void Counts_under_5_are_withheld_multiples_of_5_are_exact_and_the_rest_go_to_a_neighbouring_multiple_of_5()
    {
        for (var n = 1; n < 5; n++) Assert.Null(DisclosureControl.Publish(n, 12345));
        var ups = 0;
        var downs = 0;
        for (var n = 5; n < 400; n++)
        {
            for (long key = 0; key < 50; key++)
            {
                var published = DisclosureControl.Publish(n, key * 97)!.Value;
                Assert.Equal(0, published % 5);
                Assert.InRange(published, n - 4, n + 4);
                if (n % 5 == 0) Assert.Equal(n, published);
                Assert.Equal(published, DisclosureControl.Publish(n, key * 97)); // the same records always publish the same figure
                if (published > n) ups++;
                if (published < n) downs++;
            }
        }
        Assert.True(ups > 1000 && downs > 1000, $"rounding went up {ups} and down {downs} times");
    }

    [Fact]
    public void Hours_of_fewer_than_5_practitioners_are_withheld_however_many_and_the_rest_are_whole_and_rounded_like_a_count()
    {
        Assert.Null(DisclosureControl.PublishSum(480m, 12345, contributors: 4));
        Assert.Equal(480, DisclosureControl.PublishSum(479.5m, 12345, contributors: 5));
        Assert.Equal(DisclosureControl.Publish(483, 12345), DisclosureControl.PublishSum(482.5m, 12345, contributors: 12));
        Assert.Contains(DisclosureControl.PublishSum(482.5m, 12345, contributors: 12), new int?[] { 480, 485 });
    }
}

/// <summary>
/// The subtraction attacks of issue 12 against what a partner and a province see: a hidden count (under 5) must not be
/// recoverable exactly from a total and its other parts. The attacker is told (roundedToBase) how figures were published.
/// </summary>
public sealed class DisclosureControlTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    private const string Window = "&from=2047-01-01&to=2047-12-31";

    /// <summary>The true values a published row is consistent with, as an attacker reading the response would see them.</summary>
    private static (int Low, int High) Possible(JsonElement report, JsonElement? row, string field)
    {
        if (row is null) return (0, 0); // no row: nobody
        var value = row.Value.GetProperty(field);
        var threshold = report.GetProperty("suppressedBelow") is { ValueKind: JsonValueKind.Number } t ? t.GetInt32() : 0;
        if (value.ValueKind == JsonValueKind.Null) return (1, threshold - 1);
        var published = value.GetInt32();
        var spread = report.TryGetProperty("roundedToBase", out var b) && b.ValueKind == JsonValueKind.Number ? b.GetInt32() - 1 : 0;
        return (Math.Max(published - spread, threshold), published + spread);
    }

    private static JsonElement? Row(JsonElement report, params string?[] groups) =>
        report.GetProperty("rows").EnumerateArray()
            .Where(r => r.GetProperty("groups").EnumerateArray().Select(g => g.GetProperty("value").GetString()).SequenceEqual(groups))
            .Cast<JsonElement?>().FirstOrDefault();

    /// <summary>Every value of the hidden part consistent with total = hidden + other; the attack succeeds when only one remains.</summary>
    private static int[] HiddenCandidates((int Low, int High) total, (int Low, int High) other, (int Low, int High) hidden) =>
        Enumerable.Range(hidden.Low, hidden.High - hidden.Low + 1)
            .Where(h => Enumerable.Range(other.Low, other.High - other.Low + 1).Any(o => h + o >= total.Low && h + o <= total.High))
            .ToArray();

    private static async Task<JsonElement> GetAsync(HttpClient client, string query) =>
        await (await client.GetAsync("/api/v1/statistics/" + query + Window)).ReadJsonAsync();

    [Theory, OnSqlite, OnPostgres]
    public async Task Totals_minus_parts_do_not_reveal_a_withheld_count_to_a_partner_a_province_or_the_public(TestDatabase db)
    {
        var app = await fixture.For(db);
        var cinema = (await app.InsertStatsStandardAsync("cinema")).Id;
        var tehran = await app.InsertCenterAsync(province: "IR-07");
        var isfahan = await app.InsertCenterAsync(province: "IR-04");
        var date = new DateOnly(2047, 6, 1);
        string[] rural = ["rural-job-seekers"];
        // Cinema: 3 women (all in Tehran) and 22 men (5 in Tehran, 17 in Isfahan), everyone a rural job seeker: the issue's figures.
        await app.InsertResultsAsync([
            .. new SeedResult(tehran, cinema, date, Certificate: true, Gender: "female", TargetGroups: rural).Times(3),
            .. new SeedResult(tehran, cinema, date, Certificate: true, Gender: "male", TargetGroups: rural).Times(5),
            .. new SeedResult(isfahan, cinema, date, Certificate: true, Gender: "male", TargetGroups: rural).Times(17),
        ]);
        var partner = app.ClientWithKey(await app.CreateKeyAsync(ApiKeyRole.Partner,
            partnerId: await app.InsertPartnerAsync(sector: "cinema", signedOn: new DateOnly(2024, 1, 1))));

        // 1. Sector total minus men (female withheld).
        var byGender = await GetAsync(partner, "certificates?groupBy=gender&sector=cinema");
        var bySector = await GetAsync(partner, "certificates?groupBy=sector");
        Assert.True(Row(byGender, "female")!.Value.GetProperty("suppressed").GetBoolean());
        var women = HiddenCandidates(Possible(bySector, Row(bySector, "cinema"), "certificates"),
            Possible(byGender, Row(byGender, "male"), "certificates"), Possible(byGender, Row(byGender, "female"), "certificates"));
        Assert.True(women.Length > 1, $"cinema women recovered exactly: {string.Join(",", women)}");

        // 2. Province total minus the province's men.
        var byProvince = await GetAsync(partner, "certificates?groupBy=province");
        var byProvinceGender = await GetAsync(partner, "certificates?groupBy=province,gender");
        var tehranWomen = HiddenCandidates(Possible(byProvince, Row(byProvince, "IR-07"), "certificates"),
            Possible(byProvinceGender, Row(byProvinceGender, "IR-07", "male"), "certificates"),
            Possible(byProvinceGender, Row(byProvinceGender, "IR-07", "female"), "certificates"));
        Assert.True(tehranWomen.Length > 1, $"IR-07 women recovered exactly: {string.Join(",", tehranWomen)}");

        // 3. A third grouping: target group total minus its men.
        var byTarget = await GetAsync(partner, "certificates?groupBy=target-group");
        var byTargetGender = await GetAsync(partner, "certificates?groupBy=target-group,gender");
        var ruralWomen = HiddenCandidates(Possible(byTarget, Row(byTarget, "rural-job-seekers"), "certificates"),
            Possible(byTargetGender, Row(byTargetGender, "rural-job-seekers", "male"), "certificates"),
            Possible(byTargetGender, Row(byTargetGender, "rural-job-seekers", "female"), "certificates"));
        Assert.True(ruralWomen.Length > 1, $"rural women recovered exactly: {string.Join(",", ruralWomen)}");

        // 4. The same attack on a Tehran center's province view: the province's total minus its men.
        var center = app.ClientWithKey(await app.CreateKeyAsync(ApiKeyRole.Center, centerId: tehran));
        var provinceTotal = await GetAsync(center, "certificates?groupBy=sector&scope=province");
        var provinceGender = await GetAsync(center, "certificates?groupBy=gender&scope=province");
        var provinceWomen = HiddenCandidates(Possible(provinceTotal, Row(provinceTotal, "cinema"), "certificates"),
            Possible(provinceGender, Row(provinceGender, "male"), "certificates"), Possible(provinceGender, Row(provinceGender, "female"), "certificates"));
        Assert.True(provinceWomen.Length > 1, $"province women recovered exactly: {string.Join(",", provinceWomen)}");

        // 5. The public page rounds too: Tehran's 8 is shown as a multiple of 5.
        var html = await app.CreateClient().GetStringAsync("/stats");
        var tehranCell = System.Text.RegularExpressions.Regex.Match(html,
            "<tr data-key=\"IR-07\">.*?<td class=\"n\">(.*?)</td>", System.Text.RegularExpressions.RegexOptions.Singleline).Groups[1].Value;
        Assert.Contains(tehranCell, new[] { "۵", "۱۰" });

        // Admin still sees exact figures.
        var admin = await app.AdminClientAsync();
        var exact = await GetAsync(admin, "certificates?groupBy=gender&sector=cinema");
        Assert.Equal(3, Row(exact, "female")!.Value.GetProperty("certificates").GetInt32());
        Assert.Equal(22, Row(exact, "male")!.Value.GetProperty("certificates").GetInt32());
        Assert.Equal(JsonValueKind.Null, exact.GetProperty("roundedToBase").ValueKind);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task A_records_key_is_the_last_byte_of_its_id_on_both_databases(TestDatabase db)
    {
        var app = await fixture.For(db);
        foreach (var id in new[] { Guid.Parse("0196a5f0-7c4e-7d2a-9b1e-2f3c4d5e6fa7"), Guid.Parse("0196A5F0-7C4E-7D2A-9B1E-2F3C4D5E6F00"), Guid.CreateVersion7() })
        {
            var key = await app.Db.ReadAsync(s => s.ExecuteScalarAsync<long>(
                $"SELECT {s.Dialect.RandomByteOf("x.id")} FROM (SELECT @id AS id) x", new { id }));
            Assert.Equal(Convert.ToInt64(id.ToString()[^2..], 16), key);
        }
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task A_pass_rate_is_computed_from_the_published_figures_and_withheld_with_a_small_part(TestDatabase db)
    {
        var app = await fixture.For(db);
        var (crafts, craftsCode) = await app.InsertStatsStandardAsync("handicrafts");
        var (weaving, weavingCode) = await app.InsertStatsStandardAsync("handicrafts");
        var center = await app.InsertCenterAsync(province: "IR-10");
        var date = new DateOnly(2047, 7, 1);
        await app.InsertResultsAsync([
            .. new SeedResult(center, crafts, date, Passed: true).Times(24),
            .. new SeedResult(center, crafts, date, Passed: false, Theory: 10).Times(3),
            .. new SeedResult(center, weaving, date, Passed: true).Times(22),
            .. new SeedResult(center, weaving, date, Passed: false, Theory: 10).Times(7),
        ]);
        var partner = app.ClientWithKey(await app.CreateKeyAsync(ApiKeyRole.Partner,
            partnerId: await app.InsertPartnerAsync(sector: "handicrafts", signedOn: new DateOnly(2024, 1, 1))));

        var report = await GetAsync(partner, "assessments?groupBy=standard");

        var withheld = Row(report, craftsCode)!.Value; // 3 failed: passed, failed and the rate would tell it
        Assert.True(withheld.GetProperty("suppressed").GetBoolean());
        Assert.Equal(JsonValueKind.Null, withheld.GetProperty("passRate").ValueKind);
        Assert.Equal(JsonValueKind.Null, withheld.GetProperty("failed").ValueKind);
        var shown = Row(report, weavingCode)!.Value;
        var passed = shown.GetProperty("passed").GetInt32();
        var failed = shown.GetProperty("failed").GetInt32();
        Assert.Equal(0, passed % 5);
        Assert.Equal(0, failed % 5);
        Assert.Equal(Math.Round((decimal)passed / (passed + failed), 4), shown.GetProperty("passRate").GetDecimal());
    }
}
