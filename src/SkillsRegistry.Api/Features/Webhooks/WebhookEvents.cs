using SkillsRegistry.Api.Features.Certificates;
using SkillsRegistry.Api.Features.Standards;
using SkillsRegistry.Api.Infrastructure.Text;
using SkillsRegistry.Api.Infrastructure.Data;
using SkillsRegistry.Api.Infrastructure.Outbox;

namespace SkillsRegistry.Api.Features.Webhooks;

/// <summary>
/// The data of a certificate.* event: the certificate as <c>GET /api/v1/certificates/{id}</c> names it (same field
/// names and date shapes), thinned to identifiers, codes, statuses and dates: no holder names, no free-text reasons.
/// </summary>
public sealed record CertificateEventData(
    Guid Id, string Number, CertificateStatus Status, CertificateEventCenter Center, CertificateEventStandard Standard,
    DateOnly IssuedOn, DateOnly? ExpiresOn, CertificateEventRevocation? Revocation,
    Guid? SupersededById, string? SupersededByNumber, Guid? ReplacesId);

public sealed record CertificateEventCenter(Guid Id);

public sealed record CertificateEventStandard(Guid Id, string Code, int Version, string Sector);

public sealed record CertificateEventRevocation(RevocationReason ReasonCode, DateTimeOffset RevokedAt);

/// <summary>The data of a standard.* event: the version as <c>GET /api/v1/standards/{id}</c> names it, thinned.</summary>
public sealed record StandardEventData(
    Guid Id, string Code, int Version, StandardStatus Status, string Sector, DateOnly? EffectiveFrom, DateOnly? EffectiveTo,
    SupersessionLinkDto? SupersededBy);

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
        public string? SupersededByCode { get; init; }
        public int? SupersededByVersion { get; init; }
        public bool? SupersessionEquivalent { get; init; }
    }

    /// <summary>Enqueues a certificate.* event with the certificate as it is now in this transaction.</summary>
    public static async Task<Guid> CertificateAsync(DbSession s, string type, Guid certificateId, DateTimeOffset occurredAt)
    {
        var c = await s.QuerySingleAsync<CertificateFacts>(WebhookEventSql.SelectCertificateFacts, new { id = certificateId });
        var data = new CertificateEventData(
            c.Id, c.Number, EnumText.Parse<CertificateStatus>(c.Status), new CertificateEventCenter(c.CenterId),
            new CertificateEventStandard(c.StandardId, c.StandardCode, c.StandardVersion, c.SectorCode),
            c.IssuedOn, c.ExpiresOn,
            c.RevokedAt is { } at && c.RevocationReasonCode is { } reason ? new CertificateEventRevocation(EnumText.Parse<RevocationReason>(reason), at) : null,
            c.SupersededById, c.SupersededByNumber, c.ReplacesId);
        return await Outbox.EnqueueAsync(s, type, occurredAt, data, c.CenterId, c.SectorCode);
    }

    /// <summary>Enqueues a standard.* event with the standard version as it is now in this transaction.</summary>
    public static async Task<Guid> StandardAsync(DbSession s, string type, Guid standardId, DateTimeOffset occurredAt)
    {
        var v = await s.QuerySingleAsync<StandardFacts>(WebhookEventSql.SelectStandardFacts, new { id = standardId });
        var data = new StandardEventData(
            v.Id, v.Code, v.Version, EnumText.Parse<StandardStatus>(v.Status), v.SectorCode, v.EffectiveFrom, v.EffectiveTo,
            v.SupersededById is { } next && v.SupersededByCode is { } code && v.SupersededByVersion is { } version
                ? new SupersessionLinkDto(next, code, version, v.SupersessionEquivalent ?? false) : null);
        return await Outbox.EnqueueAsync(s, type, occurredAt, data, centerId: null, sectorCode: v.SectorCode);
    }
}
