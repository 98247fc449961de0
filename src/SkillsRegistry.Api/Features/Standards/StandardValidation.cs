using System.Text.RegularExpressions;
using SkillsRegistry.Api.Infrastructure.Text;
using SkillsRegistry.Api.Infrastructure.Http;

namespace SkillsRegistry.Api.Features.Standards;

/// <summary>Field rules for competency standards. References (sector, partners) are checked in the repository.</summary>
public static partial class StandardValidation
{
    public const int MaxTitleLength = 300;
    public const int MaxHours = 10_000;
    public const int MaxValidityMonths = 1_200;
    public const int MaxRefresherHours = 1_000;
    public const int MaxRefresherMonths = 120;

    [GeneratedRegex(@"^[0-9A-Z][0-9A-Z.\-]{2,31}$")]
    private static partial Regex CodePattern();

    [GeneratedRegex(@"^[0-9]{4}$")]
    private static partial Regex IscoPattern();

    [GeneratedRegex(@"^[0-9]{1,4}$")]
    private static partial Regex IscoPrefixPattern();

    /// <summary>National codes are compared upper-case with ASCII digits, so "۷۳۱۸-12-001-1" and "7318-12-001-1" are one code.</summary>
    public static string NormalizeCode(string? code) => PersianText.NormalizeDigits((code ?? "").Trim()).ToUpperInvariant();

    public static bool IsValidCode(string code) => CodePattern().IsMatch(code);

    public static ValidationErrors Validate(CreateStandardRequest r, out string code, out StandardFields? fields)
    {
        var errors = new ValidationErrors();
        code = NormalizeCode(r.Code);
        if (errors.Required("code", r.Code, 32) && !IsValidCode(code))
            errors.Add("code", "A national code is 3–32 characters: digits, capital letters, '.' and '-', starting with a digit or letter (e.g. 7318-12-001-1).");
        fields = ValidateFields(errors, r.IscoCode, r.Sector, r.TitleFa, r.TitleEn, r.TheoryHours, r.PracticalHours,
            r.TheoryPassMark, r.PracticalPassMark, r.ValidityMonths, r.PartnerIds, Assessors(errors, r.RefresherHours, r.RefresherMonths, r.RequiresPartnerAssessor));
        return errors;
    }

    public static ValidationErrors Validate(UpdateStandardRequest r, out StandardFields? fields)
    {
        var errors = new ValidationErrors();
        fields = ValidateFields(errors, r.IscoCode, r.Sector, r.TitleFa, r.TitleEn, r.TheoryHours, r.PracticalHours,
            r.TheoryPassMark, r.PracticalPassMark, r.ValidityMonths, r.PartnerIds, Assessors(errors, r.RefresherHours, r.RefresherMonths, r.RequiresPartnerAssessor));
        return errors;
    }

    /// <summary>The latest version's fields with the request's overrides applied, validated as a whole.</summary>
    public static ValidationErrors Merge(StandardFields latest, CreateStandardVersionRequest? r, out StandardFields? fields)
    {
        var errors = new ValidationErrors();
        r ??= new CreateStandardVersionRequest(null, null, null, null, null, null, null, null, null, null);
        fields = ValidateFields(errors, r.IscoCode ?? latest.IscoCode, r.Sector ?? latest.Sector, r.TitleFa ?? latest.TitleFa,
            r.TitleEn ?? latest.TitleEn, r.TheoryHours ?? latest.TheoryHours, r.PracticalHours ?? latest.PracticalHours,
            r.TheoryPassMark ?? latest.TheoryPassMark, r.PracticalPassMark ?? latest.PracticalPassMark,
            r.ValidityMonths ?? latest.ValidityMonths, r.PartnerIds ?? latest.PartnerIds,
            r.RefresherHours is null && r.RefresherMonths is null && r.RequiresPartnerAssessor is null ? latest.Assessors
            : Assessors(errors, r.RefresherHours ?? latest.Assessors.RefresherHours, r.RefresherMonths ?? latest.Assessors.RefresherMonths,
                r.RequiresPartnerAssessor ?? latest.Assessors.RequiresPartnerAssessor));
        return errors;
    }

    private static StandardFields? ValidateFields(ValidationErrors errors, string? isco, string? sector, string? titleFa, string? titleEn,
        int? theoryHours, int? practicalHours, decimal? theoryPassMark, decimal? practicalPassMark, int? validityMonths,
        IReadOnlyList<Guid>? partnerIds, AssessorRequirements assessors)
    {
        var iscoCode = PersianText.NormalizeDigits((isco ?? "").Trim());
        if (errors.Required("iscoCode", isco, 10) && !IscoPattern().IsMatch(iscoCode))
            errors.Add("iscoCode", "An ISCO-08 unit group is exactly 4 digits (e.g. 7318).");
        errors.Required("sector", sector, 50);
        errors.Required("titleFa", titleFa, MaxTitleLength);
        errors.Required("titleEn", titleEn, MaxTitleLength);
        Hours(errors, "theoryHours", theoryHours);
        Hours(errors, "practicalHours", practicalHours);
        PassMark(errors, "theoryPassMark", theoryPassMark);
        PassMark(errors, "practicalPassMark", practicalPassMark);
        if (validityMonths is { } months && (months < 1 || months > MaxValidityMonths))
            errors.Add("validityMonths", $"Must be between 1 and {MaxValidityMonths}, or null when certificates never expire (got {months}).");
        if (partnerIds?.Any(id => id == Guid.Empty) == true) errors.Add("partnerIds", "A partner id cannot be empty.");
        if (!errors.IsEmpty) return null;
        return new StandardFields(iscoCode, sector!.Trim(), titleFa!.Trim(), titleEn!.Trim(), theoryHours!.Value, practicalHours!.Value,
            theoryPassMark!.Value, practicalPassMark!.Value, validityMonths, (partnerIds ?? []).Distinct().ToList())
        { Assessors = assessors };
    }

    /// <summary>Refresher hours and their period come together (both or neither).</summary>
    private static AssessorRequirements Assessors(ValidationErrors errors, int? hours, int? months, bool? requiresPartnerAssessor)
    {
        if (hours is { } h && (h < 1 || h > MaxRefresherHours)) errors.Add("refresherHours", $"Must be between 1 and {MaxRefresherHours}, or null for none (got {h}).");
        if (months is { } m && (m < 1 || m > MaxRefresherMonths)) errors.Add("refresherMonths", $"Must be between 1 and {MaxRefresherMonths}, or null for none (got {m}).");
        if ((hours is null) != (months is null))
            errors.Add(hours is null ? "refresherHours" : "refresherMonths", "Give refresherHours and refresherMonths together (e.g. 16 hours in 24 months), or neither.");
        return new AssessorRequirements(hours, months, requiresPartnerAssessor ?? false);
    }

    private static void Hours(ValidationErrors errors, string field, int? hours)
    {
        if (hours is null) errors.Add(field, "Required.");
        else if (hours < 0 || hours > MaxHours) errors.Add(field, $"Must be between 0 and {MaxHours} (got {hours}).");
    }

    private static void PassMark(ValidationErrors errors, string field, decimal? mark)
    {
        if (mark is not { } m) { errors.Add(field, "Required."); return; }
        if (!errors.Range(field, m, 0, 100)) return;
        if (decimal.Round(m, 1) != m) errors.Add(field, $"At most one decimal place (got {m}).");
    }

    public static ValidationErrors ValidateFilter(string? code, string? sector, string? status, string? isco, string? q, out StandardFilter filter)
    {
        var errors = new ValidationErrors();
        StandardStatus? parsedStatus = null;
        if (!string.IsNullOrWhiteSpace(status) && errors.OneOf<StandardStatus>("status", status, out var s)) parsedStatus = s;
        var iscoPrefix = string.IsNullOrWhiteSpace(isco) ? null : PersianText.NormalizeDigits(isco.Trim());
        if (iscoPrefix is not null && !IscoPrefixPattern().IsMatch(iscoPrefix))
            errors.Add("isco", "1 to 4 digits: an ISCO-08 major group (7), sub-major (73), minor (731) or unit group (7318).");
        errors.MaxLength("q", q, 100);
        errors.MaxLength("code", code, 32);
        errors.MaxLength("sector", sector, 50);
        filter = new StandardFilter(
            string.IsNullOrWhiteSpace(code) ? null : NormalizeCode(code),
            string.IsNullOrWhiteSpace(sector) ? null : sector.Trim(),
            parsedStatus, iscoPrefix,
            string.IsNullOrWhiteSpace(q) || PersianText.NormalizeForSearch(q).Length == 0 ? null : q);
        return errors;
    }
}
