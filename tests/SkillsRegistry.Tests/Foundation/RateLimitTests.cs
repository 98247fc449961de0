using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.Configuration;
using SkillsRegistry.Api.Infrastructure.Auth;
using SkillsRegistry.Tests.Support;

namespace SkillsRegistry.Tests.Foundation;

/// <summary>
/// Budgets per API key and per client address. Each test sets tiny buckets that refill once a minute and spends them:
/// nothing waits for time to pass.
/// </summary>
public sealed class RateLimitTests
{
    private static async Task AssertTooManyAsync(HttpResponseMessage response, string mentions)
    {
        var problem = await response.AssertProblemAsync(HttpStatusCode.TooManyRequests);
        Assert.Contains(mentions, problem.GetProperty("detail").GetString());
        var retryAfter = Assert.Single(response.Headers.GetValues("Retry-After"));
        Assert.True(int.Parse(retryAfter) >= 1, $"Retry-After: {retryAfter}");
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task A_key_that_spends_its_read_budget_gets_429_with_Retry_After_while_other_keys_go_on(TestDatabase db)
    {
        await using var app = await RegistryApp.StartAsync(db, new Dictionary<string, string?>
        {
            ["RateLimiting:PerKey:Reads:TokenLimit"] = "5",
            ["RateLimiting:PerKey:Reads:TokensPerMinute"] = "1",
        });
        var busy = await app.AdminClientAsync();
        var other = await app.AdminClientAsync();

        for (var i = 0; i < 5; i++) Assert.Equal(HttpStatusCode.OK, (await busy.GetAsync("/api/v1/trainees")).StatusCode);
        HttpResponseMessage? refused = null;
        for (var i = 0; i < 20 && refused is null; i++)
        {
            var response = await busy.GetAsync("/api/v1/trainees");
            if (response.StatusCode == HttpStatusCode.TooManyRequests) refused = response;
        }

        Assert.NotNull(refused);
        await AssertTooManyAsync(refused, "reads");
        Assert.Equal(HttpStatusCode.OK, (await other.GetAsync("/api/v1/trainees")).StatusCode);
        // Public endpoints count per address, not against the key.
        Assert.NotEqual(HttpStatusCode.TooManyRequests, (await busy.GetAsync("/api/v1/verify/1405-10-0000007-8")).StatusCode);
        // Writes have their own bucket: the key can still create things.
        var created = await busy.PostAsJsonAsync("/api/v1/api-keys", new { name = "after-reads", role = "admin" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Batch_submissions_spend_a_budget_of_rows(TestDatabase db)
    {
        await using var app = await RegistryApp.StartAsync(db, new Dictionary<string, string?>
        {
            ["RateLimiting:PerKey:BatchRows:TokenLimit"] = "3",
            ["RateLimiting:PerKey:BatchRows:TokensPerMinute"] = "1",
        });
        var world = await app.CreateWorldAsync();
        var center = app.ClientWithKey(world.CenterKey);
        object Batch(int rows) => new { rows = Enumerable.Range(0, rows).Select(i => new { externalRef = $"rl-{Guid.NewGuid():N}" }).ToArray() };

        Assert.Equal(HttpStatusCode.OK, (await center.PostAsJsonAsync("/api/v1/assessment-batches", Batch(2))).StatusCode); // 1 row left
        await AssertTooManyAsync(await center.PostAsJsonAsync("/api/v1/assessment-batches", Batch(2)), "rows");
        Assert.Equal(HttpStatusCode.OK, (await center.PostAsJsonAsync("/api/v1/assessment-batches", Batch(1))).StatusCode);
    }

    private static HttpClient LoopbackClient(RegistryApp app) =>
        new() { BaseAddress = new Uri(app.Service<IConfiguration>()["Registry:PublicBaseUrl"]!) };

    [Fact]
    public async Task A_client_cannot_reset_its_public_budget_by_sending_X_Forwarded_For_itself()
    {
        // The registry trusts only the operator's proxy (here a documentation address that never connects), not the client on loopback.
        await using var app = await RegistryApp.StartOnLoopbackAsync(TestDatabase.Sqlite, new Dictionary<string, string?>
        {
            ["RateLimiting:Public:PermitLimit"] = "3",
            ["ForwardedHeaders:KnownProxies:0"] = "192.0.2.1",
        });
        using var client = LoopbackClient(app);
        var statuses = new List<HttpStatusCode>();
        for (var i = 1; i <= 5; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/stats");
            request.Headers.Add("X-Forwarded-For", $"198.51.100.{i}");
            statuses.Add((await client.SendAsync(request)).StatusCode);
        }
        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests], statuses);
    }

    [Fact]
    public async Task Behind_a_trusted_proxy_each_forwarded_client_has_its_own_public_budget()
    {
        // Default: a proxy on this host (loopback) is trusted, so the address it forwards is the one counted.
        await using var app = await RegistryApp.StartOnLoopbackAsync(TestDatabase.Sqlite, new Dictionary<string, string?>
        {
            ["RateLimiting:Public:PermitLimit"] = "3",
        });
        using var client = LoopbackClient(app);
        async Task<HttpStatusCode> AsAsync(string address)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/stats");
            request.Headers.Add("X-Forwarded-For", address);
            return (await client.SendAsync(request)).StatusCode;
        }

        for (var i = 0; i < 3; i++) Assert.Equal(HttpStatusCode.OK, await AsAsync("198.51.100.7"));
        Assert.Equal(HttpStatusCode.TooManyRequests, await AsAsync("198.51.100.7"));
        Assert.Equal(HttpStatusCode.OK, await AsAsync("198.51.100.8"));
    }
}
