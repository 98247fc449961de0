using System.Text.Json;
using System.Text.Json.Serialization;

namespace SkillsRegistry.Api.Features.Certificates.Signing;

/// <summary>
/// What an offline verifier needs, and nothing more: never a national ID, passport number or birth date.
/// Dates are calendar dates (yyyy-MM-dd); an expired certificate still has a genuine token.
/// </summary>
public sealed record CertificateClaims(
    [property: JsonPropertyName("iss")] string Issuer,
    [property: JsonPropertyName("num")] string Number,
    [property: JsonPropertyName("name")] HolderClaim Holder,
    [property: JsonPropertyName("std")] StandardClaim Standard,
    [property: JsonPropertyName("issued")] string IssuedOn,
    [property: JsonPropertyName("expires")] string? ExpiresOn,
    [property: JsonPropertyName("status")] StatusClaim? Status = null);

/// <summary>
/// Where an offline verifier checks revocation: the W3C Bitstring Status List credential URL and the bit index. Fetching the
/// whole list (thousands of certificates) does not tell the registry which certificate is being checked.
/// </summary>
public sealed record StatusClaim([property: JsonPropertyName("list")] string List, [property: JsonPropertyName("index")] int Index);

public sealed record HolderClaim([property: JsonPropertyName("fa")] string Persian, [property: JsonPropertyName("lat")] string Latin);

public sealed record StandardClaim(
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
    public const string Type = "sr-cert+jws";
    private static readonly JsonSerializerOptions Json = new() { DefaultIgnoreCondition = JsonIgnoreCondition.Never };

    public string Sign(CertificateClaims claims) => Jws.Sign(keys, Type, JsonSerializer.SerializeToUtf8Bytes(claims, Json));

    public TokenCheck Verify(string? token)
    {
        if (Jws.Parse(token) is not { } jws) return new(TokenFailure.Malformed, null, null);
        CertificateClaims? claims;
        try { claims = JsonSerializer.Deserialize<CertificateClaims>(jws.Payload, Json); }
        catch (JsonException) { return new(TokenFailure.Malformed, null, null); }
        if (claims?.Number is null || claims.Holder is null || claims.Standard is null) return new(TokenFailure.Malformed, null, null);
        var failure = Jws.CheckSignature(keys, jws);
        return new(failure, failure == TokenFailure.None ? claims : null, jws.Kid);
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
