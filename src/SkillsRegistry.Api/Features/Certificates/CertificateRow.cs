using SkillsRegistry.Api.Infrastructure.Text;

namespace SkillsRegistry.Api.Features.Certificates;

/// <summary>A certificate as <see cref="CertificateSql.Columns"/> reads it, with its standard and center.</summary>
internal record CertificateRow
{
    public Guid Id { get; init; }
    public string Number { get; init; } = "";
    public string Status { get; init; } = "";
    public Guid AssessmentId { get; init; }
    public Guid TraineeId { get; init; }
    public string GivenNameFa { get; init; } = "";
    public string FamilyNameFa { get; init; } = "";
    public string GivenNameLatin { get; init; } = "";
    public string FamilyNameLatin { get; init; } = "";
    public Guid StandardId { get; init; }
    public string StandardCode { get; init; } = "";
    public int StandardVersion { get; init; }
    public string TitleFa { get; init; } = "";
    public string TitleEn { get; init; } = "";
    public string IscoCode { get; init; } = "";
    public string SectorCode { get; init; } = "";
    public int TheoryHours { get; init; }
    public int PracticalHours { get; init; }
    public decimal TheoryPassMark { get; init; }
    public decimal PracticalPassMark { get; init; }
    public long? StatusListId { get; init; }
    public long? StatusIndex { get; init; }
    public Guid CenterId { get; init; }
    public string CenterCode { get; init; } = "";
    public string CenterNameFa { get; init; } = "";
    public string CenterNameEn { get; init; } = "";
    public string? ProvinceCode { get; init; }
    public string Country { get; init; } = "";
    public decimal TheoryScore { get; init; }
    public decimal PracticalScore { get; init; }
    public DateOnly ExamDate { get; init; }
    public DateOnly IssuedOn { get; init; }
    public DateOnly? ExpiresOn { get; init; }
    public string? RevocationReasonCode { get; init; }
    public string? RevocationReason { get; init; }
    public DateTimeOffset? RevokedAt { get; init; }
    public Guid? SupersededById { get; init; }
    public string? SupersededByNumber { get; init; }
    public Guid? ReplacesId { get; init; }
    public string? CorrectionReason { get; init; }
    public string? AssessorRecord { get; init; }
    public string? AssessorName { get; init; }
    public string? AssessorCode { get; init; }

    public CertificateDto ToDto(DateOnly today) => new(
        Id, Number, CertificateStatuses.Effective(Status, ExpiresOn, today), AssessmentId, TraineeId,
        new HolderNames(GivenNameFa, FamilyNameFa, GivenNameLatin, FamilyNameLatin),
        new CertificateStandard(StandardId, StandardCode, StandardVersion, TitleFa, TitleEn, IscoCode, TheoryHours, PracticalHours, SectorCode),
        new CertificateCenter(CenterId, CenterCode, CenterNameFa, CenterNameEn, ProvinceCode, Country),
        TheoryScore, PracticalScore, ExamDate, IssuedOn, RegistryCalendar.SolarHijri(IssuedOn),
        ExpiresOn, ExpiresOn is { } e ? RegistryCalendar.SolarHijri(e) : null,
        RevokedAt is { } at ? new Revocation(EnumText.Parse<RevocationReason>(RevocationReasonCode!), RevocationReason, at) : null,
        SupersededById, SupersededByNumber, ReplacesId, CorrectionReason,
        new CertificateAssessor(AssessorRecord ?? "legacy", AssessorName ?? "", AssessorCode));

    public CertificateCredentialFacts ToCredentialFacts(DateOnly today) => new(
        ToDto(today), TheoryPassMark, PracticalPassMark,
        StatusListId is { } list && StatusIndex is { } index ? new StatusListEntry(list, (int)index) : null);
}

public static class CertificateStatuses
{
    public static CertificateStatus Effective(string stored, DateOnly? expiresOn, DateOnly today) =>
        Effective(EnumText.Parse<CertificateStatus>(stored), expiresOn, today);

    public static CertificateStatus Effective(CertificateStatus stored, DateOnly? expiresOn, DateOnly today) =>
        stored == CertificateStatus.Valid && expiresOn is { } e && e < today ? CertificateStatus.Expired : stored;
}
