using SkillsRegistry.Api.Infrastructure.Data;

namespace SkillsRegistry.Api.Features.Partners;

/// <summary>
/// A partner agency's agreement (MoU) as other features need it: is it in force on a date, and which sectors it covers.
/// An agreement with no signed date (talks, planned MoU) is not in force; a null end date is open-ended.
/// </summary>
public sealed record PartnerAgreement(Guid PartnerId, string Code, string Status, DateOnly? SignedOn, DateOnly? EndsOn, IReadOnlyList<string> Sectors)
{
    public bool InForceOn(DateOnly date) =>
        Status == "active" && SignedOn is { } signed && signed <= date && (EndsOn is null || EndsOn >= date);

    public bool Covers(string sectorCode) => Sectors.Contains(sectorCode, StringComparer.Ordinal);

    /// <summary>Why the agreement does not allow work on this date, for a 403 detail; null when it does.</summary>
    public string? RefusalOn(DateOnly date) => InForceOn(date) ? null
        : Status != "active" ? $"The agreement of partner agency '{Code}' is {Status}."
        : SignedOn is null ? $"Partner agency '{Code}' has no signed agreement."
        : SignedOn > date ? $"The agreement of partner agency '{Code}' starts on {SignedOn:yyyy-MM-dd}."
        : $"The agreement of partner agency '{Code}' ended on {EndsOn:yyyy-MM-dd}.";

    private sealed record Row(Guid Id, string Code, string Status, DateOnly? SignedOn, DateOnly? EndsOn);

    public static async Task<PartnerAgreement?> LoadAsync(DbSession session, Guid partnerId)
    {
        var row = await session.QuerySingleOrDefaultAsync<Row>(
            "SELECT id AS Id, code AS Code, status AS Status, agreement_signed_on AS SignedOn, agreement_ends_on AS EndsOn FROM partner_agencies WHERE id = @partnerId",
            new { partnerId });
        if (row is null) return null;
        var sectors = await session.QueryAsync<string>(
            "SELECT sector_code FROM partner_sectors WHERE partner_id = @partnerId ORDER BY sector_code", new { partnerId });
        return new PartnerAgreement(row.Id, row.Code, row.Status, row.SignedOn, row.EndsOn, sectors.ToList());
    }
}
