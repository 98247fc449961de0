using System.Security.Cryptography;
using System.Text;

namespace SkillsRegistry.Api.Features.Holders;

/// <summary>
/// The three holder secrets. An access code is typed by a person: 12 characters of Crockford's base32 (no I, L, O, U; read
/// aloud without confusion), shown as XXXX-XXXX-XXXX: 60 random bits. Session tokens (srh_, 256 bits) and share tokens
/// (192 bits, in the link) are machine-handled. None is stored: a code by its keyed look-up hash (useless without the
/// registry's look-up key, since 60 bits could be searched offline), tokens by SHA-256 (their 192+ bits cannot).
/// </summary>
public static class HolderSecrets
{
    public const string Alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    public const int CodeLength = 12;
    public const string SessionScheme = "srh_";
    private const int SessionLength = 4 + 43;
    private const int ShareLength = 32;

    /// <summary>How many different access codes there are: 32^12.</summary>
    public static double CodeSpace => Math.Pow(Alphabet.Length, CodeLength);

    public static string NewCode()
    {
        var chars = new char[CodeLength];
        for (var i = 0; i < CodeLength; i++) chars[i] = Alphabet[RandomNumberGenerator.GetInt32(Alphabet.Length)];
        var code = new string(chars);
        return $"{code[..4]}-{code[4..8]}-{code[8..]}";
    }

    /// <summary>The code as stored for look-up: upper case, no separators, O→0 and I/L→1 as Crockford reads them; null when it cannot be a code.</summary>
    public static string? NormalizeCode(string? typed)
    {
        if (typed is null) return null;
        var builder = new StringBuilder(CodeLength);
        foreach (var c in typed.ToUpperInvariant())
        {
            if (c is '-' or ' ') continue;
            var read = c switch { 'O' => '0', 'I' or 'L' => '1', _ => c };
            if (!Alphabet.Contains(read) || builder.Length == CodeLength) return null;
            builder.Append(read);
        }
        return builder.Length == CodeLength ? builder.ToString() : null;
    }

    public static string NewSessionToken() => SessionScheme + Base64Url(RandomNumberGenerator.GetBytes(32));

    public static bool LooksLikeSessionToken(string token) =>
        token.Length == SessionLength && token.StartsWith(SessionScheme, StringComparison.Ordinal) && IsBase64Url(token.AsSpan(SessionScheme.Length));

    public static string NewShareToken() => Base64Url(RandomNumberGenerator.GetBytes(24));

    public static bool LooksLikeShareToken(string token) => token.Length == ShareLength && IsBase64Url(token);

    public static string TokenHash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    private static bool IsBase64Url(ReadOnlySpan<char> text) =>
        text.IndexOfAnyExcept("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") < 0;

    private static string Base64Url(byte[] bytes) => System.Buffers.Text.Base64Url.EncodeToString(bytes);
}
