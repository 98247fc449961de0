using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Http;
using SkillsRegistry.Api.Features.Certificates;
using SkillsRegistry.Api.Features.Verification;
using SkillsRegistry.Tests.Support;

namespace SkillsRegistry.Tests.Verification;

/// <summary>
/// The verification page is rendered once per shape and served with each number written in: what a phone receives must be
/// exactly, byte for byte, what rendering the page for that very answer gives.
/// </summary>
public sealed class VerificationPageTemplateTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    [Theory, OnSqlite, OnPostgres]
    public async Task Every_kind_of_answer_is_served_exactly_as_its_own_rendering(TestDatabase db)
    {
        var app = await fixture.For(db);
        var world = await app.CreateWorldAsync();
        var admin = await app.AdminClientAsync();
        var valid = await app.IssueCertificateAsync(world);
        var otherValid = await app.IssueCertificateAsync(world);
        var revoked = await app.IssueCertificateAsync(world);
        (await admin.PostAsJsonAsync($"/api/v1/certificates/{revoked.CertificateId}/revoke", new { reasonCode = "fraud", reason = "forged" })).EnsureSuccessStatusCode();
        var corrected = await app.IssueCertificateAsync(world);
        (await admin.PostAsJsonAsync($"/api/v1/certificates/{corrected.CertificateId}/corrections", new { reason = "mis-keyed theory score", theoryScore = 85 }))
            .EnsureSuccessStatusCode();
        var unknownWithStar = Enumerable.Range(1, 1_000).Select(serial => CertificateNumber.Format(1404, "10", serial)).First(n => n.EndsWith('*'));

        var asked = new (string Number, string? FamilyName)[]
        {
            (valid.Number, null), (otherValid.Number, null), (valid.Number, null), (revoked.Number, null), (corrected.Number, null),
            (unknownWithStar, null), ("1404-10-12<b>&\"'", null), (valid.Number, "Karimi"), (valid.Number, "Wrong"),
        };
        var verification = app.Service<VerificationService>();
        var pages = app.Service<VerificationPages>();
        foreach (var (number, familyName) in asked)
        {
            var answer = await verification.VerifyAsync(number, null, familyName, CancellationToken.None);
            var served = await ServeAsync(pages, answer);
            Assert.Equal(await pages.RenderAsync(answer), served);
            Assert.DoesNotContain(VerificationPages.Placeholder, served);
        }
    }

    [Theory, OnSqlite]
    public async Task The_page_over_http_names_its_own_number_and_status(TestDatabase db)
    {
        var app = await fixture.For(db);
        var world = await app.CreateWorldAsync();
        var first = await app.IssueCertificateAsync(world);
        var second = await app.IssueCertificateAsync(world);
        var client = app.CreateClient();
        foreach (var certificate in new[] { first, second, first })
        {
            var response = await client.GetAsync($"/verify/{certificate.Number}");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
            var html = await response.Content.ReadAsStringAsync();
            Assert.Contains($"data-number=\"{certificate.Number}\"", html);
            Assert.Contains($"— {certificate.Number}</title>", html);
            Assert.DoesNotContain(certificate == first ? second.Number : first.Number, html);
        }
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/verify/1404-10-000000001-X")).StatusCode);

        using var head = await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"/verify/{first.Number}"));
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Equal("text/html", head.Content.Headers.ContentType?.MediaType);
        Assert.Empty(await head.Content.ReadAsByteArrayAsync());
    }

    internal static async Task<string> ServeAsync(VerificationPages pages, VerificationAnswer answer)
    {
        var http = new DefaultHttpContext();
        using var body = new MemoryStream();
        http.Response.Body = body;
        await (await pages.PageAsync(answer, 200)).ExecuteAsync(http);
        Assert.Equal(body.Length, http.Response.ContentLength);
        return System.Text.Encoding.UTF8.GetString(body.ToArray());
    }
}
