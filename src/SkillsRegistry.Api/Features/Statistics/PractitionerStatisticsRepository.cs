using SkillsRegistry.Api.Features.Practitioners;
using SkillsRegistry.Api.Infrastructure.Data;
using SkillsRegistry.Api.Infrastructure.Text;
using static SkillsRegistry.Api.Features.Statistics.PractitionerStatisticsSql;

namespace SkillsRegistry.Api.Features.Statistics;

/// <summary>
/// Exact practitioner counts and refresher hours (disclosure control is the caller's decision), each in one read: two
/// set-based statements for the counts (qualifications, then their holders' courses), one for the hours.
/// </summary>
public sealed class PractitionerStatisticsRepository(Db db)
{
    public Task<IReadOnlyList<StatisticsCell>> CountAsync(PractitionerStatisticsQuery query, StatisticsVisibility visibility, CancellationToken ct) =>
        db.ReadReplicaAsync(s => CountAsync(s, query, visibility), ct);

    public Task<IReadOnlyList<RefresherHoursCell>> HoursAsync(RefresherHoursQuery query, StatisticsVisibility visibility, CancellationToken ct) =>
        db.ReadReplicaAsync(s => HoursAsync(s, query, visibility), ct);

    /// <summary>Per standard code and province: <c>Count</c> qualified, <c>Passed</c> current (see <see cref="PractitionerCounts"/>).</summary>
    public static async Task<IReadOnlyList<StatisticsCell>> CountAsync(DbSession s, PractitionerStatisticsQuery query, StatisticsVisibility visibility,
        bool byStandard = true)
    {
        var args = new
        {
            query.On, Kind = query.Kind is { } k ? EnumText.ToText(k) : null, query.Sector, query.Province,
            visibility.CenterId, visibility.ProvinceOfCenterId, visibility.PartnerId,
        };
        var qualifications = await s.QueryAsync<PractitionerQualificationFact>(SelectQualifications(s.Dialect), args);
        var courses = await s.QueryAsync<PractitionerCourseFact>(SelectCourses, args);
        return PractitionerCounts.Count(qualifications, courses, query.On, byStandard);
    }

    /// <summary>Per sector and Solar Hijri year: practitioners, hours and the key sums that disclosure control draws from.</summary>
    public static async Task<IReadOnlyList<RefresherHoursCell>> HoursAsync(DbSession s, RefresherHoursQuery query, StatisticsVisibility visibility)
    {
        var rows = await s.QueryAsync<HoursRow>(SelectHours(s.Dialect), new
        {
            From = query.From ?? DateOnly.MinValue, To = query.To ?? DateOnly.MaxValue, query.Sector, query.Province,
            visibility.CenterId, visibility.ProvinceOfCenterId, visibility.PartnerId,
        });
        return rows.Select(r => new RefresherHoursCell(
            [GroupNames.Name(StatisticsGroup.Sector, r.Sector, r.SectorNameEn, r.SectorNameFa), GroupNames.Name(StatisticsGroup.SolarYear, r.SolarYear, null, null)],
            (int)r.Practitioners, r.PractitionerKey, r.Hours, r.CourseKey)).ToList();
    }

    private sealed class HoursRow
    {
        public string? Sector { get; set; }
        public string? SectorNameEn { get; set; }
        public string? SectorNameFa { get; set; }
        public string? SolarYear { get; set; }
        public long Practitioners { get; set; }
        public long PractitionerKey { get; set; }
        public decimal Hours { get; set; }
        public long CourseKey { get; set; }
    }
}

/// <summary>One sector and year of refresher hours, exact: how many practitioners, their hours, and the key sums of both.</summary>
public sealed record RefresherHoursCell(StatisticsGroupValue[] Groups, int Practitioners, long PractitionerKey, decimal Hours, long CourseKey)
{
    /// <summary>
    /// The published row: the practitioner count as any count; the hours withheld with it, otherwise published like a count (<see cref="DisclosureControl.PublishSum"/>).
    /// </summary>
    public RefresherHoursRow Publish(bool protect)
    {
        if (!protect) return new RefresherHoursRow(Groups, Practitioners, Hours, false);
        var people = DisclosureControl.Publish(Practitioners, PractitionerKey);
        var hours = DisclosureControl.PublishSum(Hours, CourseKey, Practitioners);
        return new RefresherHoursRow(Groups, people, hours, people is null || hours is null);
    }
}
