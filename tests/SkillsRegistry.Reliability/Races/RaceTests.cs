using System.Net;
using System.Net.Http.Json;
using SkillsRegistry.Tests.Support;
using Xunit.Abstractions;

namespace SkillsRegistry.Reliability.Races;

/// <summary>Many clients at once on the same batch and the same certificate: one record each, one consistent end state.</summary>
public sealed class RaceTests(ITestOutputHelper output)
{
    [ReliabilityTheory, OnSqlite, OnPostgres]
    public async Task A_hundred_concurrent_submissions_of_one_batch_record_each_row_once(TestDatabase database)
    {
        await using var app = await RegistryApp.StartAsync(database);
        var world = await app.CreateWorldAsync();
        var admin = await app.AdminClientAsync();
        var rows = RegistryChecks.Rows("RACE", 20, world: world);
        var passing = rows.Count(r => r.Passes);
        var key = Guid.NewGuid().ToString();

        var responses = await Task.WhenAll(Enumerable.Range(0, 100).Select(async i =>
        {
            using var client = app.ClientWithKey(world.CenterKey);
            using var request = RegistryChecks.BatchRequest(rows.Select(r => r.Row), i % 2 == 0 ? key : null);
            using var response = await client.SendAsync(request);
            return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
        }));
        Assert.All(responses, r => Assert.True(r.Item1 == 200, $"{r.Item1}: {r.Item2}"));

        Assert.Equal(20, await RegistryChecks.ScalarAsync(app.Db, "SELECT COUNT(*) FROM assessments WHERE center_id = @c", new { c = world.CenterId }));
        Assert.Equal(passing, await RegistryChecks.ScalarAsync(app.Db, "SELECT COUNT(*) FROM certificates WHERE center_id = @c", new { c = world.CenterId }));
        Assert.Equal(1, await RegistryChecks.ScalarAsync(app.Db, "SELECT COUNT(DISTINCT batch_id) FROM assessments WHERE center_id = @c", new { c = world.CenterId }));
        await RegistryChecks.AssertAuditChainIntactAsync(admin);
    }

    [ReliabilityTheory, OnSqlite, OnPostgres]
    public async Task Concurrent_revocations_and_corrections_leave_one_consistent_certificate(TestDatabase database)
    {
        await using var app = await RegistryApp.StartAsync(database);
        var world = await app.CreateWorldAsync();
        var admin = await app.AdminClientAsync();
        var batch = await RegistryChecks.PostBatchAsync(app.ClientWithKey(world.CenterKey), [RegistryWorlds.Row("RACE-CERT", world.StandardCode, 80, 75)], null);
        var certificateId = batch.GetProperty("rows")[0].GetProperty("certificateId").GetGuid();

        var calls = Enumerable.Range(0, 40).Select(async i =>
        {
            using var client = app.ClientWithKey((await app.CreateKeyAsync(Api.Infrastructure.Auth.ApiKeyRole.Admin)));
            var response = i % 2 == 0
                ? await client.PostAsJsonAsync($"/api/v1/certificates/{certificateId}/revoke", new { reasonCode = "issued-in-error", reason = $"race {i}" })
                : await client.PostAsJsonAsync($"/api/v1/certificates/{certificateId}/corrections", new { reason = $"race {i}", theoryScore = 60 + i });
            return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
        }).ToList();
        var results = await Task.WhenAll(calls);
        output.WriteLine(string.Join(", ", results.GroupBy(r => r.Item1).Select(g => $"{g.Key}×{g.Count()}")));
        Assert.All(results, r => Assert.True(r.Item1 is 200 or 201 or 409, $"{r.Item1}: {r.Item2}"));

        var status = await app.Db.ReadAsync(s => s.QuerySingleAsync<string>("SELECT status FROM certificates WHERE id = @certificateId", new { certificateId }));
        var replacements = await RegistryChecks.ScalarAsync(app.Db, "SELECT COUNT(*) FROM certificates WHERE replaces_certificate_id = @certificateId", new { certificateId });
        var validReplacements = await RegistryChecks.ScalarAsync(app.Db, "SELECT COUNT(*) FROM certificates WHERE replaces_certificate_id = @certificateId AND status = 'valid'", new { certificateId });
        if (status == "revoked") Assert.Equal(0, replacements);
        else
        {
            Assert.Equal("superseded", status);
            Assert.Equal(1, replacements);
            Assert.Equal(1, validReplacements);
            Assert.DoesNotContain(results, r => r.Item1 == 200); // once superseded, every revocation of the old number is refused
        }
        await RegistryChecks.AssertAuditChainIntactAsync(admin);
    }
}
