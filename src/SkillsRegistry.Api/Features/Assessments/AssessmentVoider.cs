using SkillsRegistry.Api.Features.Certificates;
using SkillsRegistry.Api.Infrastructure.Text;
using SkillsRegistry.Api.Infrastructure.Audit;
using SkillsRegistry.Api.Infrastructure.Auth;
using SkillsRegistry.Api.Infrastructure.Data;
using SkillsRegistry.Api.Infrastructure.Problems;

namespace SkillsRegistry.Api.Features.Assessments;

/// <summary>Voids an assessment recorded in error and revokes its current certificate, in one transaction.</summary>
public sealed class AssessmentVoider(
    Db db, AssessmentRepository assessments, CertificateRepository certificates, ResultUniqueness uniqueness, TimeProvider clock)
{
    public const int CenterWindowDays = 30;

    public Task<AssessmentDto> VoidAsync(Guid id, string reason, Caller caller, CancellationToken ct) =>
        db.WriteAsync(async s =>
        {
            var assessment = await assessments.GetAsync(s, id);
            if (assessment is null || !caller.ActsForCenter(assessment.CenterId))
                throw RequestRejectedException.NotFound($"No assessment {id} is visible to this key.");
            if (assessment.Status == "voided") return assessment;
            var now = clock.GetUtcNow();
            if (!caller.IsAdmin && now > assessment.RecordedAt.AddDays(CenterWindowDays))
                throw RequestRejectedException.Forbidden(
                    $"A center may void its results for {CenterWindowDays} days; this one was recorded on {assessment.RecordedAt:yyyy-MM-dd}. Ask the registry to void it.");
            await assessments.MarkVoidedAsync(s, id, reason, caller.KeyId, now);
            await uniqueness.ReleaseDayAsync(s, id);
            s.Audit(new AuditEntry(caller, "void", "assessment", id.ToString(), new { reason }));
            await certificates.RevokeCurrentForAssessmentAsync(s, id, RevocationReason.AssessmentAnnulled, reason, caller, now);
            return (await assessments.GetAsync(s, id))!;
        }, ct);
}
