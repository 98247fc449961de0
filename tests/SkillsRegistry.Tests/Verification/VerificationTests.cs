using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using SkillsRegistry.Api.Features.Certificates;
using SkillsRegistry.Tests.Support;
using static SkillsRegistry.Tests.Support.RegistryWorlds;

namespace SkillsRegistry.Tests.Verification;

public sealed class VerificationTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    private static async Task<(Guid Id, string Number, string Token)> IssueAsync(RegistryApp app, RegistryWorld world, string externalRef)
    {
        var row = (await (await app.ClientWithKey(world.CenterKey).PostAsJsonAsync("/api/v1/assessment-batches",
            new { rows = new[] { Row(externalRef, world.StandardCode, 90, 90) } })).ReadJsonAsync()).GetProperty("rows")[0];
        var id = row.GetProperty("certificateId").GetGuid();
        var token = await app.Db.ReadAsync(s => s.QuerySingleAsync<string>("SELECT token FROM certificates WHERE id = @id", new { id }));
        return (id, row.GetProperty("certificateNumber").GetString()!, token);
    }

    private static async Task<JsonElement> VerifyAsync(HttpClient client, string number, string? token = null, string? familyName = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/verify/{Uri.EscapeDataString(number)}"
            + (familyName is null ? "" : "?familyName=" + Uri.EscapeDataString(familyName)));
        if (token is not null) request.Headers.Add("X-Certificate-Token", token);
        return await (await client.SendAsync(request)).ReadJsonAsync();
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task A_valid_certificate_shows_initials_with_the_family_name_and_the_full_name_with_its_token(TestDatabase db)
    {
        var app = await fixture.For(db);
        var world = await app.CreateWorldAsync();
        var (_, number, token) = await IssueAsync(app, world, "v-1");
        var (_, _, otherToken) = await IssueAsync(app, world, "v-2");
        var anonymous = app.CreateClient();

        var masked = await VerifyAsync(anonymous, number, familyName: "Karimi");
        Assert.Equal("valid", masked.GetProperty("status").GetString());
        Assert.True(masked.GetProperty("holder").GetProperty("masked").GetBoolean());
        Assert.Equal("Z. K.", masked.GetProperty("holder").GetProperty("nameLatin").GetString());
        Assert.Equal("ز. ک.", masked.GetProperty("holder").GetProperty("nameFa").GetString());
        Assert.Equal(world.StandardCode, masked.GetProperty("standard").GetProperty("code").GetString());
        Assert.Matches(@"^1[34]\d\d/\d\d/\d\d$", masked.GetProperty("issuedOnSolarHijri").GetString());

        var full = await VerifyAsync(anonymous, number, token);
        Assert.False(full.GetProperty("holder").GetProperty("masked").GetBoolean());
        Assert.Equal("Zahra Karimi", full.GetProperty("holder").GetProperty("nameLatin").GetString());
        Assert.Equal("زهرا کریمی", full.GetProperty("holder").GetProperty("nameFa").GetString());

        var wrongToken = await VerifyAsync(anonymous, number, otherToken);
        Assert.Equal(JsonValueKind.Null, wrongToken.GetProperty("holder").ValueKind);
        Assert.False(wrongToken.GetProperty("tokenValid").GetBoolean());
        var forged = await VerifyAsync(anonymous, number, token[..^3] + (token[^3..] == "AAA" ? "BBB" : "AAA"));
        Assert.Equal(JsonValueKind.Null, forged.GetProperty("holder").ValueKind);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Revoked_expired_superseded_not_found_and_mistyped_numbers_each_say_so(TestDatabase db)
    {
        var app = await fixture.For(db);
        var world = await app.CreateWorldAsync();
        var admin = await app.AdminClientAsync();
        var anonymous = app.CreateClient();

        var (revokedId, revokedNumber, _) = await IssueAsync(app, world, "s-revoked");
        await admin.PostAsJsonAsync($"/api/v1/certificates/{revokedId}/revoke", new { reasonCode = "fraud", reason = "forged papers (private detail)" });
        var revoked = await VerifyAsync(anonymous, revokedNumber, familyName: "کریمی");
        Assert.Equal("revoked", revoked.GetProperty("status").GetString());
        Assert.Equal("fraud", revoked.GetProperty("revocation").GetProperty("reasonCode").GetString());
        Assert.DoesNotContain("private detail", revoked.ToString());
        // One shape per meaning: the verify answer names and writes dates as the certificate resource does.
        var resource = await (await admin.GetAsync($"/api/v1/certificates/{revokedId}")).ReadJsonAsync();
        Assert.Equal(resource.GetProperty("issuedOn").GetString(), revoked.GetProperty("issuedOn").GetString());
        Assert.Equal(resource.GetProperty("issuedOnSolarHijri").GetString(), revoked.GetProperty("issuedOnSolarHijri").GetString());
        Assert.Equal(resource.GetProperty("expiresOn").GetString(), revoked.GetProperty("expiresOn").GetString());
        Assert.Equal(resource.GetProperty("expiresOnSolarHijri").GetString(), revoked.GetProperty("expiresOnSolarHijri").GetString());
        Assert.Equal(resource.GetProperty("revocation").GetProperty("revokedAt").GetDateTimeOffset(),
            revoked.GetProperty("revocation").GetProperty("revokedAt").GetDateTimeOffset());
        Assert.Equal(TimeSpan.Zero, revoked.GetProperty("revocation").GetProperty("revokedAt").GetDateTimeOffset().Offset);
        Assert.Matches(@"^\d{4}-\d\d-\d\d$", revoked.GetProperty("issuedOn").GetString());

        var (expiredId, expiredNumber, _) = await IssueAsync(app, world, "s-expired");
        await app.Db.WriteAsync(s => s.ExecuteAsync("UPDATE certificates SET expires_on = @d WHERE id = @expiredId", new { d = new DateOnly(2024, 3, 19), expiredId }));
        var expired = await VerifyAsync(anonymous, expiredNumber, familyName: "Karimi");
        Assert.Equal("expired", expired.GetProperty("status").GetString());
        Assert.Equal("1402/12/29", expired.GetProperty("expiresOnSolarHijri").GetString());

        var (oldId, oldNumber, _) = await IssueAsync(app, world, "s-corrected");
        var replacement = await (await admin.PostAsJsonAsync($"/api/v1/certificates/{oldId}/corrections", new { reason = "typo", theoryScore = 91 }))
            .ReadJsonAsync(HttpStatusCode.Created);
        var superseded = await VerifyAsync(anonymous, oldNumber);
        Assert.Equal("superseded", superseded.GetProperty("status").GetString());
        Assert.Equal(replacement.GetProperty("number").GetString(), superseded.GetProperty("supersededBy").GetProperty("number").GetString());

        var unknown = CertificateNumber.Format(1399, "10", 9_999_998);
        Assert.Equal("not-found", (await VerifyAsync(anonymous, unknown)).GetProperty("status").GetString());
        var typo = oldNumber[..^1] + (oldNumber[^1] == '0' ? '1' : '0');
        var mistyped = await VerifyAsync(anonymous, typo);
        Assert.Equal("invalid-number", mistyped.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, mistyped.GetProperty("holder").ValueKind);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task A_superseded_standard_shows_its_current_equivalent(TestDatabase db)
    {
        var app = await fixture.For(db);
        var world = await app.CreateWorldAsync();
        var (_, number, _) = await IssueAsync(app, world, "eq-1");
        await app.SupersedeAsync(world.StandardId, world.StandardCode, new DateOnly(2026, 1, 1), equivalent: true);
        var answer = await VerifyAsync(app.CreateClient(), number);
        Assert.Equal("valid", answer.GetProperty("status").GetString());
        Assert.Equal(2, answer.GetProperty("currentStandard").GetProperty("version").GetInt32());
        Assert.True(answer.GetProperty("currentStandard").GetProperty("equivalent").GetBoolean());
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task The_page_is_bilingual_self_contained_and_the_keys_are_published(TestDatabase db)
    {
        var app = await fixture.For(db);
        var world = await app.CreateWorldAsync();
        var (_, number, _) = await IssueAsync(app, world, "page-1");
        var response = await app.CreateClient().GetAsync($"/verify/{number}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("dir=\"rtl\"", html);
        Assert.Contains("معتبر", html);
        Assert.Contains("Valid", html);
        Assert.DoesNotContain("Zahra", html); // masked: the page itself never has the full name
        Assert.DoesNotContain("http://", html.Replace("http://www.w3.org", ""));
        Assert.Contains("default-src 'none'", response.Headers.GetValues("Content-Security-Policy").Single());

        var jwks = await (await app.CreateClient().GetAsync("/.well-known/jwks.json")).ReadJsonAsync();
        var key = Assert.Single(jwks.GetProperty("keys").EnumerateArray());
        Assert.Equal("P-256", key.GetProperty("crv").GetString());
        Assert.False(key.TryGetProperty("d", out _)); // never the private part
        Assert.Equal(HttpStatusCode.NotFound, (await app.CreateClient().GetAsync("/verify/1405-10-0000001-Q")).StatusCode);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Verification_is_rate_limited_per_address_with_retry_after(TestDatabase db)
    {
        await using var app = await RegistryApp.StartAsync(db, new Dictionary<string, string?> { ["RateLimiting:Public:PermitLimit"] = "3" });
        var client = app.CreateClient();
        for (var i = 0; i < 3; i++) Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/verify/1405-10-0000001-Q")).StatusCode);
        var limited = await client.GetAsync("/api/v1/verify/1405-10-0000001-Q");
        var problem = await limited.AssertProblemAsync(HttpStatusCode.TooManyRequests);
        Assert.True(limited.Headers.RetryAfter is not null);
        Assert.Equal("https://www.rfc-editor.org/rfc/rfc6585#section-4", problem.GetProperty("type").GetString()); // the contract requires a type
    }
}
