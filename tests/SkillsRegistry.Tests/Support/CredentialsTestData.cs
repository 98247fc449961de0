using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using static SkillsRegistry.Tests.Support.RegistryWorlds;

namespace SkillsRegistry.Tests.Support;

/// <summary>Issuing certificates through the API and checking VC-JWTs the way an outside verifier would (JWKS only).</summary>
public static class CredentialsTestData
{
    public static byte[] FromBase64Url(string text) => System.Buffers.Text.Base64Url.DecodeFromChars(text);

    public static (JsonElement Header, JsonElement Payload) DecodeJws(string jws)
    {
        var parts = jws.Split('.');
        Assert.Equal(3, parts.Length);
        return (JsonDocument.Parse(FromBase64Url(parts[0])).RootElement, JsonDocument.Parse(FromBase64Url(parts[1])).RootElement);
    }

    /// <summary>Verifies an ES256 compact JWS against the key its header names in the published /.well-known/jwks.json.</summary>
    public static async Task<bool> VerifiesWithPublishedKeysAsync(this RegistryApp app, string jws)
    {
        var jwks = await (await app.CreateClient().GetAsync("/.well-known/jwks.json")).ReadJsonAsync();
        var parts = jws.Split('.');
        var kid = DecodeJws(jws).Header.GetProperty("kid").GetString();
        var jwk = jwks.GetProperty("keys").EnumerateArray().Single(k => k.GetProperty("kid").GetString() == kid);
        using var key = ECDsa.Create(new ECParameters
        {
            Curve = ECCurve.NamedCurves.nistP256,
            Q = new ECPoint { X = FromBase64Url(jwk.GetProperty("x").GetString()!), Y = FromBase64Url(jwk.GetProperty("y").GetString()!) },
        });
        return key.VerifyData(Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]), FromBase64Url(parts[2]),
            HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
    }

    /// <summary>GETs a VC-JWT, asserting 200 and the application/vc+jwt media type.</summary>
    public static async Task<string> GetJwtAsync(this HttpClient client, string url)
    {
        var response = await client.GetAsync(url);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{url}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        Assert.Equal("application/vc+jwt", response.Content.Headers.ContentType?.MediaType);
        return await response.Content.ReadAsStringAsync();
    }
}
