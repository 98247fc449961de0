using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Serialization;
using SkillsRegistry.Api.Features.Certificates.Signing;
using SkillsRegistry.Api.Features.Certificates.Status;

namespace SkillsRegistry.Api.Features.Certificates.OpenBadges;

// Open Badges 3.0 (1EdTech) AchievementCredential, the subset the registry fills. Property names are the spec's (camelCase).

public sealed record OpenBadgeCredential(
    [property: JsonPropertyName("@context")] IReadOnlyList<string> Context,
    string Id, IReadOnlyList<string> Type, string Name, IssuerProfile Issuer, string ValidFrom, string? ValidUntil,
    AchievementSubject CredentialSubject, BitstringStatusListEntry? CredentialStatus);

public sealed record IssuerProfile(string Id, IReadOnlyList<string> Type, string Name);

public sealed record AchievementSubject(string Id, IReadOnlyList<string> Type, IReadOnlyList<IdentityObject> Identifier, Achievement Achievement);

/// <summary>hashed=true: identityHash is "sha256$" + hex SHA-256 of (value + salt).</summary>
public sealed record IdentityObject(string Type, bool Hashed, string IdentityHash, string IdentityType, string? Salt);

public sealed record Achievement(
    string Id, IReadOnlyList<string> Type, string AchievementType, string Name, string Description, string HumanCode, string InLanguage,
    Criteria Criteria, IReadOnlyList<Alignment> Alignment);

public sealed record Criteria(string Narrative);

public sealed record Alignment(IReadOnlyList<string> Type, string TargetName, string TargetUrl, string TargetCode, string TargetFramework);

/// <summary>W3C Bitstring Status List entry; statusListIndex is an integer written as a string, as the spec requires.</summary>
public sealed record BitstringStatusListEntry(string Id, string Type, string StatusPurpose, string StatusListIndex, string StatusListCredential);

/// <summary>
/// Exports a certificate as an Open Badges 3.0 AchievementCredential secured as a VC-JWT. Never carries the national ID,
/// passport number or birth date: the holder appears only as a salted hash of the Latin name, and the certificate number.
/// </summary>
public sealed class OpenBadgeCredentials(SigningKeyRing keys, RegistryIdentity registry)
{
    public const string OpenBadgesContext = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json";

    /// <summary>
    /// The credential as a VC-JWT whose payload also carries the registered JWT claims OB 3.0 verifiers read:
    /// iss (issuer.id), jti (the credential id), sub (credentialSubject.id), nbf (validFrom) and exp (validUntil, if any).
    /// </summary>
    public string Sign(CertificateCredentialFacts facts)
    {
        var credential = Build(facts);
        var payload = System.Text.Json.JsonSerializer.SerializeToNode(credential, VerifiableCredentials.Json)!.AsObject();
        payload["iss"] = credential.Issuer.Id;
        payload["jti"] = credential.Id;
        payload["sub"] = credential.CredentialSubject.Id;
        payload["nbf"] = DateTimeOffset.Parse(credential.ValidFrom, CultureInfo.InvariantCulture).ToUnixTimeSeconds();
        if (credential.ValidUntil is { } until) payload["exp"] = DateTimeOffset.Parse(until, CultureInfo.InvariantCulture).ToUnixTimeSeconds();
        return VerifiableCredentials.SignAsJwt(keys, payload);
    }

    public OpenBadgeCredential Build(CertificateCredentialFacts facts)
    {
        var c = facts.Certificate;
        var std = c.Standard;
        var salt = c.Id.ToString("N");
        var hours = $"{std.TheoryHours} h theory and {std.PracticalHours} h practical training";
        var marks = string.Create(CultureInfo.InvariantCulture,
            $"a theory score of at least {facts.TheoryPassMark:0.##}/100 and a practical score of at least {facts.PracticalPassMark:0.##}/100");
        return new OpenBadgeCredential(
            [VerifiableCredentials.ContextV2, OpenBadgesContext],
            $"urn:uuid:{c.Id}",
            ["VerifiableCredential", "OpenBadgeCredential"],
            $"{std.TitleEn} — certificate {c.Number}",
            new IssuerProfile(registry.Issuer, ["Profile"], registry.IssuerNameEn),
            VerifiableCredentials.DateTime(new DateTimeOffset(c.IssuedOn.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero)),
            c.ExpiresOn is { } e ? VerifiableCredentials.DateTime(new DateTimeOffset(e.ToDateTime(new TimeOnly(23, 59, 59)), TimeSpan.Zero)) : null,
            new AchievementSubject(
                registry.VerificationUrl(c.Number, null),
                ["AchievementSubject"],
                [
                    new IdentityObject("IdentityObject", false, c.Number, "ext:CertificateNumber", null),
                    new IdentityObject("IdentityObject", true, Sha256($"{c.Holder.GivenNameLatin} {c.Holder.FamilyNameLatin}" + salt), "name", salt),
                ],
                new Achievement(
                    $"urn:uuid:{std.Id}", ["Achievement"], "Certificate", std.TitleEn,
                    $"{std.TitleEn} ({std.TitleFa}): national competency standard {std.Code}, version {std.Version}, sector {std.Sector}.",
                    $"{std.Code} v{std.Version}", "en",
                    new Criteria($"Completed {hours}, and passed the national skills assessment with {marks}."),
                    [new Alignment(["Alignment"], $"ISCO-08 {std.IscoCode}", $"http://data.europa.eu/esco/isco/C{std.IscoCode}", std.IscoCode, "ISCO-08")])),
            facts.Status is { } s
                ? new BitstringStatusListEntry($"{registry.StatusListUrl(s.ListId)}#{s.Index}", "BitstringStatusListEntry", "revocation",
                    s.Index.ToString(CultureInfo.InvariantCulture), registry.StatusListUrl(s.ListId))
                : null);
    }

    private static string Sha256(string value) => "sha256$" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(value)));
}
