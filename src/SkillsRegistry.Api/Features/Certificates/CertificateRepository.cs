using SkillsRegistry.Api.Infrastructure.Text;
using SkillsRegistry.Api.Infrastructure.Audit;
using SkillsRegistry.Api.Infrastructure.Auth;
using SkillsRegistry.Api.Infrastructure.Caching;
using SkillsRegistry.Api.Infrastructure.Data;
using SkillsRegistry.Api.Infrastructure.Http;
using SkillsRegistry.Api.Infrastructure.Outcomes;
using SkillsRegistry.Api.Features.Webhooks;
using SkillsRegistry.Api.Infrastructure.Telemetry;

namespace SkillsRegistry.Api.Features.Certificates;

/// <summary>List filters; <paramref name="PartnerId"/> limits the result to standards in that partner agency's agreement sectors.</summary>
public sealed record CertificateFilter(
    Guid? TraineeId, Guid? CenterId, string? StandardCode, CertificateStatus? Status, DateOnly? IssuedFrom, DateOnly? IssuedTo,
    Guid? PartnerId = null);

/// <summary>A certificate with what only its printout needs: the signed QR token and the center's province names.</summary>
public sealed record PrintableCertificate(CertificateDto Certificate, string? Token, string? ProvinceNameFa, string? ProvinceNameEn);

/// <summary>
/// Every change to a stored certificate goes through here and reports it to <see cref="RegistryChanges"/>, so cached
/// verification answers are dropped when it commits (other instances: PostgreSQL triggers, db/postgres/0014).
/// </summary>
public sealed class CertificateRepository(Db db, TimeProvider clock, RegistryChanges changes, RegistryMetrics metrics)
{
    // Filters are fixed SQL with optional parameters, so there is one statement text and no string building of values.
    private const string FilterClause = """
        WHERE (@TraineeId IS NULL OR c.trainee_id = @TraineeId)
          AND (@CenterId IS NULL OR c.center_id = @CenterId)
          AND (@StandardCode IS NULL OR s.code = @StandardCode)
          AND (@StoredStatus IS NULL OR c.status = @StoredStatus)
          AND (@OnlyExpired = 0 OR (c.expires_on IS NOT NULL AND c.expires_on < @Today))
          AND (@OnlyCurrent = 0 OR c.expires_on IS NULL OR c.expires_on >= @Today)
          AND (@IssuedFrom IS NULL OR c.issued_on >= @IssuedFrom)
          AND (@IssuedTo IS NULL OR c.issued_on <= @IssuedTo)
          AND (@PartnerId IS NULL OR s.sector_code IN (SELECT ps.sector_code FROM partner_sectors ps WHERE ps.partner_id = @PartnerId))
        """;

    private const string SelectPage = CertificateSql.Select + "\n" + FilterClause + " ORDER BY c.issued_at DESC, c.id DESC LIMIT @Limit OFFSET @Offset";
    private const string CountPage = "SELECT COUNT(*) FROM certificates c JOIN standards s ON s.id = c.standard_id " + FilterClause;
    private const string SelectById = CertificateSql.Select + " WHERE c.id = @id";

    private const string SelectPrintExtras = """
        SELECT c.token AS Token, p.name_fa AS ProvinceNameFa, p.name_en AS ProvinceNameEn
        FROM certificates c
        JOIN training_centers t ON t.id = c.center_id
        LEFT JOIN provinces p ON p.code = t.province_code
        WHERE c.id = @id
        """;

    private const string SelectHolder = """
        SELECT given_name_fa AS GivenNameFa, family_name_fa AS FamilyNameFa, given_name_latin AS GivenNameLatin, family_name_latin AS FamilyNameLatin
        FROM trainees WHERE id = @id
        """;

    private const string RevokeValid = """
        UPDATE certificates SET status = 'revoked', revoked_at = @now, revocation_reason_code = @code, revocation_reason = @reason, revoked_by_key_id = @keyId
        WHERE id = @id AND status = 'valid'
        """;

    private const string SupersedeValid = """
        UPDATE certificates SET status = 'superseded', superseded_by_id = @newId, superseded_at = @now
        WHERE id = @id AND status = 'valid'
        """;

    private const string SelectCurrentForAssessment = "SELECT id FROM certificates WHERE assessment_id = @assessmentId AND status = 'valid'";
    private const string SelectValidOfTrainee = "SELECT id FROM certificates WHERE trainee_id = @traineeId AND status = 'valid' ORDER BY issued_at, id";
    private const string SelectFirstIssue = "SELECT MIN(issued_at) FROM certificates WHERE assessment_id = @assessmentId";

    public async Task<Page<CertificateDto>> ListAsync(CertificateFilter filter, int page, int size, int offset, CancellationToken ct)
    {
        var today = RegistryCalendar.Today(clock);
        var parameters = new
        {
            filter.TraineeId, filter.CenterId, filter.StandardCode,
            StoredStatus = filter.Status switch { null => null, CertificateStatus.Expired => "valid", var s => EnumText.ToText(s.Value) },
            OnlyExpired = filter.Status == CertificateStatus.Expired ? 1 : 0,
            OnlyCurrent = filter.Status == CertificateStatus.Valid ? 1 : 0,
            Today = today, filter.IssuedFrom, filter.IssuedTo, filter.PartnerId, Limit = size, Offset = offset,
        };
        return await db.ReadReplicaAsync(async s =>
        {
            var rows = await s.QueryAsync<CertificateRow>(SelectPage, parameters);
            var total = await s.ExecuteScalarAsync<long>(CountPage, parameters);
            return new Page<CertificateDto>(rows.Select(r => r.ToDto(today)).ToList(), page, size, total);
        }, ct);
    }

    public Task<CertificateDto?> GetAsync(Guid id, CancellationToken ct) =>
        db.ReadAsync(s => GetAsync(s, id), ct);

    public async Task<CertificateDto?> GetAsync(DbSession s, Guid id) =>
        (await s.QuerySingleOrDefaultAsync<CertificateRow>(SelectById, new { id }))?.ToDto(RegistryCalendar.Today(clock));

    /// <summary>The certificate with what a portable credential needs besides it: the standard's pass marks and its status list entry.</summary>
    public Task<CertificateCredentialFacts?> GetCredentialFactsAsync(Guid id, CancellationToken ct) =>
        db.ReadAsync(async s => (await s.QuerySingleOrDefaultAsync<CertificateRow>(SelectById, new { id }))?.ToCredentialFacts(RegistryCalendar.Today(clock)), ct);

    /// <summary>The certificate and what its printout adds (QR token, province names), read together; null when there is none.</summary>
    public Task<PrintableCertificate?> GetPrintableAsync(Guid id, CancellationToken ct) =>
        db.ReadAsync(async s =>
        {
            var certificate = await GetAsync(s, id);
            var extras = await s.QuerySingleOrDefaultAsync<PrintExtras>(SelectPrintExtras, new { id });
            return certificate is null || extras is null
                ? null
                : new PrintableCertificate(certificate, extras.Token, extras.ProvinceNameFa, extras.ProvinceNameEn);
        }, ct);

    /// <summary>Locks the certificate row until commit (PostgreSQL) so concurrent revoke/correct see each other.</summary>
    public async Task<CertificateDto?> GetForUpdateAsync(DbSession s, Guid id)
    {
        await s.QueryAsync<Guid>("SELECT id FROM certificates WHERE id = @id" + s.Dialect.ForUpdate, new { id });
        return await GetAsync(s, id);
    }

    /// <summary>The holder's names as the trainee record has them now (what a new certificate prints).</summary>
    public Task<HolderNames> HolderNamesAsync(DbSession s, Guid traineeId) =>
        s.QuerySingleAsync<HolderNames>(SelectHolder, new { id = traineeId });

    /// <summary>Inserts a new certificate unless its number is taken; false means draw another number.</summary>
    public async Task<bool> TryInsertAsync(DbSession s, NewCertificate certificate)
    {
        if (await s.ExecuteAsync(CertificateSql.Rows.Insert, certificate) != 1) return false;
        s.AfterCommit(() => metrics.CertificatesIssued(1));
        return true;
    }

    /// <summary>When the assessment's first certificate was issued (corrections keep the assessment).</summary>
    public Task<DateTimeOffset> FirstIssuedAtAsync(DbSession s, Guid assessmentId) =>
        s.QuerySingleAsync<DateTimeOffset>(SelectFirstIssue, new { assessmentId });

    /// <summary>The trainee's certificates that are still valid (also past their expiry date), oldest first.</summary>
    public async Task<IReadOnlyList<Guid>> ValidOfTraineeAsync(DbSession s, Guid traineeId) =>
        (await s.QueryAsync<Guid>(SelectValidOfTrainee, new { traineeId })).ToList();

    /// <summary>Revokes a valid certificate in its own transaction; see <see cref="RevokeAsync(DbSession, Guid, RevocationReason, string, Caller, DateTimeOffset)"/>.</summary>
    public Task<Outcome<CertificateDto>> RevokeAsync(Guid id, RevocationReason code, string reason, Caller actor, CancellationToken ct) =>
        db.TryWriteAsync(s => RevokeAsync(s, id, code, reason, actor, clock.GetUtcNow()), ct);

    /// <summary>Revokes a valid certificate. Revoking a revoked one changes nothing; a superseded one is refused.</summary>
    public async Task<Outcome<CertificateDto>> RevokeAsync(DbSession s, Guid id, RevocationReason code, string reason, Caller actor, DateTimeOffset now)
    {
        var certificate = await GetForUpdateAsync(s, id);
        if (certificate is null) return Rejection.NotFound($"No certificate has id {id}.");
        if (certificate.Revocation is not null) return certificate;
        if (certificate.SupersededById is { } replacement)
            return Rejection.Conflict($"Certificate {certificate.Number} was superseded by {certificate.SupersededByNumber}; revoke that one ({replacement}) instead.");
        await s.ExecuteAsync(RevokeValid, new { id, now, code = EnumText.ToText(code), reason, keyId = actor.KeyId });
        changes.CertificateChanged(s, certificate.Number);
        await WebhookEvents.CertificateAsync(s, WebhookEventTypes.CertificateRevoked, id, now);
        s.AfterCommit(metrics.CertificateRevoked);
        s.Audit(new AuditEntry(actor, "revoke", "certificate", id.ToString(), new { certificate.Number, reasonCode = EnumText.ToText(code), reason }));
        return (await GetAsync(s, id))!;
    }

    /// <summary>Marks a valid certificate as replaced by <paramref name="replacementId"/> (a correction issued in this transaction).</summary>
    public async Task SupersedeAsync(DbSession s, CertificateDto certificate, Guid replacementId, DateTimeOffset now)
    {
        await s.ExecuteAsync(SupersedeValid, new { id = certificate.Id, newId = replacementId, now });
        changes.CertificateChanged(s, certificate.Number);
    }

    public async Task<Outcome> RevokeCurrentForAssessmentAsync(DbSession s, Guid assessmentId, RevocationReason code, string reason, Caller actor, DateTimeOffset now)
    {
        foreach (var id in await s.QueryAsync<Guid>(SelectCurrentForAssessment, new { assessmentId }))
            if ((await RevokeAsync(s, id, code, reason, actor, now)).Rejection is { } rejection) return rejection;
        return Outcome.Done;
    }

    private sealed record PrintExtras
    {
        public string? Token { get; init; }
        public string? ProvinceNameFa { get; init; }
        public string? ProvinceNameEn { get; init; }
    }
}
