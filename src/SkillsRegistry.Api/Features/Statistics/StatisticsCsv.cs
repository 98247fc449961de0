using System.Globalization;
using SkillsRegistry.Api.Infrastructure.Text;
using SkillsRegistry.Api.Infrastructure.Http;

namespace SkillsRegistry.Api.Features.Statistics;

/// <summary>CSV columns for a statistics response: each group's value and name, then the counts. lang=fa: Persian headers and names.</summary>
public static class StatisticsCsv
{
    public const string SmallCellText = "<5";

    private static readonly Dictionary<StatisticsGroup, string> GroupFa = new()
    {
        [StatisticsGroup.Province] = "استان", [StatisticsGroup.Center] = "مرکز", [StatisticsGroup.Standard] = "استاندارد",
        [StatisticsGroup.Sector] = "بخش", [StatisticsGroup.TargetGroup] = "گروه هدف", [StatisticsGroup.Gender] = "جنسیت",
        [StatisticsGroup.Month] = "ماه", [StatisticsGroup.SolarYear] = "سال شمسی",
    };

    public static IReadOnlyList<CsvColumn<CertificateStatisticsRow>> Certificates(IReadOnlyList<StatisticsGroup> groups, bool fa) =>
    [
        .. GroupColumns<CertificateStatisticsRow>(groups, fa, r => r.Groups),
        new(fa ? "گواهینامه‌های صادرشده" : "certificates", r => Count(r.Certificates)),
    ];

    public static IReadOnlyList<CsvColumn<AssessmentStatisticsRow>> Assessments(IReadOnlyList<StatisticsGroup> groups, bool fa) =>
    [
        .. GroupColumns<AssessmentStatisticsRow>(groups, fa, r => r.Groups),
        new(fa ? "آزمون‌های ثبت‌شده" : "recorded", r => Count(r.Recorded)),
        new(fa ? "قبول" : "passed", r => Count(r.Passed)),
        new(fa ? "مردود" : "failed", r => Count(r.Failed)),
        new(fa ? "نرخ قبولی" : "passRate", r => r.PassRate is { } rate ? rate.ToString("0.####", CultureInfo.InvariantCulture) : SmallCellText),
    ];

    public static IReadOnlyList<CsvColumn<PractitionerStatisticsRow>> Practitioners(bool fa) =>
    [
        .. GroupColumns<PractitionerStatisticsRow>([StatisticsGroup.Standard, StatisticsGroup.Province], fa, r => r.Groups),
        new(fa ? "دارای صلاحیت" : "qualified", r => Count(r.Qualified)),
        new(fa ? "به‌روز" : "current", r => Count(r.Current)),
    ];

    public static IReadOnlyList<CsvColumn<RefresherHoursRow>> RefresherHours(bool fa) =>
    [
        .. GroupColumns<RefresherHoursRow>([StatisticsGroup.Sector, StatisticsGroup.SolarYear], fa, r => r.Groups),
        new(fa ? "تعداد افراد" : "practitioners", r => Count(r.Practitioners)),
        new(fa ? "ساعت دوره‌های بازآموزی" : "hours", r => r.Hours is { } h ? h : SmallCellText),
    ];

    private static IEnumerable<CsvColumn<T>> GroupColumns<T>(IReadOnlyList<StatisticsGroup> groups, bool fa, Func<T, IReadOnlyList<StatisticsGroupValue>> of)
    {
        for (var i = 0; i < groups.Count; i++)
        {
            var index = i;
            var name = EnumText.ToText(groups[i]);
            yield return new CsvColumn<T>(fa ? GroupFa[groups[i]] : name, r => of(r)[index].Value);
            yield return new CsvColumn<T>(fa ? "نام " + GroupFa[groups[i]] : name + "Name", r => fa ? of(r)[index].NameFa : of(r)[index].NameEn);
        }
    }

    private static object Count(int? value) => value is { } v ? v : SmallCellText;
}
