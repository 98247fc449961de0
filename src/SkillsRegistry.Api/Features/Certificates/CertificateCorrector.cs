using SkillsRegistry.Api.Features.Assessments;
using SkillsRegistry.Api.Features.Centers;
using SkillsRegistry.Api.Features.Standards;
using SkillsRegistry.Api.Infrastructure.Text;
using SkillsRegistry.Api.Infrastructure.Audit;
using SkillsRegistry.Api.Infrastructure.Auth;
using SkillsRegistry.Api.Infrastructure.Data;
using SkillsRegistry.Api.Infrastructure.Outcomes;
using SkillsRegistry.Api.Features.Webhooks;

namespace SkillsRegistry.Api.Features.Certificates;

/// <summary>
/// A correction never edits a certificate: it issues a new one with a new number, and the old one becomes
/// superseded and points to it. Admin may correct at any time; the issuing center within 30 days of the first issue.
/// A correction changes only what was assessed (scores, exam date, standard version of the same code), under the same
/// rules as a submitted result; the holder's names are always read from the trainee record.
/// </summary>
public sealed class CertificateCorrector(
    Db db, CertificateRepository certificates, CertificateIssuer issuer, StandardRepository standards, CenterRepository centers,
    AssessmentRepository assessments, ResultUniqueness uniqueness, TimeProvider clock)
{
    public const int CenterWindowDays = 30;

    /// <summary>The replacement certificate, or why the correction is refused (then nothing is written).</summary>
    public Task<Outcome<CertificateDto>> CorrectAsync(Guid id, CorrectCertificateRequest request, Caller caller, CancellationToken ct) =>
        db.TryWriteAsync(async s =>
        {
            var old = await certificates.GetForUpdateAsync(s, id);
            if (old is null || !caller.ActsForCenter(old.Center.Id)) return Rejection.NotFound($"No certificate {id} is visible to this key.");
            if (old.SupersededById is not null)
                return Rejection.Conflict($"Certificate {old.Number} was already replaced by {old.SupersededByNumber}; correct that one.");
            if (old.Revocation is not null)
                return Rejection.Conflict($"Certificate {old.Number} is revoked; a revoked certificate cannot be corrected.");
            var now = clock.GetUtcNow();
            if (!caller.IsAdmin)
            {
                var firstIssue = await certificates.FirstIssuedAtAsync(s, old.AssessmentId);
                if (now > firstIssue.AddDays(CenterWindowDays))
                    return Rejection.Forbidden(
                        $"A center may correct a certificate for {CenterWindowDays} days after it was first issued ({firstIssue:yyyy-MM-dd}). Ask the registry to correct it.");
            }

            var examDate = request.ExamDate ?? old.ExamDate;
            var corrected = await CorrectedStandardAsync(s, old, request, examDate);
            if (corrected.Rejection is { } refused) return refused;
            var standard = corrected.Value;
            var theory = request.TheoryScore ?? old.TheoryScore;
            var practical = request.PracticalScore ?? old.PracticalScore;
            if (theory < standard.TheoryPassMark || practical < standard.PracticalPassMark)
                return Rejection.UnprocessableField(request.TheoryScore is not null ? "theoryScore" : "practicalScore",
                    $"The corrected scores ({theory}/{practical}) do not pass (pass marks {standard.TheoryPassMark}/{standard.PracticalPassMark}). Void the assessment instead.");
            if (examDate != old.ExamDate && await MoveExamDateAsync(s, old, examDate) is { } moveRefused) return moveRefused;

            if (theory != old.TheoryScore || practical != old.PracticalScore || examDate != old.ExamDate || standard.Id != old.Standard.Id)
            {
                await assessments.CorrectResultAsync(s, old.AssessmentId, theory, practical, examDate, standard.Id);
                s.Audit(new AuditEntry(caller, "correct-result", "assessment", old.AssessmentId.ToString(), new
                {
                    theoryScore = new { from = old.TheoryScore, to = theory }, practicalScore = new { from = old.PracticalScore, to = practical },
                    examDate = new { from = old.ExamDate, to = examDate }, standardVersion = new { from = old.Standard.Version, to = standard.Version },
                }));
            }

            // Holder: null, so the issuer reads the names from the trainee record.
            var issued = await issuer.IssueAsync(s, new CertificateIssue(
                old.AssessmentId, old.TraineeId, standard.Id, standard.Code, standard.Version, standard.Sector, old.Center.Id, old.Center.ProvinceCode, old.Center.Country,
                theory, practical, examDate, null, Holder: null, Replaces: old.Id, CorrectionReason: request.Reason!.Trim(),
                ExpiresOn: old.ExpiresOn), caller);
            await certificates.SupersedeAsync(s, old, issued.Id, now);
            await WebhookEvents.CertificateAsync(s, WebhookEventTypes.CertificateSuperseded, old.Id, now);
            s.Audit(new AuditEntry(caller, "supersede", "certificate", old.Id.ToString(), new { old.Number, replacement = issued.Number, reason = request.Reason }));
            return (Outcome<CertificateDto>)(await certificates.GetAsync(s, issued.Id))!;
        }, ct);

    /// <summary>The version the corrected result is for: the requested one of the same code, else the current one; in force on the exam date.</summary>
    private async Task<Outcome<StandardVersion>> CorrectedStandardAsync(DbSession s, CertificateDto old, CorrectCertificateRequest request, DateOnly examDate)
    {
        var version = request.StandardVersion ?? old.Standard.Version;
        var standard = await standards.FindVersionAsync(s, old.Standard.Code, version);
        if (standard is null) return Rejection.UnprocessableField("standardVersion", $"Standard {old.Standard.Code} has no version {version}.");
        var inForce = standard.Status != StandardStatus.Draft && standard.EffectiveFrom is { } from && from <= examDate
                      && (standard.EffectiveTo is null || standard.EffectiveTo >= examDate);
        if (!inForce)
            return Rejection.UnprocessableField(request.StandardVersion is not null ? "standardVersion" : "examDate",
                $"Version {version} of standard {old.Standard.Code} was not in force on {examDate:yyyy-MM-dd}.");
        return standard;
    }

    /// <summary>
    /// A new exam date passes the same checks as a submitted result and must not collide with another result of the day;
    /// null when the claim on the day moved.
    /// </summary>
    private async Task<Rejection?> MoveExamDateAsync(DbSession s, CertificateDto old, DateOnly examDate)
    {
        var today = RegistryCalendar.Today(clock);
        if (examDate > today)
            return Rejection.UnprocessableField("examDate", $"{examDate:yyyy-MM-dd} is in the future (today is {today:yyyy-MM-dd} in Tehran).");
        var licence = await centers.CheckLicenceAsync(s, old.Center.Id, examDate);
        if (!licence.Active) return Rejection.UnprocessableField("examDate", licence.Reason);
        if (!await centers.IsInScopeAsync(s, old.Center.Id, old.Standard.Code, examDate))
            return Rejection.UnprocessableField("examDate", $"Standard {old.Standard.Code} was not in the center's licensed scope on {examDate:yyyy-MM-dd}.");
        if (await uniqueness.FindSameDayAsync(s, old.Center.Id, old.TraineeId, old.Standard.Code, examDate) is { } other && other.AssessmentId != old.AssessmentId)
            return Rejection.Conflict(
                $"This center already recorded this person's result for standard {old.Standard.Code} on {examDate:yyyy-MM-dd} (assessment {other.AssessmentId}).");
        if (!await assessments.TryMoveDayClaimAsync(s, old.AssessmentId, examDate))
            return Rejection.Conflict(
                $"Another result of this person for standard {old.Standard.Code} on {examDate:yyyy-MM-dd} was recorded meanwhile.");
        return null;
    }
}
