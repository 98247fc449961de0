using System.Security.Cryptography;
using SkillsRegistry.Api.Infrastructure.Data;

namespace SkillsRegistry.Api.Features.Certificates.Signing;

public sealed class SigningKeyOptions
{
    /// <summary>Key id published in the JWKS and named in every token's header.</summary>
    public string Kid { get; set; } = "";
    /// <summary>PKCS#8 PEM file of an ECDSA P-256 private key (relative paths: content root).</summary>
    public string PemPath { get; set; } = "";
    /// <summary>Exactly one configured key signs new certificates; the others only verify old ones.</summary>
    public bool Active { get; set; }
}

public sealed class SigningOptions
{
    public List<SigningKeyOptions> Keys { get; set; } = [];
}

public sealed record SigningKey(string Kid, ECDsa Key, bool Active);

/// <summary>
/// The ES256 keys: the active one signs, all of them verify and are published at /.well-known/jwks.json.
/// With no configured key, one is generated into {DataDirectory}/signing on first start and reused afterwards.
/// </summary>
public sealed class SigningKeyRing
{
    private readonly Dictionary<string, SigningKey> byKid;

    public SigningKeyRing(SigningOptions options, DatabaseOptions database, IHostEnvironment environment, ILogger<SigningKeyRing> logger)
    {
        var keys = options.Keys.Count > 0
            ? options.Keys.Select(k => Load(k.Kid, ResolvePath(k.PemPath, environment), k.Active)).ToList()
            : LoadOrGenerate(Path.Combine(database.DataDirectory, "signing"), logger);
        var active = keys.Where(k => k.Active).ToList();
        if (active.Count != 1)
            throw new InvalidOperationException($"Signing:Keys must mark exactly one key Active (found {active.Count}).");
        Active = active[0];
        byKid = keys.ToDictionary(k => k.Kid, StringComparer.Ordinal);
        All = keys;
    }

    public SigningKey Active { get; }
    public IReadOnlyList<SigningKey> All { get; }

    public SigningKey? Find(string kid) => byKid.GetValueOrDefault(kid);

    private static string ResolvePath(string path, IHostEnvironment environment) =>
        Path.IsPathRooted(path) ? path : Path.Combine(environment.ContentRootPath, path);

    private static SigningKey Load(string kid, string path, bool active)
    {
        if (string.IsNullOrWhiteSpace(kid)) throw new InvalidOperationException($"Signing key {path} needs a Kid.");
        var key = ECDsa.Create();
        key.ImportFromPem(File.ReadAllText(path));
        if (key.KeySize != 256) throw new InvalidOperationException($"Signing key {kid} is not a P-256 key.");
        return new SigningKey(kid, key, active);
    }

    private static List<SigningKey> LoadOrGenerate(string directory, ILogger logger)
    {
        Directory.CreateDirectory(directory);
        var files = Directory.GetFiles(directory, "*.pem").Order(StringComparer.Ordinal).ToList();
        if (files.Count == 0)
        {
            var kid = $"registry-{DateTime.UtcNow:yyyyMMddHHmmss}";
            var path = Path.Combine(directory, kid + ".pem");
            using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            File.WriteAllText(path, key.ExportPkcs8PrivateKeyPem());
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            logger.LogWarning("No signing key configured: generated {Kid} at {Path}. Back it up; certificates signed with it verify only while it is published.", kid, path);
            files.Add(path);
        }
        // Generated keys: the newest signs, older ones stay published for the certificates they signed.
        return files.Select((f, i) => Load(Path.GetFileNameWithoutExtension(f), f, i == files.Count - 1)).ToList();
    }
}
