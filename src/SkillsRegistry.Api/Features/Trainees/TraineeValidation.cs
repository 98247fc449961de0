using System.Text;
using SkillsRegistry.Api.Infrastructure.Text;
using SkillsRegistry.Api.Infrastructure.Http;

namespace SkillsRegistry.Api.Features.Trainees;

/// <summary>
/// Field checks for a trainee, pure (the caller passes today's date). Field names are the JSON property paths,
/// under <c>prefix</c> when given: a batch row passes <c>"rows[3].trainee"</c> and gets <c>rows[3].trainee.nationalId</c>.
/// Whether target-group codes exist and are active is checked by the repository, in the database.
/// </summary>
public static class TraineeValidation
{
    public const int MinAge = 10;
    public const int MaxAge = 100;
    public const int NameMaxLength = 100;

    /// <summary>Validates a new trainee (identity required). Returns the normalised trainee, or null with errors added.</summary>
    public static ValidTrainee? Validate(TraineeIdentityInput input, DateOnly today, ValidationErrors errors, string prefix = "") =>
        Validate(input, today, errors, prefix, identityRequired: true);

    /// <summary>
    /// As <see cref="Validate(TraineeIdentityInput, DateOnly, ValidationErrors, string)"/>; with
    /// <paramref name="identityRequired"/> false (an update) an input without any identity field keeps the stored one.
    /// </summary>
    public static ValidTrainee? Validate(TraineeIdentityInput input, DateOnly today, ValidationErrors errors, string prefix, bool identityRequired)
    {
        var probe = new ValidationErrors();
        TraineeIdentity? identity = null;
        if (identityRequired || HasAnyIdentity(input))
            identity = ValidateIdentity(input, probe, prefix);

        var givenFa = Name(probe, prefix, "givenNameFa", input.GivenNameFa, latin: false);
        var familyFa = Name(probe, prefix, "familyNameFa", input.FamilyNameFa, latin: false);
        var givenLatin = Name(probe, prefix, "givenNameLatin", input.GivenNameLatin, latin: true);
        var familyLatin = Name(probe, prefix, "familyNameLatin", input.FamilyNameLatin, latin: true);

        if (input.BirthDate is not { } birth) probe.Add(Field(prefix, "birthDate"), "Required (YYYY-MM-DD).");
        else if (birth >= today) probe.Add(Field(prefix, "birthDate"), "Must be in the past.");
        else if (AgeOn(birth, today) is var age and (< MinAge or > MaxAge))
            probe.Add(Field(prefix, "birthDate"), $"The trainee would be {age} years old; a trainee is {MinAge} to {MaxAge} years old. Check the date (Gregorian, YYYY-MM-DD).");

        var gender = TraineeGender.Female;
        if (string.IsNullOrWhiteSpace(input.Gender)) probe.Add(Field(prefix, "gender"), $"Required: one of {EnumText.Allowed<TraineeGender>()}.");
        else probe.OneOf(Field(prefix, "gender"), input.Gender.Trim(), out gender);

        var targetGroups = new List<string>();
        for (var i = 0; i < (input.TargetGroups?.Count ?? 0); i++)
        {
            var code = input.TargetGroups![i]?.Trim().ToLowerInvariant();
            if (string.IsNullOrEmpty(code)) probe.Add(Field(prefix, $"targetGroups[{i}]"), "Must be a target-group code.");
            else if (!targetGroups.Contains(code)) targetGroups.Add(code);
        }

        var phone = Phone(probe, prefix, input.Phone);
        var email = Email(probe, prefix, input.Email);

        foreach (var (field, messages) in probe.ToDictionary())
            foreach (var message in messages) errors.Add(field, message);
        if (!probe.IsEmpty) return null;
        return new ValidTrainee(identity, givenFa!, familyFa!, givenLatin!, familyLatin!, input.BirthDate!.Value, gender,
            targetGroups, phone, email);
    }

    /// <summary>Exactly one identity kind: a national ID, or passport number + nationality.</summary>
    public static TraineeIdentity? ValidateIdentity(TraineeIdentityInput input, ValidationErrors errors, string prefix = "")
    {
        var hasNationalId = !string.IsNullOrWhiteSpace(input.NationalId);
        var hasPassport = !string.IsNullOrWhiteSpace(input.PassportNumber) || !string.IsNullOrWhiteSpace(input.Nationality);
        if (hasNationalId && hasPassport)
        {
            errors.Add(Field(prefix, "nationalId"), "Give either nationalId (Iranian nationals) or passportNumber with nationality (foreign nationals), not both.");
            return null;
        }
        if (!hasNationalId && !hasPassport)
        {
            errors.Add(Field(prefix, "nationalId"), "Required: the national ID, or passportNumber and nationality for a foreign national.");
            return null;
        }
        if (hasNationalId)
        {
            if (NationalId.TryNormalize(input.NationalId, out var normalized, out var error)) return new TraineeIdentity(normalized, null, null);
            errors.Add(Field(prefix, "nationalId"), error);
            return null;
        }
        var passport = TryNormalizePassport(input.PassportNumber, out var passportError);
        if (passport is null) errors.Add(Field(prefix, "passportNumber"), passportError);
        var nationality = NormalizeNationality(input.Nationality, errors, Field(prefix, "nationality"));
        return passport is not null && nationality is not null ? new TraineeIdentity(null, passport, nationality) : null;
    }

    /// <summary>Upper-case, without spaces, 5–20 letters A–Z and digits (Persian digits accepted).</summary>
    public static string? TryNormalizePassport(string? input, out string error)
    {
        error = "";
        if (string.IsNullOrWhiteSpace(input)) { error = "Required with nationality."; return null; }
        var sb = new StringBuilder(input.Length);
        foreach (var ch in PersianText.NormalizeDigits(input))
        {
            if (char.IsWhiteSpace(ch) || ch == '\u200C') continue;
            var upper = char.ToUpperInvariant(ch);
            if (upper is not (>= 'A' and <= 'Z' or >= '0' and <= '9'))
            {
                error = "A passport number has only Latin letters and digits.";
                return null;
            }
            sb.Append(upper);
        }
        if (sb.Length is < 5 or > 20) { error = $"A passport number has 5 to 20 letters and digits (got {sb.Length})."; return null; }
        return sb.ToString();
    }

    /// <summary>The nationality of a passport holder: an ISO 3166-1 alpha-2 code other than IR.</summary>
    public static string? NormalizeNationality(string? input, ValidationErrors errors, string field)
    {
        if (string.IsNullOrWhiteSpace(input)) { errors.Add(field, "Required with passportNumber: the ISO 3166-1 alpha-2 code of the passport's country (e.g. AF)."); return null; }
        var code = Countries.Normalize(input);
        if (code is null) { errors.Add(field, "Must be an ISO 3166-1 alpha-2 country code (e.g. AF, IQ)."); return null; }
        if (code == "IR") { errors.Add(field, "Iranian nationals are identified by their national ID (nationalId), not a passport."); return null; }
        return code;
    }

    public static int AgeOn(DateOnly birth, DateOnly day)
    {
        var age = day.Year - birth.Year;
        if (day < birth.AddYears(age)) age--;
        return age;
    }

    private static bool HasAnyIdentity(TraineeIdentityInput input) =>
        !string.IsNullOrWhiteSpace(input.NationalId) || !string.IsNullOrWhiteSpace(input.PassportNumber) || !string.IsNullOrWhiteSpace(input.Nationality);

    private static string Field(string prefix, string name) => prefix.Length == 0 ? name : prefix + "." + name;

    private static string? Name(ValidationErrors errors, string prefix, string name, string? value, bool latin)
    {
        var field = Field(prefix, name);
        if (!errors.Required(field, value, NameMaxLength)) return null;
        var trimmed = CollapseSpaces(value!);
        if (latin && trimmed.Any(IsArabicScript))
        {
            errors.Add(field, "Write this name in Latin letters (as in the passport); the Persian name goes in the ...Fa field.");
            return null;
        }
        if (trimmed.Any(char.IsDigit))
        {
            errors.Add(field, "A name has no digits.");
            return null;
        }
        return trimmed;
    }

    private static string? Phone(ValidationErrors errors, string prefix, string? value)
    {
        if (string.IsNullOrWhiteSpace(value)) return null;
        var field = Field(prefix, "phone");
        var phone = CollapseSpaces(PersianText.NormalizeDigits(value));
        var digits = phone.Count(char.IsAsciiDigit);
        if (phone.Length > 30 || digits is < 7 or > 15 || phone.Any(c => !char.IsAsciiDigit(c) && c is not (' ' or '-' or '+' or '(' or ')')))
        {
            errors.Add(field, "A phone number has 7 to 15 digits, optionally with +, spaces, dashes or parentheses (e.g. +98 912 345 6789).");
            return null;
        }
        return phone;
    }

    private static string? Email(ValidationErrors errors, string prefix, string? value)
    {
        if (string.IsNullOrWhiteSpace(value)) return null;
        var field = Field(prefix, "email");
        var email = value.Trim();
        var at = email.IndexOf('@');
        if (email.Length > 254 || at < 1 || at != email.LastIndexOf('@') || !email[(at + 1)..].Contains('.') ||
            email.EndsWith('.') || email.Any(char.IsWhiteSpace))
        {
            errors.Add(field, "Must be an email address (name@example.com).");
            return null;
        }
        return email;
    }

    private static string CollapseSpaces(string value) => string.Join(' ', value.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));

    private static bool IsArabicScript(char c) => c is >= '\u0600' and <= '\u06FF' or >= '\u0750' and <= '\u077F' or >= '\uFB50' and <= '\uFDFF' or >= '\uFE70' and <= '\uFEFF';
}
