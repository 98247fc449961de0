using SkillsRegistry.Api.Infrastructure.Data;

namespace SkillsRegistry.Tests.Support;

/// <summary>One assessment to insert directly (with its own new trainee unless one is named), and optionally its certificate.</summary>
public sealed record SeedResult(
    Guid CenterId,
    Guid StandardId,
    DateOnly ExamDate,
    bool Passed = true,
    decimal Theory = 70,
    decimal Practical = 80,
    string AssessorName = "Reza Ahmadi",
    string? AssessorId = "AS-1",
    Guid? TraineeId = null,
    DateTimeOffset? RecordedAt = null,
    bool Voided = false,
    bool Certificate = false,
    string Gender = "female",
    string[]? TargetGroups = null,
    Guid? AssessorPractitionerId = null,
    Guid? SecondAssessorPractitionerId = null);

/// <summary>
/// Bulk rows for statistics and integrity tests, inserted with SQL (not through the API: thousands of rows must be fast),
/// so the right answer is known by construction.
/// </summary>
public static class StatisticsTestData
{
    /// <summary>An active standard version 1 (pass marks 50 theory / 60 practical) in a sector; returns its id and code.</summary>
    public static async Task<(Guid Id, string Code)> InsertStatsStandardAsync(this RegistryApp app, string sector)
    {
        var code = "ST" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();
        return (await app.InsertStandardAsync(code, 1, "active", RegistryWorlds.LicensedFrom, null, validityMonths: null, sector: sector), code);
    }

    public static async Task<Guid> InsertTraineeAsync(this DbSession s, string gender = "female", string[]? targetGroups = null)
    {
        var id = Guid.CreateVersion7();
        var now = DateTimeOffset.UtcNow;
        await s.ExecuteAsync("""
            INSERT INTO trainees (id, national_id_hash, given_name_fa, family_name_fa, given_name_latin, family_name_latin, birth_date, gender,
                                  search_text, created_at, updated_at)
            VALUES (@id, @nationalIdHash, 'سارا', 'احمدی', 'Sara', 'Ahmadi', @birth, @gender, 'sara ahmadi', @now, @now)
            """, new { id, nationalIdHash = Convert.ToHexStringLower(Guid.NewGuid().ToByteArray()), birth = new DateOnly(1995, 5, 5), gender, now });
        foreach (var group in targetGroups ?? [])
            await s.ExecuteAsync("INSERT INTO trainee_target_groups (trainee_id, target_group_code) VALUES (@id, @group)", new { id, group });
        return id;
    }

    /// <summary>Inserts the results in one transaction; returns the assessment ids in order.</summary>
    public static Task<List<Guid>> InsertResultsAsync(this RegistryApp app, IEnumerable<SeedResult> results) =>
        app.Db.WriteAsync(async s =>
        {
            var ids = new List<Guid>();
            foreach (var r in results)
            {
                var traineeId = r.TraineeId ?? await s.InsertTraineeAsync(r.Gender, r.TargetGroups);
                var id = Guid.CreateVersion7();
                var recordedAt = r.RecordedAt ?? new DateTimeOffset(r.ExamDate.ToDateTime(new TimeOnly(12, 0)), TimeSpan.Zero);
                await s.ExecuteAsync("""
                    INSERT INTO assessments (id, center_id, external_ref, trainee_id, standard_id, exam_date, theory_score, practical_score, outcome,
                                             assessor_name, assessor_id, status, batch_id, submitted_on_behalf, recorded_at, voided_at, void_reason,
                                             assessor_record, assessor_practitioner_id, second_assessor_practitioner_id)
                    VALUES (@id, @CenterId, @externalRef, @traineeId, @StandardId, @ExamDate, @Theory, @Practical, @outcome,
                            @AssessorName, @AssessorId, @status, @batchId, @onBehalf, @recordedAt, @voidedAt, @voidReason,
                            @assessorRecord, @AssessorPractitionerId, @SecondAssessorPractitionerId)
                    """, new
                {
                    id, r.CenterId, externalRef = "X-" + id.ToString("N"), traineeId, r.StandardId, r.ExamDate, r.Theory, r.Practical,
                    outcome = r.Passed ? "passed" : "failed", r.AssessorName, r.AssessorId, status = r.Voided ? "voided" : "recorded",
                    batchId = Guid.CreateVersion7(), onBehalf = false, recordedAt,
                    voidedAt = r.Voided ? recordedAt : (DateTimeOffset?)null, voidReason = r.Voided ? "test" : null,
                    assessorRecord = r.AssessorPractitionerId is null ? "legacy" : "registered", r.AssessorPractitionerId, r.SecondAssessorPractitionerId,
                });
                if (r.Certificate) await s.InsertCertificateAsync(id, traineeId, r.StandardId, r.CenterId, r.ExamDate, r.ExamDate);
                ids.Add(id);
            }
            return ids;
        });

    /// <summary>An original certificate, or (with <paramref name="replaces"/>) a correction that supersedes one.</summary>
    public static async Task<Guid> InsertCertificateAsync(this DbSession s, Guid assessmentId, Guid traineeId, Guid standardId, Guid centerId,
        DateOnly examDate, DateOnly issuedOn, Guid? replaces = null)
    {
        var id = Guid.CreateVersion7();
        var now = DateTimeOffset.UtcNow;
        await s.ExecuteAsync("""
            INSERT INTO certificates (id, number, assessment_id, trainee_id, standard_id, center_id, holder_given_name_fa, holder_family_name_fa,
                                      holder_given_name_latin, holder_family_name_latin, theory_score, practical_score, exam_date, issued_on,
                                      issued_at, status, replaces_certificate_id)
            VALUES (@id, @number, @assessmentId, @traineeId, @standardId, @centerId, 'سارا', 'احمدی', 'Sara', 'Ahmadi', 70, 80, @examDate,
                    @issuedOn, @now, 'valid', @replaces)
            """, new { id, number = "T-" + id.ToString("N"), assessmentId, traineeId, standardId, centerId, examDate, issuedOn, now, replaces });
        if (replaces is { } old)
            await s.ExecuteAsync("UPDATE certificates SET status = 'superseded', superseded_by_id = @id, superseded_at = @now WHERE id = @old",
                new { id, now, old });
        return id;
    }

    /// <summary>n copies of a result (each with its own trainee).</summary>
    public static IEnumerable<SeedResult> Times(this SeedResult result, int n) => Enumerable.Repeat(result, n);
}
