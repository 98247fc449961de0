using System.Net;
using System.Text.Json;
using SkillsRegistry.Api.Infrastructure.Auth;
using SkillsRegistry.Tests.Support;
using static SkillsRegistry.Tests.Support.PartnersTestData;

namespace SkillsRegistry.Tests.Partners;

/// <summary>A partner key reads standards and certificates only in its agreement's sectors, and only while the agreement is in force.</summary>
[Trait("Clock", "sensitive")]
public sealed class PartnerGrantTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    /// <summary>A certificate of a handicrafts standard (the world's sector) and a partner key whose agreement covers <paramref name="sector"/>.</summary>
    private static async Task<(RegistryWorld World, Guid CertificateId, Guid TraineeId, Guid PartnerId, HttpClient Partner)> ArrangeAsync(
        RegistryApp app, string sector, DateOnly? endsOn = null)
    {
        var world = await app.CreateWorldAsync();
        var certificateId = (await app.IssueCertificateAsync(world)).CertificateId;
        var admin = await app.AdminClientAsync();
        var traineeId = (await (await admin.GetAsync($"/api/v1/certificates/{certificateId}")).ReadJsonAsync()).GetProperty("traineeId").GetGuid();
        var partnerId = await app.InsertPartnerAsync(sector: sector, signedOn: new DateOnly(2024, 1, 1), endsOn: endsOn);
        var partner = app.ClientWithKey(await app.CreateKeyAsync(ApiKeyRole.Partner, partnerId: partnerId));
        return (world, certificateId, traineeId, partnerId, partner);
    }

    private static string[] ReadUrls(RegistryWorld world, Guid certificateId) =>
    [
        $"/api/v1/certificates/{certificateId}",
        $"/api/v1/certificates/{certificateId}/ob3",
        $"/api/v1/standards/{world.StandardId}",
        $"/api/v1/standards/{world.StandardCode}/versions",
        $"/api/v1/standards/{world.StandardCode}/in-force",
    ];

    private static async Task<long> TotalAsync(HttpClient client, string url) =>
        (await (await client.GetAsync(url)).ReadJsonAsync()).GetProperty("total").GetInt64();

    [Theory, OnSqlite, OnPostgres]
    public async Task A_partner_reads_certificates_and_standards_in_its_sectors(TestDatabase db)
    {
        var app = await fixture.For(db);
        var (world, certificateId, traineeId, _, partner) = await ArrangeAsync(app, "handicrafts");

        foreach (var url in ReadUrls(world, certificateId))
            Assert.True((await partner.GetAsync(url)).StatusCode == HttpStatusCode.OK, url);
        Assert.Equal(1, await TotalAsync(partner, $"/api/v1/certificates?traineeId={traineeId}"));
        Assert.Equal(1, await TotalAsync(partner, $"/api/v1/trainees/{traineeId}/transcript"));
        Assert.Equal(1, await TotalAsync(partner, $"/api/v1/standards?code={world.StandardCode}"));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task A_partner_sees_nothing_outside_its_sectors(TestDatabase db)
    {
        var app = await fixture.For(db);
        var (world, certificateId, traineeId, _, partner) = await ArrangeAsync(app, "cinema");

        foreach (var url in ReadUrls(world, certificateId))
            await (await partner.GetAsync(url)).AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal(0, await TotalAsync(partner, $"/api/v1/certificates?traineeId={traineeId}"));
        Assert.Equal(0, await TotalAsync(partner, $"/api/v1/trainees/{traineeId}/transcript"));
        Assert.Equal(0, await TotalAsync(partner, $"/api/v1/standards?code={world.StandardCode}"));
        Assert.Equal(0, await TotalAsync(partner, "/api/v1/standards?sector=handicrafts"));
        var beforeInForce = await (await partner.GetAsync($"/api/v1/standards/{world.StandardCode}/in-force?on=2000-01-01"))
            .AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.Contains("visible to this key", beforeInForce.GetProperty("detail").GetString());
        var csv = await (await partner.GetAsync($"/api/v1/standards/export.csv?code={world.StandardCode}")).Content.ReadAsStringAsync();
        Assert.DoesNotContain(world.StandardCode, csv);

        // The admin and the issuing center still see it all.
        var admin = await app.AdminClientAsync();
        Assert.Equal(1, await TotalAsync(admin, $"/api/v1/certificates?traineeId={traineeId}"));
        Assert.Equal(1, await TotalAsync(app.ClientWithKey(world.CenterKey), $"/api/v1/trainees/{traineeId}/transcript"));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task After_the_agreement_ends_every_partner_call_is_refused_until_it_is_extended(TestDatabase db)
    {
        var app = await fixture.For(db);
        var ended = app.Today.AddDays(-10);
        var (world, certificateId, traineeId, partnerId, partner) = await ArrangeAsync(app, "handicrafts", endsOn: ended);
        var code = (await (await (await app.AdminClientAsync()).GetAsync($"/api/v1/partners/{partnerId}")).ReadJsonAsync()).GetProperty("code").GetString()!;

        string[] everything =
        [
            .. ReadUrls(world, certificateId),
            $"/api/v1/certificates?traineeId={traineeId}", $"/api/v1/trainees/{traineeId}/transcript",
            "/api/v1/standards", $"/api/v1/partners/{partnerId}", "/api/v1/partners",
        ];
        foreach (var url in everything)
        {
            var problem = await (await partner.GetAsync(url)).AssertProblemAsync(HttpStatusCode.Forbidden);
            var detail = problem.GetProperty("detail").GetString()!;
            Assert.Contains($"'{code}'", detail);
            Assert.Contains($"ended on {ended:yyyy-MM-dd}", detail);
        }
        // Drafting is refused the same way.
        await (await partner.PostAsync("/api/v1/standards", JsonContent(StandardsTestData.StandardBody(StandardsTestData.NewStandardCode(), sector: "handicrafts"))))
            .AssertProblemAsync(HttpStatusCode.Forbidden);

        var admin = await app.AdminClientAsync();
        var current = await admin.GetAsync($"/api/v1/partners/{partnerId}");
        var extension = await admin.SendAsync(WithIfMatch(HttpMethod.Post, $"/api/v1/partners/{partnerId}/agreement-extensions",
            new { newEndsOn = app.Today.AddYears(1).ToString("yyyy-MM-dd"), reason = "Renewed MoU" }, current.Headers.ETag!.Tag));
        await extension.ReadJsonAsync();

        foreach (var url in everything)
            Assert.True((await partner.GetAsync(url)).StatusCode == HttpStatusCode.OK, url);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task A_partner_cannot_revoke_or_correct_certificates_even_in_its_sectors(TestDatabase db)
    {
        var app = await fixture.For(db);
        var (_, certificateId, _, _, partner) = await ArrangeAsync(app, "handicrafts");
        await (await partner.PostAsync($"/api/v1/certificates/{certificateId}/revoke", JsonContent(new { reasonCode = "fraud", reason = "x" })))
            .AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await partner.PostAsync($"/api/v1/certificates/{certificateId}/corrections", JsonContent(new { reason = "x", familyNameLatin = "Y" })))
            .AssertProblemAsync(HttpStatusCode.Forbidden);
    }

    private static System.Net.Http.Json.JsonContent JsonContent(object body) => System.Net.Http.Json.JsonContent.Create(body);
}
