using System.Text.RegularExpressions;
using SkillsRegistry.Api.Infrastructure.Text;
using SkillsRegistry.Api.Infrastructure.Http;

namespace SkillsRegistry.Api.Features.Centers;

/// <summary>Checks requests at the edge; existence of provinces, partners and standards is checked in the transaction.</summary>
public static partial class CenterValidation
{
    [GeneratedRegex("^[A-Z0-9][A-Z0-9._-]{0,39}$")]
    private static partial Regex CodePattern();

    [GeneratedRegex("^IR-[0-9]{2}$")]
    private static partial Regex ProvincePattern();

    [GeneratedRegex(@"^\+?[0-9][0-9 ()-]{3,29}$")]
    private static partial Regex PhonePattern();

    [GeneratedRegex(@"^[^@\s]+@[^@\s]+\.[^@\s]+$")]
    private static partial Regex EmailPattern();

    public static string? NormalizeCode(string? code) => code?.Trim().ToUpperInvariant();

    public static string? NormalizeProvince(string? province) => string.IsNullOrWhiteSpace(province) ? null : province.Trim().ToUpperInvariant();

    public static ValidationErrors ValidateCreate(CreateCenterRequest r, out string code, out CenterFields? fields)
    {
        var errors = new ValidationErrors();
        code = NormalizeCode(r.Code) ?? "";
        if (errors.Required("code", r.Code, 40) && !CodePattern().IsMatch(code))
            errors.Add("code", "Letters, digits, '.', '_' and '-' only, starting with a letter or digit.");
        fields = Describe(errors, r.Kind, r.NameFa, r.NameEn, r.ProvinceCode, r.Country, r.Region, r.City, r.Address, r.Phone, r.Email, r.PartnerId);
        return errors;
    }

    public static ValidationErrors ValidateUpdate(UpdateCenterRequest r, out CenterFields? fields)
    {
        var errors = new ValidationErrors();
        fields = Describe(errors, r.Kind, r.NameFa, r.NameEn, r.ProvinceCode, r.Country, r.Region, r.City, r.Address, r.Phone, r.Email, r.PartnerId);
        return errors;
    }

    private static CenterFields? Describe(ValidationErrors errors, string? kindText, string? nameFa, string? nameEn, string? provinceText,
        string? countryText, string? region, string? city, string? address, string? phone, string? email, Guid? partnerId)
    {
        var kindOk = errors.OneOf<CenterKind>("kind", kindText, out var kind);
        errors.Required("nameFa", nameFa);
        errors.Required("nameEn", nameEn);
        errors.Required("city", city, 100);
        errors.MaxLength("region", region, 100);
        var province = NormalizeProvince(provinceText);
        string country = "IR";
        if (kindOk && kind == CenterKind.Foreign)
        {
            if (province is not null) errors.Add("provinceCode", "A foreign center has no Iranian province; give its country and region.");
            if (string.IsNullOrWhiteSpace(countryText)) errors.Add("country", "Required for a foreign center (ISO 3166-1 alpha-2, e.g. AF).");
            else if (Countries.Normalize(countryText) is not { } normalized) errors.Add("country", $"'{countryText}' is not an ISO 3166-1 alpha-2 country code.");
            else if (normalized == "IR") errors.Add("country", "A foreign center is outside Iran; use another kind with a province for centers in Iran.");
            else country = normalized;
        }
        else if (kindOk)
        {
            if (province is null) errors.Add("provinceCode", "Required for a center in Iran (ISO 3166-2:IR, e.g. IR-07).");
            else if (!ProvincePattern().IsMatch(province)) errors.Add("provinceCode", $"'{provinceText}' is not an ISO 3166-2:IR province code (e.g. IR-07).");
            if (!string.IsNullOrWhiteSpace(countryText) && Countries.Normalize(countryText) != "IR")
                errors.Add("country", "A center of this kind is in Iran; only a foreign center names another country.");
            if (!string.IsNullOrWhiteSpace(region)) errors.Add("region", "Only a foreign center has a region; centers in Iran have a province.");
        }
        if (kindOk && kind == CenterKind.PartnerRun && partnerId is null)
            errors.Add("partnerId", "A partner-run center must name its partner agency.");
        var contact = ValidateContact(errors, address, phone, email);
        if (!errors.IsEmpty) return null;
        return new CenterFields(kind, nameFa!.Trim(), nameEn!.Trim(), kind == CenterKind.Foreign ? null : province, country,
            kind == CenterKind.Foreign ? Clean(region) : null, city!.Trim(), contact.Address, contact.Phone, contact.Email, partnerId);
    }

    /// <summary>Validates and normalises contact fields. Empty strings mean "none".</summary>
    public static (string? Address, string? Phone, string? Email) ValidateContact(
        ValidationErrors errors, string? address, string? phone, string? email)
    {
        errors.MaxLength("address", address, 300);
        var cleanPhone = Clean(phone) is { } p ? PersianText.NormalizeDigits(p) : null;
        if (cleanPhone is not null && !PhonePattern().IsMatch(cleanPhone))
            errors.Add("phone", "Digits with an optional leading '+', spaces, '-' or parentheses; 4 to 30 characters.");
        var cleanEmail = Clean(email);
        if (cleanEmail is not null && (cleanEmail.Length > 254 || !EmailPattern().IsMatch(cleanEmail)))
            errors.Add("email", "Not an e-mail address.");
        return (Clean(address), cleanPhone, cleanEmail);
    }

    /// <summary>PATCH semantics: a field left out (null) keeps its value; an empty string clears it.</summary>
    public static ValidationErrors ValidateContactPatch(UpdateCenterContactRequest r, out ContactPatch? patch)
    {
        var errors = new ValidationErrors();
        var (address, phone, email) = ValidateContact(errors, r.Address, r.Phone, r.Email);
        if (r.Address is null && r.Phone is null && r.Email is null)
            errors.Add("address", "Send at least one of address, phone, email (an empty string clears it).");
        patch = errors.IsEmpty ? new ContactPatch(r.Address is not null, address, r.Phone is not null, phone, r.Email is not null, email) : null;
        return errors;
    }

    public static ValidationErrors ValidateLicence(CreateLicenceRequest r, out NewLicence? licence)
    {
        var errors = new ValidationErrors();
        licence = null;
        errors.Required("number", r.Number, 50);
        if (r.ValidFrom is null) errors.Add("validFrom", "Required.");
        if (r.ValidFrom is { } from && r.ValidTo is { } to && to < from) errors.Add("validTo", "Must be on or after validFrom.");
        if (errors.IsEmpty) licence = new NewLicence(r.Number!.Trim(), r.ValidFrom!.Value, r.ValidTo);
        return errors;
    }

    public static ValidationErrors ValidateStatusChange(ChangeLicenceStatusRequest r, DateOnly today, out NewLicenceStatus? change)
    {
        var errors = new ValidationErrors();
        change = null;
        var statusOk = errors.OneOf<LicenceDecision>("status", r.Status, out var status);
        var reasonOk = errors.Required("reason", r.Reason, 500);
        if (statusOk && reasonOk) change = new NewLicenceStatus(status, r.EffectiveFrom ?? today, r.Reason!.Trim());
        return errors;
    }

    public static ValidationErrors ValidateScope(AddScopeRequest r, out NewScopeEntry? entry)
    {
        var errors = new ValidationErrors();
        entry = null;
        errors.Required("standardCode", r.StandardCode, 50);
        if (r.ValidFrom is null) errors.Add("validFrom", "Required.");
        if (r.ValidFrom is { } from && r.ValidTo is { } to && to < from) errors.Add("validTo", "Must be on or after validFrom.");
        errors.MaxLength("reason", r.Reason, 500);
        if (errors.IsEmpty) entry = new NewScopeEntry(r.StandardCode!.Trim(), r.ValidFrom!.Value, r.ValidTo, Clean(r.Reason));
        return errors;
    }

    public static ValidationErrors ValidateEndScope(EndScopeRequest r)
    {
        var errors = new ValidationErrors();
        if (r.ValidTo is null) errors.Add("validTo", "Required: the last day the center may assess this standard.");
        errors.Required("reason", r.Reason, 500);
        return errors;
    }

    private static string? Clean(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
