using System.Security.Cryptography;
using System.Text;

namespace SkillsRegistry.Api.Infrastructure.Auth;

/// <summary>
/// An API key is "srk_" + 43 base64url characters (256 random bits). Only its SHA-256 hash is stored;
/// its first <see cref="PrefixLength"/> characters are a non-secret lookup handle.
/// </summary>
public static class ApiKeySecret
{
    public const string Scheme = "srk_";
    public const int PrefixLength = 12;
    private const int SecretLength = 4 + 43;

    public static string Generate() => Scheme + Base64Url(RandomNumberGenerator.GetBytes(32));

    public static string PrefixOf(string key) => key[..PrefixLength];

    public static byte[] Hash(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));

    public static bool LooksValid(string? key) =>
        key is { Length: SecretLength } && key.StartsWith(Scheme, StringComparison.Ordinal)
        && key.AsSpan(Scheme.Length).IndexOfAnyExcept("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") < 0;

    public static bool Matches(string key, string storedHashHex) =>
        CryptographicOperations.FixedTimeEquals(Hash(key), Convert.FromHexString(storedHashHex));

    private static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
