using System.Net;
using System.Text.RegularExpressions;
using SkillsRegistry.Tests.Support;

namespace SkillsRegistry.Tests.Statistics;

/// <summary>The public /stats page over its own database: small cells withheld, right to left, inline SVG, nothing fetched.</summary>
public sealed class OpenDataPageTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    [Theory, OnSqlite, OnPostgres]
    public async Task The_page_withholds_a_cell_of_3_shows_a_cell_of_10_and_loads_nothing_from_elsewhere(TestDatabase db)
    {
        var app = await fixture.For(db);
        var (standardId, _) = await app.InsertStatsStandardAsync("cinema");
        var tehran = await app.InsertCenterAsync(province: "IR-07");
        var fars = await app.InsertCenterAsync(province: "IR-14");
        var date = new DateOnly(2025, 6, 1);
        await app.InsertResultsAsync([
            .. new SeedResult(tehran, standardId, date, Certificate: true).Times(10),
            .. new SeedResult(fars, standardId, date, Certificate: true).Times(3),
        ]);

        var response = await app.CreateClient().GetAsync("/stats"); // no key
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("max-age=300", response.Headers.CacheControl?.ToString());
        Assert.Contains("default-src 'none'", string.Join(";", response.Headers.GetValues("Content-Security-Policy")));
        Assert.Contains("dir=\"rtl\"", html);
        Assert.Contains("<svg", html);
        Assert.DoesNotMatch(new Regex("(src|href)\\s*=\\s*\"?(https?:)?//", RegexOptions.IgnoreCase), html);
        Assert.DoesNotContain("http://", html);
        Assert.DoesNotContain("https://", html);
        Assert.DoesNotContain("<script", html);

        var provinces = Section(html, "by-province");
        Assert.Contains("تهران", provinces);
        Assert.Equal("۱۰", Cell(provinces, "IR-07")); // a multiple of 5 is published as it is
        Assert.Equal("&lt;5", Cell(provinces, "IR-14"));
        // The withheld cell is not drawn: one bar (Tehran) in the province chart.
        Assert.Single(Regex.Matches(provinces, "<rect "));
    }

    internal static string Section(string html, string id) =>
        Regex.Match(html, $"<section id=\"{id}\">(.*?)</section>", RegexOptions.Singleline).Groups[1].Value;

    internal static string Cell(string section, string key) =>
        Regex.Match(section, $"<tr data-key=\"{key}\">.*?<td class=\"n\">(.*?)</td>", RegexOptions.Singleline).Groups[1].Value;
}

/// <summary>Its own class (own database and app), so its cached page cannot hide another test's data.</summary>
public sealed class OpenDataPageCacheTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    [Theory, OnSqlite, OnPostgres]
    public async Task The_page_is_served_from_memory_for_five_minutes(TestDatabase db)
    {
        var app = await fixture.For(db);
        var client = app.CreateClient();
        var first = await client.GetStringAsync("/stats");

        var (standardId, _) = await app.InsertStatsStandardAsync("ai");
        var center = await app.InsertCenterAsync(province: "IR-32");
        await app.InsertResultsAsync(new SeedResult(center, standardId, new DateOnly(2025, 7, 1), Certificate: true).Times(9));

        Assert.Equal(first, await client.GetStringAsync("/stats"));
    }
}
