using SkillsRegistry.Api.Infrastructure.OpenApi;
using SkillsRegistry.Api.Infrastructure.Text;

namespace SkillsRegistry.Api.Features.Verification;

/// <summary>The registry's state of a number.</summary>
public enum VerificationStatus { Valid, Revoked, Expired, Superseded, NotFound, InvalidNumber }

/// <summary>
/// The verdict on what was presented, which a client shows as-is before anything else: <c>genuine*</c> = a token signed by the
/// registry for this very number (and the registry's status); <c>qr-not-genuine</c> = a token that is not the registry's
/// (bad signature, unknown key, malformed); <c>qr-of-another-certificate</c> = a genuine token of a different number;
/// <c>status-only</c> = no token, so only the registry's status of the number is known.
/// </summary>
public enum VerificationVerdict
{
    Genuine, GenuineButRevoked, GenuineButSuperseded, GenuineButExpired, NotFound, InvalidNumber, QrNotGenuine, QrOfAnotherCertificate, StatusOnly,
}

/// <summary>
/// The holder as shown publicly: the full name with a valid token for this certificate, initials with the holder's family name
/// as printed; with the number alone there is no holder at all.
/// </summary>
public sealed record VerifiedHolder(bool Masked, string NameFa, string NameLatin);

public sealed record VerifiedStandard(string Code, int Version, string TitleFa, string TitleEn, string IscoCode, int TheoryHours, int PracticalHours);

/// <summary>The version that replaced a superseded standard; <c>Equivalent</c> = the old certificate counts as the new one.</summary>
public sealed record CurrentEquivalent(string Code, int Version, string TitleFa, string TitleEn, bool Equivalent);

public sealed record VerifiedCenter(string Code, string NameFa, string NameEn, string? ProvinceCode, string Country);

/// <summary><c>RevokedAt</c> is the instant of the revocation in UTC, as in the certificate resource.</summary>
public sealed record VerifiedRevocation([property: OneOf(typeof(Certificates.RevocationReason))] string ReasonCode, DateTimeOffset RevokedAt);

public sealed record Replacement(string Number, string VerificationUrl);

/// <summary>
/// How the result behind a certificate was assessed: <c>current</c> = by a registered assessor holding a qualification for the
/// standard's code in force on the exam date (currency was checked when the result was recorded); <c>not-current</c> = by a
/// registered practitioner whose qualification no longer counts for that day (withdrawn since); <c>legacy</c> = the assessor
/// was recorded as free text before the register; <c>unregistered</c> = free text accepted by the registry's setting.
/// </summary>
public enum AssessorStanding { Current, NotCurrent, Legacy, Unregistered }

public enum AssessorRole { Assessor, LeadAssessor }

/// <summary>An assessor's home organisation: a training center or a partner agency, by its registered names.</summary>
public sealed record VerifiedOrganisation([property: OneOf("center", "partner")] string Kind, string NameFa, string NameEn);

/// <summary>What verification keeps of a result's assessor: never the person's name or code.</summary>
public sealed record AssessorOnRecord(AssessorStanding Standing, AssessorRole? Role, VerifiedOrganisation? HomeOrganisation)
{
    public static readonly AssessorOnRecord Legacy = new(AssessorStanding.Legacy, null, null);
}

/// <summary>
/// The assessor as shown publicly: standing, role and home organisation only, never the person. <c>message</c> is in the
/// answer's language, with English and Persian beside it.
/// </summary>
public sealed record VerifiedAssessor(
    AssessorStanding Standing, AssessorRole? Role, VerifiedOrganisation? HomeOrganisation, string Message, string MessageEn, string MessageFa);

/// <summary>
/// The answer for one number. <c>verdict</c> (+ its messages) comes first and is what a client shows; <c>status</c> and its
/// messages are the registry's state of the number. <c>verdictMessage</c>/<c>message</c> are in <c>language</c> (asked with
/// <c>?lang=fa|en|ar</c> or Accept-Language); the English and Persian ones are always there beside them. Holder, center, dates and
/// the revocation reason are present only with a valid token or the holder's family name; a number alone answers status and
/// standard. Dates have the certificate resource's names and shapes: <c>issuedOn</c>/<c>expiresOn</c> as YYYY-MM-DD with
/// <c>…SolarHijri</c> beside them. <c>assessor</c> (role and home organisation, never the person) is shown with the details.
/// </summary>
public sealed record VerificationAnswer(
    VerificationVerdict Verdict, string VerdictMessage, string VerdictMessageEn, string VerdictMessageFa,
    string Number, VerificationStatus Status, string Message, string MessageEn, string MessageFa,
    VerifiedHolder? Holder, VerifiedStandard? Standard, CurrentEquivalent? CurrentStandard, VerifiedCenter? Center,
    DateOnly? IssuedOn, string? IssuedOnSolarHijri, DateOnly? ExpiresOn, string? ExpiresOnSolarHijri, VerifiedRevocation? Revocation, Replacement? SupersededBy,
    bool TokenPresented, bool? TokenValid, DateTimeOffset CheckedAt, Language Language, VerifiedAssessor? Assessor = null);
