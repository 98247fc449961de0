using System.Net;
using System.Net.Http.Json;
using SkillsRegistry.Tests.Support;
using static SkillsRegistry.Tests.Support.StandardsTestData;

namespace SkillsRegistry.Tests.Practitioners;

/// <summary>A standard version says what it asks of its assessors: refresher hours within a period (both or neither), a partner assessor.</summary>
public sealed class StandardAssessorRequirementTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    [Theory, OnSqlite, OnPostgres]
    public async Task Refresher_hours_and_their_period_come_together_and_are_shown_on_the_version(TestDatabase db)
    {
        var app = await fixture.For(db);
        var admin = await app.AdminClientAsync();
        var code = "RQ" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();

        var halfBody = StandardBody(code);
        halfBody["refresherHours"] = 16;
        var half = await (await admin.PostAsJsonAsync("/api/v1/standards", halfBody)).AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.NotEmpty(half.FieldErrors("refresherMonths"));

        var body = StandardBody(code);
        body["refresherHours"] = 16;
        body["refresherMonths"] = 24;
        body["requiresPartnerAssessor"] = true;
        var (created, _) = await admin.CreateStandardAsync(body);
        var assessors = created.GetProperty("assessors");
        Assert.Equal(16, assessors.GetProperty("refresherHours").GetInt32());
        Assert.Equal(24, assessors.GetProperty("refresherMonths").GetInt32());
        Assert.True(assessors.GetProperty("requiresPartnerAssessor").GetBoolean());

        var plain = (await admin.CreateStandardAsync(StandardBody("RP" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant()))).Standard.GetProperty("assessors");
        Assert.Equal(System.Text.Json.JsonValueKind.Null, plain.GetProperty("refresherHours").ValueKind);
        Assert.False(plain.GetProperty("requiresPartnerAssessor").GetBoolean());
    }
}
