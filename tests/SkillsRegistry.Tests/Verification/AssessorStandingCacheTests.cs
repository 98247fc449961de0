using System.Diagnostics;
using SkillsRegistry.Api.Features.Verification;
using SkillsRegistry.Tests.Practitioners;
using SkillsRegistry.Tests.Support;

namespace SkillsRegistry.Tests.Verification;

/// <summary>
/// The public answer says whether a result's assessor still counts for its exam date: a withdrawn qualification shows on
/// the very next verification, not when the cached answer's lifetime ends.
/// </summary>
public sealed class AssessorStandingCacheTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    private static async Task<string> StandingAsync(RegistryApp app, string number)
    {
        var answer = await (await app.CreateClient().GetAsync($"/api/v1/verify/{number}?familyName=Karimi")).ReadJsonAsync();
        return answer.GetProperty("assessor").GetProperty("standing").GetString()!;
    }

    private static async Task<(IssuedTestCertificate Certificate, Guid Practitioner, Guid Qualification)> CachedAsync(RegistryApp app)
    {
        var world = await app.CreateWorldAsync();
        var certificate = await app.IssueCertificateAsync(world);
        Assert.Equal("current", await StandingAsync(app, certificate.Number));
        Assert.True(app.Service<VerificationCache>().TryGet(certificate.Number, out _), "the answer should be cached after a verification");
        var (practitioner, qualification) = await ForCauseReviewTests.WorldAssessorAsync(app, world.StandardCode);
        return (certificate, practitioner, qualification);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Withdrawing_the_assessors_qualification_from_before_the_exam_shows_on_the_next_verification(TestDatabase db)
    {
        var app = await fixture.For(db);
        var (certificate, practitioner, qualification) = await CachedAsync(app);

        (await ForCauseReviewTests.WithdrawAsync(await app.AdminClientAsync(), practitioner, qualification, forCause: true,
            from: new DateOnly(2020, 1, 1))).EnsureSuccessStatusCode();

        Assert.Equal("not-current", await StandingAsync(app, certificate.Number));
    }

    /// <summary>Other instances hear it from the database (db/postgres/0020), whichever path made the change.</summary>
    [Theory, OnPostgres]
    public async Task A_withdrawal_made_outside_the_service_reaches_the_cache_through_the_database(TestDatabase db)
    {
        var app = await fixture.For(db);
        var (certificate, _, qualification) = await CachedAsync(app);

        await app.Db.WriteAsync(s => s.ExecuteAsync("""
            UPDATE practitioner_qualifications SET withdrawn_from = @from, withdrawal_reason = 'psql', withdrawn_for_cause = true WHERE id = @qualification
            """, new { from = new DateOnly(2020, 1, 1), qualification }));

        // The notification arrives asynchronously; the cached answer would otherwise live for 30 minutes.
        var waited = Stopwatch.StartNew();
        while (await StandingAsync(app, certificate.Number) == "current")
        {
            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(60), "the withdrawal never reached the cached answer");
            await Task.Delay(20);
        }
    }
}
