using System.Security.Cryptography;
using System.Text;

namespace SkillsRegistry.Api.Features.Webhooks;

/// <summary>
/// Deliveries are signed like Standard Webhooks: <c>Webhook-Signature: v1=base64(HMAC-SHA256(secret, "{timestamp}.{body}"))</c>,
/// where the key is the UTF-8 bytes of the secret string exactly as returned at creation.
/// </summary>
public static class WebhookSignature
{
    public const string IdHeader = "Webhook-Id";
    public const string TimestampHeader = "Webhook-Timestamp";
    public const string SignatureHeader = "Webhook-Signature";

    /// <summary>32 random bytes, base64url without padding.</summary>
    public static string NewSecret() => Base64Url(RandomNumberGenerator.GetBytes(32));

    public static string Sign(string secret, long timestamp, string body)
    {
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"{timestamp}.{body}"));
        return "v1=" + Convert.ToBase64String(mac);
    }

    /// <summary>Constant-time check of a received signature header (it may list several space-separated signatures).</summary>
    public static bool Verify(string secret, long timestamp, string body, string signatureHeader)
    {
        var expected = Encoding.ASCII.GetBytes(Sign(secret, timestamp, body));
        return signatureHeader.Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Any(candidate => CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(candidate)));
    }

    private static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
