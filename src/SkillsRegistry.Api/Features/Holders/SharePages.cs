using Microsoft.AspNetCore.Mvc;
using SkillsRegistry.Api.Features.Holders.Pages;
using SkillsRegistry.Api.Features.Verification;
using SkillsRegistry.Api.Infrastructure.Html;
using SkillsRegistry.Api.Infrastructure.Http;

namespace SkillsRegistry.Api.Features.Holders;

/// <summary>The page a share link opens (/shares/{token}), and the same answer as JSON on request (Accept or .json).</summary>
public static class SharePages
{
    // No script and nothing from elsewhere: the page is static HTML.
    private const string PageSecurityPolicy =
        "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    public static IEndpointRouteBuilder MapSharePages(this IEndpointRouteBuilder app)
    {
        app.MapGet("/shares/{token}.json", JsonAsync)
            .RequireRateLimiting(RateLimiting.PublicPolicy)
            .ExcludeFromDescription();
        app.MapGet("/shares/{token}", PageAsync)
            .RequireRateLimiting(RateLimiting.PublicPolicy)
            .WithMetadata(new HtmlRejectionPage())
            .ExcludeFromDescription();
        return app;
    }

    /// <summary>In the language asked with <c>?lang</c>, else by Accept-Language (as the verification page).</summary>
    private static async Task<IResult> JsonAsync(string token, [FromQuery(Name = "lang")] string? language, HttpContext http, HolderShares shares,
        CancellationToken ct)
    {
        http.Response.Headers.CacheControl = "no-store";
        return Results.Ok(await shares.ViewAsync(token, http.Connection.RemoteIpAddress, VerificationEndpoints.SpeakTo(http, language), ct));
    }

    private static async Task<IResult> PageAsync(string token, [FromQuery(Name = "lang")] string? language, HttpContext http, HolderShares shares,
        IServiceProvider services, ILoggerFactory loggers, CancellationToken ct)
    {
        if (WantsJson(http)) return await JsonAsync(token, language, http, shares, ct);
        var answer = await shares.ViewAsync(token, http.Connection.RemoteIpAddress, VerificationEndpoints.SpeakTo(http, language), ct);
        http.Response.Headers.ContentSecurityPolicy = PageSecurityPolicy;
        http.Response.Headers.CacheControl = "no-store";
        http.Response.Headers["Referrer-Policy"] = "no-referrer";
        var html = await ComponentHtml.RenderAsync<SharePage>(services, loggers, new Dictionary<string, object?> { [nameof(SharePage.Answer)] = answer });
        var status = answer.State switch { ShareState.Active => 200, ShareState.NotFound => 404, _ => 410 };
        return Results.Content(html, "text/html; charset=utf-8", statusCode: status);
    }

    /// <summary>JSON when the client asks for it ahead of HTML (a browser asks for HTML first).</summary>
    private static bool WantsJson(HttpContext http)
    {
        var accept = http.Request.GetTypedHeaders().Accept;
        var json = accept.FirstOrDefault(a => a.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase));
        if (json is null) return false;
        var html = accept.FirstOrDefault(a => a.MediaType.Equals("text/html", StringComparison.OrdinalIgnoreCase));
        return html is null || (json.Quality ?? 1) > (html.Quality ?? 1);
    }
}
