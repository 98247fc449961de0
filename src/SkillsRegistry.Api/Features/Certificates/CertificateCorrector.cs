using SkillsRegistry.Api.Features.Assessments;
using SkillsRegistry.Api.Infrastructure;
using SkillsRegistry.Api.Infrastructure.Audit;
using SkillsRegistry.Api.Infrastructure.Auth;
using SkillsRegistry.Api.Infrastructure.Data;
using SkillsRegistry.Api.Infrastructure.Problems;
using SkillsRegistry.Api.Features.Webhooks;

namespace SkillsRegistry.Api.Features.Certificates;

/// <summary>
/// A correction never edits a certificate: it issues a new one with a new number, and the old one becomes
/// superseded and points to it. Admin may correct at any time; the issuing center within 30 days of the first issue.
/// </summary>
public sealed class CertificateCorrector(Db db, CertificateRepository certificates, CertificateIssuer issuer, TimeProvider clock)
{
    public const int CenterWindowDays = 30;

    private sealed record PassMarks
    {
        public decimal TheoryPassMark { get; init; }
        public decimal PracticalPassMark { get; init; }
    }

    private const string SelectFirstIssue = "SELECT MIN(issued_at) FROM certificates WHERE assessment_id = @assessmentId";
    private const string SelectPassMarks = "SELECT theory_pass_mark AS TheoryPassMark, practical_pass_mark AS PracticalPassMark FROM standards WHERE id = @id";
    private const string UpdateScores = "UPDATE assessments SET theory_score = @theory, practical_score = @practical WHERE id = @id";

    public Task<CertificateDto> CorrectAsync(Guid id, CorrectCertificateRequest request, Caller caller, CancellationToken ct) =>
        db.WriteAsync(async s =>
        {
            var old = await certificates.GetForUpdateAsync(s, id);
            if (old is null || !caller.ActsForCenter(old.Center.Id)) throw RequestRejectedException.NotFound($"No certificate {id} is visible to this key.");
            if (old.SupersededById is not null)
                throw RequestRejectedException.Conflict($"Certificate {old.Number} was already replaced by {old.SupersededByNumber}; correct that one.");
            if (old.Revocation is not null)
                throw RequestRejectedException.Conflict($"Certificate {old.Number} is revoked; a revoked certificate cannot be corrected.");
            var now = clock.GetUtcNow();
            if (!caller.IsAdmin)
            {
                var firstIssue = await s.QuerySingleAsync<DateTimeOffset>(SelectFirstIssue, new { assessmentId = old.AssessmentId });
                if (now > firstIssue.AddDays(CenterWindowDays))
                    throw RequestRejectedException.Forbidden(
                        $"A center may correct a certificate for {CenterWindowDays} days after it was first issued ({firstIssue:yyyy-MM-dd}). Ask the registry to correct it.");
            }

            var theory = request.TheoryScore ?? old.TheoryScore;
            var practical = request.PracticalScore ?? old.PracticalScore;
            if (theory != old.TheoryScore || practical != old.PracticalScore)
            {
                var marks = await s.QuerySingleAsync<PassMarks>(SelectPassMarks, new { id = old.Standard.Id });
                if (theory < marks.TheoryPassMark || practical < marks.PracticalPassMark)
                    throw RequestRejectedException.Field(request.TheoryScore is not null ? "theoryScore" : "practicalScore",
                        $"The corrected scores ({theory}/{practical}) do not pass (pass marks {marks.TheoryPassMark}/{marks.PracticalPassMark}). Void the assessment instead.");
                await s.ExecuteAsync(UpdateScores, new { id = old.AssessmentId, theory, practical });
                s.Audit(new AuditEntry(caller, "correct-scores", "assessment", old.AssessmentId.ToString(),
                    new { theoryScore = new { from = old.TheoryScore, to = theory }, practicalScore = new { from = old.PracticalScore, to = practical } }));
            }

            var holder = new HolderNames(
                request.GivenNameFa?.Trim() ?? old.Holder.GivenNameFa, request.FamilyNameFa?.Trim() ?? old.Holder.FamilyNameFa,
                request.GivenNameLatin?.Trim() ?? old.Holder.GivenNameLatin, request.FamilyNameLatin?.Trim() ?? old.Holder.FamilyNameLatin);
            var issued = await issuer.IssueAsync(s, new CertificateIssue(
                old.AssessmentId, old.TraineeId, old.Standard.Id, old.Standard.Code, old.Standard.TitleFa, old.Standard.TitleEn, old.Center.Id, old.Center.ProvinceCode, old.Center.Country,
                theory, practical, old.ExamDate, null, holder, Replaces: old.Id, CorrectionReason: request.Reason!.Trim(),
                ExpiresOn: old.ExpiresOn), caller);
            await certificates.SupersedeAsync(s, old, issued.Id, now);
            await WebhookEvents.CertificateAsync(s, WebhookEventTypes.CertificateSuperseded, old.Id, now);
            s.Audit(new AuditEntry(caller, "supersede", "certificate", old.Id.ToString(), new { old.Number, replacement = issued.Number, reason = request.Reason }));
            return (await certificates.GetAsync(s, issued.Id))!;
        }, ct);
}
