using Microsoft.AspNetCore.Http.HttpResults;
using SkillsRegistry.Api.Infrastructure.Http;
using SkillsRegistry.Api.Infrastructure.Text;

namespace SkillsRegistry.Api.Features.Verification;

/// <summary>
/// Benchmark-only: the verification answer's shape and size from memory, through the same pipeline (rate limiter,
/// JSON serializer) but without the database. It is the ceiling the real endpoint is compared with. Mapped only when
/// configuration <c>Benchmark:CeilingEndpoint=true</c>; never in the OpenAPI document.
/// </summary>
public static class CeilingEndpoint
{
    public const string Route = "/bench/ceiling/{number}";

    private static readonly DateTimeOffset Checked = new(2026, 1, 1, 8, 0, 0, TimeSpan.Zero);

    public static IEndpointRouteBuilder MapCeilingEndpointWhenEnabled(this IEndpointRouteBuilder app, IConfiguration configuration)
    {
        if (!configuration.GetValue("Benchmark:CeilingEndpoint", false)) return app;
        app.MapGet(Route, Ceiling).AllowAnonymous().RequireRateLimiting(RateLimiting.PublicPolicy).ExcludeFromDescription();
        return app;
    }

    private static Ok<VerificationAnswer> Ceiling(string number, HttpContext http)
    {
        http.Response.Headers.CacheControl = "no-store";
        return TypedResults.Ok(Sample(number));
    }

    /// <summary>What <see cref="VerificationService"/> answers for a valid certificate issued by the benchmark's data generator.</summary>
    public static VerificationAnswer Sample(string number) => new(
        VerificationVerdict.Genuine, VerificationMessages.Verdict(VerificationVerdict.Genuine, VerificationStatus.Valid, number, number).En,
        VerificationMessages.Verdict(VerificationVerdict.Genuine, VerificationStatus.Valid, number, number).Fa,
        number, VerificationStatus.Valid, VerificationMessages.Status(VerificationStatus.Valid).En, VerificationMessages.Status(VerificationStatus.Valid).Fa,
        new VerifiedHolder(true, "ز. ک.", "Z. K."),
        new VerifiedStandard("BENCH01", 1, "بافنده فرش دستباف", "Hand-woven carpet weaver", "7318", 60, 140),
        null,
        new VerifiedCenter("TC-BENCH", "مرکز آزمایشی", "Benchmark center", "IR-10", "IR"),
        new DateOnly(2025, 6, 2), RegistryCalendar.SolarHijri(new DateOnly(2025, 6, 2)),
        new DateOnly(2028, 6, 2), RegistryCalendar.SolarHijri(new DateOnly(2028, 6, 2)), null, null,
        false, null, Checked);
}
