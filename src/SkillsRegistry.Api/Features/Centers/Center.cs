using SkillsRegistry.Api.Infrastructure.OpenApi;
using System.ComponentModel.DataAnnotations;
namespace SkillsRegistry.Api.Features.Centers;

public enum CenterKind { Public, PrivateInstitute, PartnerRun, Foreign }

/// <summary>A center's licence situation on a date: derived from its licences' periods and status changes.</summary>
public enum CenterLicenceStatus { Active, Suspended, Revoked, Expired, Unlicensed }

/// <summary>A status a licence can be put into from a date on (expiry is derived from the licence period, never recorded).</summary>
public enum LicenceDecision { Active, Suspended, Revoked }

// ---- Requests ----

public sealed record CreateCenterRequest(
    [property: Required, MaxLength(40)] string? Code, [property: Required, OneOf(typeof(CenterKind))] string? Kind, [property: Required, MaxLength(200)] string? NameFa,
    [property: Required, MaxLength(200)] string? NameEn, string? ProvinceCode, string? Country, [property: MaxLength(100)] string? Region,
    [property: Required, MaxLength(100)] string? City, [property: MaxLength(300)] string? Address, [property: MaxLength(30)] string? Phone,
    [property: MaxLength(254)] string? Email, Guid? PartnerId);

/// <summary>Every descriptive field; the code is the center's permanent identity and cannot be changed.</summary>
public sealed record UpdateCenterRequest(
    [property: Required, OneOf(typeof(CenterKind))] string? Kind, [property: Required, MaxLength(200)] string? NameFa,
    [property: Required, MaxLength(200)] string? NameEn, string? ProvinceCode, string? Country, [property: MaxLength(100)] string? Region,
    [property: Required, MaxLength(100)] string? City, [property: MaxLength(300)] string? Address, [property: MaxLength(30)] string? Phone,
    [property: MaxLength(254)] string? Email, Guid? PartnerId);

/// <summary>Omitted (null) fields stay as they are; an empty string clears a field.</summary>
public sealed record UpdateCenterContactRequest([property: MaxLength(300)] string? Address, [property: MaxLength(30)] string? Phone, [property: MaxLength(254)] string? Email);

public sealed record CreateLicenceRequest([property: Required, MaxLength(50)] string? Number, [property: Required] DateOnly? ValidFrom, DateOnly? ValidTo);

public sealed record ChangeLicenceStatusRequest(
    [property: Required, OneOf(typeof(LicenceDecision))] string? Status, DateOnly? EffectiveFrom, [property: Required, MaxLength(500)] string? Reason);

public sealed record AddScopeRequest(
    [property: Required, MaxLength(50)] string? StandardCode, [property: Required] DateOnly? ValidFrom, DateOnly? ValidTo, [property: MaxLength(500)] string? Reason);

public sealed record EndScopeRequest([property: Required] DateOnly? ValidTo, [property: Required, MaxLength(500)] string? Reason);

// ---- Responses ----

/// <summary>A training center as listed; <c>licenceStatus</c> is its licence situation today.</summary>
public sealed record CenterDto(
    Guid Id, string Code, CenterKind Kind, string NameFa, string NameEn, string? ProvinceCode, string Country, string? Region,
    string City, string? Address, string? Phone, string? Email, Guid? PartnerId, CenterLicenceStatus LicenceStatus,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

/// <summary>A training center with its licence situation today (and why), its licence history and its scope.</summary>
public sealed record CenterDetailDto(
    Guid Id, string Code, CenterKind Kind, string NameFa, string NameEn, string? ProvinceCode, string Country, string? Region,
    string City, string? Address, string? Phone, string? Email, Guid? PartnerId,
    CenterLicenceStatus LicenceStatus, string LicenceStatusDetail,
    IReadOnlyList<LicenceDto> Licences, IReadOnlyList<ScopeEntryDto> Scope,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

public sealed record LicenceDto(
    Guid Id, string Number, DateOnly ValidFrom, DateOnly? ValidTo, CenterLicenceStatus StatusToday,
    IReadOnlyList<LicenceStatusChangeDto> StatusChanges, DateTimeOffset CreatedAt);

public sealed record LicenceStatusChangeDto(Guid Id, LicenceDecision Status, DateOnly EffectiveFrom, string? Reason, DateTimeOffset RecordedAt);

public sealed record ScopeEntryDto(
    Guid Id, string StandardCode, DateOnly ValidFrom, DateOnly? ValidTo, bool InScopeToday, string? Reason, string? EndReason,
    DateTimeOffset CreatedAt);

// ---- For other features (assessments) ----

/// <summary>Whether a center held an active licence on a date; when not, <c>Reason</c> says precisely why.</summary>
public sealed record LicenceCheck(bool Active, CenterLicenceStatus Status, string Reason, Guid? LicenceId, string? LicenceNumber);

public sealed record CenterSummary(Guid Id, string Code, CenterKind Kind, string NameFa, string NameEn, string? ProvinceCode, string Country);

// ---- Internal ----

/// <summary>A value with the row version its ETag is made from.</summary>
public sealed record Versioned<T>(T Value, long Version);

/// <summary>List filters, already validated and normalised.</summary>
public sealed record CenterFilter(string? Kind, string? Province, string? Code, string? Status, string? Pattern, Guid? OnlyCenterId);

/// <summary>Validated descriptive fields of a center (create and replace).</summary>
public sealed record CenterFields(
    CenterKind Kind, string NameFa, string NameEn, string? ProvinceCode, string Country, string? Region,
    string City, string? Address, string? Phone, string? Email, Guid? PartnerId);

/// <summary>Contact fields to change; a field whose Set flag is false keeps its value.</summary>
public sealed record ContactPatch(bool SetAddress, string? Address, bool SetPhone, string? Phone, bool SetEmail, string? Email);

public sealed record NewLicence(string Number, DateOnly ValidFrom, DateOnly? ValidTo);

public sealed record NewLicenceStatus(LicenceDecision Status, DateOnly EffectiveFrom, string Reason);

public sealed record NewScopeEntry(string StandardCode, DateOnly ValidFrom, DateOnly? ValidTo, string? Reason);

internal sealed class CenterRow
{
    public Guid Id { get; init; }
    public string Code { get; init; } = "";
    public string Kind { get; init; } = "";
    public string NameFa { get; init; } = "";
    public string NameEn { get; init; } = "";
    public string? ProvinceCode { get; init; }
    public string Country { get; init; } = "";
    public string? Region { get; init; }
    public string City { get; init; } = "";
    public string? Address { get; init; }
    public string? Phone { get; init; }
    public string? Email { get; init; }
    public Guid? PartnerId { get; init; }
    public string LicenceStatus { get; init; } = "unlicensed";
    public long RowVersion { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }

    public CenterKind KindValue => Infrastructure.Text.EnumText.Parse<CenterKind>(Kind);

    public CenterDto ToDto() => new(Id, Code, KindValue, NameFa, NameEn, ProvinceCode, Country, Region, City, Address, Phone, Email,
        PartnerId, Infrastructure.Text.EnumText.Parse<CenterLicenceStatus>(LicenceStatus), CreatedAt, UpdatedAt);

    public CenterDetailDto ToDetail(LicenceCheck today, IReadOnlyList<LicenceDto> licences, IReadOnlyList<ScopeEntryDto> scope) =>
        new(Id, Code, KindValue, NameFa, NameEn, ProvinceCode, Country, Region, City, Address, Phone, Email, PartnerId,
            today.Status, today.Reason, licences, scope, CreatedAt, UpdatedAt);
}

internal sealed class LicenceRow
{
    public Guid Id { get; init; }
    public string Number { get; init; } = "";
    public DateOnly ValidFrom { get; init; }
    public DateOnly? ValidTo { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
}

internal sealed class StatusChangeRow
{
    public Guid Id { get; init; }
    public Guid LicenceId { get; init; }
    public string Status { get; init; } = "";
    public DateOnly EffectiveFrom { get; init; }
    public string? Reason { get; init; }
    public DateTimeOffset RecordedAt { get; init; }

    public LicenceStatusChangeDto ToDto() => new(Id, Infrastructure.Text.EnumText.Parse<LicenceDecision>(Status), EffectiveFrom, Reason, RecordedAt);
}

internal sealed class ScopeRow
{
    public Guid Id { get; init; }
    public string StandardCode { get; init; } = "";
    public DateOnly ValidFrom { get; init; }
    public DateOnly? ValidTo { get; init; }
    public string? Reason { get; init; }
    public string? EndReason { get; init; }
    public DateTimeOffset CreatedAt { get; init; }

    public bool Covers(DateOnly date) => ValidFrom <= date && (ValidTo is null || ValidTo >= date);

    public ScopeEntryDto ToDto(DateOnly today) => new(Id, StandardCode, ValidFrom, ValidTo, Covers(today), Reason, EndReason, CreatedAt);
}
