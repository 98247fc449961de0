using SkillsRegistry.Api.Features.Trainees;
using SkillsRegistry.Api.Infrastructure.Protection;
using SkillsRegistry.Api.Infrastructure.Text;

namespace SkillsRegistry.Api.Features.Practitioners;

/// <summary>A practitioners row with its person's names and encrypted identifiers and its home organisation.</summary>
internal sealed class PractitionerRow
{
    public Guid Id { get; init; }
    public string Code { get; init; } = "";
    public Guid PersonId { get; init; }
    public string? NationalIdEnc { get; init; }
    public string? PassportNumberEnc { get; init; }
    public string? Nationality { get; init; }
    public string GivenNameFa { get; init; } = "";
    public string FamilyNameFa { get; init; } = "";
    public string GivenNameLatin { get; init; } = "";
    public string FamilyNameLatin { get; init; } = "";
    public Guid? HomeCenterId { get; init; }
    public Guid? HomePartnerId { get; init; }
    public string HomeCode { get; init; } = "";
    public string HomeNameFa { get; init; } = "";
    public string HomeNameEn { get; init; } = "";
    public string? Phone { get; init; }
    public string? Email { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }

    public OrganisationDto Home => HomeCenterId is { } c
        ? new("center", c, HomeCode, HomeNameFa, HomeNameEn)
        : new("partner", HomePartnerId!.Value, HomeCode, HomeNameFa, HomeNameEn);

    public PractitionerSummaryDto ToSummary() =>
        new(Id, Code, PersonId, GivenNameFa, FamilyNameFa, GivenNameLatin, FamilyNameLatin, Home, CreatedAt);

    public PractitionerDto ToDto(FieldProtector protector, IReadOnlyList<QualificationDto> qualifications,
        IReadOnlyList<RefresherCourseDto> courses, IReadOnlyList<VisitDto> visits)
    {
        // The person's identifiers are the trainees row's, decrypted the way trainees are.
        var identity = new TraineeRow { NationalIdEnc = NationalIdEnc, PassportNumberEnc = PassportNumberEnc, Nationality = Nationality }.IdentityWith(protector);
        return new(Id, Code, PersonId, identity.NationalId, identity.PassportNumber, Nationality, GivenNameFa, FamilyNameFa, GivenNameLatin,
            FamilyNameLatin, Home, Phone, Email, qualifications, courses, visits, CreatedAt, UpdatedAt);
    }
}

internal sealed class QualificationRow
{
    public Guid Id { get; init; }
    public string StandardCode { get; init; } = "";
    public string Kind { get; init; } = "";
    public string Source { get; init; } = "";
    public Guid? CertificateId { get; init; }
    public Guid? PartnerId { get; init; }
    public string? Reason { get; init; }
    public DateOnly ValidFrom { get; init; }
    public DateOnly? ValidTo { get; init; }
    public DateOnly? WithdrawnFrom { get; init; }
    public string? WithdrawalReason { get; init; }
    public bool WithdrawnForCause { get; init; }
    public DateTimeOffset CreatedAt { get; init; }

    public bool InForceOn(DateOnly day) => QualificationCurrency.InForceOn(ValidFrom, ValidTo, WithdrawnFrom, day);

    public QualificationDto ToDto(DateOnly today, bool current) => new(
        Id, StandardCode, EnumText.Parse<QualificationKind>(Kind), EnumText.Parse<QualificationSource>(Source), CertificateId, PartnerId, Reason,
        ValidFrom, ValidTo, WithdrawnFrom, WithdrawalReason, WithdrawnForCause, InForceOn(today), current, CreatedAt);
}

internal sealed class RefresherCourseRow
{
    public Guid Id { get; init; }
    public string? CourseCode { get; init; }
    public string? Title { get; init; }
    public decimal Hours { get; init; }
    public DateOnly CompletedOn { get; init; }
    public Guid? ProviderCenterId { get; init; }
    public Guid? ProviderPartnerId { get; init; }
    public string ProviderCode { get; init; } = "";
    public string ProviderNameFa { get; init; } = "";
    public string ProviderNameEn { get; init; } = "";
    public DateTimeOffset CreatedAt { get; init; }

    public RefresherCourseDto ToDto() => new(Id, CourseCode, Title, Hours, CompletedOn,
        ProviderCenterId is { } c ? new("center", c, ProviderCode, ProviderNameFa, ProviderNameEn)
            : new("partner", ProviderPartnerId!.Value, ProviderCode, ProviderNameFa, ProviderNameEn), CreatedAt);
}

internal sealed class VisitRow
{
    public Guid Id { get; init; }
    public Guid CenterId { get; init; }
    public string CenterCode { get; init; } = "";
    public DateOnly FirstDay { get; init; }
    public DateOnly LastDay { get; init; }
    public string RecordedByRole { get; init; } = "";
    public DateTimeOffset CreatedAt { get; init; }

    public VisitDto ToDto() => new(Id, CenterId, CenterCode, FirstDay, LastDay, RecordedByRole, CreatedAt);
}

internal sealed class RequirementRow
{
    public string Code { get; init; } = "";
    public int? RefresherHours { get; init; }
    public int? RefresherMonths { get; init; }
    public bool RequiresPartnerAssessor { get; init; }
}
