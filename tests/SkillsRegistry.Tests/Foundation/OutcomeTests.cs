using Microsoft.AspNetCore.Http.HttpResults;
using SkillsRegistry.Api.Infrastructure.Outcomes;
using SkillsRegistry.Api.Infrastructure.Problems;
using SkillsRegistry.Tests.Support;

namespace SkillsRegistry.Tests.Foundation;

public sealed class OutcomeTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    [Theory, OnSqlite, OnPostgres]
    public async Task A_rejected_write_leaves_nothing_behind_and_a_successful_one_commits(TestDatabase db)
    {
        var app = await fixture.For(db);
        var code = "OUTCOME-" + Guid.NewGuid().ToString("N")[..8];
        const string insert = "INSERT INTO schema_migrations (name, checksum, applied_at) VALUES (@code, 'x', '2026-01-01T00:00:00Z')";
        const string count = "SELECT COUNT(*) FROM schema_migrations WHERE name = @code";

        var refused = await app.Db.TryWriteAsync<int>(async s =>
        {
            await s.ExecuteAsync(insert, new { code });
            return Rejection.Conflict("refused after writing");
        });
        Assert.False(refused.Succeeded);
        Assert.Equal("refused after writing", refused.Rejection!.Detail);
        Assert.Equal(0, await app.Db.ReadAsync(s => s.ExecuteScalarAsync<long>(count, new { code })));

        var done = await app.Db.TryWriteAsync<int>(async s => await s.ExecuteAsync(insert, new { code }));
        Assert.Equal(1, done.Value);
        Assert.Equal(1, await app.Db.ReadAsync(s => s.ExecuteScalarAsync<long>(count, new { code })));
        await app.Db.WriteAsync(s => s.ExecuteAsync("DELETE FROM schema_migrations WHERE name = @code", new { code }));
    }

    [Fact]
    public void Each_rejection_becomes_the_problem_a_client_expects()
    {
        ProblemHttpResult Map(Rejection r) => r.ToProblem();
        Assert.Equal(404, Map(Rejection.NotFound("No center.")).StatusCode);
        Assert.Equal(403, Map(Rejection.Forbidden("Not yours.")).StatusCode);
        Assert.Equal(409, Map(Rejection.Conflict("Taken.")).StatusCode);
        Assert.Equal(422, Map(Rejection.Unprocessable("Expired.")).StatusCode);
        Assert.Equal(428, Map(Rejection.VersionRequired("Send If-Match.")).StatusCode);

        var stale = Map(Rejection.Stale(7));
        Assert.Equal(412, stale.StatusCode);
        Assert.Contains("\"v7\"", stale.ProblemDetails.Detail);

        var invalid = Map(Rejection.InvalidField("provinceCode", "No province has code 99."));
        Assert.Equal(400, invalid.StatusCode);
        var errors = Assert.IsType<Dictionary<string, string[]>>(invalid.ProblemDetails.Extensions["errors"]);
        Assert.Equal(["No province has code 99."], errors["provinceCode"]);

        var rule = Map(Rejection.UnprocessableField("expiresOn", "must follow issuedOn."));
        Assert.Equal(422, rule.StatusCode);
        Assert.Contains("expiresOn", rule.ProblemDetails.Detail);
        Assert.True(rule.ProblemDetails.Extensions.ContainsKey("errors"));
    }
}
