using SkillsRegistry.Api.Infrastructure.Data;

namespace SkillsRegistry.Api.Features.Assessments;

/// <summary>The result a center already recorded for a person, standard code and exam date.</summary>
public sealed record SameDayResult
{
    public Guid AssessmentId { get; init; }
    public string ExternalRef { get; init; } = "";
}

/// <summary>A valid, unexpired certificate a person already holds for a standard code.</summary>
public sealed record HeldCertificate
{
    public Guid Id { get; init; }
    public string Number { get; init; } = "";
}

/// <summary>
/// The two rules that keep results from multiplying certificates: one recorded result per center, person, standard code
/// and exam date (claimed in <c>assessment_days</c>, whose primary key is the last line of defence), and one valid
/// certificate per person and standard code (a later pass is recorded but issues nothing).
/// </summary>
public sealed class ResultUniqueness
{
    private const string SelectSameDay = """
        SELECT a.id AS AssessmentId, a.external_ref AS ExternalRef
        FROM assessment_days d JOIN assessments a ON a.id = d.assessment_id
        WHERE d.center_id = @centerId AND d.trainee_id = @traineeId AND d.standard_code = @standardCode AND d.exam_date = @examDate
        """;

    private const string InsertClaim = """
        INSERT INTO assessment_days (center_id, trainee_id, standard_code, exam_date, assessment_id)
        VALUES (@centerId, @traineeId, @standardCode, @examDate, @assessmentId)
        ON CONFLICT DO NOTHING
        """;

    private const string DeleteClaim = "DELETE FROM assessment_days WHERE assessment_id = @assessmentId";
    private const string DeleteUnclaimedAssessment = "DELETE FROM assessments WHERE id = @assessmentId";
    private const string LockTrainee = "SELECT id FROM trainees WHERE id = @traineeId";

    private const string SelectHeld = """
        SELECT c.id AS Id, c.number AS Number
        FROM certificates c JOIN standards s ON s.id = c.standard_id
        WHERE c.trainee_id = @traineeId AND s.code = @standardCode AND c.status = 'valid'
          AND (c.expires_on IS NULL OR c.expires_on >= @today)
        ORDER BY c.issued_at, c.id LIMIT 1
        """;

    public Task<SameDayResult?> FindSameDayAsync(DbSession s, Guid centerId, Guid traineeId, string standardCode, DateOnly examDate) =>
        s.QuerySingleOrDefaultAsync<SameDayResult>(SelectSameDay, new { centerId, traineeId, standardCode, examDate });

    /// <summary>
    /// Claims the day for a just-inserted assessment. When another transaction claimed it first, the assessment is
    /// removed again (nothing else refers to it yet) and false is returned.
    /// </summary>
    public async Task<bool> TryClaimDayAsync(DbSession s, Guid assessmentId, Guid centerId, Guid traineeId, string standardCode, DateOnly examDate)
    {
        if (await s.ExecuteAsync(InsertClaim, new { centerId, traineeId, standardCode, examDate, assessmentId }) == 1) return true;
        await s.ExecuteAsync(DeleteUnclaimedAssessment, new { assessmentId });
        return false;
    }

    /// <summary>A voided result no longer occupies its day: the center may record the corrected one.</summary>
    public Task ReleaseDayAsync(DbSession s, Guid assessmentId) => s.ExecuteAsync(DeleteClaim, new { assessmentId });

    /// <summary>
    /// The certificate the person already holds for the code (valid and not expired on <paramref name="today"/>), or null.
    /// On PostgreSQL the person's row is locked first, so two centers passing the same person at once issue one certificate.
    /// </summary>
    public async Task<HeldCertificate?> FindHeldCertificateAsync(DbSession s, Guid traineeId, string standardCode, DateOnly today)
    {
        await s.QueryAsync<Guid>(LockTrainee + s.Dialect.ForNoKeyUpdate, new { traineeId });
        return await s.QuerySingleOrDefaultAsync<HeldCertificate>(SelectHeld, new { traineeId, standardCode, today });
    }
}
