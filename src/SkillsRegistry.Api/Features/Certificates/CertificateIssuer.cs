using SkillsRegistry.Api.Features.Certificates.Signing;
using SkillsRegistry.Api.Features.Certificates.Status;
using SkillsRegistry.Api.Infrastructure.Text;
using SkillsRegistry.Api.Infrastructure.Audit;
using SkillsRegistry.Api.Infrastructure.Auth;
using SkillsRegistry.Api.Infrastructure.Data;
using SkillsRegistry.Api.Features.Webhooks;

namespace SkillsRegistry.Api.Features.Certificates;

/// <summary>What a certificate is issued from; names and scores are copied onto it and never change afterwards.</summary>
public sealed record CertificateIssue(
    Guid AssessmentId, Guid TraineeId, Guid StandardId, string StandardCode, string StandardTitleFa, string StandardTitleEn,
    Guid CenterId, string? CenterProvinceCode, string CenterCountry,
    decimal TheoryScore, decimal PracticalScore, DateOnly ExamDate, int? ValidityMonths,
    HolderNames? Holder = null, Guid? Replaces = null, string? CorrectionReason = null, DateOnly? ExpiresOn = null);

/// <summary>A certificate row as it is inserted (the parameters of <see cref="CertificateRepository.TryInsertAsync"/>).</summary>
public sealed record NewCertificate(
    Guid Id, string Number, Guid AssessmentId, Guid TraineeId, Guid StandardId, Guid CenterId,
    string GivenNameFa, string FamilyNameFa, string GivenNameLatin, string FamilyNameLatin,
    decimal TheoryScore, decimal PracticalScore, DateOnly ExamDate, DateOnly IssuedOn, DateTimeOffset IssuedAt, DateOnly? ExpiresOn,
    Guid? Replaces, string? CorrectionReason, string Token, Guid? IssuedByKeyId, long StatusListId, int StatusIndex);

/// <summary>Issues certificates inside the caller's transaction: numbered, snapshotted, signed, audited.</summary>
public sealed class CertificateIssuer(TimeProvider clock, CertificateToken tokens, StatusListRepository statusLists, CertificateRepository certificates)
{
    /// <summary>Random serials collide about once per 10,000 issues in a busy region; more misses than this is a fault.</summary>
    private const int NumberAttempts = 8;

    public async Task<IssuedCertificate> IssueAsync(DbSession s, CertificateIssue issue, Caller actor)
    {
        var now = clock.GetUtcNow();
        var issuedOn = RegistryCalendar.DayOf(now);
        var year = RegistryCalendar.SolarHijriYear(issuedOn);
        var region = CertificateNumber.RegionOf(issue.CenterProvinceCode, issue.CenterCountry);
        var holder = issue.Holder ?? await certificates.HolderNamesAsync(s, issue.TraineeId);
        var expiresOn = issue.ExpiresOn ?? (issue.ValidityMonths is { } months ? issuedOn.AddMonths(months) : null);
        var id = Guid.CreateVersion7();
        var status = await statusLists.AllocateAsync(s, now);
        // The database's unique number decides: on a collision (the insert does nothing) a new serial is drawn and signed.
        for (var attempt = 0; attempt < NumberAttempts; attempt++)
        {
            var number = CertificateNumber.Format(year, region, CertificateNumber.NewSerial());
            var token = tokens.Sign(CertificateClaims.For(number,
                $"{holder.GivenNameFa} {holder.FamilyNameFa}", $"{holder.GivenNameLatin} {holder.FamilyNameLatin}", issue.StandardCode,
                CertificateClaims.Date(issuedOn), CertificateClaims.Date(expiresOn), status.ListId, status.Index));
            var inserted = await certificates.TryInsertAsync(s, new NewCertificate(
                id, number, issue.AssessmentId, issue.TraineeId, issue.StandardId, issue.CenterId,
                holder.GivenNameFa, holder.FamilyNameFa, holder.GivenNameLatin, holder.FamilyNameLatin,
                issue.TheoryScore, issue.PracticalScore, issue.ExamDate, issuedOn, now, expiresOn,
                issue.Replaces, issue.CorrectionReason, token, actor.KeyId, status.ListId, status.Index));
            if (inserted) return await AfterInsertAsync(s, issue, actor, id, number, issuedOn, expiresOn, now);
        }
        throw new InvalidOperationException($"No free certificate number in {year}-{region} after {NumberAttempts} random draws.");
    }

    private static async Task<IssuedCertificate> AfterInsertAsync(
        DbSession s, CertificateIssue issue, Caller actor, Guid id, string number, DateOnly issuedOn, DateOnly? expiresOn, DateTimeOffset now)
    {
        await WebhookEvents.CertificateAsync(s, WebhookEventTypes.CertificateIssued, id, now);
        s.Audit(new AuditEntry(actor, issue.Replaces is null ? "issue" : "reissue", "certificate", id.ToString(),
            new { number, issue.AssessmentId, issue.StandardId, issue.CenterId, issuedOn, expiresOn, replaces = issue.Replaces, issue.CorrectionReason }));
        return new IssuedCertificate(id, number);
    }
}
