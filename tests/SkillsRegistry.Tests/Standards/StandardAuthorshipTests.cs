using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using SkillsRegistry.Api.Infrastructure.Auth;
using SkillsRegistry.Tests.Support;
using static SkillsRegistry.Tests.Support.StandardsTestData;

namespace SkillsRegistry.Tests.Standards;

/// <summary>Issue 11, defects 4 and 7: who edits a draft, and what a partner learns about standards outside its sectors.</summary>
public sealed class StandardAuthorshipTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    private static string Url(JsonElement standard) => $"/api/v1/standards/{standard.GetProperty("id").GetString()}";

    private static Guid[] CoAuthors(JsonElement standard) =>
        standard.GetProperty("partners").EnumerateArray().Select(p => Guid.Parse(p.GetProperty("id").GetString()!)).ToArray();

    private async Task<(RegistryApp App, HttpClient Admin, Guid P1, HttpClient Partner1, Guid P4, HttpClient Partner4)> ArrangeAsync(TestDatabase db)
    {
        var app = await fixture.For(db);
        var p1 = await app.InsertPartnerAsync(sector: "cinema");
        var p4 = await app.InsertPartnerAsync(sector: "cinema");
        return (app, await app.AdminClientAsync(), p1, app.ClientWithKey(await app.CreateKeyAsync(ApiKeyRole.Partner, partnerId: p1)),
            p4, app.ClientWithKey(await app.CreateKeyAsync(ApiKeyRole.Partner, partnerId: p4)));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task A_partner_cannot_edit_another_partners_or_an_admins_draft_in_a_shared_sector(TestDatabase db)
    {
        var (_, admin, p1, partner1, p4, partner4) = await ArrangeAsync(db);
        var code = NewStandardCode();
        var (draft, etag) = await partner4.CreateStandardAsync(StandardBody(code, sector: "cinema"));

        var attack = await partner1.SendIfMatchAsync(HttpMethod.Put, Url(draft),
            StandardBody(code, sector: "cinema", theoryPassMark: 1, practicalPassMark: 1, partnerIds: [p1]), etag);
        var problem = await attack.AssertProblemAsync(HttpStatusCode.Forbidden);
        Assert.Contains("authors", problem.GetProperty("detail").GetString());

        var (adminDraft, adminETag) = await admin.CreateStandardAsync(StandardBody(NewStandardCode(), sector: "cinema"));
        await (await partner1.SendIfMatchAsync(HttpMethod.Put, Url(adminDraft),
            StandardBody(adminDraft.GetProperty("code").GetString()!, theoryPassMark: 1, practicalPassMark: 1), adminETag)).AssertProblemAsync(HttpStatusCode.Forbidden);

        var unchanged = await (await partner4.GetAsync(Url(draft))).ReadJsonAsync();
        Assert.Equal(50m, unchanged.GetProperty("theoryPassMark").GetDecimal());
        Assert.Equal([p4], CoAuthors(unchanged));
        Assert.Equal(etag, (await partner4.GetAsync(Url(draft))).Headers.ETag!.ToString());

        // The author edits its own draft.
        var edited = await (await partner4.SendIfMatchAsync(HttpMethod.Put, Url(draft), StandardBody(code, titleEn: "Edited by its author"), etag)).ReadJsonAsync();
        Assert.Equal("Edited by its author", edited.GetProperty("titleEn").GetString());
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task A_co_author_named_by_an_admin_edits_the_draft_but_cannot_change_its_co_authors(TestDatabase db)
    {
        var (_, admin, p1, partner1, p4, _) = await ArrangeAsync(db);
        var code = NewStandardCode();
        var (draft, etag) = await admin.CreateStandardAsync(StandardBody(code, sector: "cinema", partnerIds: [p1, p4]));

        var removal = await partner1.SendIfMatchAsync(HttpMethod.Put, Url(draft), StandardBody(code, partnerIds: [p1]), etag);
        Assert.NotEmpty((await removal.AssertProblemAsync(HttpStatusCode.Forbidden)).FieldErrors("partnerIds"));

        var response = await partner1.SendIfMatchAsync(HttpMethod.Put, Url(draft), StandardBody(code, theoryPassMark: 55), etag);
        var edited = await response.ReadJsonAsync();
        Assert.Equal(55m, edited.GetProperty("theoryPassMark").GetDecimal());
        Assert.Equal(new[] { p1, p4 }.Order(), CoAuthors(edited).Order());

        // A partner drafting a new standard cannot name co-authors either.
        var named = await partner1.PostAsJsonAsync("/api/v1/standards", StandardBody(NewStandardCode(), sector: "cinema", partnerIds: [p4]));
        Assert.NotEmpty((await named.AssertProblemAsync(HttpStatusCode.Forbidden)).FieldErrors("partnerIds"));
        var (own, _) = await partner1.CreateStandardAsync(StandardBody(NewStandardCode(), sector: "cinema", partnerIds: [p1]));
        Assert.Equal([p1], CoAuthors(own));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Outside_its_sectors_a_partner_gets_the_same_404_for_every_standard_whatever_its_state(TestDatabase db)
    {
        var (_, admin, _, partner1, _, _) = await ArrangeAsync(db);
        var craftCode = NewStandardCode();
        var (active, activeETag) = await admin.CreateActiveStandardAsync(StandardBody(craftCode, sector: "handicrafts"), new DateOnly(2024, 1, 1));
        var next = await (await admin.PostAsJsonAsync($"/api/v1/standards/{craftCode}/versions", new { })).ReadJsonAsync(HttpStatusCode.Created);
        var unknownCode = NewStandardCode();
        var unknownId = Guid.CreateVersion7();

        async Task<string> NotFoundDetail(HttpResponseMessage response) =>
            (await response.AssertProblemAsync(HttpStatusCode.NotFound)).GetProperty("detail").GetString()!;

        // Editing: the active version, the draft, and an id that does not exist answer alike.
        var activeId = active.GetProperty("id").GetString()!;
        Assert.Equal($"No standard version with id {activeId} is visible to this key.",
            await NotFoundDetail(await partner1.SendIfMatchAsync(HttpMethod.Put, Url(active), StandardBody(craftCode, sector: "cinema"), activeETag)));
        Assert.Equal($"No standard version with id {next.GetProperty("id").GetString()} is visible to this key.",
            await NotFoundDetail(await partner1.SendIfMatchAsync(HttpMethod.Put, Url(next), StandardBody(craftCode, sector: "cinema"), "\"v1\"")));
        Assert.Equal($"No standard version with id {unknownId} is visible to this key.",
            await NotFoundDetail(await partner1.SendIfMatchAsync(HttpMethod.Put, $"/api/v1/standards/{unknownId}", StandardBody(craftCode, sector: "cinema"), "\"v1\"")));

        // A next version of an existing code outside its sectors (which has a draft) and of an unknown code.
        foreach (var code in new[] { craftCode, unknownCode })
        {
            Assert.Equal($"No standard with code {code} is visible to this key.",
                await NotFoundDetail(await partner1.PostAsJsonAsync($"/api/v1/standards/{code}/versions", new { })));
            Assert.Equal($"No standard with code {code} is visible to this key.",
                await NotFoundDetail(await partner1.GetAsync($"/api/v1/standards/{code}/in-force")));
            Assert.Equal($"No standard with code {code} is visible to this key.",
                await NotFoundDetail(await partner1.GetAsync($"/api/v1/standards/{code}/versions")));
        }
    }
}
