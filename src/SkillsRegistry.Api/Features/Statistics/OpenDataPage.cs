using SkillsRegistry.Api.Features.Statistics.Pages;
using SkillsRegistry.Api.Infrastructure.Text;
using SkillsRegistry.Api.Infrastructure.Data;
using SkillsRegistry.Api.Infrastructure.Html;

namespace SkillsRegistry.Api.Features.Statistics;

/// <summary>
/// The public /stats page. Its aggregate queries run at most once per <see cref="CacheFor"/>: the rendered HTML
/// (the <see cref="StatsPage"/> component rendered to a string) is kept in memory and served to everyone until then.
/// </summary>
public sealed class OpenDataPage(Db db, ILoggerFactory loggers, TimeProvider clock)
{
    public static readonly TimeSpan CacheFor = TimeSpan.FromMinutes(5);

    /// <summary>Nothing leaves the page: no script, no fonts, no images but inline data.</summary>
    public const string SecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private readonly SemaphoreSlim gate = new(1, 1);
    private (string Html, DateTimeOffset Until)? cached;

    /// <summary>The page's HTML; <paramref name="requestServices"/> are the request's (the renderer needs scoped services).</summary>
    public async Task<string> RenderAsync(IServiceProvider requestServices, CancellationToken ct)
    {
        if (cached is { } hit && hit.Until > clock.GetUtcNow()) return hit.Html;
        await gate.WaitAsync(ct);
        try
        {
            if (cached is { } again && again.Until > clock.GetUtcNow()) return again.Html;
            var model = await ComposeAsync(ct);
            var html = await ComponentHtml.RenderAsync<StatsPage>(requestServices, loggers, new Dictionary<string, object?> { [nameof(StatsPage.Model)] = model });
            cached = (html, clock.GetUtcNow() + CacheFor);
            return html;
        }
        finally { gate.Release(); }
    }

    public Task<OpenDataModel> ComposeAsync(CancellationToken ct) => db.ReadReplicaAsync(async s =>
    {
        StatisticsQuery Query(StatisticsMeasure measure, params StatisticsGroup[] groups) => new(measure, groups, null, null, null, null, null);
        var everything = StatisticsVisibility.Public;
        var byProvince = await StatisticsRepository.CountAsync(s, Query(StatisticsMeasure.Certificates, StatisticsGroup.Province), everything);
        var bySectorYear = await StatisticsRepository.CountAsync(s,
            Query(StatisticsMeasure.Certificates, StatisticsGroup.Sector, StatisticsGroup.SolarYear), everything);
        var passRates = await StatisticsRepository.CountAsync(s, Query(StatisticsMeasure.Assessments, StatisticsGroup.Sector), everything);
        var byTargetGroup = await StatisticsRepository.CountAsync(s, Query(StatisticsMeasure.Certificates, StatisticsGroup.TargetGroup), everything);
        var today = RegistryCalendar.Today(clock);
        var practitioners = new PractitionerStatisticsQuery(today, null, null, null);
        var figures = new PractitionerFigures(
            await PractitionerStatisticsRepository.CountAsync(s, practitioners, everything, byStandard: false),
            await PractitionerStatisticsRepository.CountAsync(s, practitioners, everything),
            await PractitionerStatisticsRepository.HoursAsync(s, new RefresherHoursQuery(null, null, null, null), everything));
        return OpenDataModel.Compose(today, byProvince, bySectorYear, passRates, byTargetGroup, figures);
    }, ct);
}
