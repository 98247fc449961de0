using System.Globalization;
using SkillsRegistry.Api.Infrastructure.Text;

namespace SkillsRegistry.Api.Features.Statistics;

/// <summary>One bar: a label in both languages and a value, or null when the cell is withheld (shown "&lt;5", not drawn).</summary>
public sealed record ChartBar(string Key, string LabelFa, string LabelEn, int? Value, string Display);

/// <summary>One line of a line chart: a value (or null when withheld) per point of <see cref="OpenDataModel.SectorYears"/>.</summary>
public sealed record ChartSeries(string Key, string LabelFa, string LabelEn, IReadOnlyList<int?> Values);

public sealed record ChartLines(IReadOnlyList<string> Points, IReadOnlyList<string> PointLabelsFa, IReadOnlyList<ChartSeries> Series);

/// <summary>Everything the open-data page shows, already suppressed. Composed before rendering; the page only lays it out.</summary>
public sealed record OpenDataModel(
    string GeneratedFa, string GeneratedEn,
    IReadOnlyList<ChartBar> CertificatesByProvince,
    ChartLines CertificatesBySectorAndYear,
    IReadOnlyList<ChartBar> PassRateBySector,
    IReadOnlyList<ChartBar> CertificatesByTargetGroup)
{
    public const string Withheld = "<5";

    /// <summary>Turns exact database cells into the page's published figures (<see cref="DisclosureControl"/>: under 5 withheld, the rest rounded to 5).</summary>
    public static OpenDataModel Compose(DateOnly today, IReadOnlyList<StatisticsCell> byProvince, IReadOnlyList<StatisticsCell> bySectorAndYear,
        IReadOnlyList<StatisticsCell> assessmentsBySector, IReadOnlyList<StatisticsCell> byTargetGroup) =>
        new(GroupNames.PersianDigits(RegistryCalendar.SolarHijri(today)), today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            CountBars(byProvince),
            Lines(bySectorAndYear),
            PassRates(assessmentsBySector),
            CountBars(byTargetGroup));

    private static List<ChartBar> CountBars(IReadOnlyList<StatisticsCell> cells) =>
        cells.Select(c => (Cell: c, Value: DisclosureControl.Publish(c.Count, c.CountKey)))
            // Ordered by the published figure: the order must not reveal which of two equal-looking bars is larger.
            .OrderByDescending(x => x.Value ?? 0).ThenBy(x => x.Cell.Groups[0].Value, StringComparer.Ordinal)
            .Select(x => Bar(x.Cell.Groups[0], x.Value, Digits))
            .ToList();

    private static List<ChartBar> PassRates(IReadOnlyList<StatisticsCell> cells) =>
        cells.Select(c => (Cell: c, Row: DisclosureControl.Assessments(c, protect: true)))
            .OrderByDescending(x => x.Row.PassRate ?? -1).ThenBy(x => x.Cell.Groups[0].Value, StringComparer.Ordinal)
            .Select(x => Bar(x.Cell.Groups[0], x.Row.PassRate is { } r ? (int)Math.Round(r * 100, MidpointRounding.AwayFromZero) : null, v => Digits(v) + "٪"))
            .ToList();

    private static ChartBar Bar(StatisticsGroupValue group, int? value, Func<int, string> display) =>
        new(group.Value ?? "", group.NameFa ?? group.Value ?? "", group.NameEn ?? group.Value ?? "", value, value is { } v ? display(v) : Withheld);

    private static ChartLines Lines(IReadOnlyList<StatisticsCell> cells)
    {
        var points = cells.Select(c => c.Groups[1].Value ?? "").Distinct().Order(StringComparer.Ordinal).ToList();
        var series = cells.GroupBy(c => c.Groups[0].Value ?? "")
            .Select(g =>
            {
                var first = g.First().Groups[0];
                var values = points.Select(p => g.FirstOrDefault(c => c.Groups[1].Value == p) is { } cell
                    ? DisclosureControl.Publish(cell.Count, cell.CountKey)
                    : 0).ToList();
                return new ChartSeries(g.Key, first.NameFa ?? g.Key, first.NameEn ?? g.Key, values);
            })
            .OrderByDescending(s => s.Values.Sum(v => v ?? 0)).ThenBy(s => s.Key, StringComparer.Ordinal)
            .ToList();
        return new ChartLines(points, points.Select(GroupNames.PersianDigits).ToList(), series);
    }

    public static string Digits(int value) => GroupNames.PersianDigits(value.ToString("N0", CultureInfo.InvariantCulture)).Replace(',', '٬');
}
