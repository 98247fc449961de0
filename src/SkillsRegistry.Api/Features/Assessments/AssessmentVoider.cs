using SkillsRegistry.Api.Features.Certificates;
using SkillsRegistry.Api.Infrastructure.Text;
using SkillsRegistry.Api.Infrastructure.Audit;
using SkillsRegistry.Api.Infrastructure.Auth;
using SkillsRegistry.Api.Infrastructure.Data;
using SkillsRegistry.Api.Infrastructure.Outcomes;

namespace SkillsRegistry.Api.Features.Assessments;

/// <summary>Voids an assessment recorded in error and revokes its current certificate, in one transaction.</summary>
public sealed class AssessmentVoider(
    Db db, AssessmentRepository assessments, CertificateRepository certificates, ResultUniqueness uniqueness, TimeProvider clock)
{
    public const int CenterWindowDays = 30;

    /// <summary>The voided assessment, or why it may not be voided (then nothing is written).</summary>
    public Task<Outcome<AssessmentDto>> VoidAsync(Guid id, string reason, Caller caller, CancellationToken ct) =>
        db.TryWriteAsync(async s =>
        {
            var assessment = await assessments.GetAsync(s, id);
            if (assessment is null || !caller.ActsForCenter(assessment.CenterId))
                return Rejection.NotFound($"No assessment {id} is visible to this key.");
            if (assessment.Status == "voided") return assessment;
            var now = clock.GetUtcNow();
            if (!caller.IsAdmin && now > assessment.RecordedAt.AddDays(CenterWindowDays))
                return Rejection.Forbidden(
                    $"A center may void its results for {CenterWindowDays} days; this one was recorded on {assessment.RecordedAt:yyyy-MM-dd}. Ask the registry to void it.");
            await assessments.MarkVoidedAsync(s, id, reason, caller.KeyId, now);
            await uniqueness.ReleaseDayAsync(s, id);
            s.Audit(new AuditEntry(caller, "void", "assessment", id.ToString(), new { reason }));
            var revoked = await certificates.RevokeCurrentForAssessmentAsync(s, id, RevocationReason.AssessmentAnnulled, reason, caller, now);
            if (revoked.Rejection is { } refused) return refused;
            return (Outcome<AssessmentDto>)(await assessments.GetAsync(s, id))!;
        }, ct);
}
