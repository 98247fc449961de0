using System.Net;
using System.Net.Http.Json;
using SkillsRegistry.Api.Infrastructure.Auth;
using SkillsRegistry.Tests.Support;

namespace SkillsRegistry.Tests.Standards;

public sealed class StandardAccessTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    [Theory, OnSqlite, OnPostgres]
    public async Task A_partner_drafts_in_its_sectors_and_is_recorded_as_drafter_and_co_author(TestDatabase db)
    {
        var app = await fixture.For(db);
        var partnerId = await app.InsertPartnerAsync(sector: "cinema");
        var partner = app.ClientWithKey(await app.CreateKeyAsync(ApiKeyRole.Partner, partnerId: partnerId));

        var (draft, _) = await partner.CreateStandardAsync(StandardsTestData.StandardBody(StandardsTestData.NewStandardCode(), sector: "cinema"));
        Assert.Equal(partnerId.ToString(), draft.GetProperty("draftedByPartnerId").GetString());
        Assert.Equal([partnerId.ToString()], draft.GetProperty("partners").EnumerateArray().Select(p => p.GetProperty("id").GetString()));

        var stored = await app.Db.ReadAsync(s => s.ExecuteScalarAsync<long>(
            "SELECT COUNT(*) FROM standard_partners WHERE standard_id = @id AND partner_id = @partnerId",
            new { id = Guid.Parse(draft.GetProperty("id").GetString()!), partnerId }));
        Assert.Equal(1, stored);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task A_partner_cannot_draft_outside_its_sectors(TestDatabase db)
    {
        var app = await fixture.For(db);
        var partnerId = await app.InsertPartnerAsync(sector: "cinema");
        var partner = app.ClientWithKey(await app.CreateKeyAsync(ApiKeyRole.Partner, partnerId: partnerId));

        var response = await partner.PostAsJsonAsync("/api/v1/standards",
            StandardsTestData.StandardBody(StandardsTestData.NewStandardCode(), sector: "handicrafts"));
        var problem = await response.AssertProblemAsync(HttpStatusCode.Forbidden);
        Assert.Contains("handicrafts", problem.GetProperty("detail").GetString());
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task A_partner_cannot_draft_after_its_agreement_ended(TestDatabase db)
    {
        var app = await fixture.For(db);
        var partnerId = await app.InsertPartnerAsync(sector: "cinema", signedOn: new DateOnly(2020, 1, 1), endsOn: new DateOnly(2024, 6, 30));
        var partner = app.ClientWithKey(await app.CreateKeyAsync(ApiKeyRole.Partner, partnerId: partnerId));

        var response = await partner.PostAsJsonAsync("/api/v1/standards",
            StandardsTestData.StandardBody(StandardsTestData.NewStandardCode(), sector: "cinema"));
        var problem = await response.AssertProblemAsync(HttpStatusCode.Forbidden);
        Assert.Contains("ended on 2024-06-30", problem.GetProperty("detail").GetString());
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task A_partner_edits_drafts_in_its_sectors_only_and_never_changes_the_lifecycle(TestDatabase db)
    {
        var app = await fixture.For(db);
        var admin = await app.AdminClientAsync();
        var partnerId = await app.InsertPartnerAsync(sector: "cinema");
        var partner = app.ClientWithKey(await app.CreateKeyAsync(ApiKeyRole.Partner, partnerId: partnerId));
        var cinemaCode = StandardsTestData.NewStandardCode();
        var (cinema, cinemaETag) = await admin.CreateStandardAsync(StandardsTestData.StandardBody(cinemaCode, sector: "cinema", partnerIds: [partnerId]));
        var craftCode = StandardsTestData.NewStandardCode();
        var (craft, craftETag) = await admin.CreateStandardAsync(StandardsTestData.StandardBody(craftCode, sector: "handicrafts"));
        var cinemaUrl = $"/api/v1/standards/{cinema.GetProperty("id").GetString()}";

        var edited = await (await partner.SendIfMatchAsync(HttpMethod.Put, cinemaUrl,
            StandardsTestData.StandardBody(cinemaCode, titleEn: "Edited by partner"), cinemaETag)).ReadJsonAsync();
        Assert.Equal("Edited by partner", edited.GetProperty("titleEn").GetString());

        await (await partner.SendIfMatchAsync(HttpMethod.Put, $"/api/v1/standards/{craft.GetProperty("id").GetString()}",
            StandardsTestData.StandardBody(craftCode, sector: "handicrafts"), craftETag)).AssertProblemAsync(HttpStatusCode.NotFound);
        // Moving its own draft into a sector it does not cover is refused too.
        await (await partner.SendIfMatchAsync(HttpMethod.Put, cinemaUrl,
            StandardsTestData.StandardBody(cinemaCode, sector: "handicrafts"), "\"v2\"")).AssertProblemAsync(HttpStatusCode.Forbidden);

        var activate = await partner.SendIfMatchAsync(HttpMethod.Post, $"{cinemaUrl}/activate", null, "\"v2\"");
        var problem = await activate.AssertProblemAsync(HttpStatusCode.Forbidden);
        Assert.Contains("admin", problem.GetProperty("detail").GetString());
        var stillDraft = await (await partner.GetAsync(cinemaUrl)).ReadJsonAsync();
        Assert.Equal("draft", stillDraft.GetProperty("status").GetString());
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task A_center_reads_standards_but_cannot_create_them(TestDatabase db)
    {
        var app = await fixture.For(db);
        var center = app.ClientWithKey(await app.CreateKeyAsync(ApiKeyRole.Center, centerId: await app.InsertCenterAsync()));
        var code = StandardsTestData.NewStandardCode();

        var problem = await (await center.PostAsJsonAsync("/api/v1/standards", StandardsTestData.StandardBody(code)))
            .AssertProblemAsync(HttpStatusCode.Forbidden);
        Assert.Contains("center", problem.GetProperty("detail").GetString());
        Assert.Equal(0, (await (await center.GetAsync($"/api/v1/standards?code={code}")).ReadJsonAsync()).GetProperty("total").GetInt64());

        var admin = await app.AdminClientAsync();
        await admin.CreateStandardAsync(StandardsTestData.StandardBody(code));
        Assert.Equal(1, (await (await center.GetAsync($"/api/v1/standards?code={code}")).ReadJsonAsync()).GetProperty("total").GetInt64());
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Reading_standards_needs_a_key(TestDatabase db)
    {
        var app = await fixture.For(db);
        await (await app.CreateClient().GetAsync("/api/v1/standards")).AssertProblemAsync(HttpStatusCode.Unauthorized);
    }
}
