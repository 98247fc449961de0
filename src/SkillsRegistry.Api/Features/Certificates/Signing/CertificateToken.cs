using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using SkillsRegistry.Api.Infrastructure.Text;

namespace SkillsRegistry.Api.Features.Certificates.Signing;

/// <summary>
/// What an offline verifier needs, and nothing more: never a national ID, passport number or birth date, and not the names
/// either: <c>nh</c> binds the token to the holder's names as printed (<see cref="Digest"/>) in 22 characters whatever
/// their length, so the QR code is as small for a long name as for a short one and scans from a photocopy. Titles are not
/// carried: the registry has them. Dates are calendar dates as yyyyMMdd numbers; an expired certificate still has a genuine
/// token. <c>sl</c>/<c>si</c> = status list id and bit index: the list is at {issuer}/status/revocation/{sl} (the issuer is
/// the origin the QR URL points at). Tokens issued before the digest carry the names (<c>fa</c>/<c>la</c>) and are read
/// into the same claims.
/// </summary>
public sealed record CertificateClaims(
    [property: JsonPropertyName("n")] string Number,
    [property: JsonPropertyName("nh")] string NamesDigest,
    [property: JsonPropertyName("sc")] string StandardCode,
    [property: JsonPropertyName("is")] int IssuedOn,
    [property: JsonPropertyName("ex")] int? ExpiresOn,
    [property: JsonPropertyName("sl")] long? StatusListId = null,
    [property: JsonPropertyName("si")] int? StatusIndex = null)
{
    /// <summary>The claims of a certificate for the holder named <paramref name="nameFa"/> / <paramref name="nameLatin"/> (given + family).</summary>
    public static CertificateClaims For(string number, string nameFa, string nameLatin, string standardCode, int issuedOn, int? expiresOn,
        long? statusListId, int? statusIndex) =>
        new(number, Digest(nameFa, nameLatin), standardCode, issuedOn, expiresOn, statusListId, statusIndex);

    /// <summary>
    /// base64url of the first 16 bytes of SHA-256 over the UTF-8 of the Persian and the Latin full name, each normalised as
    /// the registry finds names (<see cref="PersianText.NormalizeForSearch"/>: Arabic letter variants, ZWNJ, diacritics,
    /// spacing and letter case do not count), joined by a line feed (which normalisation never leaves inside a name).
    /// </summary>
    public static string Digest(string nameFa, string nameLatin)
    {
        var names = Encoding.UTF8.GetBytes(PersianText.NormalizeForSearch(nameFa) + "\n" + PersianText.NormalizeForSearch(nameLatin));
        return Base64Url.Encode(SHA256.HashData(names).AsSpan(0, 16));
    }

    /// <summary>2025-06-02 → 20250602.</summary>
    public static int Date(DateOnly date) => date.Year * 10000 + date.Month * 100 + date.Day;

    public static int? Date(DateOnly? date) => date is { } d ? Date(d) : null;
}

/// <summary>Compact claims as tokens carry them: the names' digest (<c>nh</c>), or in tokens issued before it the names.</summary>
internal sealed record CompactClaims(
    [property: JsonPropertyName("n")] string? Number,
    [property: JsonPropertyName("nh")] string? NamesDigest,
    [property: JsonPropertyName("fa")] string? NameFa,
    [property: JsonPropertyName("la")] string? NameLatin,
    [property: JsonPropertyName("sc")] string StandardCode,
    [property: JsonPropertyName("is")] int IssuedOn,
    [property: JsonPropertyName("ex")] int? ExpiresOn,
    [property: JsonPropertyName("sl")] long? StatusListId,
    [property: JsonPropertyName("si")] int? StatusIndex)
{
    public CertificateClaims? ToClaims()
    {
        var digest = NamesDigest ?? (NameFa is null || NameLatin is null ? null : CertificateClaims.Digest(NameFa, NameLatin));
        return Number is null || digest is null ? null
            : new CertificateClaims(Number, digest, StandardCode, IssuedOn, ExpiresOn, StatusListId, StatusIndex);
    }
}

/// <summary>The verbose claims of tokens issued before the compact form (typ sr-cert+jws); still verified, never issued.</summary>
public sealed record LegacyCertificateClaims(
    [property: JsonPropertyName("iss")] string Issuer,
    [property: JsonPropertyName("num")] string Number,
    [property: JsonPropertyName("name")] LegacyHolderClaim Holder,
    [property: JsonPropertyName("std")] LegacyStandardClaim Standard,
    [property: JsonPropertyName("issued")] string IssuedOn,
    [property: JsonPropertyName("expires")] string? ExpiresOn,
    [property: JsonPropertyName("status")] LegacyStatusClaim? Status = null)
{
    public CertificateClaims ToCompact()
    {
        long? list = Status is { } s && long.TryParse(s.List[(s.List.LastIndexOf('/') + 1)..], out var id) ? id : null;
        return CertificateClaims.For(Number, Holder.Persian, Holder.Latin, Standard.Code,
            CertificateClaims.Date(DateOnly.ParseExact(IssuedOn, "yyyy-MM-dd")),
            ExpiresOn is null ? null : CertificateClaims.Date(DateOnly.ParseExact(ExpiresOn, "yyyy-MM-dd")),
            list, list is null ? null : Status!.Index);
    }
}

public sealed record LegacyStatusClaim([property: JsonPropertyName("list")] string List, [property: JsonPropertyName("index")] int Index);

public sealed record LegacyHolderClaim([property: JsonPropertyName("fa")] string Persian, [property: JsonPropertyName("lat")] string Latin);

public sealed record LegacyStandardClaim(
    [property: JsonPropertyName("code")] string Code,
    [property: JsonPropertyName("fa")] string TitleFa,
    [property: JsonPropertyName("en")] string TitleEn);

public enum TokenFailure { None, Malformed, UnknownKey, BadSignature }

public sealed record TokenCheck(TokenFailure Failure, CertificateClaims? Claims, string? Kid)
{
    public bool IsValid => Failure == TokenFailure.None;
}

/// <summary>The signed QR token: a compact JWS (ES256, <see cref="Jws"/>) of <see cref="CertificateClaims"/>.</summary>
public sealed class CertificateToken(SigningKeyRing keys)
{
    /// <summary>
    /// The type of the verbose tokens issued before the compact form, which keep verifying. Compact tokens carry no typ (every
    /// header byte makes the QR code denser); a registry JWS of another kind (VC-JWT) always names its typ, so it is not taken for one.
    /// </summary>
    public const string LegacyType = "sr-cert+jws";

    private static readonly JsonSerializerOptions Json = new()
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public string Sign(CertificateClaims claims) => Jws.Sign(keys, null, JsonSerializer.SerializeToUtf8Bytes(claims, Json));

    public TokenCheck Verify(string? token)
    {
        if (Jws.Parse(token) is not { } jws) return new(TokenFailure.Malformed, null, null);
        var claims = ReadClaims(jws);
        if (claims is null) return new(TokenFailure.Malformed, null, null);
        var failure = Jws.CheckSignature(keys, jws);
        return new(failure, failure == TokenFailure.None ? claims : null, jws.Kid);
    }

    private static CertificateClaims? ReadClaims(JwsParts jws)
    {
        try
        {
            var claims = jws.Type switch
            {
                null => JsonSerializer.Deserialize<CompactClaims>(jws.Payload, Json)?.ToClaims(),
                LegacyType => JsonSerializer.Deserialize<LegacyCertificateClaims>(jws.Payload, Json)
                    is { Holder: { Persian: not null, Latin: not null }, Standard: not null, IssuedOn: not null } legacy ? legacy.ToCompact() : null,
                _ => null,
            };
            return claims is { Number: not null } ? claims : null;
        }
        catch (Exception e) when (e is JsonException or FormatException) { return null; }
    }

    /// <summary>RFC 7517 JSON Web Key Set of every key that still verifies.</summary>
    public JsonWebKeySet Jwks() => new(keys.All.Select(k =>
    {
        var p = k.Key.ExportParameters(includePrivateParameters: false);
        return new JsonWebKey("EC", "P-256", Base64Url.Encode(p.Q.X!), Base64Url.Encode(p.Q.Y!), k.Kid, "sig", "ES256");
    }).ToArray());
}

/// <summary>An RFC 7517 JWK Set, as published at /.well-known/jwks.json.</summary>
public sealed record JsonWebKeySet(IReadOnlyList<JsonWebKey> Keys);

/// <summary>One ES256 public key (EC P-256): x and y are base64url coordinates; kid names it in token headers.</summary>
public sealed record JsonWebKey(
    [property: JsonPropertyName("kty")] string Kty, [property: JsonPropertyName("crv")] string Crv,
    [property: JsonPropertyName("x")] string X, [property: JsonPropertyName("y")] string Y,
    [property: JsonPropertyName("kid")] string Kid, [property: JsonPropertyName("use")] string Use,
    [property: JsonPropertyName("alg")] string Alg);

public static class Base64Url
{
    public static string Encode(ReadOnlySpan<byte> bytes) => System.Buffers.Text.Base64Url.EncodeToString(bytes);

    public static bool TryDecode(string text, out byte[] bytes)
    {
        bytes = [];
        if (text.Length == 0 || text.Contains('=')) return false;
        try { bytes = System.Buffers.Text.Base64Url.DecodeFromChars(text); }
        catch (FormatException) { return false; }
        // Only the canonical encoding is accepted: otherwise spare low bits would let two strings carry one value.
        return Encode(bytes) == text;
    }
}
