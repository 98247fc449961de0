namespace SkillsRegistry.Api.Features.Certificates.Signing;

/// <summary>How the registry names itself on certificates and where the public verification pages live.</summary>
public sealed class RegistryIdentity
{
    /// <summary>Base URL printed in QR codes, e.g. https://verify.skills.example. No trailing slash.</summary>
    public const string DefaultPublicBaseUrl = "http://localhost:5080";

    /// <summary>Must be set outside Development: the service refuses to start with the default.</summary>
    public string PublicBaseUrl { get; set; } = DefaultPublicBaseUrl;

    /// <summary>The "iss" of every certificate token.</summary>
    public string Issuer => PublicBaseUrl;

    public string IssuerNameEn { get; set; } = "National Skills Registry";
    public string IssuerNameFa { get; set; } = "سامانه ملی ثبت گواهینامه‌های مهارت";

    /// <summary>The URL of a revocation status list credential (W3C Bitstring Status List), as certificates reference it.</summary>
    public string StatusListUrl(long listId) => $"{PublicBaseUrl.TrimEnd('/')}/status/revocation/{listId}";

    /// <summary>The URL a QR code carries: the token rides in the fragment, which browsers never send to the server.</summary>
    public string VerificationUrl(string number, string? token) =>
        $"{PublicBaseUrl.TrimEnd('/')}/verify/{number}" + (token is null ? "" : "#t=" + token);
}
