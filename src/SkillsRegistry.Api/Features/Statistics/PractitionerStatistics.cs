using Microsoft.AspNetCore.Mvc;
using SkillsRegistry.Api.Features.Practitioners;
using SkillsRegistry.Api.Infrastructure.OpenApi;

namespace SkillsRegistry.Api.Features.Statistics;

/// <summary>The query string of a practitioner statistics request, as sent.</summary>
public sealed record PractitionerStatisticsRequest(
    [property: FromQuery(Name = "on"), Format("date")] string? On,
    [property: FromQuery(Name = "kind"), OneOf(typeof(QualificationKind))] string? Kind,
    [property: FromQuery(Name = "sector")] string? Sector,
    [property: FromQuery(Name = "province")] string? Province,
    [property: FromQuery(Name = "scope"), OneOf(typeof(StatisticsScope))] string? Scope,
    [property: FromQuery(Name = "format"), OneOf("json", "csv")] string? Format,
    [property: FromQuery(Name = "lang"), OneOf("en", "fa")] string? Lang);

/// <summary>The query string of a refresher-hours statistics request, as sent.</summary>
public sealed record RefresherHoursRequest(
    [property: FromQuery(Name = "from"), Format("date")] string? From,
    [property: FromQuery(Name = "to"), Format("date")] string? To,
    [property: FromQuery(Name = "sector")] string? Sector,
    [property: FromQuery(Name = "province")] string? Province,
    [property: FromQuery(Name = "scope"), OneOf(typeof(StatisticsScope))] string? Scope,
    [property: FromQuery(Name = "format"), OneOf("json", "csv")] string? Format,
    [property: FromQuery(Name = "lang"), OneOf("en", "fa")] string? Lang);

/// <summary>The validated question behind a practitioner statistics request; <c>Kind</c> null: every kind.</summary>
public sealed record PractitionerStatisticsQuery(DateOnly On, QualificationKind? Kind, string? Sector, string? Province);

/// <summary>The validated question behind a refresher-hours request (completion days from / to, included).</summary>
public sealed record RefresherHoursQuery(DateOnly? From, DateOnly? To, string? Sector, string? Province);

/// <summary>
/// One standard code in one province (groups: standard, province): practitioners holding a qualification in force on the
/// day, and those also current (refresher hours met). Protected like assessments: the current and the not-current figures
/// are withheld together when either is under 5.
/// </summary>
public sealed record PractitionerStatisticsRow(IReadOnlyList<StatisticsGroupValue> Groups, int? Qualified, int? Current, bool Suppressed);

/// <summary>Practitioner counts on a day; <c>suppressedBelow</c> and <c>roundedToBase</c> are null when the figures are exact.</summary>
public sealed record PractitionerStatistics(
    DateOnly On, QualificationKind? Kind, string? Sector, string? Province, StatisticsScope Scope, int? SuppressedBelow, int? RoundedToBase,
    IReadOnlyList<PractitionerStatisticsRow> Rows);

/// <summary>
/// Refresher hours completed in one sector and Solar Hijri year (groups: sector, solar-year), and by how many practitioners.
/// Hours are withheld with the practitioner count when fewer than 5 practitioners did them; protected hours are whole and
/// rounded to a multiple of 5.
/// </summary>
public sealed record RefresherHoursRow(IReadOnlyList<StatisticsGroupValue> Groups, int? Practitioners, decimal? Hours, bool Suppressed);

public sealed record RefresherHoursStatistics(
    DateOnly? From, DateOnly? To, string? Sector, string? Province, StatisticsScope Scope, int? SuppressedBelow, int? RoundedToBase,
    IReadOnlyList<RefresherHoursRow> Rows);

/// <summary>
/// Turns practitioners' qualifications and courses into counts per standard code and province. In force and current are
/// decided by <see cref="QualificationCurrency"/> itself, the rule the practitioner's own answer and the batch check use; a
/// code whose version in force on the day is unknown has no one current (as on the practitioner's page).
/// </summary>
public static class PractitionerCounts
{
    /// <summary>
    /// Exact cells per standard code and province (or, <paramref name="byStandard"/> false, per province only: a practitioner
    /// counts once there, current when current for any code): <c>Count</c> = qualified, <c>Passed</c> = current, keys = sums
    /// of the practitioners' random bytes.
    /// </summary>
    public static IReadOnlyList<StatisticsCell> Count(IEnumerable<PractitionerQualificationFact> qualifications,
        IEnumerable<PractitionerCourseFact> courses, DateOnly on, bool byStandard = true)
    {
        var hours = courses.ToLookup(c => c.PractitionerId, c => (c.CompletedOn, c.Hours));
        return qualifications
            .Where(q => QualificationCurrency.InForceOn(q.ValidFrom, q.ValidTo, q.WithdrawnFrom, on))
            .GroupBy(q => (Code: byStandard ? q.StandardCode : "", q.Province))
            .Select(cell =>
            {
                // A practitioner counts once per code and province however many qualifications (kinds) they hold for it.
                var people = cell.GroupBy(q => q.PractitionerId)
                    .Select(p => (Key: p.First().PractitionerKey, Current: p.Any(q => q.HasVersionInForce
                        && QualificationCurrency.RefreshedOn(q.Requirements, hours[q.PractitionerId], on))))
                    .ToList();
                var first = cell.First();
                StatisticsGroupValue[] groups = byStandard
                    ? [new StatisticsGroupValue(StatisticsGroup.Standard, first.StandardCode, first.TitleEn ?? first.StandardCode, first.TitleFa ?? first.StandardCode),
                       ProvinceOf(first)]
                    : [ProvinceOf(first)];
                return new StatisticsCell(groups,
                    people.Count, people.Count(p => p.Current), people.Sum(p => (long)p.Key), people.Where(p => p.Current).Sum(p => (long)p.Key));
            })
            .OrderBy(c => c.Groups[0].Value, StringComparer.Ordinal).ThenBy(c => c.Groups[^1].Value, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>The home center's province; practitioners based at a partner agency form their own row.</summary>
    private static StatisticsGroupValue ProvinceOf(PractitionerQualificationFact q) =>
        q.Province == PractitionerStatisticsSql.PartnerAgencies
            ? new StatisticsGroupValue(StatisticsGroup.Province, q.Province, "Partner agencies", "نهادهای همکار")
            : GroupNames.Name(StatisticsGroup.Province, q.Province, q.ProvinceNameEn, q.ProvinceNameFa);

    public static PractitionerStatisticsRow Publish(StatisticsCell cell, bool protect)
    {
        var row = DisclosureControl.Assessments(cell, protect);
        return new PractitionerStatisticsRow(cell.Groups, row.Recorded, row.Passed, row.Suppressed);
    }
}

/// <summary>A qualification of the kind asked for, with its holder's home province and what the code's version in force asks.</summary>
public sealed class PractitionerQualificationFact
{
    public Guid PractitionerId { get; init; }
    public long PractitionerKey { get; init; }
    public string StandardCode { get; init; } = "";
    public string? TitleEn { get; init; }
    public string? TitleFa { get; init; }
    public string? Province { get; init; }
    public string? ProvinceNameEn { get; init; }
    public string? ProvinceNameFa { get; init; }
    public DateOnly ValidFrom { get; init; }
    public DateOnly? ValidTo { get; init; }
    public DateOnly? WithdrawnFrom { get; init; }
    public bool HasVersionInForce { get; init; }
    public int? RefresherHours { get; init; }
    public int? RefresherMonths { get; init; }

    public Standards.AssessorRequirements Requirements => new(RefresherHours, RefresherMonths, false);
}

public sealed class PractitionerCourseFact
{
    public Guid PractitionerId { get; init; }
    public DateOnly CompletedOn { get; init; }
    public decimal Hours { get; init; }
}
