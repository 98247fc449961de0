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

/// <summary>
/// One grouped count as the database returns it (exact, before disclosure control), with the sums of its records' keys
/// (a random byte of each record's id) over all records and over the passed ones.
/// </summary>
public sealed record StatisticsCell(StatisticsGroupValue[] Groups, int Count, int Passed, long CountKey = 0, long PassedKey = 0);

/// <summary>The value of one grouping dimension in a row, with its names in both languages when it has them.</summary>
public sealed record StatisticsGroupValue(StatisticsGroup By, string? Value, string? NameEn, string? NameFa);

/// <summary>Certificates issued (originals only: a correction does not count again).</summary>
public sealed record CertificateStatisticsRow(IReadOnlyList<StatisticsGroupValue> Groups, int? Certificates, bool Suppressed);

/// <summary>Assessments recorded (voided ones excluded), passed, failed and the pass rate (0–1).</summary>
public sealed record AssessmentStatisticsRow(IReadOnlyList<StatisticsGroupValue> Groups, int? Recorded, int? Passed, int? Failed, decimal? PassRate,
    bool Suppressed);

public sealed record StatisticsFilters(DateOnly? From, DateOnly? To, string? Sector, string? Province, [property: OneOf(typeof(Centers.CenterKind))] string? CenterKind);

/// <summary><c>suppressedBelow</c> and <c>roundedToBase</c> are null when the figures are exact (admin, a center's own rows).</summary>
public sealed record CertificateStatistics(
    IReadOnlyList<StatisticsGroup> GroupBy, StatisticsFilters Filters, StatisticsScope Scope, int? SuppressedBelow, int? RoundedToBase,
    IReadOnlyList<CertificateStatisticsRow> Rows);

public sealed record AssessmentStatistics(
    IReadOnlyList<StatisticsGroup> GroupBy, StatisticsFilters Filters, StatisticsScope Scope, int? SuppressedBelow, int? RoundedToBase,
    IReadOnlyList<AssessmentStatisticsRow> Rows);

/// <summary>
/// Disclosure control for every figure a partner, a province or the public sees: counts of 1–4 are withheld ("&lt;5"),
/// and every other count is randomly rounded to a multiple of 5 — up with probability (n mod 5)/5, so unbiased — where the
/// "random" choice is fixed by the records in the cell (the sum of their keys, as in the cell-key method of the ABS and
/// the ONS). Each figure, totals included, is rounded on its own, so a total minus its parts is only known to within ±8:
/// a withheld cell can no longer be recovered by subtraction. The same records always publish the same figure however the
/// question is phrased, so repeating a query or rephrasing its filters cannot average the rounding away.
/// Passed and failed are rounded separately and withheld together when either is under 5; the pass rate is computed
/// from the published (rounded) figures, never from the exact ones.
/// </summary>
public static class DisclosureControl
{
    public const int Threshold = 5;
    public const int Base = 5;

    public static bool IsSmall(int count) => count < Threshold;

    /// <summary>The published figure for an exact <paramref name="count"/> of records whose keys sum to <paramref name="key"/>; null = "&lt;5".</summary>
    public static int? Publish(int count, long key)
    {
        if (IsSmall(count)) return null;
        var remainder = count % Base;
        if (remainder == 0) return count;
        var down = count - remainder;
        return Draw(key, count) < remainder ? down + Base : down;
    }

    /// <summary>
    /// A sum over records (e.g. hours) of <paramref name="contributors"/> people: withheld with their count when they are
    /// fewer than the threshold, otherwise rounded to whole units and published like a count of them.
    /// </summary>
    public static int? PublishSum(decimal sum, long key, int contributors) =>
        IsSmall(contributors) ? null : Publish((int)Math.Round(sum, MidpointRounding.AwayFromZero), key);

    /// <summary>A number 0–4 fixed by the cell's records (SplitMix64 of their key sum and count).</summary>
    private static int Draw(long key, int count)
    {
        var z = unchecked((ulong)key * 0x9E3779B97F4A7C15UL + (ulong)count);
        z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
        z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
        z ^= z >> 31;
        return (int)(z % Base);
    }

    public static CertificateStatisticsRow Certificates(StatisticsCell cell, bool protect)
    {
        if (!protect) return new CertificateStatisticsRow(cell.Groups, cell.Count, false);
        var published = Publish(cell.Count, cell.CountKey);
        return new CertificateStatisticsRow(cell.Groups, published, published is null);
    }

    public static AssessmentStatisticsRow Assessments(StatisticsCell cell, bool protect)
    {
        var failed = cell.Count - cell.Passed;
        if (!protect)
        {
            var rate = cell.Count == 0 ? 0m : Math.Round((decimal)cell.Passed / cell.Count, 4);
            return new AssessmentStatisticsRow(cell.Groups, cell.Count, cell.Passed, failed, rate, false);
        }
        var recorded = Publish(cell.Count, cell.CountKey);
        var passed = Publish(cell.Passed, cell.PassedKey);
        var failedShown = Publish(failed, cell.CountKey - cell.PassedKey);
        if (recorded is null || passed is null || failedShown is null)
            return new AssessmentStatisticsRow(cell.Groups, recorded, null, null, null, true);
        var publishedRate = Math.Round((decimal)passed.Value / (passed.Value + failedShown.Value), 4);
        return new AssessmentStatisticsRow(cell.Groups, recorded, passed, failedShown, publishedRate, false);
    }
}
