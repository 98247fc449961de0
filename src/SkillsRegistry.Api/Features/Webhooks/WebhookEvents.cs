using SkillsRegistry.Api.Infrastructure.Data;
using SkillsRegistry.Api.Infrastructure.Outbox;

namespace SkillsRegistry.Api.Features.Webhooks;

/// <summary>
/// Enqueues webhook events inside the caller's transaction (one line at each change). The data is a thin snapshot:
/// identifiers, numbers, codes, statuses and dates, never holder names or free-text reasons; a receiver that needs
/// more reads it through the API with its own key.
/// </summary>
public static class WebhookEvents
{
    private sealed class CertificateFacts
    {
        public Guid Id { get; init; }
        public string Number { get; init; } = "";
        public string Status { get; init; } = "";
        public Guid CenterId { get; init; }
        public Guid StandardId { get; init; }
        public string StandardCode { get; init; } = "";
        public int StandardVersion { get; init; }
        public string SectorCode { get; init; } = "";
        public DateOnly IssuedOn { get; init; }
        public DateOnly? ExpiresOn { get; init; }
        public string? RevocationReasonCode { get; init; }
        public DateTimeOffset? RevokedAt { get; init; }
        public Guid? ReplacesId { get; init; }
        public Guid? SupersededById { get; init; }
        public string? SupersededByNumber { get; init; }
    }

    private sealed class StandardFacts
    {
        public Guid Id { get; init; }
        public string Code { get; init; } = "";
        public int Version { get; init; }
        public string Status { get; init; } = "";
        public string SectorCode { get; init; } = "";
        public DateOnly? EffectiveFrom { get; init; }
        public DateOnly? EffectiveTo { get; init; }
        public Guid? SupersededById { get; init; }
        public bool? SupersessionEquivalent { get; init; }
    }

    private const string SelectCertificateFacts = """
        SELECT c.id AS Id, c.number AS Number, c.status AS Status, c.center_id AS CenterId,
               s.id AS StandardId, s.code AS StandardCode, s.version AS StandardVersion, s.sector_code AS SectorCode,
               c.issued_on AS IssuedOn, c.expires_on AS ExpiresOn, c.revocation_reason_code AS RevocationReasonCode,
               c.revoked_at AS RevokedAt, c.replaces_certificate_id AS ReplacesId,
               c.superseded_by_id AS SupersededById, n.number AS SupersededByNumber
        FROM certificates c
        JOIN standards s ON s.id = c.standard_id
        LEFT JOIN certificates n ON n.id = c.superseded_by_id
        WHERE c.id = @id
        """;

    private const string SelectStandardFacts = """
        SELECT id AS Id, code AS Code, version AS Version, status AS Status, sector_code AS SectorCode,
               effective_from AS EffectiveFrom, effective_to AS EffectiveTo,
               superseded_by_id AS SupersededById, supersession_equivalent AS SupersessionEquivalent
        FROM standards WHERE id = @id
        """;

    /// <summary>Enqueues a certificate.* event with the certificate as it is now in this transaction.</summary>
    public static async Task<Guid> CertificateAsync(DbSession s, string type, Guid certificateId, DateTimeOffset occurredAt)
    {
        var c = await s.QuerySingleAsync<CertificateFacts>(SelectCertificateFacts, new { id = certificateId });
        var data = new
        {
            certificateId = c.Id, c.Number, c.Status, c.CenterId,
            standard = new { id = c.StandardId, code = c.StandardCode, version = c.StandardVersion, sectorCode = c.SectorCode },
            issuedOn = c.IssuedOn.ToString("yyyy-MM-dd"), expiresOn = c.ExpiresOn?.ToString("yyyy-MM-dd"),
            revocation = c.RevokedAt is { } at ? new { reasonCode = c.RevocationReasonCode, revokedAt = at } : null,
            replacesCertificateId = c.ReplacesId, supersededByCertificateId = c.SupersededById, supersededByNumber = c.SupersededByNumber,
        };
        return await Outbox.EnqueueAsync(s, type, occurredAt, data, c.CenterId, c.SectorCode);
    }

    /// <summary>Enqueues a standard.* event with the standard version as it is now in this transaction.</summary>
    public static async Task<Guid> StandardAsync(DbSession s, string type, Guid standardId, DateTimeOffset occurredAt)
    {
        var v = await s.QuerySingleAsync<StandardFacts>(SelectStandardFacts, new { id = standardId });
        var data = new
        {
            standardId = v.Id, v.Code, v.Version, v.Status, v.SectorCode,
            effectiveFrom = v.EffectiveFrom?.ToString("yyyy-MM-dd"), effectiveTo = v.EffectiveTo?.ToString("yyyy-MM-dd"),
            supersededById = v.SupersededById, supersessionEquivalent = v.SupersessionEquivalent,
        };
        return await Outbox.EnqueueAsync(s, type, occurredAt, data, centerId: null, sectorCode: v.SectorCode);
    }
}
