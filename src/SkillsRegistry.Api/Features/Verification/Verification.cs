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
/// The answer for one number. <c>verdict</c> (+ its messages) comes first and is what a client shows; <c>status</c> and its
/// messages are the registry's state of the number. <c>verdictMessage</c>/<c>message</c> are in <c>language</c> (asked with
/// <c>?lang=fa|en|ar</c> or Accept-Language); the English and Persian ones are always there beside them. Holder, center, dates and
/// the revocation reason are present only with a valid token or the holder's family name; a number alone answers status and
/// standard. Dates have the certificate resource's names and shapes: <c>issuedOn</c>/<c>expiresOn</c> as YYYY-MM-DD with
/// <c>…SolarHijri</c> beside them.
/// </summary>
public sealed record VerificationAnswer(
    VerificationVerdict Verdict, string VerdictMessage, string VerdictMessageEn, string VerdictMessageFa,
    string Number, VerificationStatus Status, string Message, string MessageEn, string MessageFa,
    VerifiedHolder? Holder, VerifiedStandard? Standard, CurrentEquivalent? CurrentStandard, VerifiedCenter? Center,
    DateOnly? IssuedOn, string? IssuedOnSolarHijri, DateOnly? ExpiresOn, string? ExpiresOnSolarHijri, VerifiedRevocation? Revocation, Replacement? SupersededBy,
    bool TokenPresented, bool? TokenValid, DateTimeOffset CheckedAt, Language Language);
