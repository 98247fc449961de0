using System.Net;
using System.Net.Http.Json;
using SkillsRegistry.Tests.Support;
using static SkillsRegistry.Tests.Support.RegistryWorlds;

namespace SkillsRegistry.Tests.Certificates;

/// <summary>Issue 11, defect 3: a correction changes only what the center assessed, never who holds the certificate.</summary>
public sealed class CorrectionBoundaryTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    [Theory, OnSqlite, OnPostgres]
    public async Task A_center_cannot_rename_the_holder_through_a_correction(TestDatabase db)
    {
        var app = await fixture.For(db);
        var world = await app.CreateWorldAsync();
        var issued = await app.IssueCertificateAsync(world);
        var center = app.ClientWithKey(world.CenterKey);

        var attack = await center.PostAsJsonAsync($"/api/v1/certificates/{issued.CertificateId}/corrections", new
        {
            reason = "typo", givenNameFa = "مریم", familyNameFa = "احمدی", givenNameLatin = "Maryam", familyNameLatin = "Ahmadi",
            nationalId = NewNationalId(), theoryScore = 100, practicalScore = 100,
        });
        var problem = await attack.AssertProblemAsync(HttpStatusCode.BadRequest);
        foreach (var field in new[] { "givenNameFa", "familyNameFa", "givenNameLatin", "familyNameLatin", "nationalId" })
            Assert.Contains("trainee record", problem.FieldErrors(field)[0]);

        var certificate = await (await center.GetAsync($"/api/v1/certificates/{issued.CertificateId}")).ReadJsonAsync();
        Assert.Equal("valid", certificate.GetProperty("status").GetString());
        Assert.Equal("Zahra", certificate.GetProperty("holder").GetProperty("givenNameLatin").GetString());
        Assert.Equal(90m, certificate.GetProperty("theoryScore").GetDecimal());
        Assert.Equal(0, await app.Db.ReadAsync(s => s.ExecuteScalarAsync<long>(
            "SELECT COUNT(*) FROM certificates WHERE replaces_certificate_id = @id", new { id = issued.CertificateId })));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task A_score_correction_prints_the_names_of_the_trainee_record(TestDatabase db)
    {
        var app = await fixture.For(db);
        var world = await app.CreateWorldAsync();
        var issued = await app.IssueCertificateAsync(world);
        var center = app.ClientWithKey(world.CenterKey);
        var traineeId = (await (await center.GetAsync($"/api/v1/certificates/{issued.CertificateId}")).ReadJsonAsync()).GetProperty("traineeId").GetGuid();
        // The registry fixed the person's record meanwhile; the replacement follows the record.
        await app.Db.WriteAsync(s => s.ExecuteAsync("UPDATE trainees SET given_name_latin = 'Zahraa' WHERE id = @traineeId", new { traineeId }));

        var replacement = await (await center.PostAsJsonAsync($"/api/v1/certificates/{issued.CertificateId}/corrections",
            new { reason = "Scores swapped", theoryScore = 100, practicalScore = 100 })).ReadJsonAsync(HttpStatusCode.Created);
        Assert.Equal("Zahraa", replacement.GetProperty("holder").GetProperty("givenNameLatin").GetString());
        Assert.Equal(100m, replacement.GetProperty("theoryScore").GetDecimal());
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task A_center_corrects_the_exam_date_and_standard_version_within_the_rules(TestDatabase db)
    {
        var app = await fixture.For(db);
        var world = await app.CreateWorldAsync();
        var v2 = await app.SupersedeAsync(world.StandardId, world.StandardCode, new DateOnly(2025, 7, 1));
        var person = NewNationalId();
        var center = app.ClientWithKey(world.CenterKey);
        var batch = await (await center.PostAsJsonAsync("/api/v1/assessment-batches", new
        {
            rows = new[]
            {
                Row("DATE-1", world.StandardCode, 90, 90, person, new DateOnly(2025, 6, 1)),
                Row("DATE-2", world.StandardCode, 30, 30, person, new DateOnly(2025, 6, 20)),
            },
        })).ReadJsonAsync();
        var certificateId = batch.GetProperty("rows")[0].GetProperty("certificateId").GetGuid();
        var url = $"/api/v1/certificates/{certificateId}/corrections";

        // Version 2 was not in force on the exam date; the day of the person's other result is taken.
        var wrongVersion = await (await center.PostAsJsonAsync(url, new { reason = "version", standardVersion = 2 })).AssertProblemAsync(HttpStatusCode.UnprocessableEntity);
        Assert.NotEmpty(wrongVersion.FieldErrors("standardVersion"));
        await (await center.PostAsJsonAsync(url, new { reason = "date", examDate = "2025-06-20" })).AssertProblemAsync(HttpStatusCode.Conflict);

        var corrected = await (await center.PostAsJsonAsync(url, new { reason = "Exam was in July", examDate = "2025-07-02", standardVersion = 2 }))
            .ReadJsonAsync(HttpStatusCode.Created);
        Assert.Equal("2025-07-02", corrected.GetProperty("examDate").GetString());
        Assert.Equal(v2, corrected.GetProperty("standard").GetProperty("id").GetGuid());
        var assessment = await (await center.GetAsync($"/api/v1/assessments/{corrected.GetProperty("assessmentId").GetString()}")).ReadJsonAsync();
        Assert.Equal("2025-07-02", assessment.GetProperty("examDate").GetString());
        Assert.Equal(2, assessment.GetProperty("standardVersion").GetInt32());
    }
}
