using System.Text.RegularExpressions;
using SkillsRegistry.Api.Features.Statistics;
using SkillsRegistry.Api.Infrastructure.Text;
using static SkillsRegistry.Tests.Statistics.OpenDataPageTests;
using SkillsRegistry.Tests.Support;

namespace SkillsRegistry.Tests.Statistics;

/// <summary>The practitioner sections of /stats, over their own database (the page is cached: one class, one page).</summary>
public sealed class OpenDataPagePractitionerTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    [Theory, OnSqlite, OnPostgres]
    public async Task The_page_shows_practitioners_by_province_and_one_years_refresher_hours_as_bars_with_small_cells_withheld(TestDatabase db)
    {
        var app = await fixture.For(db);
        var (_, camera) = await app.InsertStatsStandardAsync("cinema");
        var tehran = await app.InsertCenterAsync(province: "IR-07");
        var fars = await app.InsertCenterAsync(province: "IR-14");
        var today = app.Today;
        for (var i = 0; i < 10; i++) await app.InsertPractitionerAsync(tehran, null, [new(camera, today.AddYears(-1))], (today, 4));
        for (var i = 0; i < 2; i++) await app.InsertPractitionerAsync(fars, null, [new(camera, today.AddYears(-1))]);

        var html = await app.CreateClient().GetStringAsync("/stats");

        var practitioners = Section(html, "practitioners");
        Assert.Equal("۱۰", Cell(practitioners, "IR-07"));
        Assert.Equal("&lt;5", Cell(practitioners, "IR-14"));
        Assert.Single(Regex.Matches(practitioners, "<rect ")); // the withheld province is not drawn
        Assert.Contains(GroupNames.PersianDigits(RegistryCalendar.SolarHijri(today)), practitioners); // the day in both calendars
        Assert.Contains(today.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), practitioners);

        var hours = Section(html, "refresher-hours");
        Assert.Single(Regex.Matches(hours, "<rect "));   // one year, one sector: a bar, not a lone dot
        Assert.DoesNotContain("<path", hours);
        Assert.Equal("۴۰", Cell(hours, "cinema"));       // 10 practitioners x 4 hours
    }
}
