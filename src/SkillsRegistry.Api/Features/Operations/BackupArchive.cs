using System.Formats.Tar;
using System.Text.Json;

namespace SkillsRegistry.Api.Features.Operations;

/// <summary>What an archive says about itself (its first entry).</summary>
public sealed record BackupManifest(string Format, int Version, DateTimeOffset CreatedAt, bool KeysIncluded, IReadOnlyList<string> KeysKeptInConfiguration)
{
    public const string Name = "skills-registry-backup";
}

/// <summary>
/// The archive's contents, a tar stream (encrypted by <see cref="BackupCipher"/> unless the keys were written apart):
/// <c>manifest.json</c>, <c>registry.db</c> (the snapshot), then <c>field-keys/…</c> and <c>signing/…</c> — the
/// data directory's own layout, so a restore puts each file back where the service looks for it.
/// </summary>
public static class BackupArchive
{
    public const string ManifestEntry = "manifest.json";
    public const string DatabaseEntry = "registry.db";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static void Write(Stream output, BackupManifest manifest, string snapshotPath, IReadOnlyList<KeyFile> keys)
    {
        using var tar = new TarWriter(output, TarEntryFormat.Pax, leaveOpen: true);
        using (var json = new MemoryStream(JsonSerializer.SerializeToUtf8Bytes(manifest, Json)))
            tar.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, ManifestEntry) { DataStream = json });
        tar.WriteEntry(snapshotPath, DatabaseEntry);
        foreach (var key in keys) tar.WriteEntry(key.Path, key.EntryName);
    }

    /// <summary>Extracts into <paramref name="directory"/> (made here); refuses names this registry never writes.</summary>
    public static async Task<BackupManifest> ExtractAsync(Stream input, string directory, CancellationToken ct)
    {
        await using var tar = new TarReader(input, leaveOpen: true);
        var first = await tar.GetNextEntryAsync(copyData: false, ct);
        if (first is not { Name: ManifestEntry, DataStream: { } manifestData })
            throw new BackupArchiveException("This file is not a registry backup (it has no manifest).");
        var manifest = await JsonSerializer.DeserializeAsync<BackupManifest>(manifestData, Json, ct);
        if (manifest is not { Format: BackupManifest.Name, Version: 1 })
            throw new BackupArchiveException("This file is not a registry backup of a format this version reads.");
        Directory.CreateDirectory(directory);
        while (await tar.GetNextEntryAsync(copyData: false, ct) is { } entry)
        {
            if (entry.EntryType != TarEntryType.RegularFile || !(entry.Name == DatabaseEntry || KeyMaterial.IsKeyEntry(entry.Name)))
                throw new BackupArchiveException($"The archive holds an entry a registry backup never has ('{entry.Name}'): refused.");
            var target = Path.Combine(directory, entry.Name);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            await entry.ExtractToFileAsync(target, overwrite: false, ct);
            KeyMaterial.OwnerOnly(target);
        }
        return manifest;
    }
}
