using SkillsRegistry.Api.Features.Reference;
using SkillsRegistry.Api.Infrastructure.OpenApi;
using System.ComponentModel.DataAnnotations;
namespace SkillsRegistry.Api.Features.Partners;

public enum PartnerStatus { Active, Suspended, Ended }

public sealed record CreatePartnerRequest(
    [property: Required, MaxLength(KebabCode.MaxLength)] string? Code, [property: Required, MaxLength(200)] string? NameEn,
    [property: Required, MaxLength(200)] string? NameFa, [property: Required] string? Country,
    [property: Required, MinLength(1), MaxLength(PartnerValidation.MaxSectors)] IReadOnlyList<string>? Sectors,
    DateOnly? AgreementSignedOn, DateOnly? AgreementEndsOn, [property: OneOf(typeof(PartnerStatus))] string? Status,
    [property: MaxLength(2000)] string? Note);

/// <summary>Replaces the editable fields. The agreement end date is not among them: it changes only by an extension.</summary>
public sealed record UpdatePartnerRequest(
    [property: Required, MaxLength(200)] string? NameEn, [property: Required, MaxLength(200)] string? NameFa, [property: Required] string? Country,
    [property: Required, MinLength(1), MaxLength(PartnerValidation.MaxSectors)] IReadOnlyList<string>? Sectors,
    [property: Required, OneOf(typeof(PartnerStatus))] string? Status, [property: MaxLength(2000)] string? Note);

/// <summary>A new end date for the agreement (null = open-ended) and why.</summary>
public sealed record ExtendAgreementRequest(
    [property: NullMeans("the agreement becomes open-ended (as when left out).")] DateOnly? NewEndsOn, [property: Required, MaxLength(500)] string? Reason);

/// <summary>A partner agency as listed. <c>AgreementInForce</c> is evaluated for today.</summary>
public sealed record PartnerSummaryDto(
    Guid Id, string Code, string NameEn, string NameFa, string Country, IReadOnlyList<string> Sectors,
    DateOnly? AgreementSignedOn, DateOnly? AgreementEndsOn, PartnerStatus Status, bool AgreementInForce);

/// <summary>A partner agency with its note and the history of its agreement's extensions (oldest first).</summary>
public sealed record PartnerDto(
    Guid Id, string Code, string NameEn, string NameFa, string Country, IReadOnlyList<string> Sectors,
    DateOnly? AgreementSignedOn, DateOnly? AgreementEndsOn, PartnerStatus Status, bool AgreementInForce, string? Note,
    IReadOnlyList<AgreementExtensionDto> Extensions, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

public sealed record AgreementExtensionDto(Guid Id, DateOnly? PreviousEndsOn, DateOnly? NewEndsOn, string? Reason, DateTimeOffset RecordedAt);

/// <summary>Validated input for creating a partner agency.</summary>
public sealed record NewPartner(
    string Code, string NameEn, string NameFa, string Country, IReadOnlyList<string> Sectors,
    DateOnly? AgreementSignedOn, DateOnly? AgreementEndsOn, PartnerStatus Status, string? Note);

/// <summary>Validated input for updating a partner agency.</summary>
public sealed record PartnerChanges(string NameEn, string NameFa, string Country, IReadOnlyList<string> Sectors, PartnerStatus Status, string? Note);

public sealed record PartnerFilter(PartnerStatus? Status, string? Sector, string? Country, string? Query, Guid? OnlyId);

/// <summary>A partner agency with the row version its ETag is made from.</summary>
public sealed record VersionedPartner(PartnerDto Partner, long RowVersion);
