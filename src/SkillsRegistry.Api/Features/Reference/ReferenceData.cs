using SkillsRegistry.Api.Infrastructure.OpenApi;
using System.ComponentModel.DataAnnotations;
using System.Text.RegularExpressions;

namespace SkillsRegistry.Api.Features.Reference;

public sealed record ProvinceDto(string Code, string NameEn, string NameFa);

public sealed record SectorDto(string Code, string NameEn, string NameFa);

/// <summary>A target group trainees can belong to. An inactive group stays on old records but is not offered for new ones.</summary>
public sealed record TargetGroupDto(string Code, string NameEn, string NameFa, bool Active);

public sealed record CreateTargetGroupRequest(
    [property: Required, MaxLength(KebabCode.MaxLength)] string? Code, [property: Required, MaxLength(200)] string? NameEn, [property: Required, MaxLength(200)] string? NameFa);

public sealed record UpdateTargetGroupRequest([property: Required, MaxLength(200)] string? NameEn, [property: Required, MaxLength(200)] string? NameFa, [property: Required] bool? Active);

/// <summary>Human-facing codes of reference data and partner agencies: lower-case kebab-case ("female-heads-of-household").</summary>
public static partial class KebabCode
{
    public const int MaxLength = 50;

    [GeneratedRegex("^[a-z0-9]+(-[a-z0-9]+)*$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();

    public static bool IsValid(string? code) => code is { Length: > 0 and <= MaxLength } && Pattern().IsMatch(code);

    /// <summary>Adds a field error unless the code is kebab-case; returns whether it is.</summary>
    public static bool Check(Infrastructure.Http.ValidationErrors errors, string field, string? code)
    {
        if (string.IsNullOrWhiteSpace(code)) { errors.Add(field, "Required."); return false; }
        if (IsValid(code)) return true;
        errors.Add(field, $"Use lower-case letters, digits and single hyphens, at most {MaxLength} characters (like 'cinema-org').");
        return false;
    }
}
