using System.Net;
using SkillsRegistry.Api.Features.ApiKeys;
using SkillsRegistry.Api.Infrastructure.Auth;
using SkillsRegistry.Tests.Support;

namespace SkillsRegistry.Reliability.Processes;

/// <summary>Two service processes on one PostgreSQL database: no double issue, and a key revoked on one is refused by the other.</summary>
public sealed class TwoInstanceTests
{
    [ReliabilityTheory, OnPostgres]
    public async Task Two_instances_issue_one_certificate_per_row_and_share_revocations(TestDatabase database)
    {
        await using var app = await RegistryApp.StartAsync(database);
        var world = await app.CreateWorldAsync();
        var adminKey = await app.CreateKeyAsync(ApiKeyRole.Admin);
        var settings = ServiceProcess.Settings(ReliabilitySettings.ProviderOf(database), app.DataDirectory, app.ConnectionString);
        await using var a = await ServiceProcess.StartAsync(settings);
        await using var b = await ServiceProcess.StartAsync(settings);
        using var centerOnA = Client(a, world.CenterKey);
        using var centerOnB = Client(b, world.CenterKey);

        var passing = 0;
        for (var batch = 0; batch < 4; batch++)
        {
            var rows = RegistryChecks.Rows("TWO", 100, batch * 100, world: world);
            passing += rows.Count(r => r.Passes);
            var key = batch % 2 == 0 ? null : Guid.NewGuid().ToString();
            var results = await Task.WhenAll(new[] { centerOnA, centerOnB }.Select(async client =>
            {
                using var request = RegistryChecks.BatchRequest(rows.Select(r => r.Row), key);
                using var response = await client.SendAsync(request);
                return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
            }));
            Assert.All(results, r => Assert.True(r.Item1 == 200, $"{r.Item1}: {r.Item2}"));
        }
        Assert.Equal(400, await RegistryChecks.ScalarAsync(app.Db, "SELECT COUNT(*) FROM assessments WHERE center_id = @c", new { c = world.CenterId }));
        Assert.Equal(passing, await RegistryChecks.ScalarAsync(app.Db, "SELECT COUNT(*) FROM certificates WHERE center_id = @c", new { c = world.CenterId }));

        var second = (await app.Service<ApiKeyRepository>().CreateAsync(new NewApiKey("second", ApiKeyRole.Center, world.CenterId, null, null), Caller.System, default)).Value;
        using var secondOnB = Client(b, second.Key);
        Assert.Equal(HttpStatusCode.OK, (await secondOnB.GetAsync("/api/v1/certificates")).StatusCode);
        using var adminOnA = Client(a, adminKey);
        Assert.Equal(HttpStatusCode.OK, (await adminOnA.PostAsync($"/api/v1/api-keys/{second.ApiKey.Id}/revoke", null)).StatusCode);
        await (await secondOnB.GetAsync("/api/v1/certificates")).AssertProblemAsync(HttpStatusCode.Unauthorized);

        await RegistryChecks.AssertAuditChainIntactAsync(Client(b, adminKey));
    }

    private static HttpClient Client(ServiceProcess service, string key)
    {
        var client = new HttpClient { BaseAddress = service.BaseAddress, Timeout = TimeSpan.FromSeconds(120) };
        client.DefaultRequestHeaders.Add(ApiKeyAuthenticationHandler.HeaderName, key);
        return client;
    }
}
