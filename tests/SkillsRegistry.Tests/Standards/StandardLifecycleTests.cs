using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using SkillsRegistry.Api.Features.Standards;
using SkillsRegistry.Tests.Support;

namespace SkillsRegistry.Tests.Standards;

[Trait("Clock", "sensitive")]
public sealed class StandardLifecycleTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    private static string Id(JsonElement standard) => standard.GetProperty("id").GetString()!;

    [Theory, OnSqlite, OnPostgres]
    public async Task A_draft_is_created_read_with_its_ETag_activated_and_every_step_is_audited(TestDatabase db)
    {
        var app = await fixture.For(db);
        var admin = await app.AdminClientAsync();
        var code = StandardsTestData.NewStandardCode();

        var (draft, etag) = await admin.CreateStandardAsync(StandardsTestData.StandardBody(code, theoryPassMark: 62.5m));
        Assert.Equal("draft", draft.GetProperty("status").GetString());
        Assert.Equal(1, draft.GetProperty("version").GetInt32());
        Assert.Equal(62.5m, draft.GetProperty("theoryPassMark").GetDecimal());
        Assert.Equal(JsonValueKind.Null, draft.GetProperty("effectiveFrom").ValueKind);
        Assert.Equal("\"v1\"", etag);

        var get = await admin.GetAsync($"/api/v1/standards/{Id(draft)}");
        var read = await get.ReadJsonAsync();
        Assert.Equal(etag, get.Headers.ETag!.ToString());
        Assert.Equal("فیلم‌برداری مستند", read.GetProperty("titleFa").GetString());

        var activate = await admin.SendIfMatchAsync(HttpMethod.Post, $"/api/v1/standards/{Id(draft)}/activate", null, etag);
        var active = await activate.ReadJsonAsync();
        Assert.Equal("active", active.GetProperty("status").GetString());
        Assert.Equal(app.Today.ToString("yyyy-MM-dd"), active.GetProperty("effectiveFrom").GetString());
        Assert.Equal("\"v2\"", activate.Headers.ETag!.ToString());

        var actions = await app.Db.ReadAsync(s => s.QueryAsync<string>(
            "SELECT action FROM audit_log WHERE entity = 'standard' AND entity_id = @id ORDER BY seq", new { id = Id(draft) }));
        Assert.Equal(["create", "activate"], actions);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Editing_an_active_version_is_refused_because_a_change_is_a_new_version(TestDatabase db)
    {
        var app = await fixture.For(db);
        var admin = await app.AdminClientAsync();
        var code = StandardsTestData.NewStandardCode();
        var (active, etag) = await admin.CreateActiveStandardAsync(StandardsTestData.StandardBody(code), new DateOnly(2024, 1, 1));

        var edit = StandardsTestData.StandardBody(code, titleEn: "Changed");
        var problem = await (await admin.SendIfMatchAsync(HttpMethod.Put, $"/api/v1/standards/{Id(active)}", edit, etag))
            .AssertProblemAsync(HttpStatusCode.Conflict);
        var detail = problem.GetProperty("detail").GetString()!;
        Assert.Contains("immutable", detail);
        Assert.Contains($"/api/v1/standards/{code}/versions", detail);

        var unchanged = await (await admin.GetAsync($"/api/v1/standards/{Id(active)}")).ReadJsonAsync();
        Assert.Equal("Documentary camera operator", unchanged.GetProperty("titleEn").GetString());
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task A_draft_edit_needs_If_Match_and_a_stale_ETag_is_refused(TestDatabase db)
    {
        var app = await fixture.For(db);
        var admin = await app.AdminClientAsync();
        var code = StandardsTestData.NewStandardCode();
        var (draft, etag) = await admin.CreateStandardAsync(StandardsTestData.StandardBody(code));
        var url = $"/api/v1/standards/{Id(draft)}";
        var edit = StandardsTestData.StandardBody(code, titleEn: "Documentary camera operator (revised)", validityMonths: null);

        await (await admin.SendIfMatchAsync(HttpMethod.Put, url, edit, null)).AssertProblemAsync(HttpStatusCode.PreconditionRequired);

        var ok = await admin.SendIfMatchAsync(HttpMethod.Put, url, edit, etag);
        var updated = await ok.ReadJsonAsync();
        Assert.Equal("Documentary camera operator (revised)", updated.GetProperty("titleEn").GetString());
        Assert.Equal(JsonValueKind.Null, updated.GetProperty("validityMonths").ValueKind);
        Assert.Equal("\"v2\"", ok.Headers.ETag!.ToString());

        var stale = await (await admin.SendIfMatchAsync(HttpMethod.Put, url, edit, etag)).AssertProblemAsync(HttpStatusCode.PreconditionFailed);
        Assert.Contains("\"v2\"", stale.GetProperty("detail").GetString());
        await (await admin.SendIfMatchAsync(HttpMethod.Post, $"{url}/activate", null, etag)).AssertProblemAsync(HttpStatusCode.PreconditionFailed);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task A_new_version_supersedes_the_old_one_and_the_history_shows_the_link(TestDatabase db)
    {
        var app = await fixture.For(db);
        var admin = await app.AdminClientAsync();
        var code = StandardsTestData.NewStandardCode();
        var (v1, v1ETag) = await admin.CreateActiveStandardAsync(StandardsTestData.StandardBody(code), new DateOnly(2024, 1, 1));

        var v2 = await (await admin.PostAsJsonAsync($"/api/v1/standards/{code}/versions", new { theoryHours = 60 }))
            .ReadJsonAsync(HttpStatusCode.Created);
        Assert.Equal(2, v2.GetProperty("version").GetInt32());
        Assert.Equal("draft", v2.GetProperty("status").GetString());
        Assert.Equal(60, v2.GetProperty("theoryHours").GetInt32());
        Assert.Equal("Documentary camera operator", v2.GetProperty("titleEn").GetString()); // copied from version 1

        // While version 1 is active, version 2 cannot simply be activated.
        var conflict = await (await admin.SendIfMatchAsync(HttpMethod.Post, $"/api/v1/standards/{Id(v2)}/activate", null, "\"v1\""))
            .AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.Contains("supersed", conflict.GetProperty("detail").GetString());

        var supersede = await admin.SendIfMatchAsync(HttpMethod.Post, $"/api/v1/standards/{Id(v1)}/supersede",
            new { replacementId = Id(v2), equivalent = true, effectiveFrom = new DateOnly(2025, 3, 1) }, v1ETag);
        var result = await supersede.ReadJsonAsync();
        Assert.Equal("superseded", result.GetProperty("superseded").GetProperty("status").GetString());
        Assert.Equal("active", result.GetProperty("replacement").GetProperty("status").GetString());

        var history = (await (await admin.GetAsync($"/api/v1/standards/{code}/versions")).ReadJsonAsync()).GetProperty("items").EnumerateArray().ToList();
        Assert.Equal([2, 1], history.Select(v => v.GetProperty("version").GetInt32()));
        // The history is paged like every other list: one version per page here, newest first.
        var secondPage = await (await admin.GetAsync($"/api/v1/standards/{code}/versions?page=2&pageSize=1")).ReadJsonAsync();
        Assert.Equal(2, secondPage.GetProperty("total").GetInt64());
        Assert.Equal(2, secondPage.GetProperty("page").GetInt32());
        Assert.Equal([1], secondPage.GetProperty("items").EnumerateArray().Select(v => v.GetProperty("version").GetInt32()));
        var badSize = await (await admin.GetAsync($"/api/v1/standards/{code}/versions?pageSize=0")).AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.NotEmpty(badSize.FieldErrors("pageSize"));
        var old = history[1];
        Assert.Equal("superseded", old.GetProperty("status").GetString());
        Assert.Equal("2024-01-01", old.GetProperty("effectiveFrom").GetString());
        Assert.Equal("2025-02-28", old.GetProperty("effectiveTo").GetString());
        var link = old.GetProperty("supersededBy");
        Assert.Equal(Id(v2), link.GetProperty("id").GetString());
        Assert.Equal(code, link.GetProperty("code").GetString());
        Assert.Equal(2, link.GetProperty("version").GetInt32());
        Assert.True(link.GetProperty("equivalent").GetBoolean());
        Assert.Equal("2025-03-01", history[0].GetProperty("effectiveFrom").GetString());
        Assert.Equal(Id(v1), history[0].GetProperty("supersedes")[0].GetProperty("id").GetString());

        var actions = await app.Db.ReadAsync(s => s.QueryAsync<string>(
            "SELECT action FROM audit_log WHERE entity = 'standard' AND entity_id IN (@a, @b) ORDER BY seq", new { a = Id(v1), b = Id(v2) }));
        Assert.Equal(["create", "activate", "create", "supersede", "activate"], actions);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task The_version_in_force_on_a_date_follows_the_supersession_boundary(TestDatabase db)
    {
        var app = await fixture.For(db);
        var admin = await app.AdminClientAsync();
        var code = StandardsTestData.NewStandardCode();
        var (v1, v1ETag) = await admin.CreateActiveStandardAsync(StandardsTestData.StandardBody(code), new DateOnly(2024, 1, 1));
        var v2 = await (await admin.PostAsync($"/api/v1/standards/{code}/versions", null)).ReadJsonAsync(HttpStatusCode.Created);
        (await admin.SendIfMatchAsync(HttpMethod.Post, $"/api/v1/standards/{Id(v1)}/supersede",
            new { replacementId = Id(v2), equivalent = false, effectiveFrom = new DateOnly(2025, 3, 1) }, v1ETag)).EnsureSuccessStatusCode();

        async Task<int> VersionOn(string date) =>
            (await (await admin.GetAsync($"/api/v1/standards/{code}/in-force?on={date}")).ReadJsonAsync()).GetProperty("version").GetInt32();
        Assert.Equal(1, await VersionOn("2024-01-01"));
        Assert.Equal(1, await VersionOn("2025-02-28"));
        Assert.Equal(2, await VersionOn("2025-03-01"));
        Assert.Equal(2, await VersionOn(app.Today.AddYears(5).ToString("yyyy-MM-dd")));

        var before = await (await admin.GetAsync($"/api/v1/standards/{code}/in-force?on=2023-12-31")).AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.Contains("2023-12-31", before.GetProperty("detail").GetString());

        // The same resolution, as the assessments feature calls it inside its own transaction.
        var repository = app.Service<StandardRepository>();
        var (dayBefore, dayOf, tooEarly, second) = await app.Db.ReadAsync(async s => (
            await repository.FindInForceAsync(s, code, new DateOnly(2025, 2, 28)),
            await repository.FindInForceAsync(s, code, new DateOnly(2025, 3, 1)),
            await repository.FindInForceAsync(s, code, new DateOnly(2023, 12, 31)),
            await repository.FindVersionAsync(s, code, 2)));
        Assert.Equal((1, StandardStatus.Superseded, new DateOnly(2025, 2, 28)), (dayBefore!.Version, dayBefore.Status, dayBefore.EffectiveTo!.Value));
        Assert.Equal(2, dayOf!.Version);
        Assert.Equal(70m, dayOf.PracticalPassMark);
        Assert.Equal(60, dayOf.ValidityMonths);
        Assert.Null(tooEarly);
        Assert.Equal(Guid.Parse(Id(v2)), second!.Id);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task A_standard_can_map_to_another_code_and_a_withdrawn_version_stops_being_in_force(TestDatabase db)
    {
        var app = await fixture.For(db);
        var admin = await app.AdminClientAsync();
        var oldCode = StandardsTestData.NewStandardCode("OLD");
        var newCode = StandardsTestData.NewStandardCode("NEW");
        var (old, oldETag) = await admin.CreateActiveStandardAsync(StandardsTestData.StandardBody(oldCode), new DateOnly(2024, 1, 1));
        var (target, _) = await admin.CreateStandardAsync(StandardsTestData.StandardBody(newCode, titleEn: "Camera operator"));

        var mapped = await (await admin.SendIfMatchAsync(HttpMethod.Post, $"/api/v1/standards/{Id(old)}/supersede",
            new { replacementId = Id(target), equivalent = false, effectiveFrom = new DateOnly(2024, 7, 1) }, oldETag)).ReadJsonAsync();
        var link = mapped.GetProperty("superseded").GetProperty("supersededBy");
        Assert.Equal(newCode, link.GetProperty("code").GetString());
        Assert.False(link.GetProperty("equivalent").GetBoolean());
        Assert.Equal("2024-07-01", mapped.GetProperty("replacement").GetProperty("effectiveFrom").GetString());

        var current = await admin.GetAsync($"/api/v1/standards/{Id(target)}");
        var withdraw = await admin.SendIfMatchAsync(HttpMethod.Post, $"/api/v1/standards/{Id(target)}/withdraw",
            new { reason = "Occupation no longer trained", effectiveTo = new DateOnly(2025, 6, 30) }, current.Headers.ETag!.ToString());
        var withdrawn = await withdraw.ReadJsonAsync();
        Assert.Equal("withdrawn", withdrawn.GetProperty("status").GetString());
        Assert.Equal("Occupation no longer trained", withdrawn.GetProperty("statusReason").GetString());

        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync($"/api/v1/standards/{newCode}/in-force?on=2025-06-30")).StatusCode);
        await (await admin.GetAsync($"/api/v1/standards/{newCode}/in-force?on=2025-07-01")).AssertProblemAsync(HttpStatusCode.NotFound);

        // Withdrawn is final: it cannot be withdrawn again or superseded.
        await (await admin.SendIfMatchAsync(HttpMethod.Post, $"/api/v1/standards/{Id(target)}/withdraw",
            new { reason = "again" }, withdraw.Headers.ETag!.ToString())).AssertProblemAsync(HttpStatusCode.Conflict);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task A_supersession_must_start_after_the_old_version_took_effect(TestDatabase db)
    {
        var app = await fixture.For(db);
        var admin = await app.AdminClientAsync();
        var code = StandardsTestData.NewStandardCode();
        var (v1, v1ETag) = await admin.CreateActiveStandardAsync(StandardsTestData.StandardBody(code), new DateOnly(2024, 1, 1));
        var v2 = await (await admin.PostAsync($"/api/v1/standards/{code}/versions", null)).ReadJsonAsync(HttpStatusCode.Created);

        var problem = await (await admin.SendIfMatchAsync(HttpMethod.Post, $"/api/v1/standards/{Id(v1)}/supersede",
            new { replacementId = Id(v2), equivalent = true, effectiveFrom = new DateOnly(2024, 1, 1) }, v1ETag))
            .AssertProblemAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Contains("2024-01-01", problem.FieldErrors("effectiveFrom")[0]);

        // Nothing changed: version 1 is still the active one.
        var history = (await (await admin.GetAsync($"/api/v1/standards/{code}/versions")).ReadJsonAsync()).GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(["draft", "active"], history.Select(v => v.GetProperty("status").GetString()));

        // And a second draft of the same code is refused while one exists.
        var second = await (await admin.PostAsync($"/api/v1/standards/{code}/versions", null)).AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.Contains(Id(v2), second.GetProperty("detail").GetString());
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task A_supersession_refused_after_the_old_version_was_changed_leaves_nothing_behind(TestDatabase db)
    {
        var app = await fixture.For(db);
        var admin = await app.AdminClientAsync();
        var oldCode = StandardsTestData.NewStandardCode("OLD");
        var newCode = StandardsTestData.NewStandardCode("NEW");
        var (old, oldETag) = await admin.CreateActiveStandardAsync(StandardsTestData.StandardBody(oldCode), new DateOnly(2024, 1, 1));
        await admin.CreateActiveStandardAsync(StandardsTestData.StandardBody(newCode), new DateOnly(2024, 1, 1));
        var draft = await (await admin.PostAsync($"/api/v1/standards/{newCode}/versions", null)).ReadJsonAsync(HttpStatusCode.Created);

        // The old version is ended first; activating the draft of a code with an active version is then refused.
        var problem = await (await admin.SendIfMatchAsync(HttpMethod.Post, $"/api/v1/standards/{Id(old)}/supersede",
            new { replacementId = Id(draft), equivalent = true, effectiveFrom = new DateOnly(2024, 7, 1) }, oldETag))
            .AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.Contains("already has an active version", problem.GetProperty("detail").GetString());

        var reread = await admin.GetAsync($"/api/v1/standards/{Id(old)}");
        var stillActive = await reread.ReadJsonAsync();
        Assert.Equal(("active", JsonValueKind.Null), (stillActive.GetProperty("status").GetString(), stillActive.GetProperty("supersededBy").ValueKind));
        Assert.Equal(oldETag, reread.Headers.ETag!.ToString());
        Assert.Equal("draft", (await (await admin.GetAsync($"/api/v1/standards/{Id(draft)}")).ReadJsonAsync()).GetProperty("status").GetString());
        var audited = await app.Db.ReadAsync(s => s.QueryAsync<string>(
            "SELECT action FROM audit_log WHERE entity = 'standard' AND entity_id = @id ORDER BY seq", new { id = Id(old) }));
        Assert.Equal(["create", "activate"], audited.ToArray());
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Creating_an_existing_code_again_points_to_the_versions_endpoint(TestDatabase db)
    {
        var app = await fixture.For(db);
        var admin = await app.AdminClientAsync();
        var code = StandardsTestData.NewStandardCode();
        await admin.CreateStandardAsync(StandardsTestData.StandardBody(code));
        var problem = await (await admin.PostAsJsonAsync("/api/v1/standards", StandardsTestData.StandardBody(code.ToLowerInvariant())))
            .AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.Contains($"/api/v1/standards/{code}/versions", problem.GetProperty("detail").GetString());
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Unknown_ids_and_codes_are_404_problems(TestDatabase db)
    {
        var app = await fixture.For(db);
        var admin = await app.AdminClientAsync();
        await (await admin.GetAsync($"/api/v1/standards/{Guid.CreateVersion7()}")).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await admin.GetAsync("/api/v1/standards/NO-SUCH-CODE/versions")).AssertProblemAsync(HttpStatusCode.NotFound);
        var problem = await (await admin.GetAsync("/api/v1/standards/NO-SUCH-CODE/in-force?on=2025-01-01")).AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.Contains("NO-SUCH-CODE", problem.GetProperty("detail").GetString());
        await (await admin.SendIfMatchAsync(HttpMethod.Post, $"/api/v1/standards/{Guid.CreateVersion7()}/activate", null, "\"v1\""))
            .AssertProblemAsync(HttpStatusCode.NotFound);
    }
}
