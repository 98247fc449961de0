using Microsoft.AspNetCore.Http.HttpResults;
using SkillsRegistry.Api.Features.Certificates.Signing;
using SkillsRegistry.Api.Features.Verification.Pages;
using SkillsRegistry.Api.Infrastructure.Http;

namespace SkillsRegistry.Api.Features.Verification;

public static class VerificationEndpoints
{
    public const string TokenHeader = "X-Certificate-Token";

    // Same-origin only: the page may fetch the JWKS and its own script, nothing else leaves the host.
    private const string PageSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'unsafe-inline'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private static readonly string Script = ReadScript();

    public static IServiceCollection AddVerification(this IServiceCollection services, IConfiguration configuration)
    {
        var cacheOptions = new VerificationCacheOptions();
        configuration.GetSection("Verification").Bind(cacheOptions);
        services.AddSingleton(cacheOptions);
        services.AddSingleton<VerificationCache>();
        services.AddSingleton<VerificationRecords>();
        services.AddRazorComponents();
        // Persian text stays readable in the HTML instead of becoming &#x...; entities.
        services.AddWebEncoders(o => o.TextEncoderSettings = new System.Text.Encodings.Web.TextEncoderSettings(System.Text.Unicode.UnicodeRanges.All));
        return services.AddSingleton<VerificationService>();
    }

    /// <summary>The JSON answer under /api/v1.</summary>
    public static IEndpointRouteBuilder MapVerification(this IEndpointRouteBuilder api)
    {
        api.MapGroup("/verify")
            .WithTags("Verification")
            .AllowAnonymous()
            .RequireRateLimiting(RateLimiting.PublicPolicy)
            .MapGet("/{number}", VerifyCertificate)
            .WithName("VerifyCertificate")
            .WithSummary("Verify a certificate by its number (public)")
            .WithDescription($"""
                Status: valid, revoked (+ reason code and date), expired (+ date), superseded (+ the replacement), not-found, or
                invalid-number (the check character does not match: a typing mistake). The holder's name is initials only unless the
                certificate's signed token (from its QR code) is sent in the {TokenHeader} header. No key needed; rate-limited per address.
                """)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
        return api;
    }

    /// <summary>The page a QR code opens, its script, and the published keys.</summary>
    public static IEndpointRouteBuilder MapVerificationPages(this IEndpointRouteBuilder app)
    {
        app.MapGet("/verify/{number}", VerificationPage)
            .RequireRateLimiting(RateLimiting.PublicPolicy)
            .ExcludeFromDescription();
        app.MapGet("/verify/assets/verify.js", (HttpContext http) =>
        {
            http.Response.Headers.CacheControl = "public, max-age=3600";
            return Results.Text(Script, "text/javascript; charset=utf-8");
        }).ExcludeFromDescription();
        app.MapGet("/.well-known/jwks.json", (HttpContext http, CertificateToken tokens) =>
        {
            http.Response.Headers.CacheControl = "public, max-age=300";
            return Results.Json(tokens.Jwks(), contentType: "application/jwk-set+json");
        }).WithTags("Verification").WithName("GetSigningKeys").WithSummary("The registry's ES256 public keys (RFC 7517 JWK Set)");
        return app;
    }

    private static async Task<Ok<VerificationAnswer>> VerifyCertificate(
        string number, HttpContext http, VerificationService verification, CancellationToken ct)
    {
        http.Response.Headers.CacheControl = "no-store";
        var token = http.Request.Headers[TokenHeader].ToString();
        return TypedResults.Ok(await verification.VerifyAsync(number, token, ct));
    }

    private static async Task<IResult> VerificationPage(string number, HttpContext http, VerificationService verification, CancellationToken ct)
    {
        var answer = await verification.VerifyAsync(number, null, ct);
        http.Response.Headers.ContentSecurityPolicy = PageSecurityPolicy;
        http.Response.Headers.CacheControl = "no-store";
        http.Response.Headers["Referrer-Policy"] = "no-referrer";
        return new RazorComponentResult<VerificationPage>(new { Answer = answer })
        {
            StatusCode = answer.Status is VerificationStatus.NotFound or VerificationStatus.InvalidNumber ? 404 : 200,
        };
    }

    private static string ReadScript()
    {
        using var stream = typeof(VerificationEndpoints).Assembly.GetManifestResourceStream("verify.js")
            ?? throw new InvalidOperationException("verify.js is not embedded");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
