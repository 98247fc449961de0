using System.Net;
using System.Net.Http.Json;
using SkillsRegistry.Api.Features.Statistics;
using SkillsRegistry.Tests.Support;

namespace SkillsRegistry.Tests.Statistics;

/// <summary>
/// The daily roll-up the statistics read is kept by database triggers: after every kind of write the API makes (issue,
/// failing result, revoke, void, correction, a trainee's gender and target groups changed) it equals a recount from the
/// base tables, and a rebuild restores it after it was damaged.
/// </summary>
public sealed class StatisticsRollupTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    private static async Task AssertRollupEqualsRecountAsync(StatisticsRollup rollup, string after)
    {
        var stored = await rollup.StoredAsync(CancellationToken.None);
        var recount = await rollup.RecountAsync(CancellationToken.None);
        Assert.True(stored.SequenceEqual(recount),
            $"After {after}: roll-up rows not in a recount: {string.Join("; ", stored.Except(recount))}; " +
            $"recounted rows missing from the roll-up: {string.Join("; ", recount.Except(stored))}");
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task The_rollup_equals_a_recount_after_issue_revoke_void_correct_and_trainee_changes(TestDatabase db)
    {
        var app = await fixture.For(db);
        var rollup = new StatisticsRollup(app.Db);
        var world = await app.CreateWorldAsync();
        var admin = await app.AdminClientAsync();
        var center = app.ClientWithKey(world.CenterKey);

        var revoked = await app.IssueCertificateAsync(world);
        var voided = await app.IssueCertificateAsync(world);
        var corrected = await app.IssueCertificateAsync(world);
        var personNationalId = RegistryWorlds.NewNationalId();
        var person = await app.IssueCertificateAsync(world, nationalId: personNationalId);
        await (await center.PostAsJsonAsync("/api/v1/assessment-batches",
            new { rows = new[] { RegistryWorlds.Row("fail-" + Guid.NewGuid().ToString("N")[..8], world.StandardCode, 20, 30) } })).ReadJsonAsync();
        await AssertRollupEqualsRecountAsync(rollup, "issuing");
        var counted = await rollup.StoredAsync(CancellationToken.None);
        Assert.Equal(5L, counted.Where(r => r.Measure == "assessments" && r.TargetGroup == "*").Sum(r => r.Records));
        Assert.Equal(4L, counted.Where(r => r.Measure == "certificates" && r.TargetGroup == "*").Sum(r => r.Records));

        await (await admin.PostAsJsonAsync($"/api/v1/certificates/{revoked.CertificateId}/revoke", new { reasonCode = "fraud", reason = "Forged" }))
            .ReadJsonAsync();
        await AssertRollupEqualsRecountAsync(rollup, "a revocation");

        await (await center.PostAsJsonAsync($"/api/v1/assessments/{voided.AssessmentId}/void", new { reason = "Wrong trainee" })).ReadJsonAsync();
        await AssertRollupEqualsRecountAsync(rollup, "a void");
        Assert.Equal(4L, (await rollup.StoredAsync(CancellationToken.None)).Where(r => r.Measure == "assessments" && r.TargetGroup == "*").Sum(r => r.Records));

        await (await center.PostAsJsonAsync($"/api/v1/certificates/{corrected.CertificateId}/corrections",
            new { reason = "Exam was a week later", theoryScore = 95, examDate = "2025-06-08" })).ReadJsonAsync(HttpStatusCode.Created);
        await AssertRollupEqualsRecountAsync(rollup, "a correction (new exam date)");

        var traineeId = await app.Db.ReadAsync(s => s.ExecuteScalarAsync<Guid>("SELECT trainee_id FROM assessments WHERE id = @id", new { id = person.AssessmentId }));
        var url = $"/api/v1/trainees/{traineeId}";
        var current = await admin.GetAsync(url);
        var put = new HttpRequestMessage(HttpMethod.Put, url)
        {
            Content = JsonContent.Create(TraineesTestData.Body(nationalId: personNationalId, gender: "male",
                targetGroups: ["university-graduates", "rural-job-seekers"])),
        };
        put.Headers.TryAddWithoutValidation("If-Match", current.Headers.ETag!.Tag);
        await (await admin.SendAsync(put)).ReadJsonAsync();
        await AssertRollupEqualsRecountAsync(rollup, "a trainee's gender and target groups changed");
        var moved = await rollup.StoredAsync(CancellationToken.None);
        Assert.Contains(moved, r => r.Gender == "male" && r.TargetGroup == "rural-job-seekers" && r.Measure == "certificates");

        current = await admin.GetAsync(url);
        put = new HttpRequestMessage(HttpMethod.Put, url)
        {
            Content = JsonContent.Create(TraineesTestData.Body(nationalId: personNationalId, gender: "male", targetGroups: [])),
        };
        put.Headers.TryAddWithoutValidation("If-Match", current.Headers.ETag!.Tag);
        await (await admin.SendAsync(put)).ReadJsonAsync();
        await AssertRollupEqualsRecountAsync(rollup, "a trainee leaving every target group");
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task A_rebuild_restores_a_damaged_rollup_and_the_statistics_with_it(TestDatabase db)
    {
        var app = await fixture.For(db);
        var rollup = new StatisticsRollup(app.Db);
        var world = await app.CreateWorldAsync();
        await app.IssueCertificateAsync(world);
        await app.IssueCertificateAsync(world);
        var admin = await app.AdminClientAsync();
        var before = await (await admin.GetAsync("/api/v1/statistics/certificates?groupBy=center,target-group")).Content.ReadAsStringAsync();

        await app.Db.WriteAsync(async s =>
        {
            await s.ExecuteAsync("DELETE FROM statistics_daily_target_groups");
            await s.ExecuteAsync("UPDATE statistics_daily SET records = records + 7");
        });
        Assert.NotEqual(before, await (await admin.GetAsync("/api/v1/statistics/certificates?groupBy=center,target-group")).Content.ReadAsStringAsync());

        await rollup.RebuildAsync(CancellationToken.None);

        await AssertRollupEqualsRecountAsync(rollup, "a rebuild");
        Assert.Equal(before, await (await admin.GetAsync("/api/v1/statistics/certificates?groupBy=center,target-group")).Content.ReadAsStringAsync());
    }
}
