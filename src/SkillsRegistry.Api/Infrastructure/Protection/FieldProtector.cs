using System.Security.Cryptography;
using System.Text;
using SkillsRegistry.Api.Infrastructure.Data;

namespace SkillsRegistry.Api.Infrastructure.Protection;

public sealed class FieldKeyOptions
{
    /// <summary>Key id stored in front of every ciphertext it makes (letters, digits, dash, underscore, dot).</summary>
    public string Kid { get; set; } = "";
    /// <summary>The 256-bit AES key, base64.</summary>
    public string Key { get; set; } = "";
    /// <summary>Exactly one configured key encrypts; the others only decrypt what they encrypted earlier.</summary>
    public bool Active { get; set; }
}

/// <summary>The "DataProtection" settings. With no keys configured, keys are generated into {DataDirectory}/field-keys.</summary>
public sealed class FieldProtectionOptions
{
    public List<FieldKeyOptions> Keys { get; set; } = [];
    /// <summary>The HMAC-SHA256 key for look-up hashes, base64 (at least 32 bytes). Changing it requires re-hashing every row.</summary>
    public string? LookupKey { get; set; }
}

/// <summary>
/// Encryption at rest for the most sensitive columns (national IDs, passport numbers, webhook secrets): AES-256-GCM
/// under a key kept outside the database, stored as <c>{kid}:{base64(nonce | tag | ciphertext)}</c> so that several keys
/// can be read while one is active (rotation). Look-ups use a keyed hash (HMAC-SHA256) of the normalised value, so an
/// equality search never needs the clear value in the database. The column's purpose is bound into each ciphertext
/// (associated data), so a value copied into another column does not decrypt there.
/// </summary>
public sealed class FieldProtector
{
    private const int NonceSize = 12;
    private const int TagSize = 16;
    private readonly Dictionary<string, byte[]> keys;
    private readonly byte[] lookupKey;

    public FieldProtector(FieldProtectionOptions options, DatabaseOptions database, ILogger<FieldProtector> logger)
    {
        var directory = Path.Combine(database.DataDirectory, "field-keys");
        var ring = options.Keys.Count > 0
            ? options.Keys.Select(k => (k.Kid, Key: Convert.FromBase64String(k.Key), k.Active)).ToList()
            : LoadOrGenerate(directory, logger);
        foreach (var (kid, key, _) in ring)
        {
            if (string.IsNullOrWhiteSpace(kid) || kid.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.')))
                throw new InvalidOperationException($"DataProtection key id '{kid}' must be letters, digits, dash, underscore or dot.");
            if (key.Length != 32) throw new InvalidOperationException($"DataProtection key {kid} must be 32 bytes (AES-256), base64.");
        }
        var active = ring.Where(k => k.Active).ToList();
        if (active.Count != 1) throw new InvalidOperationException($"DataProtection:Keys must mark exactly one key Active (found {active.Count}).");
        ActiveKid = active[0].Kid;
        keys = ring.ToDictionary(k => k.Kid, k => k.Key, StringComparer.Ordinal);
        lookupKey = options.LookupKey is { Length: > 0 } configured ? Convert.FromBase64String(configured) : LoadOrGenerateLookupKey(directory, logger);
        if (lookupKey.Length < 32) throw new InvalidOperationException("DataProtection:LookupKey must be at least 32 bytes, base64.");
    }

    public string ActiveKid { get; }

    /// <summary>True when the stored value was encrypted under the active key (no re-encryption needed).</summary>
    public bool IsUnderActiveKey(string stored) => stored.StartsWith(ActiveKid + ":", StringComparison.Ordinal);

    public string Encrypt(string plain, string purpose)
    {
        var clear = Encoding.UTF8.GetBytes(plain);
        var output = new byte[NonceSize + TagSize + clear.Length];
        var nonce = output.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(keys[ActiveKid], TagSize);
        aes.Encrypt(nonce, clear, output.AsSpan(NonceSize + TagSize), output.AsSpan(NonceSize, TagSize), Encoding.UTF8.GetBytes(purpose));
        return ActiveKid + ":" + Convert.ToBase64String(output);
    }

    public string? EncryptOrNull(string? plain, string purpose) => plain is null ? null : Encrypt(plain, purpose);

    public string Decrypt(string stored, string purpose)
    {
        var colon = stored.IndexOf(':');
        if (colon <= 0) throw new CryptographicException("The stored value is not a protected value.");
        var kid = stored[..colon];
        if (!keys.TryGetValue(kid, out var key))
            throw new CryptographicException($"The value was encrypted with key '{kid}', which is not configured. Restore that key (rotation keeps old keys readable).");
        var data = Convert.FromBase64String(stored[(colon + 1)..]);
        if (data.Length < NonceSize + TagSize) throw new CryptographicException("The stored value is truncated.");
        var clear = new byte[data.Length - NonceSize - TagSize];
        using var aes = new AesGcm(key, TagSize);
        aes.Decrypt(data.AsSpan(0, NonceSize), data.AsSpan(NonceSize + TagSize), data.AsSpan(NonceSize, TagSize), clear, Encoding.UTF8.GetBytes(purpose));
        return Encoding.UTF8.GetString(clear);
    }

    public string? DecryptOrNull(string? stored, string purpose) => stored is null ? null : Decrypt(stored, purpose);

    /// <summary>The keyed hash used to find a value (hex). <paramref name="purpose"/> keeps equal values of different kinds apart.</summary>
    public string LookupHash(string normalized, string purpose) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(lookupKey, Encoding.UTF8.GetBytes(purpose + "\n" + normalized)));

    private static List<(string Kid, byte[] Key, bool Active)> LoadOrGenerate(string directory, ILogger logger)
    {
        Directory.CreateDirectory(directory);
        var files = Directory.GetFiles(directory, "*.key").Order(StringComparer.Ordinal).ToList();
        if (files.Count == 0)
        {
            var kid = $"data-{DateTime.UtcNow:yyyyMMddHHmmss}";
            var path = Path.Combine(directory, kid + ".key");
            WriteSecretFile(path, Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));
            logger.LogWarning("No data-protection key configured: generated {Kid} at {Path}. Back it up: without it the encrypted columns cannot be read.", kid, path);
            files.Add(path);
        }
        // Generated keys: the newest (file names sort by date) encrypts, older ones stay readable.
        return files.Select((f, i) => (Path.GetFileNameWithoutExtension(f), Convert.FromBase64String(File.ReadAllText(f).Trim()), i == files.Count - 1)).ToList();
    }

    private static byte[] LoadOrGenerateLookupKey(string directory, ILogger logger)
    {
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, "lookup.hmac");
        if (!File.Exists(path))
        {
            WriteSecretFile(path, Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));
            logger.LogWarning("Generated the look-up hash key at {Path}. Back it up with the data-protection keys.", path);
        }
        return Convert.FromBase64String(File.ReadAllText(path).Trim());
    }

    private static void WriteSecretFile(string path, string content)
    {
        File.WriteAllText(path, content);
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }
}
