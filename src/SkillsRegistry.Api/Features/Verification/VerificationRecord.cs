using SkillsRegistry.Api.Features.Certificates;
using SkillsRegistry.Api.Infrastructure.Text;

namespace SkillsRegistry.Api.Features.Verification;

/// <summary>A revocation as verification shows it: the reason code and when; never the free-text reason.</summary>
public sealed record RecordedRevocation(RevocationReason ReasonCode, DateTimeOffset RevokedAt);

/// <summary>
/// The registry's record of one certificate as verification needs it, and what <see cref="VerificationCache"/> keeps per number.
/// Nothing in it depends on the time of day: the effective status (expired or not) is worked out on each read by
/// <see cref="StatusOn"/>. Standard, current equivalent and center are shared by all records that show them.
/// </summary>
public sealed class VerificationRecord
{
    public required string Number { get; init; }
    public required CertificateStatus StoredStatus { get; init; }
    public required DateOnly IssuedOn { get; init; }
    public DateOnly? ExpiresOn { get; init; }
    /// <summary>The holder's names as printed; kept as one string (see <see cref="PackNames"/>), three objects fewer per cached number.</summary>
    public required string PackedNames { internal get; init; }
    public required VerifiedStandard Standard { get; init; }
    public CurrentEquivalent? CurrentStandard { get; init; }
    public required VerifiedCenter Center { get; init; }
    /// <summary>Shared like the center: few distinct values (standing × role × home organisation).</summary>
    public AssessorOnRecord Assessor { get; init; } = AssessorOnRecord.Legacy;
    public RecordedRevocation? Revocation { get; init; }
    public string? SupersededByNumber { get; init; }

    public HolderNames Holder => PackedNames.Split(Separator) is [var givenFa, var familyFa, var givenLatin, var familyLatin]
        ? new HolderNames(givenFa, familyFa, givenLatin, familyLatin)
        : throw new InvalidOperationException("Holder names were not packed by PackNames.");

    private const char Separator = '\u001F'; // the unit separator: never part of a name

    public static string PackNames(string givenFa, string familyFa, string givenLatin, string familyLatin) =>
        string.Join(Separator, Clean(givenFa), Clean(familyFa), Clean(givenLatin), Clean(familyLatin));

    private static string Clean(string name) => name.Contains(Separator) ? name.Replace(Separator.ToString(), "") : name;

    /// <summary>The status on the registry's calendar day <paramref name="today"/>: a valid certificate past its expiry date is expired.</summary>
    public VerificationStatus StatusOn(DateOnly today) => CertificateStatuses.Effective(StoredStatus, ExpiresOn, today) switch
    {
        CertificateStatus.Valid => VerificationStatus.Valid,
        CertificateStatus.Revoked => VerificationStatus.Revoked,
        CertificateStatus.Superseded => VerificationStatus.Superseded,
        _ => VerificationStatus.Expired,
    };
}
