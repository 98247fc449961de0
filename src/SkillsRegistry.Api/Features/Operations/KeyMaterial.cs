using Microsoft.Data.Sqlite;
using SkillsRegistry.Api.Features.Certificates.Signing;
using SkillsRegistry.Api.Infrastructure.Data;
using SkillsRegistry.Api.Infrastructure.Protection;

namespace SkillsRegistry.Api.Features.Operations;

public sealed record KeyFile(string EntryName, string Path);

/// <summary>
/// What a registry needs besides its database: the field-encryption keys and look-up hash key (national IDs, passport
/// numbers and webhook secrets are unreadable without them) and the signing keys (every printed QR token was signed with
/// one). Generated keys live in <c>{DataDirectory}/field-keys</c> and <c>{DataDirectory}/signing</c>; configured ones
/// (DataProtection:Keys / LookupKey, Signing:Keys) live wherever the configuration keeps its secrets.
/// </summary>
public static class KeyMaterial
{
    public static readonly string[] Folders = ["field-keys", "signing"];

    /// <summary>The SQLite file the service uses: ConnectionStrings:Registry's Data Source, else {DataDirectory}/registry.db.</summary>
    public static string DatabasePath(DatabaseOptions options) =>
        string.IsNullOrWhiteSpace(options.ConnectionString)
            ? Path.Combine(options.DataDirectory, "registry.db")
            : Path.GetFullPath(new SqliteConnectionStringBuilder(options.ConnectionString).DataSource);

    public static IReadOnlyList<KeyFile> GeneratedFiles(string dataDirectory) =>
        [.. Folders.Select(f => Path.Combine(dataDirectory, f)).Where(Directory.Exists)
            .SelectMany(d => Directory.GetFiles(d).Order(StringComparer.Ordinal)
                .Select(p => new KeyFile($"{Path.GetFileName(d)}/{Path.GetFileName(p)}", p)))];

    /// <summary>Keys that come from configuration: a backup cannot hold them, the operator keeps them with the configuration.</summary>
    public static IReadOnlyList<string> KeptInConfiguration(IConfiguration configuration)
    {
        var kept = new List<string>();
        var protection = configuration.GetSection("DataProtection").Get<FieldProtectionOptions>() ?? new FieldProtectionOptions();
        if (protection.Keys.Count > 0) kept.Add($"DataProtection:Keys ({string.Join(", ", protection.Keys.Select(k => k.Kid))})");
        if (!string.IsNullOrWhiteSpace(protection.LookupKey)) kept.Add("DataProtection:LookupKey");
        var signing = configuration.GetSection("Signing").Get<SigningOptions>() ?? new SigningOptions();
        kept.AddRange(signing.Keys.Select(k => $"Signing:Keys {k.Kid} ({k.PemPath})"));
        return kept;
    }

    /// <summary>One line per piece of key material to keep, for the PostgreSQL advice.</summary>
    public static IEnumerable<string> Describe(string dataDirectory, IConfiguration configuration) =>
        GeneratedFiles(dataDirectory).Select(f => f.Path).Concat(KeptInConfiguration(configuration).Select(k => k + " (from configuration)"))
            .DefaultIfEmpty($"{Path.Combine(dataDirectory, "field-keys")} and {Path.Combine(dataDirectory, "signing")} (none there yet)");

    /// <summary>Whether a name read from an archive is one this registry writes (no paths that climb out of the folder).</summary>
    public static bool IsKeyEntry(string name)
    {
        var parts = name.Split('/');
        return parts.Length == 2 && Folders.Contains(parts[0]) && parts[1].Length > 0 && parts[1] is not ("." or "..")
               && parts[1].All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');
    }

    /// <summary>Copies the key folders from <paramref name="from"/> into <paramref name="to"/>, owner-readable only.</summary>
    public static int CopyFolders(string from, string to)
    {
        var copied = 0;
        foreach (var file in GeneratedFiles(from))
        {
            var target = Path.Combine(to, file.EntryName);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file.Path, target);
            OwnerOnly(target);
            copied++;
        }
        return copied;
    }

    public static void OwnerOnly(string path)
    {
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }
}
