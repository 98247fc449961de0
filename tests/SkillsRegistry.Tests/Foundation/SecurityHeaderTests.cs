using System.Net;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using SkillsRegistry.Tests.Support;

namespace SkillsRegistry.Tests.Foundation;

/// <summary>Headers on every kind of response, read from a real Kestrel listener on loopback (so the Server header is Kestrel's own).</summary>
public sealed class SecurityHeaderTests
{
    private static void AssertCommonHeaders(HttpResponseMessage response, string what)
    {
        Assert.True(response.Headers.TryGetValues("X-Content-Type-Options", out var nosniff), $"{what}: no X-Content-Type-Options");
        Assert.Equal("nosniff", Assert.Single(nosniff));
        Assert.False(response.Headers.Contains("Server"), $"{what}: Server: {string.Join(",", response.Headers.TryGetValues("Server", out var s) ? s : [])}");
        Assert.False(response.Headers.Contains("Strict-Transport-Security"), $"{what}: HSTS over plain http");
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Json_html_csv_pdf_problem_and_swagger_responses_carry_nosniff_and_no_server_banner(TestDatabase db)
    {
        await using var app = await RegistryApp.StartOnLoopbackAsync(db);
        var world = await app.CreateWorldAsync();
        var certificate = await app.IssueCertificateAsync(world, "headers-1");
        var adminKey = await app.CreateKeyAsync(Api.Infrastructure.Auth.ApiKeyRole.Admin);
        using var client = new HttpClient { BaseAddress = new Uri(app.Service<IConfiguration>()["Registry:PublicBaseUrl"]!) };
        async Task<HttpResponseMessage> GetAsync(string path, string? key = null)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            if (key is not null) request.Headers.Add("X-Api-Key", key);
            return await client.SendAsync(request);
        }

        var json = await GetAsync("/api/v1/trainees", adminKey);
        Assert.Equal("application/json", json.Content.Headers.ContentType?.MediaType);
        AssertCommonHeaders(json, "JSON");

        var html = await GetAsync($"/verify/{certificate.Number}");
        Assert.Equal("text/html", html.Content.Headers.ContentType?.MediaType);
        AssertCommonHeaders(html, "HTML");
        AssertCommonHeaders(await GetAsync("/stats"), "stats page");

        var csv = await GetAsync("/api/v1/statistics/certificates?groupBy=sector&format=csv", adminKey);
        Assert.Equal("text/csv", csv.Content.Headers.ContentType?.MediaType);
        AssertCommonHeaders(csv, "CSV");

        // 200 with a PDF where Chromium runs, 503 problem where it cannot: the headers are the same either way.
        var pdf = await GetAsync($"/api/v1/certificates/{certificate.CertificateId}/pdf", world.CenterKey);
        Assert.Contains(pdf.StatusCode, new[] { HttpStatusCode.OK, HttpStatusCode.ServiceUnavailable });
        AssertCommonHeaders(pdf, $"PDF ({(int)pdf.StatusCode})");

        AssertCommonHeaders(await GetAsync("/api/v1/no-such-thing"), "problem");
        AssertCommonHeaders(await GetAsync("/api/v1/trainees"), "401");

        var swagger = await GetAsync("/swagger/index.html");
        Assert.Equal(HttpStatusCode.OK, swagger.StatusCode);
        AssertCommonHeaders(swagger, "Swagger UI");
        var policy = string.Join(";", swagger.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("frame-ancestors 'none'", policy);
        Assert.Contains("script-src 'self'", policy);
        Assert.DoesNotContain("unsafe-eval", policy);
    }

    [Fact]
    public async Task Https_responses_outside_development_carry_strict_transport_security()
    {
        await using var app = await RegistryApp.StartAsync(TestDatabase.Sqlite); // environment "Testing"
        using var https = app.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri("https://registry.test/") });

        var response = await https.GetAsync("/health/live");

        Assert.Equal("max-age=31536000; includeSubDomains", Assert.Single(response.Headers.GetValues("Strict-Transport-Security")));
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
    }
}
