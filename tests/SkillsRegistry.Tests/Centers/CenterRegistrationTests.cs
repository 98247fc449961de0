using System.Net;
using System.Net.Http.Json;
using SkillsRegistry.Tests.Support;

namespace SkillsRegistry.Tests.Centers;

public sealed class CenterRegistrationTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    [Theory, OnSqlite, OnPostgres]
    public async Task A_public_center_is_registered_in_its_province_and_read_back_with_an_etag(TestDatabase db)
    {
        var app = await fixture.For(db);
        var admin = await app.AdminClientAsync();
        var code = CentersApi.UniqueCode();
        var (id, etag, created) = await admin.CreateCenterAsync(CentersApi.PublicCenter(code.ToLowerInvariant()));
        Assert.Equal(code, created.GetProperty("code").GetString()); // codes are stored upper-case
        Assert.Equal("public", created.GetProperty("kind").GetString());
        Assert.Equal("IR-10", created.GetProperty("provinceCode").GetString());
        Assert.Equal("IR", created.GetProperty("country").GetString());
        Assert.Equal("unlicensed", created.GetProperty("licenceStatus").GetString());
        Assert.Equal("\"v1\"", etag);

        var response = await admin.GetAsync($"/api/v1/centers/{id}");
        var read = await response.ReadJsonAsync();
        Assert.Equal("\"v1\"", response.Headers.ETag!.Tag);
        Assert.Equal("مرکز آموزش فنی اهواز", read.GetProperty("nameFa").GetString());
        Assert.Equal(0, read.GetProperty("licences").GetArrayLength());
        Assert.Equal(0, read.GetProperty("scope").GetArrayLength());
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task A_private_institute_is_registered_with_its_kind(TestDatabase db)
    {
        var app = await fixture.For(db);
        var admin = await app.AdminClientAsync();
        var (_, _, created) = await admin.CreateCenterAsync(new
        {
            code = CentersApi.UniqueCode("PI"), kind = "private-institute", nameFa = "آموزشگاه آزاد کیان", nameEn = "Kian institute",
            provinceCode = "ir-07", city = "Tehran",
        });
        Assert.Equal("private-institute", created.GetProperty("kind").GetString());
        Assert.Equal("IR-07", created.GetProperty("provinceCode").GetString());
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task A_foreign_center_has_a_country_and_region_instead_of_a_province(TestDatabase db)
    {
        var app = await fixture.For(db);
        var admin = await app.AdminClientAsync();
        var (_, _, created) = await admin.CreateCenterAsync(new
        {
            code = CentersApi.UniqueCode("FC"), kind = "foreign", nameFa = "مرکز هرات", nameEn = "Herat center",
            country = "af", region = "Herat", city = "Herat",
        });
        Assert.Equal("foreign", created.GetProperty("kind").GetString());
        Assert.Equal("AF", created.GetProperty("country").GetString());
        Assert.Equal("Herat", created.GetProperty("region").GetString());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, created.GetProperty("provinceCode").ValueKind);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Location_rules_are_field_errors(TestDatabase db)
    {
        var app = await fixture.For(db);
        var admin = await app.AdminClientAsync();

        var noProvince = await admin.PostAsJsonAsync("/api/v1/centers",
            new { code = CentersApi.UniqueCode(), kind = "public", nameFa = "مرکز", nameEn = "Center", city = "Qom" });
        Assert.NotEmpty((await noProvince.AssertProblemAsync(HttpStatusCode.BadRequest)).FieldErrors("provinceCode"));

        var unknownProvince = await admin.PostAsJsonAsync("/api/v1/centers", CentersApi.PublicCenter(CentersApi.UniqueCode(), province: "IR-99"));
        var problem = await unknownProvince.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("IR-99", problem.FieldErrors("provinceCode")[0]);

        var foreignInIran = await admin.PostAsJsonAsync("/api/v1/centers",
            new { code = CentersApi.UniqueCode(), kind = "foreign", nameFa = "مرکز", nameEn = "Center", country = "IR", city = "Qom" });
        Assert.NotEmpty((await foreignInIran.AssertProblemAsync(HttpStatusCode.BadRequest)).FieldErrors("country"));

        var foreignWithProvince = await admin.PostAsJsonAsync("/api/v1/centers",
            new { code = CentersApi.UniqueCode(), kind = "foreign", nameFa = "مرکز", nameEn = "Center", country = "TR", provinceCode = "IR-07", city = "Van" });
        Assert.NotEmpty((await foreignWithProvince.AssertProblemAsync(HttpStatusCode.BadRequest)).FieldErrors("provinceCode"));

        var unknownCountry = await admin.PostAsJsonAsync("/api/v1/centers",
            new { code = CentersApi.UniqueCode(), kind = "foreign", nameFa = "مرکز", nameEn = "Center", country = "XX", city = "Nowhere" });
        Assert.NotEmpty((await unknownCountry.AssertProblemAsync(HttpStatusCode.BadRequest)).FieldErrors("country"));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task A_partner_run_center_needs_an_existing_partner(TestDatabase db)
    {
        var app = await fixture.For(db);
        var admin = await app.AdminClientAsync();
        object Body(Guid? partnerId) => new
        {
            code = CentersApi.UniqueCode("PR"), kind = "partner-run", nameFa = "مرکز سینما", nameEn = "Cinema center", provinceCode = "IR-07",
            city = "Tehran", partnerId,
        };
        Assert.NotEmpty((await (await admin.PostAsJsonAsync("/api/v1/centers", Body(null))).AssertProblemAsync(HttpStatusCode.BadRequest)).FieldErrors("partnerId"));
        var unknown = await admin.PostAsJsonAsync("/api/v1/centers", Body(Guid.CreateVersion7()));
        Assert.Contains("No partner agency", (await unknown.AssertProblemAsync(HttpStatusCode.BadRequest)).FieldErrors("partnerId")[0]);

        var partnerId = await app.InsertPartnerAsync();
        var (_, _, created) = await admin.CreateCenterAsync(Body(partnerId));
        Assert.Equal(partnerId.ToString(), created.GetProperty("partnerId").GetString());
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task A_duplicate_code_is_a_conflict(TestDatabase db)
    {
        var app = await fixture.For(db);
        var admin = await app.AdminClientAsync();
        var code = CentersApi.UniqueCode();
        await admin.CreateCenterAsync(CentersApi.PublicCenter(code));
        var again = await admin.PostAsJsonAsync("/api/v1/centers", CentersApi.PublicCenter(code.ToLowerInvariant()));
        var problem = await again.AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.Contains(code, problem.GetProperty("detail").GetString());
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Updating_needs_if_match_and_refuses_a_stale_etag(TestDatabase db)
    {
        var app = await fixture.For(db);
        var admin = await app.AdminClientAsync();
        var code = CentersApi.UniqueCode();
        var (id, etag, _) = await admin.CreateCenterAsync(CentersApi.PublicCenter(code));
        var update = new
        {
            kind = "private-institute", nameFa = "آموزشگاه نو", nameEn = "New institute", provinceCode = "IR-04", city = "Isfahan",
        };

        var missing = await admin.SendAsync(CentersApi.Json(HttpMethod.Put, $"/api/v1/centers/{id}", update));
        await missing.AssertProblemAsync(HttpStatusCode.PreconditionRequired);

        var ok = await admin.SendAsync(CentersApi.Json(HttpMethod.Put, $"/api/v1/centers/{id}", update).WithIfMatch(etag));
        var body = await ok.ReadJsonAsync();
        Assert.Equal("\"v2\"", ok.Headers.ETag!.Tag);
        Assert.Equal("IR-04", body.GetProperty("provinceCode").GetString());
        Assert.Equal("private-institute", body.GetProperty("kind").GetString());
        Assert.Equal(code, body.GetProperty("code").GetString());
        Assert.Equal(JsonNull, body.GetProperty("address").ValueKind); // PUT replaces every descriptive field

        var stale = await admin.SendAsync(CentersApi.Json(HttpMethod.Put, $"/api/v1/centers/{id}", update).WithIfMatch(etag));
        var problem = await stale.AssertProblemAsync(HttpStatusCode.PreconditionFailed);
        Assert.Contains("\"v2\"", problem.GetProperty("detail").GetString());

        var unknown = await admin.SendAsync(CentersApi.Json(HttpMethod.Put, $"/api/v1/centers/{Guid.CreateVersion7()}", update).WithIfMatch("\"v1\""));
        await unknown.AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Every_change_is_audited(TestDatabase db)
    {
        var app = await fixture.For(db);
        var admin = await app.AdminClientAsync();
        var id = await admin.CreatePublicCenterAsync();
        var licence = await admin.CreateLicenceAsync(id, CentersApi.UniqueCode("L"), new DateOnly(2025, 1, 1), null);
        var licenceId = Guid.Parse(licence.GetProperty("id").GetString()!);
        (await admin.ChangeStatusAsync(id, licenceId, "suspended", new DateOnly(2025, 6, 1), "Inspection")).EnsureSuccessStatusCode();

        var actions = await app.Db.ReadAsync(s => s.QueryAsync<string>(
            "SELECT entity || ':' || action FROM audit_log WHERE entity_id = @center OR entity_id = @licence ORDER BY seq",
            new { center = id.ToString(), licence = licenceId.ToString() }));
        Assert.Equal(["center:create", "center-licence:create", "center-licence:change-status"], actions);
    }

    private const System.Text.Json.JsonValueKind JsonNull = System.Text.Json.JsonValueKind.Null;
}
