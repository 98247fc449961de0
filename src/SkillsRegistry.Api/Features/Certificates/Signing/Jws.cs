using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace SkillsRegistry.Api.Features.Certificates.Signing;

/// <summary>A compact JWS split into its parts; the signature is not checked yet.</summary>
public sealed record JwsParts(string Algorithm, string Kid, string? Type, byte[] Payload, byte[] SigningInput, byte[] Signature);

/// <summary>
/// The one ES256 compact-JWS routine of the registry (ECDSA P-256 + SHA-256, 64-byte r||s signature as WebCrypto expects),
/// used by certificate QR tokens and by verifiable credentials (status lists, Open Badges) alike.
/// </summary>
public static class Jws
{
    private static readonly JsonSerializerOptions HeaderJson = new() { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    private sealed record Header(
        [property: JsonPropertyName("alg")] string? Algorithm,
        [property: JsonPropertyName("kid")] string? Kid,
        [property: JsonPropertyName("typ")] string? Type,
        [property: JsonPropertyName("cty")] string? ContentType = null);

    /// <summary>Signs <paramref name="payload"/> (JSON bytes) with the active key; the header names the key and, when given, the type and the content type.</summary>
    public static string Sign(SigningKeyRing keys, string? type, ReadOnlySpan<byte> payload, string? contentType = null)
    {
        var key = keys.Active;
        var signingInput = Base64Url.Encode(JsonSerializer.SerializeToUtf8Bytes(new Header("ES256", key.Kid, type, contentType), HeaderJson))
            + "." + Base64Url.Encode(payload);
        var signature = key.Key.SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        return signingInput + "." + Base64Url.Encode(signature);
    }

    /// <summary>Splits a compact ES256 JWS with a kid; null when it is not one (canonical base64url only).</summary>
    public static JwsParts? Parse(string? token)
    {
        var parts = token?.Split('.');
        if (parts is not { Length: 3 }) return null;
        if (!Base64Url.TryDecode(parts[0], out var headerBytes) || !Base64Url.TryDecode(parts[1], out var payload)
            || !Base64Url.TryDecode(parts[2], out var signature) || signature.Length != 64)
            return null;
        Header? header;
        try { header = JsonSerializer.Deserialize<Header>(headerBytes, HeaderJson); }
        catch (JsonException) { return null; }
        if (header is not { Algorithm: "ES256", Kid: { } kid }) return null;
        return new JwsParts("ES256", kid, header.Type, payload, Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]), signature);
    }

    /// <summary>Checks the signature against the published key the header names.</summary>
    public static TokenFailure CheckSignature(SigningKeyRing keys, JwsParts jws)
    {
        var key = keys.Find(jws.Kid);
        if (key is null) return TokenFailure.UnknownKey;
        return key.Key.VerifyData(jws.SigningInput, jws.Signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation)
            ? TokenFailure.None
            : TokenFailure.BadSignature;
    }
}
