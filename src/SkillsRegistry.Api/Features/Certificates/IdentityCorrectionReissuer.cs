using SkillsRegistry.Api.Features.Webhooks;
using SkillsRegistry.Api.Infrastructure.Audit;
using SkillsRegistry.Api.Infrastructure.Auth;
using SkillsRegistry.Api.Infrastructure.Data;

namespace SkillsRegistry.Api.Features.Certificates;

/// <summary>
/// After the registry corrects a person's identity, every certificate of theirs that is still valid (also when past its
/// expiry date) is re-issued as a correction — new number, holder names taken from the corrected trainee record, same
/// scores and expiry — and the old one is superseded, so no printed name or QR token disagrees with the record.
/// Runs inside the correction's transaction.
/// </summary>
public sealed class IdentityCorrectionReissuer(CertificateRepository certificates, CertificateIssuer issuer, TimeProvider clock)
{
    public async Task<IReadOnlyList<IssuedCertificate>> ReissueAsync(DbSession s, Guid traineeId, string reason, Caller caller)
    {
        var issued = new List<IssuedCertificate>();
        foreach (var id in await certificates.ValidOfTraineeAsync(s, traineeId))
        {
            var old = await certificates.GetForUpdateAsync(s, id);
            if (old is null || old.SupersededById is not null || old.Revocation is not null) continue;
            var now = clock.GetUtcNow();
            var replacement = await issuer.IssueAsync(s, new CertificateIssue(
                old.AssessmentId, old.TraineeId, old.Standard.Id, old.Standard.Code, old.Standard.Version, old.Standard.Sector,
                old.Center.Id, old.Center.ProvinceCode, old.Center.Country, old.TheoryScore, old.PracticalScore, old.ExamDate, null,
                Holder: null, Replaces: old.Id, CorrectionReason: reason, ExpiresOn: old.ExpiresOn), caller);
            await certificates.SupersedeAsync(s, old, replacement.Id, now);
            await WebhookEvents.CertificateAsync(s, WebhookEventTypes.CertificateSuperseded, old.Id, now);
            s.Audit(new AuditEntry(caller, "supersede", "certificate", old.Id.ToString(), new { old.Number, replacement = replacement.Number, reason }));
            issued.Add(replacement);
        }
        return issued;
    }
}
