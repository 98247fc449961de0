using SkillsRegistry.Api.Infrastructure.Text;
using SkillsRegistry.Api.Infrastructure.Audit;
using SkillsRegistry.Api.Infrastructure.Auth;
using SkillsRegistry.Api.Infrastructure.Caching;
using SkillsRegistry.Api.Infrastructure.Data;
using SkillsRegistry.Api.Infrastructure.Http;
using SkillsRegistry.Api.Infrastructure.Problems;
using SkillsRegistry.Api.Features.Webhooks;

namespace SkillsRegistry.Api.Features.Certificates;

/// <summary>List filters; <paramref name="PartnerId"/> limits the result to standards in that partner agency's agreement sectors.</summary>
public sealed record CertificateFilter(
    Guid? TraineeId, Guid? CenterId, string? StandardCode, CertificateStatus? Status, DateOnly? IssuedFrom, DateOnly? IssuedTo,
    Guid? PartnerId = null);

internal sealed record CertificateRow
{
    public Guid Id { get; init; }
    public string Number { get; init; } = "";
    public string Status { get; init; } = "";
    public Guid AssessmentId { get; init; }
    public Guid TraineeId { get; init; }
    public string GivenNameFa { get; init; } = "";
    public string FamilyNameFa { get; init; } = "";
    public string GivenNameLatin { get; init; } = "";
    public string FamilyNameLatin { get; init; } = "";
    public Guid StandardId { get; init; }
    public string StandardCode { get; init; } = "";
    public int StandardVersion { get; init; }
    public string TitleFa { get; init; } = "";
    public string TitleEn { get; init; } = "";
    public string IscoCode { get; init; } = "";
    public string SectorCode { get; init; } = "";
    public int TheoryHours { get; init; }
    public int PracticalHours { get; init; }
    public decimal TheoryPassMark { get; init; }
    public decimal PracticalPassMark { get; init; }
    public long? StatusListId { get; init; }
    public long? StatusIndex { get; init; }
    public Guid CenterId { get; init; }
    public string CenterCode { get; init; } = "";
    public string CenterNameFa { get; init; } = "";
    public string CenterNameEn { get; init; } = "";
    public string? ProvinceCode { get; init; }
    public string Country { get; init; } = "";
    public decimal TheoryScore { get; init; }
    public decimal PracticalScore { get; init; }
    public DateOnly ExamDate { get; init; }
    public DateOnly IssuedOn { get; init; }
    public DateOnly? ExpiresOn { get; init; }
    public string? RevocationReasonCode { get; init; }
    public string? RevocationReason { get; init; }
    public DateTimeOffset? RevokedAt { get; init; }
    public Guid? SupersededById { get; init; }
    public string? SupersededByNumber { get; init; }
    public Guid? ReplacesId { get; init; }
    public string? CorrectionReason { get; init; }

    public CertificateDto ToDto(DateOnly today) => new(
        Id, Number, CertificateStatuses.Effective(Status, ExpiresOn, today), AssessmentId, TraineeId,
        new HolderNames(GivenNameFa, FamilyNameFa, GivenNameLatin, FamilyNameLatin),
        new CertificateStandard(StandardId, StandardCode, StandardVersion, TitleFa, TitleEn, IscoCode, TheoryHours, PracticalHours, SectorCode),
        new CertificateCenter(CenterId, CenterCode, CenterNameFa, CenterNameEn, ProvinceCode, Country),
        TheoryScore, PracticalScore, ExamDate, IssuedOn, RegistryCalendar.SolarHijri(IssuedOn),
        ExpiresOn, ExpiresOn is { } e ? RegistryCalendar.SolarHijri(e) : null,
        RevokedAt is { } at ? new Revocation(EnumText.Parse<RevocationReason>(RevocationReasonCode!), RevocationReason, at) : null,
        SupersededById, SupersededByNumber, ReplacesId, CorrectionReason);

    public CertificateCredentialFacts ToCredentialFacts(DateOnly today) => new(
        ToDto(today), TheoryPassMark, PracticalPassMark,
        StatusListId is { } list && StatusIndex is { } index ? new StatusListEntry(list, (int)index) : null);
}

public static class CertificateStatuses
{
    public static CertificateStatus Effective(string stored, DateOnly? expiresOn, DateOnly today) =>
        Effective(EnumText.Parse<CertificateStatus>(stored), expiresOn, today);

    public static CertificateStatus Effective(CertificateStatus stored, DateOnly? expiresOn, DateOnly today) =>
        stored == CertificateStatus.Valid && expiresOn is { } e && e < today ? CertificateStatus.Expired : stored;
}

/// <summary>
/// Every change to a stored certificate goes through here and reports it to <see cref="RegistryChanges"/>, so cached
/// verification answers are dropped when it commits (other instances: PostgreSQL triggers, db/postgres/0014).
/// </summary>
public sealed class CertificateRepository(Db db, TimeProvider clock, RegistryChanges changes)
{
    private const string SelectColumns = """
        SELECT c.id AS Id, c.number AS Number, c.status AS Status, c.assessment_id AS AssessmentId, c.trainee_id AS TraineeId,
               c.holder_given_name_fa AS GivenNameFa, c.holder_family_name_fa AS FamilyNameFa,
               c.holder_given_name_latin AS GivenNameLatin, c.holder_family_name_latin AS FamilyNameLatin,
               s.id AS StandardId, s.code AS StandardCode, s.version AS StandardVersion, s.title_fa AS TitleFa, s.title_en AS TitleEn,
               s.isco_code AS IscoCode, s.sector_code AS SectorCode, s.theory_hours AS TheoryHours, s.practical_hours AS PracticalHours,
               s.theory_pass_mark AS TheoryPassMark, s.practical_pass_mark AS PracticalPassMark,
               c.status_list_id AS StatusListId, c.status_index AS StatusIndex,
               t.id AS CenterId, t.code AS CenterCode, t.name_fa AS CenterNameFa, t.name_en AS CenterNameEn,
               t.province_code AS ProvinceCode, t.country AS Country,
               c.theory_score AS TheoryScore, c.practical_score AS PracticalScore, c.exam_date AS ExamDate,
               c.issued_on AS IssuedOn, c.expires_on AS ExpiresOn,
               c.revocation_reason_code AS RevocationReasonCode, c.revocation_reason AS RevocationReason, c.revoked_at AS RevokedAt,
               c.superseded_by_id AS SupersededById, n.number AS SupersededByNumber,
               c.replaces_certificate_id AS ReplacesId, c.correction_reason AS CorrectionReason
        FROM certificates c
        JOIN standards s ON s.id = c.standard_id
        JOIN training_centers t ON t.id = c.center_id
        LEFT JOIN certificates n ON n.id = c.superseded_by_id
        """;

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

    private const string SelectPage = SelectColumns + "\n" + FilterClause + " ORDER BY c.issued_at DESC, c.id DESC LIMIT @Limit OFFSET @Offset";
    private const string CountPage = "SELECT COUNT(*) FROM certificates c JOIN standards s ON s.id = c.standard_id " + FilterClause;
    private const string SelectById = SelectColumns + " WHERE c.id = @id";
    private const string SelectByNumber = SelectColumns + " WHERE c.number = @number";

    private const string RevokeValid = """
        UPDATE certificates SET status = 'revoked', revoked_at = @now, revocation_reason_code = @code, revocation_reason = @reason, revoked_by_key_id = @keyId
        WHERE id = @id AND status = 'valid'
        """;

    private const string SupersedeValid = """
        UPDATE certificates SET status = 'superseded', superseded_by_id = @newId, superseded_at = @now
        WHERE id = @id AND status = 'valid'
        """;

    private const string SelectCurrentForAssessment = "SELECT id FROM certificates WHERE assessment_id = @assessmentId AND status = 'valid'";

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
        return await db.ReadAsync(async s =>
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

    public async Task<CertificateDto?> FindByNumberAsync(DbSession s, string number) =>
        (await s.QuerySingleOrDefaultAsync<CertificateRow>(SelectByNumber, new { number }))?.ToDto(RegistryCalendar.Today(clock));

    /// <summary>The certificate with what a portable credential needs besides it: the standard's pass marks and its status list entry.</summary>
    public Task<CertificateCredentialFacts?> GetCredentialFactsAsync(Guid id, CancellationToken ct) =>
        db.ReadAsync(async s => (await s.QuerySingleOrDefaultAsync<CertificateRow>(SelectById, new { id }))?.ToCredentialFacts(RegistryCalendar.Today(clock)), ct);

    /// <summary>Locks the certificate row until commit (PostgreSQL) so concurrent revoke/correct see each other.</summary>
    public async Task<CertificateDto?> GetForUpdateAsync(DbSession s, Guid id)
    {
        await s.QueryAsync<Guid>("SELECT id FROM certificates WHERE id = @id" + s.Dialect.ForUpdate, new { id });
        return await GetAsync(s, id);
    }

    /// <summary>Revokes a valid certificate. Revoking a revoked one changes nothing; a superseded one is refused.</summary>
    public async Task<CertificateDto> RevokeAsync(DbSession s, Guid id, RevocationReason code, string reason, Caller actor, DateTimeOffset now)
    {
        var certificate = await GetForUpdateAsync(s, id) ?? throw RequestRejectedException.NotFound($"No certificate has id {id}.");
        if (certificate.Revocation is not null) return certificate;
        if (certificate.SupersededById is { } replacement)
            throw RequestRejectedException.Conflict($"Certificate {certificate.Number} was superseded by {certificate.SupersededByNumber}; revoke that one ({replacement}) instead.");
        await s.ExecuteAsync(RevokeValid, new { id, now, code = EnumText.ToText(code), reason, keyId = actor.KeyId });
        changes.CertificateChanged(s, certificate.Number);
        await WebhookEvents.CertificateAsync(s, WebhookEventTypes.CertificateRevoked, id, now);
        s.Audit(new AuditEntry(actor, "revoke", "certificate", id.ToString(), new { certificate.Number, reasonCode = EnumText.ToText(code), reason }));
        return (await GetAsync(s, id))!;
    }

    /// <summary>Marks a valid certificate as replaced by <paramref name="replacementId"/> (a correction issued in this transaction).</summary>
    public async Task SupersedeAsync(DbSession s, CertificateDto certificate, Guid replacementId, DateTimeOffset now)
    {
        await s.ExecuteAsync(SupersedeValid, new { id = certificate.Id, newId = replacementId, now });
        changes.CertificateChanged(s, certificate.Number);
    }

    public async Task RevokeCurrentForAssessmentAsync(DbSession s, Guid assessmentId, RevocationReason code, string reason, Caller actor, DateTimeOffset now)
    {
        foreach (var id in await s.QueryAsync<Guid>(SelectCurrentForAssessment, new { assessmentId }))
            await RevokeAsync(s, id, code, reason, actor, now);
    }
}
