using System.Net;
using System.Net.Http.Json;
using SkillsRegistry.Api.Infrastructure.Auth;
using SkillsRegistry.Tests.Support;

namespace SkillsRegistry.Tests.Foundation;

public sealed class AuthenticationTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    [Theory, OnSqlite, OnPostgres]
    public async Task A_request_without_a_key_gets_401_problem_naming_the_header(TestDatabase db)
    {
        var app = await fixture.For(db);
        var response = await app.CreateClient().GetAsync("/api/v1/api-keys");
        var problem = await response.AssertProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Contains("X-Api-Key", problem.GetProperty("detail").GetString());
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task A_wrong_key_gets_401(TestDatabase db)
    {
        var app = await fixture.For(db);
        var real = await app.CreateKeyAsync(ApiKeyRole.Admin);
        var forged = real[..^4] + (real[^4..] == "AAAA" ? "BBBB" : "AAAA"); // same prefix, different secret
        var response = await app.ClientWithKey(forged).GetAsync("/api/v1/api-keys");
        await response.AssertProblemAsync(HttpStatusCode.Unauthorized);
        response = await app.ClientWithKey("not-a-key").GetAsync("/api/v1/api-keys");
        await response.AssertProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task A_revoked_key_is_refused_on_the_next_request(TestDatabase db)
    {
        var app = await fixture.For(db);
        var admin = await app.AdminClientAsync();
        var created = await (await admin.PostAsJsonAsync("/api/v1/api-keys", new { name = "temp", role = "admin" }))
            .ReadJsonAsync(HttpStatusCode.Created);
        var key = created.GetProperty("key").GetString()!;
        var id = created.GetProperty("apiKey").GetProperty("id").GetString();
        var temp = app.ClientWithKey(key);
        Assert.Equal(HttpStatusCode.OK, (await temp.GetAsync("/api/v1/api-keys")).StatusCode);

        (await admin.PostAsync($"/api/v1/api-keys/{id}/revoke", null)).EnsureSuccessStatusCode();
        var again = await admin.PostAsync($"/api/v1/api-keys/{id}/revoke", null);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);

        var problem = await (await temp.GetAsync("/api/v1/api-keys")).AssertProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Contains("revoked", problem.GetProperty("detail").GetString());
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task An_expired_key_is_refused(TestDatabase db)
    {
        var app = await fixture.For(db);
        var admin = await app.AdminClientAsync();
        var created = await (await admin.PostAsJsonAsync("/api/v1/api-keys",
            new { name = "short-lived", role = "admin", expiresAt = app.Clock.GetUtcNow().AddMinutes(5) })).ReadJsonAsync(HttpStatusCode.Created);
        var id = Guid.Parse(created.GetProperty("apiKey").GetProperty("id").GetString()!);
        await app.Db.WriteAsync(s => s.ExecuteAsync("UPDATE api_keys SET expires_at = @past WHERE id = @id",
            new { past = app.Clock.GetUtcNow().AddMinutes(-1), id }));

        var response = await app.ClientWithKey(created.GetProperty("key").GetString()!).GetAsync("/api/v1/api-keys");
        var problem = await response.AssertProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Contains("expired", problem.GetProperty("detail").GetString());
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task A_valid_key_with_the_wrong_role_gets_403_not_401(TestDatabase db)
    {
        var app = await fixture.For(db);
        var centerKey = await app.CreateKeyAsync(ApiKeyRole.Center, centerId: await app.InsertCenterAsync());
        var response = await app.ClientWithKey(centerKey).GetAsync("/api/v1/api-keys");
        var problem = await response.AssertProblemAsync(HttpStatusCode.Forbidden);
        Assert.Contains("center", problem.GetProperty("detail").GetString());
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Listing_keys_never_shows_a_secret_or_its_hash(TestDatabase db)
    {
        var app = await fixture.For(db);
        var key = await app.CreateKeyAsync(ApiKeyRole.Admin, name: "listed");
        var body = await app.ClientWithKey(key).GetStringAsync("/api/v1/api-keys?pageSize=200");
        Assert.Contains("listed", body);
        Assert.Contains(key[..12], body); // the prefix is the non-secret handle
        Assert.DoesNotContain(key, body);
        Assert.DoesNotContain("hash", body, StringComparison.OrdinalIgnoreCase);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Creating_a_center_key_without_its_center_is_a_field_error(TestDatabase db)
    {
        var app = await fixture.For(db);
        var admin = await app.AdminClientAsync();
        var response = await admin.PostAsJsonAsync("/api/v1/api-keys", new { name = "c", role = "center" });
        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.NotEmpty(problem.FieldErrors("centerId"));
        response = await admin.PostAsJsonAsync("/api/v1/api-keys", new { name = "c", role = "superuser" });
        problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("admin, center, partner", problem.FieldErrors("role")[0]);
        response = await admin.PostAsJsonAsync("/api/v1/api-keys", new { name = "c", role = "center", centerId = Guid.CreateVersion7() });
        problem = await response.AssertProblemAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Contains("No training center", problem.FieldErrors("centerId")[0]);
    }

    [Fact]
    public void Keys_are_256_random_bits_and_only_their_prefix_is_a_handle()
    {
        var a = ApiKeySecret.Generate();
        var b = ApiKeySecret.Generate();
        Assert.NotEqual(a, b);
        Assert.True(ApiKeySecret.LooksValid(a));
        Assert.Equal(47, a.Length); // "srk_" + 43 base64url chars = 256 bits
        Assert.True(ApiKeySecret.Matches(a, Convert.ToHexString(ApiKeySecret.Hash(a))));
        Assert.False(ApiKeySecret.Matches(b, Convert.ToHexString(ApiKeySecret.Hash(a))));
    }
}
