using System.Net.Http.Json;
using System.Text.Json;
using SkillsRegistry.Api.Features.ApiKeys;
using SkillsRegistry.Api.Infrastructure.Auth;
using SkillsRegistry.Tests.Support;
using static SkillsRegistry.Tests.Support.RegistryWorlds;

namespace SkillsRegistry.Reliability.Processes;

/// <summary>
/// Two service processes on one PostgreSQL database, each caching verification answers: a certificate revoked through one is
/// revoked on the very next verification through the other (PostgreSQL NOTIFY on commit), without any wait in between.
/// </summary>
public sealed class TwoInstanceVerificationTests
{
    private const int Certificates = 100;

    [ReliabilityTheory, OnPostgres]
    public async Task A_certificate_revoked_through_one_instance_is_revoked_at_once_through_the_other(TestDatabase database)
    {
        await using var app = await RegistryApp.StartAsync(database);
        var world = await app.CreateWorldAsync();
        var adminKey = await app.CreateKeyAsync(ApiKeyRole.Admin);
        var issued = await IssueAsync(app, world);
        var settings = ServiceProcess.Settings(ReliabilitySettings.ProviderOf(database), app.DataDirectory, app.ConnectionString);
        await using var a = await ServiceProcess.StartAsync(settings);
        await using var b = await ServiceProcess.StartAsync(settings);
        using var adminOnA = Client(a, adminKey);
        using var publicOnA = Client(a, null);
        using var publicOnB = Client(b, null);

        var stale = new List<string>();
        foreach (var (id, number) in issued)
        {
            // Twice on B, so its answer is held in B's memory; once on A, so A's is too.
            Assert.Equal("valid", await StatusAsync(publicOnB, number));
            Assert.Equal("valid", await StatusAsync(publicOnB, number));
            Assert.Equal("valid", await StatusAsync(publicOnA, number));

            (await adminOnA.PostAsJsonAsync($"/api/v1/certificates/{id}/revoke", new { reasonCode = "issued-in-error", reason = "two-instance test" }))
                .EnsureSuccessStatusCode();

            var onB = await StatusAsync(publicOnB, number);
            if (onB != "revoked") stale.Add($"{number}: {onB} on B");
            Assert.Equal("revoked", await StatusAsync(publicOnA, number));
        }
        Assert.True(stale.Count == 0, $"{stale.Count} of {Certificates} stale answers on the other instance: {string.Join("; ", stale.Take(10))}");
    }

    private static async Task<List<(Guid Id, string Number)>> IssueAsync(RegistryApp app, RegistryWorld world)
    {
        var rows = Enumerable.Range(0, Certificates).Select(i => Row($"two-verify-{i}", world.StandardCode, 90, 90)).ToArray();
        var response = await (await app.ClientWithKey(world.CenterKey).PostAsJsonAsync("/api/v1/assessment-batches", new { rows })).ReadJsonAsync();
        return response.GetProperty("rows").EnumerateArray()
            .Select(r => (r.GetProperty("certificateId").GetGuid(), r.GetProperty("certificateNumber").GetString()!))
            .ToList();
    }

    private static async Task<string?> StatusAsync(HttpClient client, string number)
    {
        var answer = await client.GetFromJsonAsync<JsonElement>($"/api/v1/verify/{number}");
        return answer.GetProperty("status").GetString();
    }

    private static HttpClient Client(ServiceProcess service, string? key)
    {
        var client = new HttpClient { BaseAddress = service.BaseAddress, Timeout = TimeSpan.FromSeconds(120) };
        if (key is not null) client.DefaultRequestHeaders.Add(ApiKeyAuthenticationHandler.HeaderName, key);
        return client;
    }
}
