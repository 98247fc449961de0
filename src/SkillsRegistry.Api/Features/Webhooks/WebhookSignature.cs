using System.Security.Cryptography;
using System.Text;

namespace SkillsRegistry.Api.Features.Webhooks;

/// <summary>
/// Deliveries are signed as the Standard Webhooks specification says, so receivers verify them with its reference
/// libraries: <c>webhook-signature: v1,base64(HMAC-SHA256(key, "{webhook-id}.{webhook-timestamp}.{body}"))</c>, where the
/// key is the base64-decoded part of the <c>whsec_…</c> secret. During a secret rollover the header carries one
/// space-separated signature per valid secret.
/// </summary>
public static class WebhookSignature
{
    public const string IdHeader = "webhook-id";
    public const string TimestampHeader = "webhook-timestamp";
    public const string SignatureHeader = "webhook-signature";
    public const string SecretPrefix = "whsec_";

    /// <summary><c>whsec_</c> + base64 of 32 random bytes.</summary>
    public static string NewSecret() => SecretPrefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    /// <summary>
    /// The HMAC key of a secret. Secrets issued before Standard Webhooks (no prefix) keep working: their key is the
    /// secret's UTF-8 bytes, which a receiver passes to a library as <c>whsec_</c> + base64(old secret).
    /// </summary>
    public static byte[] KeyOf(string secret) =>
        secret.StartsWith(SecretPrefix, StringComparison.Ordinal)
            ? Convert.FromBase64String(secret[SecretPrefix.Length..])
            : Encoding.UTF8.GetBytes(secret);

    /// <summary>One signature, <c>v1,&lt;base64&gt;</c>.</summary>
    public static string Sign(string secret, string messageId, long timestamp, string body)
    {
        var mac = HMACSHA256.HashData(KeyOf(secret), Encoding.UTF8.GetBytes($"{messageId}.{timestamp}.{body}"));
        return "v1," + Convert.ToBase64String(mac);
    }

    /// <summary>The header value: one signature per secret, space-separated (the current secret first).</summary>
    public static string Header(IEnumerable<string> secrets, string messageId, long timestamp, string body) =>
        string.Join(' ', secrets.Select(secret => Sign(secret, messageId, timestamp, body)));

    /// <summary>Constant-time check of a received signature header against one secret.</summary>
    public static bool Verify(string secret, string messageId, long timestamp, string body, string signatureHeader)
    {
        var expected = Encoding.ASCII.GetBytes(Sign(secret, messageId, timestamp, body));
        return signatureHeader.Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Any(candidate => CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(candidate)));
    }
}
