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
/// certificate per person and standard code (a later pass is recorded but issues nothing). A batch checks both for all its
/// rows at once (<see cref="AssessmentBatchProcessor"/>); corrections and voids use the single-result methods here.
/// </summary>
public sealed class ResultUniqueness
{
    private const string SelectSameDay = """
        SELECT a.id AS AssessmentId, a.external_ref AS ExternalRef
        FROM assessment_days d JOIN assessments a ON a.id = d.assessment_id
        WHERE d.center_id = @centerId AND d.trainee_id = @traineeId AND d.standard_code = @standardCode AND d.exam_date = @examDate
        """;

    private const string DeleteClaim = "DELETE FROM assessment_days WHERE assessment_id = @assessmentId";

    public Task<SameDayResult?> FindSameDayAsync(DbSession s, Guid centerId, Guid traineeId, string standardCode, DateOnly examDate) =>
        s.QuerySingleOrDefaultAsync<SameDayResult>(SelectSameDay, new { centerId, traineeId, standardCode, examDate });

    /// <summary>A voided result no longer occupies its day: the center may record the corrected one.</summary>
    public Task ReleaseDayAsync(DbSession s, Guid assessmentId) => s.ExecuteAsync(DeleteClaim, new { assessmentId });
}
