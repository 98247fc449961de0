using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using System.Text.Json.Serialization;
using SkillsRegistry.Api.Infrastructure.OpenApi;

namespace SkillsRegistry.Api.Features.Certificates;

/// <summary>Stored statuses are valid, revoked, superseded; <c>expired</c> is a valid certificate past its expiry date.</summary>
public enum CertificateStatus { Valid, Revoked, Superseded, Expired }

public enum RevocationReason { IssuedInError, Fraud, AssessmentAnnulled, HolderRequest, Other }

public sealed record HolderNames(string GivenNameFa, string FamilyNameFa, string GivenNameLatin, string FamilyNameLatin);

public sealed record CertificateStandard(Guid Id, string Code, int Version, string TitleFa, string TitleEn, string IscoCode, int TheoryHours, int PracticalHours, string Sector);

public sealed record CertificateCenter(Guid Id, string Code, string NameFa, string NameEn, string? ProvinceCode, string Country);

public sealed record Revocation(RevocationReason ReasonCode, string? Reason, DateTimeOffset RevokedAt);

public sealed record CertificateDto(
    Guid Id, string Number, CertificateStatus Status, Guid AssessmentId, Guid TraineeId, HolderNames Holder,
    CertificateStandard Standard, CertificateCenter Center, decimal TheoryScore, decimal PracticalScore, DateOnly ExamDate,
    DateOnly IssuedOn, string IssuedOnSolarHijri, DateOnly? ExpiresOn, string? ExpiresOnSolarHijri,
    Revocation? Revocation, Guid? SupersededById, string? SupersededByNumber, Guid? ReplacesId, string? CorrectionReason,
    CertificateAssessor Assessor);

/// <summary>
/// Who assessed the result, for the issuing center, admin and the holder (the public verification answer shows role and
/// home organisation only). <c>Record</c>: <c>registered</c> = the practitioner <c>PractitionerCode</c>, checked when recorded;
/// <c>legacy</c> = free text recorded before the register; <c>unregistered</c> = free text accepted by the setting.
/// </summary>
public sealed record CertificateAssessor([property: OneOf("registered", "legacy", "unregistered")] string Record, string Name, string? PractitionerCode);

public sealed record RevokeCertificateRequest(
    [property: Required, OneOf(typeof(RevocationReason))] string? ReasonCode, [property: Required, MaxLength(500)] string? Reason);

/// <summary>
/// What a correction may change: what the center assessed — the scores, the exam date, the standard version (same code).
/// A reason is required. The holder's names and identity always come from the trainee record, so any other field
/// (names, national ID, birth date …) is refused with a field error rather than ignored.
/// </summary>
public sealed record CorrectCertificateRequest(
    [property: Required, MaxLength(500)] string? Reason, [property: Range(0, 100)] decimal? TheoryScore, [property: Range(0, 100)] decimal? PracticalScore,
    DateOnly? ExamDate, [property: Range(1, int.MaxValue)] int? StandardVersion)
{
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? OtherFields { get; init; }
}

public sealed record IssuedCertificate(Guid Id, string Number);

/// <summary>A certificate's place in a revocation status list (W3C Bitstring Status List): list number and bit index.</summary>
public sealed record StatusListEntry(long ListId, int Index);

/// <summary>A certificate with the facts a portable credential (Open Badges 3.0) adds: the pass marks and the status entry.</summary>
public sealed record CertificateCredentialFacts(CertificateDto Certificate, decimal TheoryPassMark, decimal PracticalPassMark, StatusListEntry? Status);
