using System.Net;
using System.Net.Http.Json;
using SkillsRegistry.Api.Infrastructure.Auth;
using SkillsRegistry.Tests.Support;

namespace SkillsRegistry.Tests.Centers;

public sealed class CenterAccessTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    [Theory, OnSqlite, OnPostgres]
    public async Task A_center_key_reads_only_its_own_center(TestDatabase db)
    {
        var app = await fixture.For(db);
        var admin = await app.AdminClientAsync();
        var own = await admin.CreatePublicCenterAsync();
        var other = await admin.CreatePublicCenterAsync();
        var center = app.ClientWithKey(await app.CreateKeyAsync(ApiKeyRole.Center, centerId: own));

        Assert.Equal(own.ToString(), (await (await center.GetAsync($"/api/v1/centers/{own}")).ReadJsonAsync()).GetProperty("id").GetString());
        await (await center.GetAsync($"/api/v1/centers/{other}")).AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await center.GetAsync($"/api/v1/centers/{other}/licences")).AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await center.GetAsync($"/api/v1/centers/{other}/scope")).AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await center.GetAsync($"/api/v1/centers/{Guid.CreateVersion7()}")).AssertProblemAsync(HttpStatusCode.Forbidden);

        var list = await (await center.GetAsync("/api/v1/centers?pageSize=200")).ReadJsonAsync();
        Assert.Equal(1, list.GetProperty("total").GetInt64());
        Assert.Equal(own.ToString(), list.GetProperty("items")[0].GetProperty("id").GetString());
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task A_center_key_cannot_change_the_register_but_can_change_its_own_contact(TestDatabase db)
    {
        var app = await fixture.For(db);
        var admin = await app.AdminClientAsync();
        var own = await admin.CreatePublicCenterAsync();
        var other = await admin.CreatePublicCenterAsync();
        var center = app.ClientWithKey(await app.CreateKeyAsync(ApiKeyRole.Center, centerId: own));

        var put = await center.SendAsync(CentersApi.Json(HttpMethod.Put, $"/api/v1/centers/{own}",
            new { kind = "public", nameFa = "نام تازه", nameEn = "New name", provinceCode = "IR-10", city = "Ahvaz" }).WithIfMatch("\"v1\""));
        await put.AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await center.PostAsJsonAsync("/api/v1/centers", CentersApi.PublicCenter(CentersApi.UniqueCode()))).AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await center.PostAsJsonAsync($"/api/v1/centers/{own}/licences", new { number = "X-1", validFrom = "2025-01-01" }))
            .AssertProblemAsync(HttpStatusCode.Forbidden);

        var patch = await center.SendAsync(CentersApi.Json(HttpMethod.Patch, $"/api/v1/centers/{own}/contact",
            new { phone = "۰۶۱-۳۳۳۳۵۵۵۵", email = "" }).WithIfMatch("\"v1\""));
        var body = await patch.ReadJsonAsync();
        Assert.Equal("\"v2\"", patch.Headers.ETag!.Tag);
        Assert.Equal("061-33335555", body.GetProperty("phone").GetString()); // Persian digits normalised
        Assert.Equal(System.Text.Json.JsonValueKind.Null, body.GetProperty("email").ValueKind); // "" clears
        Assert.Equal("Kianpars", body.GetProperty("address").GetString()); // left out: unchanged

        var stale = await center.SendAsync(CentersApi.Json(HttpMethod.Patch, $"/api/v1/centers/{own}/contact", new { address = "x" }).WithIfMatch("\"v1\""));
        await stale.AssertProblemAsync(HttpStatusCode.PreconditionFailed);
        var missing = await center.SendAsync(CentersApi.Json(HttpMethod.Patch, $"/api/v1/centers/{own}/contact", new { address = "x" }));
        await missing.AssertProblemAsync(HttpStatusCode.PreconditionRequired);
        var others = await center.SendAsync(CentersApi.Json(HttpMethod.Patch, $"/api/v1/centers/{other}/contact", new { address = "x" }).WithIfMatch("\"v1\""));
        await others.AssertProblemAsync(HttpStatusCode.Forbidden);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task A_partner_key_has_no_access_to_centers(TestDatabase db)
    {
        var app = await fixture.For(db);
        var admin = await app.AdminClientAsync();
        var id = await admin.CreatePublicCenterAsync();
        var partner = app.ClientWithKey(await app.CreateKeyAsync(ApiKeyRole.Partner, partnerId: await app.InsertPartnerAsync()));
        await (await partner.GetAsync("/api/v1/centers")).AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await partner.GetAsync($"/api/v1/centers/{id}")).AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await partner.GetAsync("/api/v1/centers/export.csv")).AssertProblemAsync(HttpStatusCode.Forbidden);
    }
}
