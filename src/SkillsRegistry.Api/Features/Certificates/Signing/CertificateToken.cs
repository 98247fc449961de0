using System.Security.Cryptography;
using System.Text;
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
    [property: JsonPropertyName("expires")] string? ExpiresOn);

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

/// <summary>Compact JWS, ES256 (ECDSA P-256 + SHA-256, 64-byte r||s signature as WebCrypto expects).</summary>
public sealed class CertificateToken(SigningKeyRing keys)
{
    public const string Type = "sr-cert+jws";
    private static readonly JsonSerializerOptions Json = new() { DefaultIgnoreCondition = JsonIgnoreCondition.Never };

    private sealed record Header(
        [property: JsonPropertyName("alg")] string Algorithm,
        [property: JsonPropertyName("kid")] string Kid,
        [property: JsonPropertyName("typ")] string Type);

    public string Sign(CertificateClaims claims)
    {
        var key = keys.Active;
        var signingInput = Base64Url.Encode(JsonSerializer.SerializeToUtf8Bytes(new Header("ES256", key.Kid, Type), Json))
            + "." + Base64Url.Encode(JsonSerializer.SerializeToUtf8Bytes(claims, Json));
        var signature = key.Key.SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        return signingInput + "." + Base64Url.Encode(signature);
    }

    public TokenCheck Verify(string? token)
    {
        var parts = token?.Split('.');
        if (parts is not { Length: 3 }) return new(TokenFailure.Malformed, null, null);
        if (!Base64Url.TryDecode(parts[0], out var headerBytes) || !Base64Url.TryDecode(parts[1], out var payloadBytes)
            || !Base64Url.TryDecode(parts[2], out var signature) || signature.Length != 64)
            return new(TokenFailure.Malformed, null, null);
        Header? header;
        CertificateClaims? claims;
        try
        {
            header = JsonSerializer.Deserialize<Header>(headerBytes, Json);
            claims = JsonSerializer.Deserialize<CertificateClaims>(payloadBytes, Json);
        }
        catch (JsonException) { return new(TokenFailure.Malformed, null, null); }
        if (header is not { Algorithm: "ES256", Kid: not null } || claims?.Number is null || claims.Holder is null || claims.Standard is null)
            return new(TokenFailure.Malformed, null, null);
        var key = keys.Find(header.Kid);
        if (key is null) return new(TokenFailure.UnknownKey, null, header.Kid);
        var signingInput = Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]);
        return key.Key.VerifyData(signingInput, signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation)
            ? new(TokenFailure.None, claims, header.Kid)
            : new(TokenFailure.BadSignature, null, header.Kid);
    }

    /// <summary>RFC 7517 JSON Web Key Set of every key that still verifies.</summary>
    public object Jwks() => new
    {
        keys = keys.All.Select(k =>
        {
            var p = k.Key.ExportParameters(includePrivateParameters: false);
            return new { kty = "EC", crv = "P-256", x = Base64Url.Encode(p.Q.X!), y = Base64Url.Encode(p.Q.Y!), kid = k.Kid, use = "sig", alg = "ES256" };
        }).ToArray(),
    };
}

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
