using SkillsRegistry.Api.Infrastructure.OpenApi;
using SkillsRegistry.Api.Infrastructure;

namespace SkillsRegistry.Api.Features.Verification;

public enum VerificationStatus { Valid, Revoked, Expired, Superseded, NotFound, InvalidNumber }

/// <summary>A date as people read it: Gregorian (ISO) and Solar Hijri.</summary>
public sealed record BilingualDate(DateOnly Gregorian, string SolarHijri)
{
    public static BilingualDate Of(DateOnly date) => new(date, RegistryCalendar.SolarHijri(date));
    public static BilingualDate? Of(DateOnly? date) => date is { } d ? Of(d) : null;
}

/// <summary>The holder as shown publicly: initials only, unless a valid token for this certificate was presented.</summary>
public sealed record VerifiedHolder(bool Masked, string NameFa, string NameLatin);

public sealed record VerifiedStandard(string Code, int Version, string TitleFa, string TitleEn, string IscoCode, int TheoryHours, int PracticalHours);

/// <summary>The version that replaced a superseded standard; <c>Equivalent</c> = the old certificate counts as the new one.</summary>
public sealed record CurrentEquivalent(string Code, int Version, string TitleFa, string TitleEn, bool Equivalent);

public sealed record VerifiedCenter(string Code, string NameFa, string NameEn, string? ProvinceCode, string Country);

public sealed record VerifiedRevocation([property: OneOf(typeof(Certificates.RevocationReason))] string ReasonCode, BilingualDate RevokedOn);

public sealed record Replacement(string Number, string VerificationUrl);

public sealed record VerificationAnswer(
    string Number, VerificationStatus Status, string MessageEn, string MessageFa,
    VerifiedHolder? Holder, VerifiedStandard? Standard, CurrentEquivalent? CurrentStandard, VerifiedCenter? Center,
    BilingualDate? IssuedOn, BilingualDate? ExpiresOn, VerifiedRevocation? Revocation, Replacement? SupersededBy,
    bool TokenPresented, bool? TokenValid, DateTimeOffset CheckedAt);
