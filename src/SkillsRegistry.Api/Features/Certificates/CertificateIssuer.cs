using SkillsRegistry.Api.Features.Certificates.Signing;
using SkillsRegistry.Api.Features.Certificates.Status;
using SkillsRegistry.Api.Infrastructure.Text;
using SkillsRegistry.Api.Infrastructure.Audit;
using SkillsRegistry.Api.Infrastructure.Auth;
using SkillsRegistry.Api.Infrastructure.Data;
using SkillsRegistry.Api.Features.Webhooks;
using OutboxQueue = SkillsRegistry.Api.Infrastructure.Outbox.Outbox;

namespace SkillsRegistry.Api.Features.Certificates;

/// <summary>What a certificate is issued from; names and scores are copied onto it and never change afterwards.</summary>
public sealed record CertificateIssue(
    Guid AssessmentId, Guid TraineeId, Guid StandardId, string StandardCode, int StandardVersion, string StandardSector,
    Guid CenterId, string? CenterProvinceCode, string CenterCountry,
    decimal TheoryScore, decimal PracticalScore, DateOnly ExamDate, int? ValidityMonths,
    HolderNames? Holder = null, Guid? Replaces = null, string? CorrectionReason = null, DateOnly? ExpiresOn = null);

/// <summary>A certificate row as it is inserted (the parameters of <see cref="CertificateRepository.TryInsertAsync"/>).</summary>
public sealed record NewCertificate(
    Guid Id, string Number, Guid AssessmentId, Guid TraineeId, Guid StandardId, Guid CenterId,
    string GivenNameFa, string FamilyNameFa, string GivenNameLatin, string FamilyNameLatin,
    decimal TheoryScore, decimal PracticalScore, DateOnly ExamDate, DateOnly IssuedOn, DateTimeOffset IssuedAt, DateOnly? ExpiresOn,
    Guid? Replaces, string? CorrectionReason, string Token, Guid? IssuedByKeyId, long StatusListId, int StatusIndex);

/// <summary>What issuing one certificate writes: its row, its certificate.issued event and its audit record.</summary>
public sealed record CertificateRecord(NewCertificate Row, OutboxQueue.Pending Event, AuditEntry Audit);

/// <summary>
/// Issues certificates inside the caller's transaction: numbered, snapshotted, signed, audited. <see cref="Compose"/> is the
/// one description of what an issued certificate is; the assessment batch writes many of them with its own bulk statements.
/// </summary>
public sealed class CertificateIssuer(TimeProvider clock, CertificateToken tokens, StatusListRepository statusLists, CertificateRepository certificates)
{
    /// <summary>Random serials collide about once per 10,000 issues in a busy region; more misses than this is a fault.</summary>
    public const int NumberAttempts = 8;

    public async Task<IssuedCertificate> IssueAsync(DbSession s, CertificateIssue issue, Caller actor)
    {
        var now = clock.GetUtcNow();
        var year = RegistryCalendar.SolarHijriYear(RegistryCalendar.DayOf(now));
        var region = CertificateNumber.RegionOf(issue.CenterProvinceCode, issue.CenterCountry);
        var holder = issue.Holder ?? await certificates.HolderNamesAsync(s, issue.TraineeId);
        var id = Guid.CreateVersion7();
        var status = await statusLists.AllocateAsync(s, now);
        // The database's unique number decides: on a collision (the insert does nothing) a new serial is drawn and signed.
        for (var attempt = 0; attempt < NumberAttempts; attempt++)
        {
            var record = Compose(issue, holder, id, CertificateNumber.Format(year, region, CertificateNumber.NewSerial()), now, status, actor);
            if (!await certificates.TryInsertAsync(s, record.Row)) continue;
            await OutboxQueue.EnqueueAsync(s, record.Event);
            s.Audit(record.Audit);
            return new IssuedCertificate(id, record.Row.Number);
        }
        throw NoFreeNumber(year, region);
    }

    /// <summary>
    /// The certificate <paramref name="issue"/> makes under <paramref name="number"/> at <paramref name="now"/>: the signed row,
    /// the certificate.issued event (the data <see cref="WebhookEvents.CertificateAsync"/> reads back for it) and the audit record
    /// (issue, or reissue when it replaces one). Writes nothing.
    /// </summary>
    public CertificateRecord Compose(CertificateIssue issue, HolderNames holder, Guid id, string number, DateTimeOffset now, StatusListEntry status, Caller actor)
    {
        var issuedOn = RegistryCalendar.DayOf(now);
        var expiresOn = issue.ExpiresOn ?? (issue.ValidityMonths is { } months ? issuedOn.AddMonths(months) : null);
        var token = tokens.Sign(CertificateClaims.For(number,
            $"{holder.GivenNameFa} {holder.FamilyNameFa}", $"{holder.GivenNameLatin} {holder.FamilyNameLatin}", issue.StandardCode,
            CertificateClaims.Date(issuedOn), CertificateClaims.Date(expiresOn), status.ListId, status.Index));
        var row = new NewCertificate(id, number, issue.AssessmentId, issue.TraineeId, issue.StandardId, issue.CenterId,
            holder.GivenNameFa, holder.FamilyNameFa, holder.GivenNameLatin, holder.FamilyNameLatin,
            issue.TheoryScore, issue.PracticalScore, issue.ExamDate, issuedOn, now, expiresOn,
            issue.Replaces, issue.CorrectionReason, token, actor.KeyId, status.ListId, status.Index);
        var data = new CertificateEventData(id, number, CertificateStatus.Valid, new CertificateEventCenter(issue.CenterId),
            new CertificateEventStandard(issue.StandardId, issue.StandardCode, issue.StandardVersion, issue.StandardSector), issuedOn, expiresOn,
            Revocation: null, SupersededById: null, SupersededByNumber: null, ReplacesId: issue.Replaces);
        var audit = new AuditEntry(actor, issue.Replaces is null ? "issue" : "reissue", "certificate", id.ToString(),
            new { number, issue.AssessmentId, issue.StandardId, issue.CenterId, issuedOn, expiresOn, replaces = issue.Replaces, issue.CorrectionReason });
        return new CertificateRecord(row,
            new OutboxQueue.Pending(WebhookEventTypes.CertificateIssued, now, data, issue.CenterId, issue.StandardSector), audit);
    }

    public static InvalidOperationException NoFreeNumber(int year, string region) =>
        new($"No free certificate number in {year}-{region} after {NumberAttempts} random draws.");
}
