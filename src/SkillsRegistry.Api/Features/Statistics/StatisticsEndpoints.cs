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

    private const string Protection = """
        Who sees what is as for the other statistics: admin keys everything, exactly; center keys their own staff exactly, or with
        scope=province their province's protected totals; partner keys, while their agreement is in force, their sectors, protected
        (counts of 1-4 withheld as null with suppressed: true, every other figure randomly rounded to a multiple of 5 on its own).
        format=csv or Accept: text/csv for CSV (lang=fa for Persian headers and names; withheld figures are "<5").
        """;

    private const string PractitionerParameters = $"""
        Rows per standard code and province of the practitioner's home training center (practitioners based at a partner agency:
        province "partner-agencies"). qualified: practitioners holding a qualification for the code in force on the day (on,
        default today in Tehran); current: of those, the ones who also completed the refresher hours the code's version in force
        that day asks for (the rule the practitioner's own record and the assessor check of results use). A practitioner counts once
        per code however many qualifications they hold for it. kind: instructor, assessor (lead assessors included: they may assess
        too) or lead-assessor; every kind when left out. Filters: sector (the standard's), province. Current and not current are
        withheld together when either is under 5.
        {Protection}
        """;

    private const string RefresherHoursParameters = $"""
        Rows per sector and Solar Hijri year of completion: practitioners who completed refresher courses and the hours. A course counts
        once in each sector of the standards its practitioner holds a qualification for (so sectors do not add up to a total);
        practitioners with no qualification count in the unknown sector (null). Filters: from, to (completion day, yyyy-MM-dd), sector,
        province (of the home center; "partner-agencies"). Hours are withheld with the practitioner count when fewer than 5 practitioners
        did them, and are otherwise whole hours rounded like a count.
        {Protection}
        """;

    public static IServiceCollection AddStatistics(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddRazorComponents();
        services.AddSingleton<StatisticsRepository>();
        services.AddSingleton<PractitionerStatisticsRepository>();
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
        group.MapGet("/practitioners", GetPractitionerStatistics)
            .WithName("GetPractitionerStatistics")
            .WithSummary("Practitioners qualified and current on a day, per standard code and home province")
            .WithDescription(PractitionerParameters)
            .AlsoAnswersCsv();
        group.MapGet("/refresher-hours", GetRefresherHoursStatistics)
            .WithName("GetRefresherHoursStatistics")
            .WithSummary("Refresher hours completed, and by how many practitioners, per sector and Solar Hijri year")
            .WithDescription(RefresherHoursParameters)
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
        if (WantsCsv(request.Format, context))
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
        if (WantsCsv(request.Format, context))
            return new CsvResult<AssessmentStatisticsRow>(rows, StatisticsCsv.Assessments(query!.GroupBy, request.Lang == "fa"), "assessment-statistics.csv");
        return TypedResults.Ok(new AssessmentStatistics(query!.GroupBy, Filters(query), scope, Threshold(visibility!), RoundedTo(visibility!), rows));
    }

    private static bool WantsCsv(string? format, HttpContext context) =>
        format == "csv" || (format is null && Csv.Requested(context));

    private static StatisticsFilters Filters(StatisticsQuery q) => new(q.From, q.To, q.Sector, q.Province, q.CenterKind);

    private static int? Threshold(StatisticsVisibility v) => v.SuppressSmallCells ? DisclosureControl.Threshold : null;

    private static int? RoundedTo(StatisticsVisibility v) => v.SuppressSmallCells ? DisclosureControl.Base : null;

    /// <summary>Validates the request and decides, from the key, which rows it may count and whether small cells are withheld.</summary>
    private static async Task<(StatisticsQuery?, StatisticsScope, StatisticsVisibility?, Rejection?)> PrepareAsync(
        StatisticsRequest request, StatisticsMeasure measure, Caller caller, PartnerRepository partners, TimeProvider clock, CancellationToken ct)
    {
        var errors = StatisticsValidation.Validate(request, measure, out var query, out var scope);
        if (errors.IsEmpty && CheckScope(errors, caller, scope) && scope == StatisticsScope.Province && query!.GroupBy.Contains(StatisticsGroup.Center))
            errors.Add("groupBy", "Province totals cannot be broken down by center: group by something else, or use scope=own.");
        if (!errors.IsEmpty) return (null, scope, null, errors.ToRejection());
        var (visibility, refusal) = await VisibilityAsync(caller, scope, query!.Sector, partners, clock, ct);
        return (query, scope, visibility, refusal);
    }

    /// <summary>The visibility of a request validated into <paramref name="errors"/> (none: valid), or why it is refused.</summary>
    private static async Task<(StatisticsVisibility?, Rejection?)> AuthorizeAsync(ValidationErrors errors, StatisticsScope scope, string? sector,
        Caller caller, PartnerRepository partners, TimeProvider clock, CancellationToken ct)
    {
        if (errors.IsEmpty) CheckScope(errors, caller, scope);
        if (!errors.IsEmpty) return (null, errors.ToRejection());
        return await VisibilityAsync(caller, scope, sector, partners, clock, ct);
    }

    /// <summary>False (with the error) when a key that is not a center's asks for scope=province.</summary>
    private static bool CheckScope(ValidationErrors errors, Caller caller, StatisticsScope scope)
    {
        if (scope != StatisticsScope.Province || caller.IsCenter) return true;
        errors.Add("scope", "scope=province is for center keys (their province's totals); other keys name a province filter.");
        return false;
    }

    /// <summary>
    /// What every statistic of a key may count: admin everything exactly; a center its own rows exactly or its province's
    /// protected; a partner, while its agreement is in force, its sectors protected (a sector filter outside them is refused).
    /// </summary>
    private static async Task<(StatisticsVisibility?, Rejection?)> VisibilityAsync(
        Caller caller, StatisticsScope scope, string? sector, PartnerRepository partners, TimeProvider clock, CancellationToken ct)
    {
        if (caller.IsAdmin) return (StatisticsVisibility.Everything, null);
        if (caller.IsCenter)
            return (scope == StatisticsScope.Province
                ? new StatisticsVisibility(null, caller.CenterId, null, SuppressSmallCells: true)
                : new StatisticsVisibility(caller.CenterId, null, null, SuppressSmallCells: false), null);

        var agreement = await partners.FindAgreementAsync(caller.PartnerId!.Value, ct);
        if (PartnerAgreement.RefusalOn(agreement, RegistryCalendar.Today(clock)) is { } refusal) return (null, refusal);
        if (sector is { } asked && !agreement!.Covers(asked))
            return (null, Rejection.Forbidden($"Sector '{asked}' is outside the agreement of partner agency '{agreement.Code}'."));
        return (new StatisticsVisibility(null, null, agreement!.PartnerId, SuppressSmallCells: true), null);
    }

    private static async Task<Results<Ok<PractitionerStatistics>, CsvResult<PractitionerStatisticsRow>, ProblemHttpResult>> GetPractitionerStatistics(
        [AsParameters] PractitionerStatisticsRequest request, HttpContext context, Caller caller, PractitionerStatisticsRepository statistics,
        PartnerRepository partners, TimeProvider clock, CancellationToken ct)
    {
        var errors = StatisticsValidation.Validate(request, RegistryCalendar.Today(clock), out var query, out var scope);
        var (visibility, refusal) = await AuthorizeAsync(errors, scope, query?.Sector, caller, partners, clock, ct);
        if (refusal is not null) return refusal.ToProblem();
        var cells = await statistics.CountAsync(query!, visibility!, ct);
        var rows = cells.Select(c => PractitionerCounts.Publish(c, visibility!.SuppressSmallCells)).ToList();
        if (WantsCsv(request.Format, context))
            return new CsvResult<PractitionerStatisticsRow>(rows, StatisticsCsv.Practitioners(request.Lang == "fa"), "practitioner-statistics.csv");
        return TypedResults.Ok(new PractitionerStatistics(query!.On, query.Kind, query.Sector, query.Province, scope, Threshold(visibility!),
            RoundedTo(visibility!), rows));
    }

    private static async Task<Results<Ok<RefresherHoursStatistics>, CsvResult<RefresherHoursRow>, ProblemHttpResult>> GetRefresherHoursStatistics(
        [AsParameters] RefresherHoursRequest request, HttpContext context, Caller caller, PractitionerStatisticsRepository statistics,
        PartnerRepository partners, TimeProvider clock, CancellationToken ct)
    {
        var errors = StatisticsValidation.Validate(request, out var query, out var scope);
        var (visibility, refusal) = await AuthorizeAsync(errors, scope, query?.Sector, caller, partners, clock, ct);
        if (refusal is not null) return refusal.ToProblem();
        var cells = await statistics.HoursAsync(query!, visibility!, ct);
        var rows = cells.Select(c => c.Publish(visibility!.SuppressSmallCells)).ToList();
        if (WantsCsv(request.Format, context))
            return new CsvResult<RefresherHoursRow>(rows, StatisticsCsv.RefresherHours(request.Lang == "fa"), "refresher-hours-statistics.csv");
        return TypedResults.Ok(new RefresherHoursStatistics(query!.From, query.To, query.Sector, query.Province, scope, Threshold(visibility!),
            RoundedTo(visibility!), rows));
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
