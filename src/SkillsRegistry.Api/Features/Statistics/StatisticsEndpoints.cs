using Microsoft.AspNetCore.Http.HttpResults;
using SkillsRegistry.Api.Features.Partners;
using SkillsRegistry.Api.Infrastructure.Text;
using SkillsRegistry.Api.Infrastructure.Auth;
using SkillsRegistry.Api.Infrastructure.Data;
using SkillsRegistry.Api.Infrastructure.Http;
using SkillsRegistry.Api.Infrastructure.OpenApi;
using SkillsRegistry.Api.Infrastructure.Outcomes;
using SkillsRegistry.Api.Infrastructure.Problems;

namespace SkillsRegistry.Api.Features.Statistics;

/// <summary>
/// Counts of certificates and assessments grouped by one or two dimensions, for every key within what it may see,
/// and the public open-data page at /stats.
/// </summary>
public static class StatisticsEndpoints
{
    private const string Parameters = """
        groupBy: one or two of province, center, standard, sector, target-group, gender, month (yyyy-MM), solar-year (Solar Hijri),
        comma-separated. A trainee in several target groups counts once in each. Filters: from, to (yyyy-MM-dd), sector, province,
        centerKind. Admin keys see everything, exactly. Partner keys see the standards in their agreement's sectors while it is in
        force; center keys see their own center exactly, or with scope=province their province's totals over all centers (not by
        center). Partner and province figures are protected: counts of 1-4 are withheld (null, suppressed: true) and every other
        count is randomly rounded to a multiple of 5, each on its own (roundedToBase: 5), so totals minus parts do not reveal a
        withheld cell; pass rates are computed from the rounded figures. format=csv or Accept: text/csv for CSV (UTF-8 with BOM;
        lang=fa for Persian headers and names; withheld counts are "<5").
        """;

    public static IServiceCollection AddStatistics(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddRazorComponents();
        services.AddSingleton<StatisticsRepository>();
        services.AddSingleton<StatisticsRollup>();
        return services.AddSingleton<OpenDataPage>();
    }

    public static RouteGroupBuilder MapStatistics(this IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("/statistics")
            .WithTags("Statistics")
            .RequireAuthorization(Policies.AnyKey);

        group.MapGet("/certificates", GetCertificateStatistics)
            .WithName("GetCertificateStatistics")
            .WithSummary("Certificates issued, grouped (originals only: corrections do not count twice; by issue date)")
            .WithDescription(Parameters)
            .AlsoAnswersCsv();
        group.MapGet("/assessments", GetAssessmentStatistics)
            .WithName("GetAssessmentStatistics")
            .WithSummary("Assessments recorded, passed, failed and pass rate, grouped (voided ones excluded; by exam date)")
            .WithDescription(Parameters)
            .AlsoAnswersCsv();
        return group;
    }

    /// <summary>The public open-data page (no key; rate-limited; cached 5 minutes).</summary>
    public static IEndpointRouteBuilder MapStatisticsPages(this IEndpointRouteBuilder app)
    {
        app.MapGet("/stats", OpenDataPageAsync)
            .AllowAnonymous()
            .RequireRateLimiting(RateLimiting.PublicPolicy)
            .ExcludeFromDescription();
        return app;
    }

    private static async Task<Results<Ok<CertificateStatistics>, CsvResult<CertificateStatisticsRow>, ProblemHttpResult>> GetCertificateStatistics(
        [AsParameters] StatisticsRequest request, HttpContext context, Caller caller, StatisticsRepository statistics, PartnerRepository partners, TimeProvider clock,
        CancellationToken ct)
    {
        var (query, scope, visibility, refusal) = await PrepareAsync(request, StatisticsMeasure.Certificates, caller, partners, clock, ct);
        if (refusal is not null) return refusal.ToProblem();
        var cells = await statistics.CountAsync(query!, visibility!, ct);
        var rows = cells.Select(c => DisclosureControl.Certificates(c, visibility!.SuppressSmallCells)).ToList();
        if (WantsCsv(request, context))
            return new CsvResult<CertificateStatisticsRow>(rows, StatisticsCsv.Certificates(query!.GroupBy, request.Lang == "fa"), "certificate-statistics.csv");
        return TypedResults.Ok(new CertificateStatistics(query!.GroupBy, Filters(query), scope, Threshold(visibility!), RoundedTo(visibility!), rows));
    }

    private static async Task<Results<Ok<AssessmentStatistics>, CsvResult<AssessmentStatisticsRow>, ProblemHttpResult>> GetAssessmentStatistics(
        [AsParameters] StatisticsRequest request, HttpContext context, Caller caller, StatisticsRepository statistics, PartnerRepository partners, TimeProvider clock,
        CancellationToken ct)
    {
        var (query, scope, visibility, refusal) = await PrepareAsync(request, StatisticsMeasure.Assessments, caller, partners, clock, ct);
        if (refusal is not null) return refusal.ToProblem();
        var cells = await statistics.CountAsync(query!, visibility!, ct);
        var rows = cells.Select(c => DisclosureControl.Assessments(c, visibility!.SuppressSmallCells)).ToList();
        if (WantsCsv(request, context))
            return new CsvResult<AssessmentStatisticsRow>(rows, StatisticsCsv.Assessments(query!.GroupBy, request.Lang == "fa"), "assessment-statistics.csv");
        return TypedResults.Ok(new AssessmentStatistics(query!.GroupBy, Filters(query), scope, Threshold(visibility!), RoundedTo(visibility!), rows));
    }

    private static bool WantsCsv(StatisticsRequest request, HttpContext context) =>
        request.Format == "csv" || (request.Format is null && Csv.Requested(context));

    private static StatisticsFilters Filters(StatisticsQuery q) => new(q.From, q.To, q.Sector, q.Province, q.CenterKind);

    private static int? Threshold(StatisticsVisibility v) => v.SuppressSmallCells ? DisclosureControl.Threshold : null;

    private static int? RoundedTo(StatisticsVisibility v) => v.SuppressSmallCells ? DisclosureControl.Base : null;

    /// <summary>Validates the request and decides, from the key, which rows it may count and whether small cells are withheld.</summary>
    private static async Task<(StatisticsQuery?, StatisticsScope, StatisticsVisibility?, Rejection?)> PrepareAsync(
        StatisticsRequest request, StatisticsMeasure measure, Caller caller, PartnerRepository partners, TimeProvider clock, CancellationToken ct)
    {
        var errors = StatisticsValidation.Validate(request, measure, out var query, out var scope);
        if (errors.IsEmpty && scope == StatisticsScope.Province)
        {
            if (!caller.IsCenter) errors.Add("scope", "scope=province is for center keys (their province's totals); other keys name a province filter.");
            else if (query!.GroupBy.Contains(StatisticsGroup.Center))
                errors.Add("groupBy", "Province totals cannot be broken down by center: group by something else, or use scope=own.");
        }
        if (!errors.IsEmpty) return (null, scope, null, errors.ToRejection());

        if (caller.IsAdmin) return (query, scope, StatisticsVisibility.Everything, null);
        if (caller.IsCenter)
            return (query, scope, scope == StatisticsScope.Province
                ? new StatisticsVisibility(null, caller.CenterId, null, SuppressSmallCells: true)
                : new StatisticsVisibility(caller.CenterId, null, null, SuppressSmallCells: false), null);

        // Partner: only while its agreement is in force, only its sectors, small cells withheld.
        var agreement = await partners.FindAgreementAsync(caller.PartnerId!.Value, ct);
        if (PartnerAgreement.RefusalOn(agreement, RegistryCalendar.Today(clock)) is { } refusal) return (null, scope, null, refusal);
        if (query!.Sector is { } sector && !agreement!.Covers(sector))
            return (null, scope, null, Rejection.Forbidden($"Sector '{sector}' is outside the agreement of partner agency '{agreement.Code}'."));
        return (query, scope, new StatisticsVisibility(null, null, agreement!.PartnerId, SuppressSmallCells: true), null);
    }

    private static async Task<IResult> OpenDataPageAsync(HttpContext http, OpenDataPage page, CancellationToken ct)
    {
        var html = await page.RenderAsync(http.RequestServices, ct);
        http.Response.Headers.ContentSecurityPolicy = OpenDataPage.SecurityPolicy;
        http.Response.Headers.CacheControl = "public, max-age=300";
        http.Response.Headers["Referrer-Policy"] = "no-referrer";
        return Results.Content(html, "text/html; charset=utf-8");
    }
}
