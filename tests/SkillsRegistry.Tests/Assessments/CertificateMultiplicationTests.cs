using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using SkillsRegistry.Api.Infrastructure.Auth;
using SkillsRegistry.Tests.Support;
using static SkillsRegistry.Tests.Support.RegistryWorlds;

namespace SkillsRegistry.Tests.Assessments;

/// <summary>Issue 11, defect 2: several rows for one person, standard and day must not multiply certificates.</summary>
public sealed class CertificateMultiplicationTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    private static async Task<JsonElement> SubmitAsync(HttpClient client, params object[] rows) =>
        await (await client.PostAsJsonAsync("/api/v1/assessment-batches", new { rows })).ReadJsonAsync();

    private static async Task<long> ValidCertificatesAsync(HttpClient admin, Guid traineeId, string code) =>
        (await (await admin.GetAsync($"/api/v1/certificates?traineeId={traineeId}&standardCode={code}&status=valid")).ReadJsonAsync())
            .GetProperty("total").GetInt64();

    [Theory, OnSqlite, OnPostgres]
    public async Task Three_rows_for_one_person_standard_and_day_record_one_result_and_one_certificate(TestDatabase db)
    {
        var app = await fixture.For(db);
        var world = await app.CreateWorldAsync();
        var center = app.ClientWithKey(world.CenterKey);
        var person = NewNationalId();
        var day = new DateOnly(2025, 6, 1);

        var response = await SubmitAsync(center,
            Row("MUL-1", world.StandardCode, 90, 90, person, day),
            Row("MUL-2", world.StandardCode, 91, 91, person, day),
            Row("MUL-3", world.StandardCode, 92, 92, person, day));

        Assert.Equal(1, response.GetProperty("recorded").GetInt32());
        Assert.Equal(2, response.GetProperty("rejected").GetInt32());
        var first = response.GetProperty("rows")[0];
        var firstId = first.GetProperty("assessmentId").GetString()!;
        foreach (var index in new[] { 1, 2 })
        {
            var row = response.GetProperty("rows")[index];
            Assert.Equal("rejected", row.GetProperty("result").GetString());
            var message = Assert.Single(row.GetProperty("errors").GetProperty($"rows[{index}].examDate").EnumerateArray()).GetString()!;
            Assert.Contains(firstId, message);
            Assert.Contains("MUL-1", message);
        }

        // A later batch with yet another externalRef is refused the same way.
        var later = (await SubmitAsync(center, Row("MUL-4", world.StandardCode, 99, 99, person, day))).GetProperty("rows")[0];
        Assert.Equal("rejected", later.GetProperty("result").GetString());
        Assert.Contains(firstId, later.GetProperty("errors").GetProperty("rows[0].examDate")[0].GetString());

        var admin = await app.AdminClientAsync();
        var traineeId = Guid.Parse((await (await admin.GetAsync($"/api/v1/certificates/{first.GetProperty("certificateId").GetString()}"))
            .ReadJsonAsync()).GetProperty("traineeId").GetString()!);
        Assert.Equal(1, await ValidCertificatesAsync(admin, traineeId, world.StandardCode));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task A_pass_by_a_holder_of_a_valid_certificate_is_recorded_and_names_the_certificate_held(TestDatabase db)
    {
        var app = await fixture.For(db);
        var world = await app.CreateWorldAsync();
        var center = app.ClientWithKey(world.CenterKey);
        var person = NewNationalId();

        // Twelve passes on twelve days, in one batch: the first issues, the others only record.
        var rows = Enumerable.Range(0, 12).Select(i => Row($"DAYS-{i}", world.StandardCode, 90, 90, person, new DateOnly(2025, 5, 1).AddDays(i))).ToArray();
        var response = await SubmitAsync(center, rows);
        Assert.Equal(12, response.GetProperty("recorded").GetInt32());
        var results = response.GetProperty("rows").EnumerateArray().ToArray();
        var issued = results[0].GetProperty("certificateNumber").GetString()!;
        Assert.All(results.Skip(1), r =>
        {
            Assert.Equal("passed", r.GetProperty("outcome").GetString());
            Assert.Equal(JsonValueKind.Null, r.GetProperty("certificateId").ValueKind);
            Assert.Equal(issued, r.GetProperty("heldCertificateNumber").GetString());
        });

        var admin = await app.AdminClientAsync();
        var certificate = await (await admin.GetAsync($"/api/v1/certificates/{results[0].GetProperty("certificateId").GetString()}")).ReadJsonAsync();
        Assert.Equal(1, await ValidCertificatesAsync(admin, Guid.Parse(certificate.GetProperty("traineeId").GetString()!), world.StandardCode));

        // The same person through a second center: recorded, still no second certificate, and the integrity signal names them.
        var other = await app.InsertCenterAsync();
        await app.LicenseAsync(other, LicensedFrom, null);
        await app.AddScopeAsync(other, world.StandardCode, LicensedFrom, null);
        var otherCenter = app.ClientWithKey(await app.CreateKeyAsync(ApiKeyRole.Center, centerId: other));
        var elsewhere = (await SubmitAsync(otherCenter, Row("ELSEWHERE-1", world.StandardCode, 95, 95, person, new DateOnly(2025, 5, 20))))
            .GetProperty("rows")[0];
        Assert.Equal("recorded", elsewhere.GetProperty("result").GetString());
        Assert.Equal(issued, elsewhere.GetProperty("heldCertificateNumber").GetString());

        var signals = (await (await admin.GetAsync("/api/v1/integrity/signals?kind=repeated-assessment&from=2025-04-01&to=2025-06-30")).ReadJsonAsync())
            .GetProperty("signals").EnumerateArray()
            .Where(s => s.GetProperty("standardCode").GetString() == world.StandardCode).ToArray();
        var signal = Assert.Single(signals);
        Assert.Equal("high", signal.GetProperty("severity").GetString());
        Assert.Equal(certificate.GetProperty("traineeId").GetString(), signal.GetProperty("evidence").GetProperty("traineeId").GetString());
        Assert.Equal(13, signal.GetProperty("evidence").GetProperty("assessmentCount").GetInt32());
        Assert.Equal(2, signal.GetProperty("evidence").GetProperty("centers").GetArrayLength());
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Centers_passing_the_same_person_at_the_same_time_issue_one_certificate(TestDatabase db)
    {
        var app = await fixture.For(db);
        var world = await app.CreateWorldAsync();
        var person = NewNationalId();
        await SubmitAsync(app.ClientWithKey(world.CenterKey), Row("SAME-TIME-0", world.StandardCode, 20, 20, person)); // the person exists, failed once
        var clients = new List<HttpClient>();
        for (var i = 0; i < 6; i++)
        {
            var center = await app.InsertCenterAsync();
            await app.LicenseAsync(center, LicensedFrom, null);
            await app.AddScopeAsync(center, world.StandardCode, LicensedFrom, null);
            clients.Add(app.ClientWithKey(await app.CreateKeyAsync(ApiKeyRole.Center, centerId: center)));
        }

        var responses = await Task.WhenAll(clients.Select((c, i) =>
            SubmitAsync(c, Row($"SAME-TIME-{i + 1}", world.StandardCode, 90, 90, person, new DateOnly(2025, 6, 10).AddDays(i)))));

        var rows = responses.Select(r => r.GetProperty("rows")[0]).ToArray();
        Assert.All(rows, r => Assert.Equal("recorded", r.GetProperty("result").GetString()));
        var issued = Assert.Single(rows, r => r.GetProperty("certificateId").ValueKind != JsonValueKind.Null);
        Assert.All(rows.Where(r => r.GetProperty("certificateId").ValueKind == JsonValueKind.Null),
            r => Assert.Equal(issued.GetProperty("certificateNumber").GetString(), r.GetProperty("heldCertificateNumber").GetString()));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Two_assessments_a_month_apart_are_no_signal_and_an_expired_certificate_can_be_renewed(TestDatabase db)
    {
        var app = await fixture.For(db);
        var world = await app.CreateWorldAsync();
        var center = app.ClientWithKey(world.CenterKey);
        var person = NewNationalId();
        var first = (await SubmitAsync(center, Row("RENEW-1", world.StandardCode, 90, 90, person, new DateOnly(2025, 1, 10)))).GetProperty("rows")[0];
        await app.Db.WriteAsync(s => s.ExecuteAsync("UPDATE certificates SET expires_on = @d WHERE id = @id",
            new { d = new DateOnly(2025, 2, 1), id = first.GetProperty("certificateId").GetGuid() }));

        var renewal = (await SubmitAsync(center, Row("RENEW-2", world.StandardCode, 90, 90, person, new DateOnly(2025, 3, 10)))).GetProperty("rows")[0];
        Assert.NotEqual(JsonValueKind.Null, renewal.GetProperty("certificateId").ValueKind);

        var admin = await app.AdminClientAsync();
        var signals = (await (await admin.GetAsync("/api/v1/integrity/signals?kind=repeated-assessment&from=2025-01-01&to=2025-03-31")).ReadJsonAsync())
            .GetProperty("signals").EnumerateArray().Where(s => s.GetProperty("standardCode").GetString() == world.StandardCode);
        Assert.Empty(signals);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Voiding_a_result_frees_its_day_for_the_corrected_result(TestDatabase db)
    {
        var app = await fixture.For(db);
        var world = await app.CreateWorldAsync();
        var center = app.ClientWithKey(world.CenterKey);
        var person = NewNationalId();
        var day = new DateOnly(2025, 6, 2);
        var first = (await SubmitAsync(center, Row("VOID-DAY-1", world.StandardCode, 20, 20, person, day))).GetProperty("rows")[0];
        await (await center.PostAsJsonAsync($"/api/v1/assessments/{first.GetProperty("assessmentId").GetString()}/void", new { reason = "Wrong sheet" }))
            .ReadJsonAsync();
        var again = (await SubmitAsync(center, Row("VOID-DAY-2", world.StandardCode, 90, 90, person, day))).GetProperty("rows")[0];
        Assert.Equal("recorded", again.GetProperty("result").GetString());
        Assert.NotEqual(JsonValueKind.Null, again.GetProperty("certificateId").ValueKind);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task The_database_refuses_a_second_result_claiming_the_same_day(TestDatabase db)
    {
        var app = await fixture.For(db);
        var world = await app.CreateWorldAsync();
        var first = (await SubmitAsync(app.ClientWithKey(world.CenterKey), Row("DB-DAY-1", world.StandardCode, 90, 90, NewNationalId(), new DateOnly(2025, 6, 3))))
            .GetProperty("rows")[0].GetProperty("assessmentId").GetGuid();
        var copy = Guid.CreateVersion7();
        var violation = await app.Db.WriteAsync(async s =>
        {
            // A second result of the same person, standard and day written past the batch's own check.
            await s.ExecuteAsync("""
                INSERT INTO assessments (id, center_id, external_ref, trainee_id, standard_id, exam_date, theory_score, practical_score, outcome,
                                         assessor_name, assessor_id, status, batch_id, submitted_by_key_id, submitted_on_behalf, recorded_at)
                SELECT @copy, center_id, 'DB-DAY-2', trainee_id, standard_id, exam_date, theory_score, practical_score, outcome,
                       assessor_name, assessor_id, status, batch_id, submitted_by_key_id, submitted_on_behalf, recorded_at
                FROM assessments WHERE id = @first
                """, new { copy, first });
            return await s.TryExecuteAsync("""
                INSERT INTO assessment_days (center_id, trainee_id, standard_code, exam_date, assessment_id)
                SELECT center_id, trainee_id, @code, exam_date, id FROM assessments WHERE id = @copy
                """, new { code = world.StandardCode, copy });
        });
        Assert.Equal(Api.Infrastructure.Data.ConstraintViolation.Unique, violation);
    }
}
