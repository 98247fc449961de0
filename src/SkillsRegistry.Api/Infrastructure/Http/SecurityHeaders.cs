namespace SkillsRegistry.Api.Infrastructure.Http;

/// <summary>Headers every response carries, whatever wrote it (endpoint, problem writer, rate limiter, static files).</summary>
public sealed class SecurityHeadersMiddleware(RequestDelegate next, IHostEnvironment environment)
{
    public const string SwaggerPath = "/swagger";

    /// <summary>Swagger UI loads its own scripts and styles, draws icons from data: URIs and fetches the OpenAPI document and
    /// "Try it out" calls from this origin; nothing else, and no one may frame it.</summary>
    public const string SwaggerSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; " +
        "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    /// <summary>One year; a browser that saw it uses https for this host from then on.</summary>
    public const string StrictTransportSecurity = "max-age=31536000; includeSubDomains";

    public Task InvokeAsync(HttpContext context)
    {
        var isHttps = context.Request.IsHttps;
        var swagger = context.Request.Path.StartsWithSegments(SwaggerPath, StringComparison.OrdinalIgnoreCase);
        context.Response.OnStarting(() =>
        {
            var headers = context.Response.Headers;
            headers.XContentTypeOptions = "nosniff";
            // Over http the header means nothing; in development it would pin localhost to https for a year.
            if (isHttps && !environment.IsDevelopment()) headers.StrictTransportSecurity = StrictTransportSecurity;
            if (swagger && !headers.ContainsKey("Content-Security-Policy")) headers.ContentSecurityPolicy = SwaggerSecurityPolicy;
            headers.Remove("Server");
            return Task.CompletedTask;
        });
        return next(context);
    }
}
