using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using SkillsRegistry.Api.Features.Certificates;
using SkillsRegistry.Tests.Support;
using static SkillsRegistry.Tests.Support.RegistryWorlds;

namespace SkillsRegistry.Tests.Assessments;

[Trait("Clock", "sensitive")]
public sealed class AssessmentBatchTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    private static async Task<JsonElement> SubmitAsync(HttpClient client, object batch, string? idempotencyKey = null, HttpStatusCode expected = HttpStatusCode.OK)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/assessment-batches") { Content = JsonContent.Create(batch) };
        if (idempotencyKey is not null) request.Headers.Add("Idempotency-Key", idempotencyKey);
        return await (await client.SendAsync(request)).ReadJsonAsync(expected);
    }

    private static JsonElement RowResult(JsonElement response, int index) => response.GetProperty("rows")[index];

    private static string[] Errors(JsonElement row, string field) =>
        row.GetProperty("errors").GetProperty(field).EnumerateArray().Select(e => e.GetString()!).ToArray();

    [Theory, OnSqlite, OnPostgres]
    public async Task Exactly_the_pass_marks_pass_and_a_tenth_below_fails(TestDatabase db)
    {
        var app = await fixture.For(db);
        var world = await app.CreateWorldAsync(theoryPassMark: 50, practicalPassMark: 60);
        var client = app.ClientWithKey(world.CenterKey);
        var response = await SubmitAsync(client, new
        {
            rows = new[]
            {
                Row("ok-exact", world.StandardCode, 50, 60),
                Row("theory-short", world.StandardCode, 49.9m, 100),
                Row("practical-short", world.StandardCode, 100, 59.9m),
            },
        });
        Assert.Equal(3, response.GetProperty("recorded").GetInt32());
        var passed = RowResult(response, 0);
        Assert.Equal("recorded", passed.GetProperty("result").GetString());
        Assert.Equal("passed", passed.GetProperty("outcome").GetString());
        Assert.True(CertificateNumber.TryNormalize(passed.GetProperty("certificateNumber").GetString(), out var number));
        Assert.StartsWith($"{SkillsRegistry.Api.Infrastructure.Text.RegistryCalendar.SolarHijriYear(app.Today)}-10-", number);
        foreach (var i in new[] { 1, 2 })
        {
            Assert.Equal("failed", RowResult(response, i).GetProperty("outcome").GetString());
            Assert.Equal(JsonValueKind.Null, RowResult(response, i).GetProperty("certificateNumber").ValueKind);
        }
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Each_rule_rejects_its_row_with_a_precise_reason_and_the_other_rows_are_recorded(TestDatabase db)
    {
        var app = await fixture.For(db);
        var world = await app.CreateWorldAsync();
        var outOfScope = "X" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();
        await app.InsertStandardAsync(outOfScope, 1, "active", LicensedFrom, null);
        var v2From = new DateOnly(2025, 9, 1);
        await app.SupersedeAsync(world.StandardId, world.StandardCode, v2From);
        var tomorrow = app.Today.AddDays(1);

        var response = await SubmitAsync(app.ClientWithKey(world.CenterKey), new
        {
            rows = new object?[]
            {
                Row("before-licence", world.StandardCode, 80, 80, examDate: new DateOnly(2023, 12, 31)),
                Row("not-in-scope", outOfScope, 80, 80),
                Row("version-not-yet", world.StandardCode, 80, 80, examDate: new DateOnly(2025, 8, 31), standardVersion: 2),
                Row("future", world.StandardCode, 80, 80, examDate: tomorrow),
                Row("too-high", world.StandardCode, 101, 80),
                Row("two-decimals", world.StandardCode, 70.25m, 80),
                Row("fine", world.StandardCode, 80, 80),
                null,
            },
        });
        Assert.Contains("licence", Errors(RowResult(response, 0), "rows[0].examDate")[0]);
        Assert.Contains("scope", Errors(RowResult(response, 1), "rows[1].standardCode")[0]);
        Assert.Contains("not in force on 2025-08-31", Errors(RowResult(response, 2), "rows[2].standardVersion")[0]);
        Assert.Contains("future", Errors(RowResult(response, 3), "rows[3].examDate")[0]);
        Assert.NotEmpty(Errors(RowResult(response, 4), "rows[4].theoryScore"));
        Assert.Contains("one decimal", Errors(RowResult(response, 5), "rows[5].theoryScore")[0]);
        Assert.Equal("recorded", RowResult(response, 6).GetProperty("result").GetString());
        Assert.NotEmpty(Errors(RowResult(response, 7), "rows[7]"));
        Assert.Equal(1, response.GetProperty("recorded").GetInt32());
        Assert.Equal(7, response.GetProperty("rejected").GetInt32());
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Without_a_version_the_version_in_force_on_the_exam_date_is_used(TestDatabase db)
    {
        var app = await fixture.For(db);
        var world = await app.CreateWorldAsync();
        var cutover = new DateOnly(2025, 9, 1);
        var v2 = await app.SupersedeAsync(world.StandardId, world.StandardCode, cutover);
        var response = await SubmitAsync(app.ClientWithKey(world.CenterKey), new
        {
            rows = new[] { Row("old-rules", world.StandardCode, 80, 80, examDate: cutover.AddDays(-1)), Row("new-rules", world.StandardCode, 80, 80, examDate: cutover) },
        });
        var admin = await app.AdminClientAsync();
        async Task<Guid> StandardOf(int row) =>
            (await (await admin.GetAsync($"/api/v1/assessments/{RowResult(response, row).GetProperty("assessmentId").GetGuid()}")).ReadJsonAsync())
            .GetProperty("standardId").GetGuid();
        Assert.Equal(world.StandardId, await StandardOf(0));
        Assert.Equal(v2, await StandardOf(1));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task A_row_sent_again_is_already_recorded_with_its_original_result(TestDatabase db)
    {
        var app = await fixture.For(db);
        var world = await app.CreateWorldAsync();
        var client = app.ClientWithKey(world.CenterKey);
        var first = RowResult(await SubmitAsync(client, new { rows = new[] { Row("r-1", world.StandardCode, 90, 90) } }), 0);
        var again = RowResult(await SubmitAsync(client, new { rows = new[] { Row("r-1", world.StandardCode, 10, 10) } }), 0);
        Assert.Equal("already-recorded", again.GetProperty("result").GetString());
        Assert.Equal(first.GetProperty("assessmentId").GetGuid(), again.GetProperty("assessmentId").GetGuid());
        Assert.Equal(first.GetProperty("certificateNumber").GetString(), again.GetProperty("certificateNumber").GetString());
        Assert.Equal("passed", again.GetProperty("outcome").GetString());
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task A_retry_with_the_same_idempotency_key_gets_the_identical_response(TestDatabase db)
    {
        var app = await fixture.For(db);
        var world = await app.CreateWorldAsync();
        var client = app.ClientWithKey(world.CenterKey);
        var batch = new { rows = new[] { Row("i-1", world.StandardCode, 90, 90), Row("i-2", world.StandardCode, 10, 10) } };
        var key = Guid.NewGuid().ToString();

        using var first = await client.SendAsync(new HttpRequestMessage(HttpMethod.Post, "/api/v1/assessment-batches")
            { Content = JsonContent.Create(batch), Headers = { { "Idempotency-Key", key } } });
        using var replay = await client.SendAsync(new HttpRequestMessage(HttpMethod.Post, "/api/v1/assessment-batches")
            { Content = JsonContent.Create(batch), Headers = { { "Idempotency-Key", key } } });
        Assert.Equal(HttpStatusCode.OK, replay.StatusCode);
        Assert.Equal(await first.Content.ReadAsStringAsync(), await replay.Content.ReadAsStringAsync());
        Assert.True(replay.Headers.Contains("Idempotency-Replayed"));

        var different = new { rows = new[] { Row("i-3", world.StandardCode, 90, 90) } };
        using var misuse = await client.SendAsync(new HttpRequestMessage(HttpMethod.Post, "/api/v1/assessment-batches")
            { Content = JsonContent.Create(different), Headers = { { "Idempotency-Key", key } } });
        await misuse.AssertProblemAsync(HttpStatusCode.UnprocessableEntity);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Fifty_parallel_submissions_of_one_batch_record_each_row_once(TestDatabase db)
    {
        var app = await fixture.For(db);
        var world = await app.CreateWorldAsync();
        var client = app.ClientWithKey(world.CenterKey);
        var rows = Enumerable.Range(0, 10).Select(i => Row($"par-{i}", world.StandardCode, i % 3 == 0 ? 10 : 90, 90)).ToArray();
        var key = Guid.NewGuid().ToString();
        var responses = await Task.WhenAll(Enumerable.Range(0, 50).Select(async i =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/assessment-batches") { Content = JsonContent.Create(new { rows }) };
            if (i % 2 == 0) request.Headers.Add("Idempotency-Key", key);
            using var response = await client.SendAsync(request);
            return (response.StatusCode, Body: await response.Content.ReadAsStringAsync());
        }));
        Assert.All(responses, r => Assert.True(r.StatusCode == HttpStatusCode.OK, r.Body));

        var counts = await app.Db.ReadAsync(s => s.QuerySingleAsync<(long Assessments, long Certificates)>("""
            SELECT (SELECT COUNT(*) FROM assessments WHERE center_id = @c AND external_ref LIKE 'par-%'),
                   (SELECT COUNT(*) FROM certificates WHERE center_id = @c)
            """, new { c = world.CenterId }));
        Assert.Equal(10, counts.Assessments);
        Assert.Equal(6, counts.Certificates); // rows 0, 3, 6, 9 fail
        var keyed = responses.Where((_, i) => i % 2 == 0).Select(r => r.Body).Distinct().ToList();
        Assert.Single(keyed); // every keyed response is the one stored response
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task A_known_identity_is_matched_not_duplicated(TestDatabase db)
    {
        var app = await fixture.For(db);
        var world = await app.CreateWorldAsync();
        var client = app.ClientWithKey(world.CenterKey);
        var nationalId = NewNationalId();
        await SubmitAsync(client, new { rows = new[] { Row("m-1", world.StandardCode, 90, 90, nationalId) } });
        var persianDigits = string.Concat(nationalId.Select(c => (char)('۰' + (c - '0'))));
        await SubmitAsync(client, new { rows = new[] { Row("m-2", world.StandardCode, 90, 90, persianDigits) } });
        var admin = await app.AdminClientAsync();
        var trainees = (await (await admin.GetAsync($"/api/v1/trainees?nationalId={nationalId}")).ReadJsonAsync()).GetProperty("total").GetInt64();
        Assert.Equal(1, trainees);
        var invalid = await SubmitAsync(client, new { rows = new[] { Row("m-3", world.StandardCode, 90, 90, "1234567890") } });
        Assert.Equal("rejected", RowResult(invalid, 0).GetProperty("result").GetString());
        Assert.Contains("rows[0].trainee.nationalId", RowResult(invalid, 0).GetProperty("errors").EnumerateObject().Select(p => p.Name));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task A_center_submits_only_for_itself_and_admin_names_the_center(TestDatabase db)
    {
        var app = await fixture.For(db);
        var world = await app.CreateWorldAsync();
        var other = await app.CreateWorldAsync();
        var batch = new { centerId = other.CenterId, rows = new[] { Row("x-1", other.StandardCode, 90, 90) } };
        var response = await app.ClientWithKey(world.CenterKey).PostAsJsonAsync("/api/v1/assessment-batches", batch);
        await response.AssertProblemAsync(HttpStatusCode.Forbidden);

        var admin = await app.AdminClientAsync();
        var missing = await admin.PostAsJsonAsync("/api/v1/assessment-batches", new { rows = batch.rows });
        Assert.NotEmpty((await missing.AssertProblemAsync(HttpStatusCode.BadRequest)).FieldErrors("centerId"));
        var onBehalf = await SubmitAsync(admin, batch);
        Assert.True(onBehalf.GetProperty("submittedOnBehalf").GetBoolean());
        Assert.Equal("recorded", RowResult(onBehalf, 0).GetProperty("result").GetString());
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task More_than_a_thousand_rows_is_refused_whole(TestDatabase db)
    {
        var app = await fixture.For(db);
        var world = await app.CreateWorldAsync();
        var rows = Enumerable.Range(0, 1001).Select(i => Row($"big-{i}", world.StandardCode, 90, 90, "0000000000")).ToArray();
        var response = await app.ClientWithKey(world.CenterKey).PostAsJsonAsync("/api/v1/assessment-batches", new { rows });
        var problem = await response.AssertProblemAsync(HttpStatusCode.RequestEntityTooLarge);
        Assert.Contains("1000", problem.GetProperty("detail").GetString());
        Assert.Equal(0, await app.Db.ReadAsync(s => s.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM assessments WHERE center_id = @c", new { c = world.CenterId })));
    }
}
