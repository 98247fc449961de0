using Microsoft.Data.Sqlite;
using SkillsRegistry.Api.Infrastructure.Data;
using SkillsRegistry.Api.Infrastructure.Hosting;

namespace SkillsRegistry.Api.Features.Operations;

/// <summary>
/// <c>backup --to FILE (--passphrase-file F | --passphrase-env VAR | --keys-separately DIR)</c>: a consistent copy of the
/// SQLite registry taken while the service runs, with the key material it needs, in one passphrase-encrypted archive.
/// The archive is written under a temporary name and renamed when whole: an interrupted backup leaves nothing behind.
/// </summary>
public static class BackupCommand
{
    private const long KiB = 1 << 10;
    private static readonly HashSet<string> KnownOptions = ["to", "passphrase-file", "passphrase-env", "keys-separately"];

    public static async Task<int> RunAsync(string[] args)
    {
        var (verb, exit) = await SqliteFileVerb.StartAsync("backup", args, KnownOptions, "to", "backup --to FILE (--passphrase-file FILE | --passphrase-env VAR | --keys-separately DIR)");
        if (verb is null) return exit;
        await using var _ = verb;
        var (app, database, options, to, interrupted) = verb;

        var passphrase = Passphrase.Read(options, out var error);
        if (error is not null) return AdminHost.Refuse(error);
        var keysApart = options.TryGetValue("keys-separately", out var dir) ? Path.GetFullPath(dir) : null;
        if (passphrase is null && keysApart is null)
            return AdminHost.Refuse("A backup holds the keys that decrypt the registry's protected columns and sign its certificates: it is " +
                          "encrypted with a passphrase. Give --passphrase-file FILE or --passphrase-env VAR (or --keys-separately DIR " +
                          "to write the keys to a folder of their own and the archive unencrypted).");
        if (passphrase is not null && keysApart is not null) return AdminHost.Refuse("Give a passphrase or --keys-separately, not both.");
        if (passphrase is { Length: < BackupCipher.MinimumPassphraseLength })
            return AdminHost.Refuse($"The passphrase is too short: at least {BackupCipher.MinimumPassphraseLength} characters.");
        var target = Path.GetFullPath(to);
        if (File.Exists(target)) return AdminHost.Refuse($"{target} already exists: choose another name (a backup never overwrites one).");
        if (keysApart is not null && Directory.Exists(keysApart) && Directory.EnumerateFileSystemEntries(keysApart).Any())
            return AdminHost.Refuse($"--keys-separately: {keysApart} is not empty.");
        var source = KeyMaterial.DatabasePath(database);
        if (!File.Exists(source)) return AdminHost.Refuse($"There is no registry database at {source}.");

        var keys = KeyMaterial.GeneratedFiles(database.DataDirectory);
        var keptInConfiguration = KeyMaterial.KeptInConfiguration(app.Configuration);
        var partial = target + ".partial";
        var snapshot = target + ".snapshot.db";
        var keysPartial = keysApart + ".partial";
        var leftovers = (string[])[partial, snapshot, snapshot + "-wal", snapshot + "-shm", snapshot + "-journal"];
        RemoveLeftovers(leftovers, keysApart is null ? null : keysPartial); // of a run that was killed outright
        try
        {
            var copying = new ProgressReporter("backup: copying the database", 0, "pages");
            await SqliteSnapshot.CopyAsync(source, snapshot, copying, interrupted);
            copying.Complete();

            var manifest = new BackupManifest(BackupManifest.Name, 1, app.Services.GetRequiredService<TimeProvider>().GetUtcNow(),
                KeysIncluded: keysApart is null, keptInConfiguration);
            var bytes = new FileInfo(snapshot).Length + keys.Sum(k => new FileInfo(k.Path).Length);
            var writing = new ProgressReporter("backup: writing the archive", (bytes + KiB - 1) / KiB, "KiB");
            await using (var file = new FileStream(partial, OwnerOnlyNewFile()))
            {
                var metered = new MeteredStream(file, b => writing.Report(b / KiB), interrupted);
                if (passphrase is null) BackupArchive.Write(metered, manifest, snapshot, []);
                else
                {
                    await using var encrypted = BackupCipher.Encrypt(metered, passphrase);
                    BackupArchive.Write(encrypted, manifest, snapshot, keys);
                    BackupCipher.Finish(encrypted);
                }
                file.Flush(flushToDisk: true);
            }
            writing.Complete();
            if (keysApart is not null)
            {
                KeyMaterial.CopyFolders(database.DataDirectory, keysPartial);
                Directory.Move(keysPartial, keysApart);
            }
            File.Move(partial, target);
            Report(target, keys, keptInConfiguration, keysApart);
            return 0;
        }
        catch (OperationCanceledException) when (interrupted.IsCancellationRequested)
        {
            Console.Error.WriteLine($"\nbackup interrupted: nothing was written to {target}; run it again.");
            return 130;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or SqliteException or InvalidOperationException)
        {
            Console.Error.WriteLine($"\nbackup failed: {e.Message} Nothing was written to {target}.");
            return 1;
        }
        finally
        {
            RemoveLeftovers(leftovers, keysApart is null ? null : keysPartial);
        }
    }

    private static void RemoveLeftovers(string[] files, string? directory)
    {
        foreach (var file in files) File.Delete(file);
        if (directory is not null && Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
    }

    private static FileStreamOptions OwnerOnlyNewFile()
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        return options;
    }

    private static void Report(string target, IReadOnlyList<KeyFile> keys, IReadOnlyList<string> keptInConfiguration, string? keysApart)
    {
        Console.Out.WriteLine($"Backup written to {target} ({new FileInfo(target).Length:N0} bytes): the database{(keysApart is null ? $" and {keys.Count} key files" : "")}.");
        if (keysApart is not null)
        {
            Console.Out.WriteLine($"WARNING: the archive is NOT encrypted and holds no keys; the {keys.Count} key files are in {keysApart}.");
            Console.Out.WriteLine("  Those keys decrypt every national ID and passport number and sign certificates: store them encrypted,");
            Console.Out.WriteLine("  apart from the archive. A restore needs both: restore --from FILE --keys-from DIR.");
        }
        foreach (var kept in keptInConfiguration)
            Console.Out.WriteLine($"Not in the archive (it comes from configuration; keep it with the configuration's secrets): {kept}");
        if (keys.Count == 0 && keptInConfiguration.Count == 0)
            Console.Out.WriteLine("WARNING: no key material was found: has the service ever started on this data directory?");
    }
}
