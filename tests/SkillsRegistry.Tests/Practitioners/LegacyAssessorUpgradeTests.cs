using System.Data.Common;
using System.Net;
using System.Net.Http.Json;
using Dapper;
using SkillsRegistry.Api.Infrastructure.Auth;
using SkillsRegistry.Api.Infrastructure.Data;
using SkillsRegistry.Tests.Support;

namespace SkillsRegistry.Tests.Practitioners;

/// <summary>
/// Upgrading a database made by migrations 0001–0015 (results name their assessor in free text) to 0016 loses nothing and
/// rejects nothing already recorded: the result keeps its free-text assessor, marked legacy, and a resend of it is answered
/// with the result as recorded.
/// </summary>
public sealed class LegacyAssessorUpgradeTests
{
    private sealed record Legacy(Guid CenterId, Guid StandardId, Guid TraineeId, Guid AssessmentId);

    [Theory, OnSqlite, OnPostgres]
    public async Task Results_with_free_text_assessors_survive_the_upgrade_intact_and_marked_legacy(TestDatabase db)
    {
        await using var old = await LegacyDatabase.CreateAsync(db, "legacy-assessor");
        var legacy = await old.MigrateBeforeAsync("0016", WriteLegacyResultAsync);
        await using var app = await RegistryApp.StartAsync(db, old.Settings());

        var admin = await app.AdminClientAsync();
        var result = await (await admin.GetAsync($"/api/v1/assessments/{legacy.AssessmentId}")).ReadJsonAsync();
        Assert.Equal("legacy", result.GetProperty("assessorRecord").GetString());
        Assert.Equal("Reza Ahmadi", result.GetProperty("assessorName").GetString());
        Assert.Equal("AS-17", result.GetProperty("assessorId").GetString());
        Assert.Equal("recorded", result.GetProperty("status").GetString());
        Assert.Equal(72.5m, result.GetProperty("theoryScore").GetDecimal());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, result.GetProperty("assessorPractitionerId").ValueKind);

        // The center resends the old row as it was (free-text assessor): it is the result already recorded, not a rejection.
        var center = app.ClientWithKey(await app.CreateKeyAsync(ApiKeyRole.Center, centerId: legacy.CenterId));
        var resent = await (await center.PostAsJsonAsync("/api/v1/assessment-batches", new
        {
            rows = new[]
            {
                new
                {
                    externalRef = "OLD-0001", trainee = new { id = legacy.TraineeId }, standardCode = "LEG-7318", examDate = "2025-05-01",
                    theoryScore = 72.5, practicalScore = 80, assessorName = "Reza Ahmadi", assessorId = "AS-17",
                },
            },
        })).ReadJsonAsync();
        Assert.Equal("already-recorded", resent.GetProperty("rows")[0].GetProperty("result").GetString());
        Assert.Equal(legacy.AssessmentId, resent.GetProperty("rows")[0].GetProperty("assessmentId").GetGuid());
        Assert.Equal(1L, await app.Db.ReadAsync(s => s.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM assessments")));
    }

    /// <summary>Records a result the way the release before 0016 did (free-text assessor).</summary>
    private static async Task<Legacy> WriteLegacyResultAsync(DbConnection connection, DbTransaction tx)
    {
        var now = DateTimeOffset.UtcNow;
        var legacy = new Legacy(Guid.CreateVersion7(), Guid.CreateVersion7(), Guid.CreateVersion7(), Guid.CreateVersion7());
        await connection.ExecuteAsync("""
            INSERT INTO training_centers (id, code, kind, name_fa, name_en, province_code, country, city, search_text, created_at, updated_at)
            VALUES (@CenterId, 'TC-LEGACY', 'public', 'مرکز قدیمی', 'Old center', 'IR-10', 'IR', 'Ahvaz', 'old center', @now, @now)
            """, new { legacy.CenterId, now }, tx);
        await connection.ExecuteAsync("""
            INSERT INTO standards (id, code, version, status, isco_code, sector_code, title_fa, title_en, theory_hours, practical_hours,
                                   theory_pass_mark, practical_pass_mark, validity_months, effective_from, search_text, created_at, updated_at)
            VALUES (@StandardId, 'LEG-7318', 1, 'active', '7318', 'handicrafts', 'بافنده فرش دستباف', 'Hand-woven carpet weaver', 60, 140,
                    50, 60, 36, @from, 'leg-7318', @now, @now)
            """, new { legacy.StandardId, from = new DateOnly(2024, 1, 1), now }, tx);
        await connection.ExecuteAsync("""
            INSERT INTO trainees (id, national_id_hash, given_name_fa, family_name_fa, given_name_latin, family_name_latin, birth_date, gender,
                                  search_text, created_at, updated_at)
            VALUES (@TraineeId, 'legacy-hash', 'سارا', 'احمدی', 'Sara', 'Ahmadi', @birth, 'female', 'sara ahmadi', @now, @now)
            """, new { legacy.TraineeId, birth = new DateOnly(1995, 5, 5), now }, tx);
        await connection.ExecuteAsync("INSERT INTO center_trainees (center_id, trainee_id) VALUES (@CenterId, @TraineeId)", legacy, tx);
        await connection.ExecuteAsync("""
            INSERT INTO assessments (id, center_id, external_ref, trainee_id, standard_id, exam_date, theory_score, practical_score, outcome,
                                     assessor_name, assessor_id, status, batch_id, submitted_on_behalf, recorded_at)
            VALUES (@AssessmentId, @CenterId, 'OLD-0001', @TraineeId, @StandardId, @exam, 72.5, 80, 'passed', 'Reza Ahmadi', 'AS-17', 'recorded',
                    @batch, @onBehalf, @now)
            """, new { legacy.AssessmentId, legacy.CenterId, legacy.TraineeId, legacy.StandardId, exam = new DateOnly(2025, 5, 1),
                batch = Guid.CreateVersion7(), onBehalf = false, now }, tx);
        return legacy;
    }
}
