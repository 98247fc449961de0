using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using SkillsRegistry.Tests.Support;
using static SkillsRegistry.Tests.Support.RegistryWorlds;

namespace SkillsRegistry.Tests.Certificates;

public sealed class CertificateLifecycleTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    private static async Task<(Guid AssessmentId, Guid CertificateId, string Number)> IssueAsync(RegistryApp app, RegistryWorld world, string externalRef, string? nationalId = null)
    {
        var response = await (await app.ClientWithKey(world.CenterKey).PostAsJsonAsync("/api/v1/assessment-batches",
            new { rows = new[] { Row(externalRef, world.StandardCode, 90, 90, nationalId) } })).ReadJsonAsync();
        var row = response.GetProperty("rows")[0];
        return (row.GetProperty("assessmentId").GetGuid(), row.GetProperty("certificateId").GetGuid(), row.GetProperty("certificateNumber").GetString()!);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Admin_revokes_with_a_reason_and_revoking_again_changes_nothing(TestDatabase db)
    {
        var app = await fixture.For(db);
        var world = await app.CreateWorldAsync();
        var (_, certificateId, _) = await IssueAsync(app, world, "rev-1");
        var center = app.ClientWithKey(world.CenterKey);
        await (await center.PostAsJsonAsync($"/api/v1/certificates/{certificateId}/revoke", new { reasonCode = "fraud", reason = "x" }))
            .AssertProblemAsync(HttpStatusCode.Forbidden);

        var admin = await app.AdminClientAsync();
        var bad = await admin.PostAsJsonAsync($"/api/v1/certificates/{certificateId}/revoke", new { reasonCode = "because", reason = "" });
        var problem = await bad.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.NotEmpty(problem.FieldErrors("reasonCode"));
        Assert.NotEmpty(problem.FieldErrors("reason"));

        var revoked = await (await admin.PostAsJsonAsync($"/api/v1/certificates/{certificateId}/revoke",
            new { reasonCode = "fraud", reason = "Exam papers were forged" })).ReadJsonAsync();
        Assert.Equal("revoked", revoked.GetProperty("status").GetString());
        Assert.Equal("fraud", revoked.GetProperty("revocation").GetProperty("reasonCode").GetString());
        var again = await (await admin.PostAsJsonAsync($"/api/v1/certificates/{certificateId}/revoke",
            new { reasonCode = "other", reason = "again" })).ReadJsonAsync();
        Assert.Equal("fraud", again.GetProperty("revocation").GetProperty("reasonCode").GetString());
        Assert.Equal(1, await app.Db.ReadAsync(s => s.ExecuteScalarAsync<long>(
            "SELECT COUNT(*) FROM audit_log WHERE entity = 'certificate' AND action = 'revoke' AND entity_id = @id", new { id = certificateId.ToString() })));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task A_correction_issues_a_new_number_and_the_old_certificate_points_to_it(TestDatabase db)
    {
        var app = await fixture.For(db);
        var world = await app.CreateWorldAsync();
        var (_, oldId, oldNumber) = await IssueAsync(app, world, "cor-1");
        var center = app.ClientWithKey(world.CenterKey);
        var created = await center.PostAsJsonAsync($"/api/v1/certificates/{oldId}/corrections",
            new { reason = "Practical score mistyped", practicalScore = 95.5m });
        var replacement = await created.ReadJsonAsync(HttpStatusCode.Created);
        Assert.NotEqual(oldNumber, replacement.GetProperty("number").GetString());
        Assert.Equal(95.5m, replacement.GetProperty("practicalScore").GetDecimal());
        Assert.Equal("Karimi", replacement.GetProperty("holder").GetProperty("familyNameLatin").GetString());
        Assert.Equal(oldId, replacement.GetProperty("replacesId").GetGuid());

        var old = await (await center.GetAsync($"/api/v1/certificates/{oldId}")).ReadJsonAsync();
        Assert.Equal("superseded", old.GetProperty("status").GetString());
        Assert.Equal(replacement.GetProperty("number").GetString(), old.GetProperty("supersededByNumber").GetString());
        Assert.Equal("Karimi", old.GetProperty("holder").GetProperty("familyNameLatin").GetString()); // never edited in place

        var twice = await center.PostAsJsonAsync($"/api/v1/certificates/{oldId}/corrections", new { reason = "again" });
        await twice.AssertProblemAsync(HttpStatusCode.Conflict);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task A_center_may_correct_only_within_thirty_days_and_failing_scores_are_refused(TestDatabase db)
    {
        var app = await fixture.For(db);
        var world = await app.CreateWorldAsync();
        var (_, certificateId, _) = await IssueAsync(app, world, "cor-late");
        var center = app.ClientWithKey(world.CenterKey);
        var failing = await center.PostAsJsonAsync($"/api/v1/certificates/{certificateId}/corrections", new { reason = "score typo", theoryScore = 10 });
        await failing.AssertProblemAsync(HttpStatusCode.UnprocessableEntity);

        await app.Db.WriteAsync(s => s.ExecuteAsync("UPDATE certificates SET issued_at = @then WHERE id = @id",
            new { then = app.Clock.GetUtcNow().AddDays(-31), id = certificateId }));
        var late = await center.PostAsJsonAsync($"/api/v1/certificates/{certificateId}/corrections", new { reason = "late", theoryScore = 95 });
        Assert.Contains("30 days", (await late.AssertProblemAsync(HttpStatusCode.Forbidden)).GetProperty("detail").GetString());
        var admin = await app.AdminClientAsync();
        await (await admin.PostAsJsonAsync($"/api/v1/certificates/{certificateId}/corrections", new { reason = "late", theoryScore = 95 }))
            .ReadJsonAsync(HttpStatusCode.Created);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task A_refused_revoke_void_or_correction_changes_nothing_audits_nothing_and_sends_no_event(TestDatabase db)
    {
        var app = await fixture.For(db);
        var world = await app.CreateWorldAsync();
        var (assessmentId, oldId, _) = await IssueAsync(app, world, "refused-1");
        var admin = await app.AdminClientAsync();
        var center = app.ClientWithKey(world.CenterKey);
        var replacement = await (await admin.PostAsJsonAsync($"/api/v1/certificates/{oldId}/corrections", new { reason = "typo", theoryScore = 95 }))
            .ReadJsonAsync(HttpStatusCode.Created);
        await app.Db.WriteAsync(s => s.ExecuteAsync("UPDATE assessments SET recorded_at = @then WHERE id = @id",
            new { then = app.Clock.GetUtcNow().AddDays(-31), id = assessmentId }));
        async Task<(long Audit, long Events)> CountAsync() => await app.Db.ReadAsync(async s =>
            (await s.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM audit_log"), await s.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM outbox_events")));
        var before = await CountAsync();

        await (await admin.PostAsJsonAsync($"/api/v1/certificates/{oldId}/revoke", new { reasonCode = "fraud", reason = "x" }))
            .AssertProblemAsync(HttpStatusCode.Conflict);
        await (await center.PostAsJsonAsync($"/api/v1/assessments/{assessmentId}/void", new { reason = "too late" }))
            .AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await center.PostAsJsonAsync($"/api/v1/certificates/{oldId}/corrections", new { reason = "again", theoryScore = 96 }))
            .AssertProblemAsync(HttpStatusCode.Conflict);

        Assert.Equal(before, await CountAsync());
        Assert.Equal("superseded", (await (await admin.GetAsync($"/api/v1/certificates/{oldId}")).ReadJsonAsync()).GetProperty("status").GetString());
        var current = await (await admin.GetAsync($"/api/v1/certificates/{replacement.GetProperty("id").GetGuid()}")).ReadJsonAsync();
        Assert.Equal("valid", current.GetProperty("status").GetString());
        Assert.Equal(95m, current.GetProperty("theoryScore").GetDecimal());
        Assert.Equal("recorded", (await (await admin.GetAsync($"/api/v1/assessments/{assessmentId}")).ReadJsonAsync()).GetProperty("status").GetString());
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Voiding_an_assessment_revokes_its_certificate_as_annulled(TestDatabase db)
    {
        var app = await fixture.For(db);
        var world = await app.CreateWorldAsync();
        var (assessmentId, certificateId, _) = await IssueAsync(app, world, "void-1");
        var center = app.ClientWithKey(world.CenterKey);
        var voided = await (await center.PostAsJsonAsync($"/api/v1/assessments/{assessmentId}/void", new { reason = "Wrong trainee" })).ReadJsonAsync();
        Assert.Equal("voided", voided.GetProperty("status").GetString());
        var certificate = await (await center.GetAsync($"/api/v1/certificates/{certificateId}")).ReadJsonAsync();
        Assert.Equal("revoked", certificate.GetProperty("status").GetString());
        Assert.Equal("assessment-annulled", certificate.GetProperty("revocation").GetProperty("reasonCode").GetString());
        await (await center.PostAsJsonAsync($"/api/v1/assessments/{assessmentId}/void", new { reason = "again" })).ReadJsonAsync();
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task A_center_sees_only_its_own_certificates(TestDatabase db)
    {
        var app = await fixture.For(db);
        var mine = await app.CreateWorldAsync();
        var theirs = await app.CreateWorldAsync();
        var (_, theirCertificate, _) = await IssueAsync(app, theirs, "vis-1");
        var center = app.ClientWithKey(mine.CenterKey);
        await (await center.GetAsync($"/api/v1/certificates/{theirCertificate}")).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await center.GetAsync($"/api/v1/certificates?centerId={theirs.CenterId}")).AssertProblemAsync(HttpStatusCode.Forbidden);
        var list = await (await center.GetAsync("/api/v1/certificates")).ReadJsonAsync();
        Assert.All(list.GetProperty("items").EnumerateArray(), c => Assert.Equal(mine.CenterId, c.GetProperty("center").GetProperty("id").GetGuid()));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task The_transcript_lists_a_persons_certificates_newest_first_with_status(TestDatabase db)
    {
        var app = await fixture.For(db);
        var world = await app.CreateWorldAsync();
        var other = await app.CreateWorldAsync();
        var nationalId = NewNationalId();
        var (_, first, _) = await IssueAsync(app, world, "tr-1", nationalId);
        var (_, second, _) = await IssueAsync(app, other, "tr-2", nationalId);
        await app.Db.WriteAsync(s => s.ExecuteAsync("UPDATE certificates SET expires_on = @past WHERE id = @id",
            new { past = new DateOnly(2020, 1, 1), id = first }));
        var traineeId = await app.Db.ReadAsync(s => s.QuerySingleAsync<Guid>("SELECT trainee_id FROM certificates WHERE id = @first", new { first }));

        var admin = await app.AdminClientAsync();
        var transcript = await (await admin.GetAsync($"/api/v1/trainees/{traineeId}/transcript")).ReadJsonAsync();
        var items = transcript.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal([second, first], items.Select(i => i.GetProperty("id").GetGuid()));
        Assert.Equal(["valid", "expired"], items.Select(i => i.GetProperty("status").GetString()));
        var secondPage = await (await admin.GetAsync($"/api/v1/trainees/{traineeId}/transcript?page=2&pageSize=1")).ReadJsonAsync();
        Assert.Equal(first, Assert.Single(secondPage.GetProperty("items").EnumerateArray()).GetProperty("id").GetGuid()); // pages like every list
        Assert.Equal(2, secondPage.GetProperty("page").GetInt32());
        Assert.Equal(2, secondPage.GetProperty("total").GetInt64());

        var center = app.ClientWithKey(world.CenterKey);
        var own = (await (await center.GetAsync($"/api/v1/trainees/{traineeId}/transcript")).ReadJsonAsync()).GetProperty("items");
        Assert.Equal(first, Assert.Single(own.EnumerateArray()).GetProperty("id").GetGuid());
        var expired = await (await admin.GetAsync($"/api/v1/certificates?status=expired&traineeId={traineeId}")).ReadJsonAsync();
        Assert.Equal(first, Assert.Single(expired.GetProperty("items").EnumerateArray()).GetProperty("id").GetGuid());
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task The_audit_chain_verifies_and_names_the_row_altered_in_the_database(TestDatabase db)
    {
        await using var app = await RegistryApp.StartAsync(db);
        var world = await app.CreateWorldAsync();
        var (_, certificateId, _) = await IssueAsync(app, world, "aud-1");
        var admin = await app.AdminClientAsync();
        await admin.PostAsJsonAsync($"/api/v1/certificates/{certificateId}/revoke", new { reasonCode = "other", reason = "test" });

        var report = await (await admin.GetAsync("/api/v1/audit/verify")).ReadJsonAsync();
        Assert.True(report.GetProperty("intact").GetBoolean(), report.ToString());
        var trail = await (await admin.GetAsync($"/api/v1/audit?entity=certificate&entityId={certificateId}")).ReadJsonAsync();
        Assert.Equal(["revoke", "issue"], trail.GetProperty("items").EnumerateArray().Select(r => r.GetProperty("action").GetString()));

        var target = await app.Db.ReadAsync(s => s.QuerySingleAsync<long>(
            "SELECT seq FROM audit_log WHERE entity = 'certificate' AND action = 'issue' AND entity_id = @id", new { id = certificateId.ToString() }));
        await app.Db.WriteAsync(s => s.ExecuteAsync("UPDATE audit_log SET action = 'issue ' WHERE seq = @target", new { target }));
        var broken = await (await admin.GetAsync("/api/v1/audit/verify")).ReadJsonAsync();
        Assert.False(broken.GetProperty("intact").GetBoolean());
        Assert.Equal(target, broken.GetProperty("firstBrokenSeq").GetInt64());
    }
}
