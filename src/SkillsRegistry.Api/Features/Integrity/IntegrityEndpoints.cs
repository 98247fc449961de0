using SkillsRegistry.Api.Infrastructure.OpenApi;
using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using SkillsRegistry.Api.Infrastructure.Text;
using SkillsRegistry.Api.Infrastructure.Auth;
using SkillsRegistry.Api.Infrastructure.Http;
using SkillsRegistry.Api.Infrastructure.Problems;

namespace SkillsRegistry.Api.Features.Integrity;

/// <summary>Integrity signals for the registry's reviewers (admin keys only).</summary>
public static class IntegrityEndpoints
{
    public static IServiceCollection AddIntegrity(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<IntegrityOptions>().BindConfiguration("Integrity")
            .Validate(o => new[] { o.PassRateWindowMonths, o.MinResults, o.MinAtMark, o.AssessorMinCount, o.BurstSize, o.AssessorDailyLimit, o.MaxEvidenceIds }.Min() >= 1,
                "Integrity:PassRateWindowMonths, Integrity:MinResults, Integrity:MinAtMark, Integrity:AssessorMinCount, Integrity:BurstSize, " +
                "Integrity:AssessorDailyLimit and Integrity:MaxEvidenceIds must be at least 1.")
            .Validate(o => o.ZThreshold > 0 && o.HeapingRatio > 0 && o.JustBelowWidth > 0 && o.AssessorMinFraction is > 0 and <= 1,
                "Integrity:ZThreshold, Integrity:HeapingRatio and Integrity:JustBelowWidth must be positive, Integrity:AssessorMinFraction between 0 and 1.")
            .Validate(o => o.RepeatMinAssessments >= 2 && o.LateDays >= 0 && o.RepeatWindowDays >= 0 && o.AssessorTheoryMargin >= 0,
                "Integrity:RepeatMinAssessments must be at least 2; Integrity:LateDays, Integrity:RepeatWindowDays and Integrity:AssessorTheoryMargin not negative.")
            .ValidateOnStart();
        return services.AddSingleton<IntegrityDetector>();
    }

    public static RouteGroupBuilder MapIntegrity(this IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("/integrity")
            .WithTags("Integrity")
            .RequireAuthorization(Policies.Admin);

        group.MapGet("/signals", ListIntegritySignals)
            .WithName("ListIntegritySignals")
            .WithSummary("Patterns in assessment results worth a reviewer's look (admin)")
            .WithDescription("""
                Kinds: pass-rate-above-peers (a center's pass rate for a standard and period far above the other centers', binomial z),
                heaping-at-pass-mark (theory or practical scores piling up exactly at the pass mark), assessor-pattern (an assessor's
                near-perfect practical scores with theory just over its pass mark), same-person-two-centers (one trainee assessed at two
                centers on one exam date), late-burst (many results recorded on one day long after their exams), repeated-assessment
                (one person assessed for one standard code several times within a short window, at any centers),
                assessor-pass-rate-above-peers (a registered assessor's pass rate for a standard and period far above the other registered
                assessors of that code, the same z-test), assessor-daily-load (a registered assessor named on more results of one exam date,
                as assessor or second assessor, than Integrity:AssessorDailyLimit, default 40), partner-assessor-missing (results of a
                standard version that asks for a second assessor from a partner agency with none on record: the batch refuses these, so
                they come from results recorded before the rule or moved to such a version by a correction). Filters: from, to
                (exam date; the recording day for late-burst), kind. Thresholds come from configuration section Integrity.
                A signal is a reason to look, not a finding.
                """);
        return group;
    }

    private static async Task<Results<Ok<IntegritySignals>, ProblemHttpResult>> ListIntegritySignals(
        [Format("date")] string? from, [Format("date")] string? to, [OneOf(typeof(IntegritySignalKind))] string? kind, IntegrityDetector detector, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        var fromDate = Date(errors, "from", from);
        var toDate = Date(errors, "to", to);
        if (fromDate is { } f && toDate is { } t && t < f) errors.Add("to", "Must be on or after from.");
        IntegritySignalKind? parsedKind = null;
        if (kind is not null && errors.OneOf<IntegritySignalKind>("kind", kind, out var k)) parsedKind = k;
        if (!errors.IsEmpty) return errors.ToRejection().ToProblem();
        var signals = await detector.DetectAsync(fromDate, toDate, parsedKind, ct);
        return TypedResults.Ok(new IntegritySignals(fromDate, toDate, parsedKind, signals));
    }

    private static DateOnly? Date(ValidationErrors errors, string field, string? value)
    {
        if (string.IsNullOrWhiteSpace(value)) return null;
        if (DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)) return date;
        errors.Add(field, "Must be a date, yyyy-MM-dd.");
        return null;
    }
}
