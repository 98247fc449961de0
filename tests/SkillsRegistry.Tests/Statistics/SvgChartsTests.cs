using System.Text.RegularExpressions;
using SkillsRegistry.Api.Features.Statistics;

namespace SkillsRegistry.Tests.Statistics;

public sealed class SvgChartsTests
{
    private static ChartSeries Series(string key, params int?[] values) => new(key, key, key, values);

    [Fact]
    public void A_chart_with_a_single_year_is_drawn_as_bars()
    {
        var lines = new ChartLines(["1404"], ["۱۴۰۴"], [Series("cinema", 40), Series("handicrafts", 15), Series("mining", [null])]);

        var svg = SvgCharts.Lines(lines, "One year");

        Assert.Equal(2, Regex.Matches(svg, "<rect ").Count);         // one bar per published value
        Assert.Single(Regex.Matches(svg, "class=\"withheld\""));     // the withheld one only marked
        Assert.DoesNotContain("<path", svg);
        var heights = Regex.Matches(svg, "<rect [^>]*height=\"([0-9.]+)\"").Select(m => double.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.True(heights[0] > heights[1] * 2); // 40 against 15
    }

    [Fact]
    public void A_chart_with_several_years_is_drawn_as_lines()
    {
        var lines = new ChartLines(["1403", "1404"], ["۱۴۰۳", "۱۴۰۴"], [Series("cinema", 10, 40)]);

        var svg = SvgCharts.Lines(lines, "Two years");

        Assert.Contains("<path", svg);
        Assert.DoesNotContain("<rect ", svg);
    }
}
