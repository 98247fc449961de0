using System.Globalization;
using SkillsRegistry.Api.Infrastructure.Text;

namespace SkillsRegistry.Api.Features.Statistics;

/// <summary>One bar: a label in both languages and a value, or null when the cell is withheld (shown "&lt;5", not drawn).</summary>
public sealed record ChartBar(string Key, string LabelFa, string LabelEn, int? Value, string Display);

/// <summary>One line of a line chart: a value (or null when withheld) per point of <see cref="OpenDataModel.SectorYears"/>.</summary>
public sealed record ChartSeries(string Key, string LabelFa, string LabelEn, IReadOnlyList<int?> Values);

public sealed record ChartLines(IReadOnlyList<string> Points, IReadOnlyList<string> PointLabelsFa, IReadOnlyList<ChartSeries> Series);

/// <summary>One line of the practitioner table: a standard code in a province, its published qualified and current figures.</summary>
public sealed record PractitionerLine(string StandardCode, string StandardFa, string ProvinceKey, string ProvinceFa, string ProvinceEn,
    string Qualified, string Current);

/// <summary>Everything the open-data page shows, already suppressed. Composed before rendering; the page only lays it out.</summary>
public sealed record OpenDataModel(
    string GeneratedFa, string GeneratedEn,
    IReadOnlyList<ChartBar> CertificatesByProvince,
    ChartLines CertificatesBySectorAndYear,
    IReadOnlyList<ChartBar> PassRateBySector,
    IReadOnlyList<ChartBar> CertificatesByTargetGroup,
    IReadOnlyList<ChartBar> PractitionersByProvince,
    IReadOnlyList<PractitionerLine> PractitionersByStandard,
    ChartLines RefresherHoursBySectorAndYear)
{
    public const string Withheld = "<5";

    /// <summary>Turns exact database cells into the page's published figures (<see cref="DisclosureControl"/>: under 5 withheld, the rest rounded to 5).</summary>
    public static OpenDataModel Compose(DateOnly today, IReadOnlyList<StatisticsCell> byProvince, IReadOnlyList<StatisticsCell> bySectorAndYear,
        IReadOnlyList<StatisticsCell> assessmentsBySector, IReadOnlyList<StatisticsCell> byTargetGroup, PractitionerFigures practitioners) =>
        new(GroupNames.PersianDigits(RegistryCalendar.SolarHijri(today)), today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            CountBars(byProvince),
            Lines(bySectorAndYear.Select(c => (c.Groups[0], c.Groups[1], DisclosureControl.Publish(c.Count, c.CountKey)))),
            PassRates(assessmentsBySector),
            CountBars(byTargetGroup),
            CountBars(practitioners.ByProvince),
            practitioners.ByStandardAndProvince.Select(c => (Cell: c, Row: PractitionerCounts.Publish(c, protect: true)))
                .Select(x => new PractitionerLine(x.Cell.Groups[0].Value ?? "", x.Cell.Groups[0].NameFa ?? "", x.Cell.Groups[1].Value ?? "",
                    x.Cell.Groups[1].NameFa ?? "", x.Cell.Groups[1].NameEn ?? "", Shown(x.Row.Qualified), Shown(x.Row.Current)))
                .ToList(),
            Lines(practitioners.RefresherHours.Select(c => (c.Groups[0], c.Groups[1], (int?)c.Publish(protect: true).Hours))));

    private static string Shown(int? value) => value is { } v ? Digits(v) : Withheld;

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

    /// <summary>Series by the first group, points (years) by the second; a point a series has no cell for is 0.</summary>
    private static ChartLines Lines(IEnumerable<(StatisticsGroupValue Series, StatisticsGroupValue Point, int? Value)> published)
    {
        var cells = published.ToList();
        var points = cells.Select(c => c.Point.Value ?? "").Distinct().Order(StringComparer.Ordinal).ToList();
        var series = cells.GroupBy(c => c.Series.Value ?? "")
            .Select(g =>
            {
                var first = g.First().Series;
                var values = points.Select(p => g.Where(c => c.Point.Value == p).Select(c => c.Value).DefaultIfEmpty(0).First()).ToList();
                return new ChartSeries(g.Key, first.NameFa ?? g.Key, first.NameEn ?? g.Key, values);
            })
            .OrderByDescending(s => s.Values.Sum(v => v ?? 0)).ThenBy(s => s.Key, StringComparer.Ordinal)
            .ToList();
        return new ChartLines(points, points.Select(GroupNames.PersianDigits).ToList(), series);
    }

    public static string Digits(int value) => GroupNames.PersianDigits(value.ToString("N0", CultureInfo.InvariantCulture)).Replace(',', '٬');
}

/// <summary>The practitioner figures the page shows, exact (the model publishes them): assessors and instructors on the day.</summary>
public sealed record PractitionerFigures(
    IReadOnlyList<StatisticsCell> ByProvince, IReadOnlyList<StatisticsCell> ByStandardAndProvince, IReadOnlyList<RefresherHoursCell> RefresherHours);
