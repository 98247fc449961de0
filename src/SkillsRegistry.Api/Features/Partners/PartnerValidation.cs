using SkillsRegistry.Api.Features.Reference;
using SkillsRegistry.Api.Infrastructure.Text;
using SkillsRegistry.Api.Infrastructure.Http;

namespace SkillsRegistry.Api.Features.Partners;

/// <summary>Checks on a request's own fields. That the sectors exist is checked in the write transaction.</summary>
public static class PartnerValidation
{
    public const int MaxSectors = 50;

    public static ValidationErrors Validate(CreatePartnerRequest r, out NewPartner? partner)
    {
        var errors = new ValidationErrors();
        partner = null;
        KebabCode.Check(errors, "code", r.Code);
        var common = ValidateCommon(errors, r.NameEn, r.NameFa, r.Country, r.Sectors, r.Status ?? "active", r.Note);
        if (r.AgreementSignedOn is { } signed && r.AgreementEndsOn is { } ends && ends < signed)
            errors.Add("agreementEndsOn", $"Must be on or after agreementSignedOn ({signed:yyyy-MM-dd}).");
        if (errors.IsEmpty)
            partner = new NewPartner(r.Code!, common.NameEn, common.NameFa, common.Country, common.Sectors,
                r.AgreementSignedOn, r.AgreementEndsOn, common.Status, common.Note);
        return errors;
    }

    public static ValidationErrors Validate(UpdatePartnerRequest r, out PartnerChanges? changes)
    {
        var errors = new ValidationErrors();
        changes = null;
        if (r.Status is null) errors.Add("status", $"Required: one of {EnumText.Allowed<PartnerStatus>()}.");
        var common = ValidateCommon(errors, r.NameEn, r.NameFa, r.Country, r.Sectors, r.Status, r.Note);
        if (errors.IsEmpty) changes = common;
        return errors;
    }

    public static ValidationErrors Validate(ExtendAgreementRequest r)
    {
        var errors = new ValidationErrors();
        errors.Required("reason", r.Reason, 500);
        return errors;
    }

    private static PartnerChanges ValidateCommon(ValidationErrors errors, string? nameEn, string? nameFa, string? country,
        IReadOnlyList<string>? sectors, string? status, string? note)
    {
        errors.Required("nameEn", nameEn);
        errors.Required("nameFa", nameFa);
        var normalizedCountry = Countries.Normalize(country);
        if (string.IsNullOrWhiteSpace(country)) errors.Add("country", "Required: an ISO 3166-1 alpha-2 code such as IR or DE.");
        else if (normalizedCountry is null) errors.Add("country", $"'{country}' is not an ISO 3166-1 alpha-2 country code (such as IR or DE).");
        var sectorCodes = (sectors ?? []).Select(s => s?.Trim() ?? "").Distinct(StringComparer.Ordinal).ToList();
        if (sectorCodes.Count == 0) errors.Add("sectors", "Name at least one sector code (see ListSectors).");
        else if (sectorCodes.Count > MaxSectors) errors.Add("sectors", $"At most {MaxSectors} sectors.");
        else if (sectorCodes.Any(s => s.Length == 0)) errors.Add("sectors", "Sector codes cannot be empty.");
        var parsedStatus = PartnerStatus.Active;
        if (status is not null) errors.OneOf("status", status, out parsedStatus);
        errors.MaxLength("note", note, 2000);
        return new PartnerChanges(nameEn?.Trim() ?? "", nameFa?.Trim() ?? "", normalizedCountry ?? "", sectorCodes, parsedStatus,
            string.IsNullOrWhiteSpace(note) ? null : note.Trim());
    }
}
