using SkillsRegistry.Api.Infrastructure.OpenApi;
namespace SkillsRegistry.Api.Features.Statistics;

/// <summary>What a statistics row counts.</summary>
public enum StatisticsMeasure { Certificates, Assessments }

/// <summary>The dimensions a report can be grouped by (one or two). Kebab-case in the API: target-group, solar-year.</summary>
public enum StatisticsGroup { Province, Center, Standard, Sector, TargetGroup, Gender, Month, SolarYear }

/// <summary>Whose rows a center key sees: its own center (default), or its province's totals over all centers.</summary>
public enum StatisticsScope { Own, Province }

/// <summary>The validated question behind one statistics request.</summary>
public sealed record StatisticsQuery(
    StatisticsMeasure Measure,
    IReadOnlyList<StatisticsGroup> GroupBy,
    DateOnly? From,
    DateOnly? To,
    string? Sector,
    string? Province,
    string? CenterKind);

/// <summary>Which rows a caller may count, decided from the key before the query runs.</summary>
public sealed record StatisticsVisibility(Guid? CenterId, Guid? ProvinceOfCenterId, Guid? PartnerId, bool SuppressSmallCells)
{
    public static readonly StatisticsVisibility Everything = new(null, null, null, false);
    public static readonly StatisticsVisibility Public = new(null, null, null, true);
}

/// <summary>One grouped count as the database returns it (exact, before suppression).</summary>
public sealed record StatisticsCell(StatisticsGroupValue[] Groups, int Count, int Passed);

/// <summary>The value of one grouping dimension in a row, with its names in both languages when it has them.</summary>
public sealed record StatisticsGroupValue(StatisticsGroup By, string? Value, string? NameEn, string? NameFa);

/// <summary>Certificates issued (originals only: a correction does not count again).</summary>
public sealed record CertificateStatisticsRow(IReadOnlyList<StatisticsGroupValue> Groups, int? Certificates, bool Suppressed);

/// <summary>Assessments recorded (voided ones excluded), passed, failed and the pass rate (0–1).</summary>
public sealed record AssessmentStatisticsRow(IReadOnlyList<StatisticsGroupValue> Groups, int? Recorded, int? Passed, int? Failed, decimal? PassRate,
    bool Suppressed);

public sealed record StatisticsFilters(DateOnly? From, DateOnly? To, string? Sector, string? Province, [property: OneOf(typeof(Centers.CenterKind))] string? CenterKind);

public sealed record CertificateStatistics(
    IReadOnlyList<StatisticsGroup> GroupBy, StatisticsFilters Filters, StatisticsScope Scope, int? SuppressedBelow,
    IReadOnlyList<CertificateStatisticsRow> Rows);

public sealed record AssessmentStatistics(
    IReadOnlyList<StatisticsGroup> GroupBy, StatisticsFilters Filters, StatisticsScope Scope, int? SuppressedBelow,
    IReadOnlyList<AssessmentStatisticsRow> Rows);

/// <summary>
/// Small-cell suppression: a count below <see cref="Threshold"/> is withheld (null, "&lt;5" on the page and in CSV).
/// Passed and failed are withheld together (each would reveal the other from the total), and so is the pass rate.
/// </summary>
public static class SmallCells
{
    public const int Threshold = 5;

    public static bool IsSmall(int count) => count < Threshold;

    public static CertificateStatisticsRow Certificates(StatisticsCell cell, bool suppress) =>
        suppress && IsSmall(cell.Count)
            ? new CertificateStatisticsRow(cell.Groups, null, true)
            : new CertificateStatisticsRow(cell.Groups, cell.Count, false);

    public static AssessmentStatisticsRow Assessments(StatisticsCell cell, bool suppress)
    {
        var failed = cell.Count - cell.Passed;
        var rate = cell.Count == 0 ? 0m : Math.Round((decimal)cell.Passed / cell.Count, 4);
        if (!suppress) return new AssessmentStatisticsRow(cell.Groups, cell.Count, cell.Passed, failed, rate, false);
        var recorded = IsSmall(cell.Count) ? (int?)null : cell.Count;
        var split = recorded is null || IsSmall(cell.Passed) || IsSmall(failed);
        return new AssessmentStatisticsRow(cell.Groups, recorded, split ? null : cell.Passed, split ? null : failed, split ? null : rate, split);
    }
}
