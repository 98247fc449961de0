using System.Net;
using System.Net.Http.Json;
using SkillsRegistry.Api.Features.Reference;
using SkillsRegistry.Api.Infrastructure.Auth;
using SkillsRegistry.Tests.Support;

namespace SkillsRegistry.Tests.Reference;

public sealed class ReferenceDataTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    private static string NewCode(string stem) => $"{stem}-{Guid.NewGuid().ToString("N")[..8]}";

    [Theory, OnSqlite, OnPostgres]
    public async Task Provinces_sectors_and_target_groups_are_readable_without_a_key(TestDatabase db)
    {
        var app = await fixture.For(db);
        var anonymous = app.CreateClient();

        var provinces = await (await anonymous.GetAsync("/api/v1/reference/provinces")).ReadJsonAsync();
        Assert.Equal(31, provinces.GetArrayLength());
        var tehran = provinces.EnumerateArray().Single(p => p.GetProperty("code").GetString() == "IR-07");
        Assert.Equal("Tehran", tehran.GetProperty("nameEn").GetString());
        Assert.Equal("تهران", tehran.GetProperty("nameFa").GetString());

        var sectors = await (await anonymous.GetAsync("/api/v1/reference/sectors")).ReadJsonAsync();
        Assert.Contains(sectors.EnumerateArray(), s => s.GetProperty("code").GetString() == "cinema" && s.GetProperty("nameFa").GetString() == "سینما و سمعی‌بصری");

        var groups = await (await anonymous.GetAsync("/api/v1/reference/target-groups")).ReadJsonAsync();
        var women = groups.EnumerateArray().Single(g => g.GetProperty("code").GetString() == "female-heads-of-household");
        Assert.True(women.GetProperty("active").GetBoolean());
        Assert.Equal("زنان سرپرست خانوار", women.GetProperty("nameFa").GetString());
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Public_reference_reads_over_the_limit_get_429_with_retry_after(TestDatabase db)
    {
        await using var app = await RegistryApp.StartAsync(db, new Dictionary<string, string?> { ["RateLimiting:Public:PermitLimit"] = "3" });
        var client = app.CreateClient();
        for (var i = 0; i < 3; i++)
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/reference/sectors")).StatusCode);

        var response = await client.GetAsync("/api/v1/reference/sectors");
        var problem = await response.AssertProblemAsync(HttpStatusCode.TooManyRequests);
        Assert.Contains("3 requests", problem.GetProperty("detail").GetString());
        Assert.True(response.Headers.RetryAfter?.Delta > TimeSpan.Zero, $"Retry-After was '{response.Headers.RetryAfter}'");
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task An_admin_adds_a_target_group_that_the_public_list_then_shows(TestDatabase db)
    {
        var app = await fixture.For(db);
        var admin = await app.AdminClientAsync();
        var code = NewCode("returning-migrants");

        var response = await admin.PostAsJsonAsync("/api/v1/reference/target-groups", new { code, nameEn = "Returning migrants", nameFa = "مهاجران بازگشتی" });
        var created = await response.ReadJsonAsync(HttpStatusCode.Created);
        Assert.Equal($"/api/v1/reference/target-groups/{code}", response.Headers.Location?.OriginalString);
        Assert.Equal("\"v1\"", response.Headers.ETag?.Tag);
        Assert.True(created.GetProperty("active").GetBoolean());

        var list = await (await app.CreateClient().GetAsync("/api/v1/reference/target-groups?active=true")).ReadJsonAsync();
        Assert.Contains(list.EnumerateArray(), g => g.GetProperty("code").GetString() == code);

        var again = await admin.PostAsJsonAsync("/api/v1/reference/target-groups", new { code, nameEn = "Again", nameFa = "دوباره" });
        Assert.Contains(code, (await again.AssertProblemAsync(HttpStatusCode.Conflict)).GetProperty("detail").GetString());
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task A_target_group_code_must_be_kebab_case_and_names_are_required(TestDatabase db)
    {
        var app = await fixture.For(db);
        var admin = await app.AdminClientAsync();
        var response = await admin.PostAsJsonAsync("/api/v1/reference/target-groups", new { code = "Returning_Migrants", nameEn = " " });
        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("lower-case", problem.FieldErrors("code")[0]);
        Assert.NotEmpty(problem.FieldErrors("nameEn"));
        Assert.NotEmpty(problem.FieldErrors("nameFa"));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Only_an_admin_edits_target_groups(TestDatabase db)
    {
        var app = await fixture.For(db);
        var body = new { code = NewCode("x"), nameEn = "X", nameFa = "ایکس" };
        await (await app.CreateClient().PostAsJsonAsync("/api/v1/reference/target-groups", body)).AssertProblemAsync(HttpStatusCode.Unauthorized);
        var center = app.ClientWithKey(await app.CreateKeyAsync(ApiKeyRole.Center, centerId: await app.InsertCenterAsync()));
        await (await center.PostAsJsonAsync("/api/v1/reference/target-groups", body)).AssertProblemAsync(HttpStatusCode.Forbidden);
        var partner = app.ClientWithKey(await app.CreateKeyAsync(ApiKeyRole.Partner, partnerId: await app.InsertPartnerAsync()));
        await (await partner.PutAsJsonAsync("/api/v1/reference/target-groups/other", new { nameEn = "O", nameFa = "س", active = false }))
            .AssertProblemAsync(HttpStatusCode.Forbidden);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Retiring_a_target_group_needs_the_current_etag_and_is_audited(TestDatabase db)
    {
        var app = await fixture.For(db);
        var admin = await app.AdminClientAsync();
        var code = NewCode("seasonal-workers");
        var created = await admin.PostAsJsonAsync("/api/v1/reference/target-groups", new { code, nameEn = "Seasonal workers", nameFa = "کارگران فصلی" });
        var etag = created.Headers.ETag!.Tag;
        var change = new { nameEn = "Seasonal farm workers", nameFa = "کارگران فصلی کشاورزی", active = false };

        await (await admin.PutAsJsonAsync($"/api/v1/reference/target-groups/{code}", change)).AssertProblemAsync(HttpStatusCode.PreconditionRequired);

        var stale = new HttpRequestMessage(HttpMethod.Put, $"/api/v1/reference/target-groups/{code}") { Content = JsonContent.Create(change) };
        stale.Headers.TryAddWithoutValidation("If-Match", "\"v7\"");
        await (await admin.SendAsync(stale)).AssertProblemAsync(HttpStatusCode.PreconditionFailed);

        var fresh = new HttpRequestMessage(HttpMethod.Put, $"/api/v1/reference/target-groups/{code}") { Content = JsonContent.Create(change) };
        fresh.Headers.TryAddWithoutValidation("If-Match", etag);
        var response = await admin.SendAsync(fresh);
        var updated = await response.ReadJsonAsync();
        Assert.False(updated.GetProperty("active").GetBoolean());
        Assert.Equal("Seasonal farm workers", updated.GetProperty("nameEn").GetString());
        Assert.Equal("\"v2\"", response.Headers.ETag?.Tag);

        var get = await app.CreateClient().GetAsync($"/api/v1/reference/target-groups/{code}");
        Assert.False((await get.ReadJsonAsync()).GetProperty("active").GetBoolean());
        Assert.Equal("\"v2\"", get.Headers.ETag?.Tag);
        var active = await (await app.CreateClient().GetAsync("/api/v1/reference/target-groups?active=true")).ReadJsonAsync();
        Assert.DoesNotContain(active.EnumerateArray(), g => g.GetProperty("code").GetString() == code);

        var audits = await app.Db.ReadAsync(s => s.QueryAsync<string>(
            "SELECT action FROM audit_log WHERE entity = 'target-group' AND entity_id = @code ORDER BY seq", new { code }));
        Assert.Equal(["create", "update"], audits.ToArray());
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Updating_an_unknown_target_group_is_404(TestDatabase db)
    {
        var app = await fixture.For(db);
        var admin = await app.AdminClientAsync();
        var request = new HttpRequestMessage(HttpMethod.Put, "/api/v1/reference/target-groups/no-such-group")
        {
            Content = JsonContent.Create(new { nameEn = "N", nameFa = "ن", active = true }),
        };
        request.Headers.TryAddWithoutValidation("If-Match", "\"v1\"");
        await (await admin.SendAsync(request)).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await app.CreateClient().GetAsync("/api/v1/reference/target-groups/no-such-group")).AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("cinema-org", true)]
    [InlineData("ai", true)]
    [InlineData("iso9001-body", true)]
    [InlineData("Cinema-Org", false)]
    [InlineData("cinema_org", false)]
    [InlineData("-cinema", false)]
    [InlineData("cinema--org", false)]
    [InlineData("cinema-", false)]
    [InlineData("سینما", false)]
    [InlineData("", false)]
    public void Codes_are_lower_case_kebab_case(string code, bool valid) => Assert.Equal(valid, KebabCode.IsValid(code));

    [Fact]
    public void A_code_longer_than_the_limit_is_refused() => Assert.False(KebabCode.IsValid(new string('a', KebabCode.MaxLength + 1)));
}
