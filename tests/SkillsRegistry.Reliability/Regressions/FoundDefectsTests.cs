using System.Net;
using System.Net.Http.Headers;
using SkillsRegistry.Api.Infrastructure.Text;
using SkillsRegistry.Api.Infrastructure.Auth;
using SkillsRegistry.Api.Infrastructure.Http;
using SkillsRegistry.Tests.Support;

namespace SkillsRegistry.Reliability.Regressions;

/// <summary>Defects the hostile-input run found, each pinned by the smallest request that showed it (they answered 500).</summary>
public sealed class FoundDefectsTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    [Fact]
    public void Search_normalisation_drops_what_Unicode_normalisation_cannot_take()
    {
        // Built in code: lone surrogates do not survive as attribute data.
        Assert.Equal("karimi", PersianText.NormalizeForSearch("\uFFFF\uFFFEkarimi"));
        Assert.Equal("karimi", PersianText.NormalizeForSearch(new string('\uD800', 1) + "karimi"));
        Assert.Equal("karimi", PersianText.NormalizeForSearch("kar" + new string('\uDC00', 1) + "imi\uFDD0"));
        Assert.Equal("zahra 😀", PersianText.NormalizeForSearch("Zahra 😀"));
    }

    [Fact]
    public void A_page_far_past_the_end_has_a_positive_offset()
    {
        var errors = new ValidationErrors();
        var (_, _, offset) = Paging.Normalize(int.MaxValue, 2, errors);
        Assert.True(errors.IsEmpty);
        Assert.True(offset >= 0, $"offset {offset}");
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task A_search_for_noncharacters_finds_nothing_instead_of_failing(TestDatabase db)
    {
        var app = await fixture.For(db);
        var admin = await app.AdminClientAsync();
        foreach (var url in new[] { "/api/v1/standards?q=%EF%BF%BF%EF%BF%BE", "/api/v1/centers/export.csv?q=%EF%BF%BF", "/api/v1/trainees?q=%ED%A0%80x" })
        {
            var response = await admin.GetAsync(url);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{url}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task A_NUL_character_in_a_query_or_a_name_is_a_bad_request(TestDatabase db)
    {
        var app = await fixture.For(db);
        var admin = await app.AdminClientAsync();
        var search = await admin.GetAsync("/api/v1/standards?sector=a%00b");
        Assert.True((int)search.StatusCode is 200 or 400, $"{(int)search.StatusCode} {await search.Content.ReadAsStringAsync()}");
        if (search.StatusCode == HttpStatusCode.BadRequest) await search.AssertProblemAsync(HttpStatusCode.BadRequest);
        var trainees = await admin.GetAsync("/api/v1/trainees?q=x%00y");
        Assert.True((int)trainees.StatusCode is 200 or 400, $"{(int)trainees.StatusCode} {await trainees.Content.ReadAsStringAsync()}");
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task The_last_int_page_of_the_audit_log_is_empty(TestDatabase db)
    {
        var app = await fixture.For(db);
        var admin = await app.AdminClientAsync();
        var page = await (await admin.GetAsync("/api/v1/audit?page=2147483647&pageSize=2")).ReadJsonAsync();
        Assert.Equal(0, page.GetProperty("items").GetArrayLength());
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task A_refusal_is_a_problem_even_when_the_client_accepts_no_JSON(TestDatabase db)
    {
        var app = await fixture.For(db);
        var center = app.CreateClient();
        center.DefaultRequestHeaders.Add(ApiKeyAuthenticationHandler.HeaderName, await app.CreateKeyAsync(ApiKeyRole.Center, centerId: await app.InsertCenterAsync()));
        center.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("text/csv"));
        await (await center.GetAsync("/api/v1/audit")).AssertProblemAsync(HttpStatusCode.Forbidden);

        var anonymous = app.CreateClient();
        anonymous.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("text/html"));
        anonymous.DefaultRequestHeaders.Add(ApiKeyAuthenticationHandler.HeaderName, ApiKeySecret.Generate());
        await (await anonymous.GetAsync("/api/v1/standards")).AssertProblemAsync(HttpStatusCode.Unauthorized);
        await (await anonymous.GetAsync("/api/v1/nothing-here")).AssertProblemAsync(HttpStatusCode.NotFound);
    }
}
