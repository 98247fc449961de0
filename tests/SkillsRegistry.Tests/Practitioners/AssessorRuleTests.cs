using System.Net;
using System.Net.Http.Json;
using SkillsRegistry.Api.Infrastructure.Auth;
using SkillsRegistry.Tests.Support;

namespace SkillsRegistry.Tests.Practitioners;

/// <summary>
/// A result names a registered assessor who held a current assessor qualification for the standard's code on the exam date
/// and was attached to the submitting center that day. Each reason, at its boundary days (Tehran calendar, test clock).
/// </summary>
[Trait("Clock", "sensitive")]
public sealed class AssessorRuleTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    private static string Ref() => "AR-" + Guid.NewGuid().ToString("N")[..10];

    [Theory, OnSqlite, OnPostgres]
    public async Task A_result_counts_only_on_the_first_to_the_last_day_of_the_assessors_qualification(TestDatabase db)
    {
        var app = await fixture.For(db);
        var world = await app.CreateWorldAsync();
        var admin = await app.AdminClientAsync();
        var (id, code) = await admin.RegisterAsync(homeCenterId: world.CenterId);
        var (first, last) = (app.Today.AddDays(-60), app.Today.AddDays(-20));
        await (await admin.QualifyAsync(id, world.StandardCode, first, last)).ReadJsonAsync(HttpStatusCode.Created);

        var batch = await app.ClientWithKey(world.CenterKey).SubmitAsync(
            PractitionerApi.RowBy(code, Ref(), world.StandardCode, first.AddDays(-1)),
            PractitionerApi.RowBy(code, Ref(), world.StandardCode, first),
            PractitionerApi.RowBy(id.ToString(), Ref(), world.StandardCode, last),
            PractitionerApi.RowBy(code.ToLowerInvariant(), Ref(), world.StandardCode, last.AddDays(1)));

        Assert.Equal(["rejected", "recorded", "recorded", "rejected"], batch.Results());
        Assert.Contains("not current on the exam date", Assert.Single(batch.ErrorsOf(0, "assessorId")));
        Assert.Contains("not current on the exam date", Assert.Single(batch.ErrorsOf(3, "assessorId")));
        var recorded = await (await admin.GetAsync($"/api/v1/assessments/{batch.GetProperty("rows")[1].GetProperty("assessmentId").GetGuid()}")).ReadJsonAsync();
        Assert.Equal("registered", recorded.GetProperty("assessorRecord").GetString());
        Assert.Equal(id, recorded.GetProperty("assessorPractitionerId").GetGuid());
        Assert.Equal(code, recorded.GetProperty("assessorId").GetString());
        Assert.Equal("Hamid Yazdani", recorded.GetProperty("assessorName").GetString());
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task An_unregistered_or_unqualified_assessor_is_refused_naming_the_field_and_the_reason(TestDatabase db)
    {
        var app = await fixture.For(db);
        var world = await app.CreateWorldAsync();
        var admin = await app.AdminClientAsync();
        var (instructor, instructorCode) = await admin.RegisterAsync(homeCenterId: world.CenterId);
        await (await admin.QualifyAsync(instructor, world.StandardCode, app.Today.AddYears(-1), kind: "instructor")).ReadJsonAsync(HttpStatusCode.Created);
        var examDate = app.Today.AddDays(-3);

        var batch = await app.ClientWithKey(world.CenterKey).SubmitAsync(
            PractitionerApi.RowBy("PR-NOBODY", Ref(), world.StandardCode, examDate),
            PractitionerApi.RowBy(instructorCode, Ref(), world.StandardCode, examDate),
            PractitionerApi.RowBy(null, Ref(), world.StandardCode, examDate, assessorName: "Reza Ahmadi"));

        Assert.All(Enumerable.Range(0, 3), i => Assert.Equal("rejected", batch.ResultOf(i)));
        Assert.Contains("is not a registered practitioner", Assert.Single(batch.ErrorsOf(0, "assessorId")));
        Assert.Contains($"is not qualified to assess standard {world.StandardCode}", Assert.Single(batch.ErrorsOf(1, "assessorId")));
        Assert.Contains("Required: the id or code of the registered practitioner", Assert.Single(batch.ErrorsOf(2, "assessorId")));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task A_visiting_assessor_counts_from_the_first_to_the_last_day_of_the_visit(TestDatabase db)
    {
        var app = await fixture.For(db);
        var world = await app.CreateWorldAsync();
        var admin = await app.AdminClientAsync();
        var partner = await app.InsertPartnerAsync(sector: "handicrafts", signedOn: new DateOnly(2024, 1, 1));
        var partnerKey = app.ClientWithKey(await app.CreateKeyAsync(ApiKeyRole.Partner, partnerId: partner));
        var (visitor, code) = await partnerKey.RegisterAsync();
        await (await admin.QualifyAsync(visitor, world.StandardCode, app.Today.AddYears(-1))).ReadJsonAsync(HttpStatusCode.Created);
        var (first, last) = (app.Today.AddDays(-30), app.Today.AddDays(-25));
        // The partner records the exchange: its practitioner at the center for six days.
        await (await partnerKey.PostAsJsonAsync($"/api/v1/practitioners/{visitor}/visits",
            new { centerId = world.CenterId, firstDay = first, lastDay = last })).ReadJsonAsync(HttpStatusCode.Created);

        var batch = await app.ClientWithKey(world.CenterKey).SubmitAsync(
            PractitionerApi.RowBy(code, Ref(), world.StandardCode, first.AddDays(-1)),
            PractitionerApi.RowBy(code, Ref(), world.StandardCode, first),
            PractitionerApi.RowBy(code, Ref(), world.StandardCode, last),
            PractitionerApi.RowBy(code, Ref(), world.StandardCode, last.AddDays(1)));

        Assert.Equal(["rejected", "recorded", "recorded", "rejected"], batch.Results());
        Assert.Contains("was not attached to this center", Assert.Single(batch.ErrorsOf(0, "assessorId")));
        Assert.Contains("was not attached to this center", Assert.Single(batch.ErrorsOf(3, "assessorId")));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Currency_lapses_on_the_day_the_refresher_hours_fall_out_of_the_period(TestDatabase db)
    {
        var app = await fixture.For(db);
        var world = await app.CreateWorldAsync();
        await app.Db.WriteAsync(s => s.ExecuteAsync("UPDATE standards SET refresher_hours = 16, refresher_months = 24 WHERE id = @id", new { id = world.StandardId }));
        var admin = await app.AdminClientAsync();
        var center = app.ClientWithKey(world.CenterKey);
        var (id, code) = await admin.RegisterAsync(homeCenterId: world.CenterId);
        await (await admin.QualifyAsync(id, world.StandardCode, new DateOnly(2024, 1, 1))).ReadJsonAsync(HttpStatusCode.Created);
        var back = app.Today.AddMonths(-30);
        var course = new DateOnly(back.Year, back.Month, 10);
        await (await center.PostAsJsonAsync($"/api/v1/practitioners/{id}/refresher-courses",
            new { title = "Assessing hand-woven carpets, 1403", hours = 16, completedOn = course })).ReadJsonAsync(HttpStatusCode.Created);
        var lapses = course.AddMonths(24);

        var batch = await center.SubmitAsync(
            PractitionerApi.RowBy(code, Ref(), world.StandardCode, course.AddDays(-1)),
            PractitionerApi.RowBy(code, Ref(), world.StandardCode, course),
            PractitionerApi.RowBy(code, Ref(), world.StandardCode, lapses.AddDays(-1)),
            PractitionerApi.RowBy(code, Ref(), world.StandardCode, lapses));

        Assert.Equal(["rejected", "recorded", "recorded", "rejected"], batch.Results());
        Assert.Contains("asks for 16 refresher hours in the 24 months", Assert.Single(batch.ErrorsOf(0, "assessorId")));
        Assert.Contains("asks for 16 refresher hours in the 24 months", Assert.Single(batch.ErrorsOf(3, "assessorId")));
        var shown = await (await admin.GetAsync($"/api/v1/practitioners/{id}")).ReadJsonAsync();
        Assert.False(shown.GetProperty("qualifications")[0].GetProperty("currentToday").GetBoolean());
        Assert.True(shown.GetProperty("qualifications")[0].GetProperty("inForceToday").GetBoolean());
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task A_standard_requiring_a_partner_assessor_rejects_a_row_without_one_and_records_a_joint_exam(TestDatabase db)
    {
        var app = await fixture.For(db);
        var world = await app.CreateWorldAsync();
        await app.Db.WriteAsync(s => s.ExecuteAsync("UPDATE standards SET requires_partner_assessor = @yes WHERE id = @id", new { yes = true, id = world.StandardId }));
        var admin = await app.AdminClientAsync();
        var partner = await app.InsertPartnerAsync(sector: "handicrafts", signedOn: new DateOnly(2024, 1, 1));
        var (colleague, colleagueCode) = await admin.RegisterAsync(homeCenterId: world.CenterId);
        var (guest, guestCode) = await admin.RegisterAsync(homePartnerId: partner);
        foreach (var p in new[] { colleague, guest })
            await (await admin.QualifyAsync(p, world.StandardCode, new DateOnly(2024, 1, 1))).ReadJsonAsync(HttpStatusCode.Created);
        var assessor = PractitionersTestData.AssessorFor(world.StandardCode);
        var day = app.Today.AddDays(-2);

        var batch = await app.ClientWithKey(world.CenterKey).SubmitAsync(
            PractitionerApi.RowBy(assessor, Ref(), world.StandardCode, day),
            PractitionerApi.RowBy(assessor, Ref(), world.StandardCode, day, secondAssessorId: colleagueCode),
            PractitionerApi.RowBy(assessor, Ref(), world.StandardCode, day, secondAssessorId: guestCode));

        Assert.Equal(["rejected", "rejected", "recorded"], batch.Results());
        Assert.Contains("requires a second assessor from a partner agency", Assert.Single(batch.ErrorsOf(0, "secondAssessorId")));
        Assert.Contains("from a partner agency", Assert.Single(batch.ErrorsOf(1, "secondAssessorId")));
        var recorded = await (await admin.GetAsync($"/api/v1/assessments/{batch.GetProperty("rows")[2].GetProperty("assessmentId").GetGuid()}")).ReadJsonAsync();
        Assert.Equal(guest, recorded.GetProperty("secondAssessorPractitionerId").GetGuid());
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Free_text_assessors_are_recorded_as_unregistered_only_where_the_setting_allows_them(TestDatabase db)
    {
        await using var app = await RegistryApp.StartAsync(db, new Dictionary<string, string?> { ["Assessments:AllowUnregisteredAssessors"] = "true" });
        var world = await app.CreateWorldAsync();
        var batch = await app.ClientWithKey(world.CenterKey).SubmitAsync(
            PractitionerApi.RowBy("AS-17", Ref(), world.StandardCode, app.Today.AddDays(-1), assessorName: "Reza Ahmadi"));

        Assert.Equal("recorded", batch.ResultOf(0));
        var admin = await app.AdminClientAsync();
        var recorded = await (await admin.GetAsync($"/api/v1/assessments/{batch.GetProperty("rows")[0].GetProperty("assessmentId").GetGuid()}")).ReadJsonAsync();
        Assert.Equal("unregistered", recorded.GetProperty("assessorRecord").GetString());
        Assert.Equal("Reza Ahmadi", recorded.GetProperty("assessorName").GetString());
    }
}
