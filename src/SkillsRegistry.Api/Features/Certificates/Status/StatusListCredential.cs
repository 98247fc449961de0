using System.Text.Json;
using System.Text.Json.Serialization;
using SkillsRegistry.Api.Features.Certificates.Signing;

namespace SkillsRegistry.Api.Features.Certificates.Status;

/// <summary>W3C Verifiable Credentials 2.0 as the registry publishes them: JSON-LD terms, secured as VC-JWT (VC-JOSE-COSE).</summary>
public static class VerifiableCredentials
{
    public const string ContextV2 = "https://www.w3.org/ns/credentials/v2";
    public const string JwtMediaType = "application/vc+jwt";
    public const string JwtType = "vc+jwt";

    /// <summary>camelCase, nulls left out (absent optional VC properties are omitted, not null).</summary>
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>The credential as the payload of a compact JWS (typ vc+jwt, cty vc), signed with the registry's active key.</summary>
    public static string SignAsJwt<T>(SigningKeyRing keys, T credential) =>
        Jws.Sign(keys, JwtType, JsonSerializer.SerializeToUtf8Bytes(credential, Json), contentType: "vc");

    /// <summary>xsd:dateTime in UTC, seconds precision.</summary>
    public static string DateTime(DateTimeOffset instant) => instant.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'");
}

public sealed record BitstringStatusListSubject(
    string Id, string Type, string StatusPurpose, string EncodedList, long Ttl);

public sealed record BitstringStatusListCredential(
    [property: JsonPropertyName("@context")] IReadOnlyList<string> Context,
    string Id, IReadOnlyList<string> Type, string Issuer, string ValidFrom, BitstringStatusListSubject CredentialSubject);

/// <summary>Builds and signs the revocation status list credential of one list.</summary>
public sealed class StatusListCredentials(StatusListRepository lists, SigningKeyRing keys, RegistryIdentity registry, TimeProvider clock)
{
    public const int MaxAgeSeconds = 300;

    public async Task<string?> SignedAsync(long listId, CancellationToken ct) =>
        await BuildAsync(listId, ct) is { } credential ? VerifiableCredentials.SignAsJwt(keys, credential) : null;

    public async Task<BitstringStatusListCredential?> BuildAsync(long listId, CancellationToken ct)
    {
        if (await lists.GetAsync(listId, ct) is not { } list) return null;
        var url = registry.StatusListUrl(list.Id);
        return new BitstringStatusListCredential(
            [VerifiableCredentials.ContextV2], url, ["VerifiableCredential", "BitstringStatusListCredential"], registry.Issuer,
            VerifiableCredentials.DateTime(clock.GetUtcNow()),
            new BitstringStatusListSubject(url + "#list", "BitstringStatusList", "revocation",
                BitstringStatusList.Encode(list.Size, list.RevokedIndexes), MaxAgeSeconds * 1000L));
    }
}
