using System.Text.Json;
using SkillsRegistry.Api.Features.Certificates;
using SkillsRegistry.Api.Features.Certificates.Signing;
using SkillsRegistry.Tests.Support;

namespace SkillsRegistry.Tests.Verification;

/// <summary>Certificates as the registry issued them before issue 13: sequential 7-digit numbers, verbose escaped-JSON tokens.</summary>
public static class LegacyTokens
{
    public static string Number(int year, string region, int sequence)
    {
        var body = $"{year:0000}{region}{sequence:0000000}";
        return $"{body[..4]}-{body[4..6]}-{body[6..]}-{CertificateNumber.CheckCharacter(body)}";
    }

    /// <summary>A token exactly as the old issuer signed it (typ sr-cert+jws, default JSON escaping of Persian).</summary>
    public static string Sign(RegistryApp app, string number)
    {
        var payload = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object?>
        {
            ["iss"] = "http://localhost:5080",
            ["num"] = number,
            ["name"] = new Dictionary<string, string> { ["fa"] = "زهرا کریمی", ["lat"] = "Zahra Karimi" },
            ["std"] = new Dictionary<string, string> { ["code"] = "7318", ["fa"] = "بافنده فرش دستباف", ["en"] = "Hand-woven carpet weaver" },
            ["issued"] = "2025-06-02",
            ["expires"] = "2028-06-02",
            ["status"] = new Dictionary<string, object> { ["list"] = "http://localhost:5080/status/revocation/1", ["index"] = 4711 },
        });
        return Jws.Sign(app.Service<SigningKeyRing>(), "sr-cert+jws", payload);
    }

    /// <summary>A compact token in the shape issued before the names' digest: the holder's names themselves as <c>fa</c>/<c>la</c>.</summary>
    public static string SignWithNames(RegistryApp app, CertificateClaims claims, string nameFa, string nameLatin) =>
        Jws.Sign(app.Service<SigningKeyRing>(), null, JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object?>
        {
            ["n"] = claims.Number, ["fa"] = nameFa, ["la"] = nameLatin, ["sc"] = claims.StandardCode, ["is"] = claims.IssuedOn,
            ["ex"] = claims.ExpiresOn, ["sl"] = claims.StatusListId, ["si"] = claims.StatusIndex,
        }, new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));
}
