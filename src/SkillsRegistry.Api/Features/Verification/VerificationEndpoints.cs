using SkillsRegistry.Api.Infrastructure.OpenApi;
using Microsoft.AspNetCore.Http.HttpResults;
using SkillsRegistry.Api.Features.Certificates.Signing;
using SkillsRegistry.Api.Features.Verification.Pages;
using SkillsRegistry.Api.Infrastructure.Http;
using SkillsRegistry.Api.Infrastructure.Text;
using Microsoft.AspNetCore.Mvc;

namespace SkillsRegistry.Api.Features.Verification;

public static class VerificationEndpoints
{
    public const string TokenHeader = "X-Certificate-Token";

    // Same-origin only: the page may fetch the JWKS and its own script, nothing else leaves the host.
    private const string PageSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'unsafe-inline'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    private static readonly string Script = ReadScript();

    public static IServiceCollection AddVerification(this IServiceCollection services, IConfiguration configuration)
    {
        var cacheOptions = new VerificationCacheOptions();
        configuration.GetSection("Verification").Bind(cacheOptions);
        services.AddSingleton(cacheOptions);
        services.AddSingleton<VerificationCache>();
        services.AddSingleton<VerificationRepository>();
        services.AddSingleton<VerificationRecords>();
        services.AddHostedService<VerificationCacheWarmer>();
        services.AddSingleton<VerificationPages>();
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
            .AcceptsHeader(TokenHeader)
            .WithSummary("Verify a certificate by its number (public)")
            .WithDescription($"""
                verdict (show it first, with verdictMessage, in the language asked with lang=fa|en|ar or Accept-Language, default fa;
                verdictMessageEn/verdictMessageFa beside it): genuine, genuine-but-revoked, genuine-but-superseded,
                genuine-but-expired (the token sent in the {TokenHeader} header was signed by the registry for this number), qr-not-genuine
                (the token's signature is invalid, its key unknown, or it is malformed), qr-of-another-certificate (a genuine token of a
                different number), status-only (no token), not-found, invalid-number (the check character does not match: a typing mistake).
                status: the registry's state of the number: valid, revoked, expired, superseded (+ the replacement), not-found, invalid-number.
                A number alone answers only its status and standard. The holder (full name with a valid token, initials with familyName),
                the center, the dates and the revocation reason need a valid token or familyName: the holder's family name as printed
                (Persian or Latin, any keyboard). A wrong familyName gets the same answer as none. No key needed; rate-limited per address.
                """)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
        api.MapBulkVerification();
        return api;
    }

    /// <summary>The page a QR code opens, its script, and the published keys.</summary>
    public static IEndpointRouteBuilder MapVerificationPages(this IEndpointRouteBuilder app)
    {
        // HEAD too: link previewers and monitors ask it before (or instead of) the page.
        app.MapMethods("/verify/{number}", [HttpMethods.Get, HttpMethods.Head], VerificationPage)
            .RequireRateLimiting(RateLimiting.PublicPolicy)
            .WithMetadata(new HtmlRejectionPage())
            .ExcludeFromDescription();
        app.MapGet("/favicon.ico", (HttpContext http) =>
        {
            http.Response.Headers.CacheControl = "public, max-age=86400";
            return Results.Text(Favicon, "image/svg+xml");
        }).ExcludeFromDescription();
        app.MapGet("/verify/assets/verify.js", (HttpContext http) =>
        {
            http.Response.Headers.CacheControl = "public, max-age=3600";
            return Results.Text(Script, "text/javascript; charset=utf-8");
        }).ExcludeFromDescription();
        app.MapGet("/.well-known/jwks.json", (HttpContext http, CertificateToken tokens) =>
        {
            http.Response.Headers.CacheControl = "public, max-age=300";
            return Results.Json(tokens.Jwks(), contentType: "application/jwk-set+json");
        }).WithTags("Verification").WithName("GetSigningKeys").WithSummary("The registry's ES256 public keys (RFC 7517 JWK Set)")
            .Produces<Certificates.Signing.JsonWebKeySet>(StatusCodes.Status200OK, "application/jwk-set+json");
        return app;
    }

    /// <summary>A seal in the registry's green: served as SVG, which browsers accept at /favicon.ico.</summary>
    private const string Favicon = """
        <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><circle cx="16" cy="16" r="15" fill="#0b7a3e"/><path d="M9 16.5l4.5 4.5L23 11.5" fill="none" stroke="#fff" stroke-width="3.2" stroke-linecap="round" stroke-linejoin="round"/></svg>
        """;

    private static async Task<Ok<VerificationAnswer>> VerifyCertificate(
        string number, string? familyName, [FromQuery(Name = "lang"), OneOf(typeof(Language))] string? language, HttpContext http, VerificationService verification, CancellationToken ct)
    {
        http.Response.Headers.CacheControl = "no-store";
        var token = http.Request.Headers[TokenHeader].ToString();
        return TypedResults.Ok(await verification.VerifyAsync(number, token, familyName, SpeakTo(http, language), ct));
    }

    /// <summary>The language asked for (<c>?lang</c>, else Accept-Language), said back in Content-Language.</summary>
    internal static Language SpeakTo(HttpContext http, string? lang)
    {
        var language = VerificationLanguage.Negotiate(lang, http.Request.Headers.AcceptLanguage.ToString());
        http.Response.Headers.ContentLanguage = EnumText.ToText(language);
        http.Response.Headers.Vary = "Accept-Language";
        return language;
    }

    private static async Task<IResult> VerificationPage(string number, string? familyName, [FromQuery(Name = "lang")] string? language, HttpContext http, VerificationService verification,
        VerificationPages pages, CancellationToken ct)
    {
        var answer = await verification.VerifyAsync(number, null, familyName, SpeakTo(http, language), ct);
        http.Response.Headers.ContentSecurityPolicy = PageSecurityPolicy;
        http.Response.Headers.CacheControl = "no-store";
        http.Response.Headers["Referrer-Policy"] = "no-referrer";
        return await pages.PageAsync(answer, answer.Status is VerificationStatus.NotFound or VerificationStatus.InvalidNumber ? 404 : 200);
    }

    private static string ReadScript()
    {
        using var stream = typeof(VerificationEndpoints).Assembly.GetManifestResourceStream("verify.js")
            ?? throw new InvalidOperationException("verify.js is not embedded");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
