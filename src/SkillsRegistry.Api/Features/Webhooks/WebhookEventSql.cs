namespace SkillsRegistry.Api.Features.Webhooks;

/// <summary>The reads behind <see cref="WebhookEvents"/>: the thin snapshot of a certificate or a standard version an event carries.</summary>
internal static class WebhookEventSql
{
    internal const string SelectCertificateFacts = """
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

    internal const string SelectStandardFacts = """
        SELECT s.id AS Id, s.code AS Code, s.version AS Version, s.status AS Status, s.sector_code AS SectorCode,
               s.effective_from AS EffectiveFrom, s.effective_to AS EffectiveTo,
               s.superseded_by_id AS SupersededById, n.code AS SupersededByCode, n.version AS SupersededByVersion,
               s.supersession_equivalent AS SupersessionEquivalent
        FROM standards s LEFT JOIN standards n ON n.id = s.superseded_by_id WHERE s.id = @id
        """;
}
