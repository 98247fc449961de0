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

/// <summary>Issues certificates inside the caller's transaction: numbered, snapshotted, signed, audited.</summary>
public sealed class CertificateIssuer(TimeProvider clock, CertificateToken tokens, StatusListRepository statusLists)
{
    /// <summary>Random serials collide about once per 10,000 issues in a busy region; more misses than this is a fault.</summary>
    private const int NumberAttempts = 8;

    private const string SelectHolder = """
        SELECT given_name_fa AS GivenNameFa, family_name_fa AS FamilyNameFa, given_name_latin AS GivenNameLatin, family_name_latin AS FamilyNameLatin
        FROM trainees WHERE id = @id
        """;

    private const string InsertCertificate = """
        INSERT INTO certificates (id, number, assessment_id, trainee_id, standard_id, center_id,
            holder_given_name_fa, holder_family_name_fa, holder_given_name_latin, holder_family_name_latin,
            theory_score, practical_score, exam_date, issued_on, issued_at, expires_on, status,
            replaces_certificate_id, correction_reason, token, issued_by_key_id, status_list_id, status_index)
        VALUES (@Id, @Number, @AssessmentId, @TraineeId, @StandardId, @CenterId,
            @GivenNameFa, @FamilyNameFa, @GivenNameLatin, @FamilyNameLatin,
            @TheoryScore, @PracticalScore, @ExamDate, @IssuedOn, @IssuedAt, @ExpiresOn, 'valid',
            @Replaces, @CorrectionReason, @Token, @IssuedByKeyId, @StatusListId, @StatusIndex)
        ON CONFLICT (number) DO NOTHING
        """;

    public async Task<IssuedCertificate> IssueAsync(DbSession s, CertificateIssue issue, Caller actor)
    {
        var now = clock.GetUtcNow();
        var issuedOn = RegistryCalendar.DayOf(now);
        var year = RegistryCalendar.SolarHijriYear(issuedOn);
        var region = CertificateNumber.RegionOf(issue.CenterProvinceCode, issue.CenterCountry);
        var holder = issue.Holder ?? await s.QuerySingleAsync<HolderNames>(SelectHolder, new { id = issue.TraineeId });
        var expiresOn = issue.ExpiresOn ?? (issue.ValidityMonths is { } months ? issuedOn.AddMonths(months) : null);
        var id = Guid.CreateVersion7();
        var status = await statusLists.AllocateAsync(s, now);
        // The database's unique number decides: on a collision (the insert does nothing) a new serial is drawn and signed.
        for (var attempt = 0; attempt < NumberAttempts; attempt++)
        {
            var number = CertificateNumber.Format(year, region, CertificateNumber.NewSerial());
            var token = tokens.Sign(new CertificateClaims(number,
                $"{holder.GivenNameFa} {holder.FamilyNameFa}", $"{holder.GivenNameLatin} {holder.FamilyNameLatin}", issue.StandardCode,
                CertificateClaims.Date(issuedOn), CertificateClaims.Date(expiresOn), status.ListId, status.Index));
            var inserted = await s.ExecuteAsync(InsertCertificate, new
            {
                Id = id, Number = number, issue.AssessmentId, issue.TraineeId, issue.StandardId, issue.CenterId,
                holder.GivenNameFa, holder.FamilyNameFa, holder.GivenNameLatin, holder.FamilyNameLatin,
                issue.TheoryScore, issue.PracticalScore, issue.ExamDate, IssuedOn = issuedOn, IssuedAt = now, ExpiresOn = expiresOn,
                issue.Replaces, issue.CorrectionReason, Token = token, IssuedByKeyId = actor.KeyId,
                StatusListId = status.ListId, StatusIndex = status.Index,
            });
            if (inserted == 1) return await AfterInsertAsync(s, issue, actor, id, number, issuedOn, expiresOn, now);
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
