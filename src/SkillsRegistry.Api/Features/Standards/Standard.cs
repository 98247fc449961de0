using SkillsRegistry.Api.Infrastructure.OpenApi;
using System.ComponentModel.DataAnnotations;
namespace SkillsRegistry.Api.Features.Standards;

/// <summary>Lifecycle of one version of a competency standard: draft → active → superseded or withdrawn.</summary>
public enum StandardStatus { Draft, Active, Superseded, Withdrawn }

/// <summary>Creates version 1 of a new national code as a draft.</summary>
public sealed record CreateStandardRequest(
    [property: Required, MaxLength(32)] string? Code, [property: Required, MaxLength(10)] string? IscoCode, [property: Required, MaxLength(50)] string? Sector,
    [property: Required, MaxLength(StandardValidation.MaxTitleLength)] string? TitleFa, [property: Required, MaxLength(StandardValidation.MaxTitleLength)] string? TitleEn,
    [property: Required, Range(0, StandardValidation.MaxHours)] int? TheoryHours, [property: Required, Range(0, StandardValidation.MaxHours)] int? PracticalHours,
    [property: Required, Range(0, 100)] decimal? TheoryPassMark, [property: Required, Range(0, 100)] decimal? PracticalPassMark,
    [property: Range(1, StandardValidation.MaxValidityMonths), NullMeans("certificates of this version never expire (as when left out).")] int? ValidityMonths,
    IReadOnlyList<Guid>? PartnerIds,
    [property: Range(1, StandardValidation.MaxRefresherHours), NullMeans("no refresher hours are required of this version's assessors (as when left out).")] int? RefresherHours = null,
    [property: Range(1, StandardValidation.MaxRefresherMonths), NullMeans("no refresher period (as when left out); give it with refresherHours.")] int? RefresherMonths = null,
    bool? RequiresPartnerAssessor = null);

/// <summary>Replaces every editable field of a draft. <c>validityMonths</c> null means certificates never expire.</summary>
public sealed record UpdateStandardRequest(
    [property: Required, MaxLength(10)] string? IscoCode, [property: Required, MaxLength(50)] string? Sector,
    [property: Required, MaxLength(StandardValidation.MaxTitleLength)] string? TitleFa, [property: Required, MaxLength(StandardValidation.MaxTitleLength)] string? TitleEn,
    [property: Required, Range(0, StandardValidation.MaxHours)] int? TheoryHours, [property: Required, Range(0, StandardValidation.MaxHours)] int? PracticalHours,
    [property: Required, Range(0, 100)] decimal? TheoryPassMark, [property: Required, Range(0, 100)] decimal? PracticalPassMark,
    [property: Range(1, StandardValidation.MaxValidityMonths), NullMeans("certificates of this version never expire (as when left out).")] int? ValidityMonths,
    IReadOnlyList<Guid>? PartnerIds,
    [property: Range(1, StandardValidation.MaxRefresherHours), NullMeans("no refresher hours are required of this version's assessors (as when left out).")] int? RefresherHours = null,
    [property: Range(1, StandardValidation.MaxRefresherMonths), NullMeans("no refresher period (as when left out); give it with refresherHours.")] int? RefresherMonths = null,
    bool? RequiresPartnerAssessor = null);

/// <summary>
/// The next version of a code, copied from its latest version; any field given here overrides the copy.
/// (To make a version never expire, PUT the new draft with <c>validityMonths</c> null.)
/// </summary>
public sealed record CreateStandardVersionRequest(
    [property: MaxLength(10)] string? IscoCode, [property: MaxLength(50)] string? Sector,
    [property: MaxLength(StandardValidation.MaxTitleLength)] string? TitleFa, [property: MaxLength(StandardValidation.MaxTitleLength)] string? TitleEn,
    [property: Range(0, StandardValidation.MaxHours)] int? TheoryHours, [property: Range(0, StandardValidation.MaxHours)] int? PracticalHours,
    [property: Range(0, 100)] decimal? TheoryPassMark, [property: Range(0, 100)] decimal? PracticalPassMark,
    [property: Range(1, StandardValidation.MaxValidityMonths)] int? ValidityMonths, IReadOnlyList<Guid>? PartnerIds,
    [property: Range(1, StandardValidation.MaxRefresherHours)] int? RefresherHours = null,
    [property: Range(1, StandardValidation.MaxRefresherMonths)] int? RefresherMonths = null, bool? RequiresPartnerAssessor = null);

/// <summary>Activates a draft from <c>effectiveFrom</c> (default: today).</summary>
public sealed record ActivateStandardRequest(DateOnly? EffectiveFrom);

/// <summary>
/// Replaces this active version by <c>replacementId</c> (a draft of the same code, or a draft or active version of another
/// code, which this one then "maps to"). <c>equivalent</c>: holders of the old version are competent in the new one.
/// </summary>
public sealed record SupersedeStandardRequest([property: Required] Guid? ReplacementId, [property: Required] bool? Equivalent, DateOnly? EffectiveFrom);

/// <summary>Withdraws an active version; it stays in force until <c>effectiveTo</c> (default: today).</summary>
public sealed record WithdrawStandardRequest([property: Required, MaxLength(500)] string? Reason, DateOnly? EffectiveTo);

/// <summary>A link between versions: the version that replaced (or was replaced by) this one.</summary>
public sealed record SupersessionLinkDto(Guid Id, string Code, int Version, bool Equivalent);

/// <summary>A partner agency that co-authored a standard version.</summary>
public sealed record StandardPartnerDto(Guid Id, string Code, string NameEn, string NameFa);

public sealed record StandardDto(
    Guid Id, string Code, int Version, StandardStatus Status, string IscoCode, string Sector,
    string TitleFa, string TitleEn, int TheoryHours, int PracticalHours,
    decimal TheoryPassMark, decimal PracticalPassMark, int? ValidityMonths,
    DateOnly? EffectiveFrom, DateOnly? EffectiveTo, string? StatusReason,
    SupersessionLinkDto? SupersededBy, IReadOnlyList<SupersessionLinkDto> Supersedes,
    Guid? DraftedByPartnerId, IReadOnlyList<StandardPartnerDto> Partners,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    /// <summary>What this version asks of its assessors: refresher hours within a period, and a second assessor from a partner agency.</summary>
    public required AssessorRequirements Assessors { get; init; }
}

/// <summary>
/// What a version asks of the assessors of its results: <c>refresherHours</c> of refresher courses within the
/// <c>refresherMonths</c> ending on the exam date (both null: none), and a second assessor from a partner agency.
/// </summary>
public sealed record AssessorRequirements(int? RefresherHours, int? RefresherMonths, bool RequiresPartnerAssessor)
{
    public static readonly AssessorRequirements None = new(null, null, false);
}

/// <summary>The result of a supersession: the old version (now superseded) and its replacement (now active).</summary>
public sealed record SupersessionDto(StandardDto Superseded, StandardDto Replacement);

/// <summary>
/// One version of a standard as other features (assessments, certificates) use it inside their own transaction.
/// <c>ValidityMonths</c> null: certificates for it never expire.
/// </summary>
public sealed record StandardVersion(
    Guid Id, string Code, int Version, StandardStatus Status, string Sector, string TitleFa, string TitleEn, string IscoCode,
    int TheoryHours, int PracticalHours, decimal TheoryPassMark, decimal PracticalPassMark, int? ValidityMonths,
    DateOnly? EffectiveFrom, DateOnly? EffectiveTo)
{
    public AssessorRequirements Assessors { get; init; } = AssessorRequirements.None;
}

/// <summary>Validated editable fields of a version (code and version are not among them).</summary>
public sealed record StandardFields(
    string IscoCode, string Sector, string TitleFa, string TitleEn, int TheoryHours, int PracticalHours,
    decimal TheoryPassMark, decimal PracticalPassMark, int? ValidityMonths, IReadOnlyList<Guid> PartnerIds)
{
    public AssessorRequirements Assessors { get; init; } = AssessorRequirements.None;
}

/// <summary>List filters, already validated and normalised; <paramref name="PartnerId"/> limits the result to the sectors of that partner agency's agreement.</summary>
public sealed record StandardFilter(string? Code, string? Sector, StandardStatus? Status, string? Isco, string? Query, Guid? PartnerId = null);

/// <summary>A standard with the row version its ETag is made from.</summary>
public sealed record StoredStandard(StandardDto Standard, long RowVersion);

/// <summary>What a key is told about a standard it may not see: the same words as for one that does not exist.</summary>
public static class StandardNotFound
{
    public static string Id(Guid id) => $"No standard version with id {id} is visible to this key.";

    public static string Code(string code) => $"No standard with code {code} is visible to this key.";
}

/// <summary>
/// Database row (also one line of the CSV export); Dapper fills it by property so SQLite's TEXT/INTEGER/REAL and
/// PostgreSQL's types both convert. <c>SupersededByCode</c>/<c>Version</c> are read only by the export.
/// </summary>
internal sealed class StandardRow
{
    public Guid Id { get; set; }
    public string Code { get; set; } = "";
    public int Version { get; set; }
    public string Status { get; set; } = "";
    public string IscoCode { get; set; } = "";
    public string SectorCode { get; set; } = "";
    public string TitleFa { get; set; } = "";
    public string TitleEn { get; set; } = "";
    public int TheoryHours { get; set; }
    public int PracticalHours { get; set; }
    public decimal TheoryPassMark { get; set; }
    public decimal PracticalPassMark { get; set; }
    public int? ValidityMonths { get; set; }
    public DateOnly? EffectiveFrom { get; set; }
    public DateOnly? EffectiveTo { get; set; }
    public Guid? SupersededById { get; set; }
    public string? SupersededByCode { get; set; }
    public int? SupersededByVersion { get; set; }
    public bool? SupersessionEquivalent { get; set; }
    public string? StatusReason { get; set; }
    public Guid? DraftedByPartnerId { get; set; }
    public int? RefresherHours { get; set; }
    public int? RefresherMonths { get; set; }
    public bool RequiresPartnerAssessor { get; set; }
    public long RowVersion { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }

    public AssessorRequirements Assessors => new(RefresherHours, RefresherMonths, RequiresPartnerAssessor);

    public StandardStatus StatusValue => Infrastructure.Text.EnumText.Parse<StandardStatus>(Status);

    public StandardVersion ToVersion() => new(
        Id, Code, Version, StatusValue, SectorCode, TitleFa, TitleEn, IscoCode, TheoryHours, PracticalHours,
        TheoryPassMark, PracticalPassMark, ValidityMonths, EffectiveFrom, EffectiveTo) { Assessors = Assessors };

    public StandardFields ToFields(IReadOnlyList<Guid> partnerIds) => new(
        IscoCode, SectorCode, TitleFa, TitleEn, TheoryHours, PracticalHours, TheoryPassMark, PracticalPassMark, ValidityMonths, partnerIds)
        { Assessors = Assessors };
}

/// <summary>Another version of the same code (an active one, a draft), as a conflict names it.</summary>
internal sealed class VersionRef
{
    public Guid Id { get; set; }
    public int Version { get; set; }
}

/// <summary>A superseded or withdrawn version and the last day it was in force.</summary>
internal sealed class EndedVersion
{
    public int Version { get; set; }
    public DateOnly? EffectiveTo { get; set; }
}

/// <summary>A supersession link as read from the database (either direction).</summary>
internal sealed class LinkRow
{
    public Guid FromId { get; set; }
    public Guid Id { get; set; }
    public string Code { get; set; } = "";
    public int Version { get; set; }
    public bool? Equivalent { get; set; }

    public SupersessionLinkDto ToDto() => new(Id, Code, Version, Equivalent ?? false);
}

internal sealed class PartnerRow
{
    public Guid StandardId { get; set; }
    public Guid Id { get; set; }
    public string Code { get; set; } = "";
    public string NameEn { get; set; } = "";
    public string NameFa { get; set; } = "";

    public StandardPartnerDto ToDto() => new(Id, Code, NameEn, NameFa);
}
