using SkillsRegistry.Api.Infrastructure.Data;
using SkillsRegistry.Api.Infrastructure.Hosting;

namespace SkillsRegistry.Api.Features.Operations;

/// <summary>
/// <c>restore --from FILE [--passphrase-file F | --passphrase-env VAR] [--keys-from DIR]</c>: puts a backup's database and
/// key material into an EMPTY data directory, then the service starts on it. The archive is unpacked beside the data
/// directory first and moved in only when whole, so a wrong passphrase, a damaged archive or an interrupt writes nothing.
/// </summary>
public static class RestoreCommand
{
    private const long KiB = 1 << 10;
    private static readonly HashSet<string> KnownOptions = ["from", "passphrase-file", "passphrase-env", "keys-from"];

    public static async Task<int> RunAsync(string[] args)
    {
        var (verb, exit) = await SqliteFileVerb.StartAsync("restore", args, KnownOptions, "from", "restore --from FILE [--passphrase-file FILE | --passphrase-env VAR] [--keys-from DIR]");
        if (verb is null) return exit;
        await using var _ = verb;
        var (app, database, options, from, interrupted) = verb;

        var dataDirectory = Path.GetFullPath(database.DataDirectory);
        var databasePath = KeyMaterial.DatabasePath(database);
        if (Directory.Exists(dataDirectory) && Directory.EnumerateFileSystemEntries(dataDirectory).Take(3).ToList() is { Count: > 0 } present)
            return AdminHost.Refuse($"The data directory {dataDirectory} is not empty (it holds {string.Join(", ", present.Select(Path.GetFileName))}): " +
                                    "restore only into an empty one, so nothing there is overwritten. Point --Database:DataDirectory at a new folder.");
        if (File.Exists(databasePath)) return AdminHost.Refuse($"{databasePath} already exists: restore only where there is no database.");
        if (!File.Exists(from)) return AdminHost.Refuse($"--from: {from} does not exist.");
        var passphrase = Passphrase.Read(options, out var error);
        if (error is not null) return AdminHost.Refuse(error);
        var keysFrom = options.GetValueOrDefault("keys-from");

        await using var file = File.OpenRead(from);
        var start = new byte[BackupCipher.Magic.Length];
        var encrypted = file.ReadAtLeast(start, start.Length, throwOnEndOfStream: false) == start.Length && BackupCipher.IsEncrypted(start);
        file.Position = 0;
        if (encrypted && passphrase is null) return AdminHost.Refuse("The archive is encrypted: give --passphrase-file FILE or --passphrase-env VAR.");
        if (encrypted && keysFrom is not null) return AdminHost.Refuse("This archive holds its key material: --keys-from is for archives made with --keys-separately.");
        if (!encrypted && keysFrom is null)
            return AdminHost.Refuse("This archive is unencrypted and holds no keys (made with --keys-separately): give --keys-from DIR, the folder " +
                                    "the backup wrote them to. Without them the protected columns cannot be read and no certificate verifies.");

        var staging = Path.Combine(Path.GetDirectoryName(dataDirectory)!, $".{Path.GetFileName(dataDirectory)}.restoring-{Guid.NewGuid():N}");
        try
        {
            var reading = new ProgressReporter("restore", (file.Length + KiB - 1) / KiB, "KiB");
            var metered = new MeteredStream(file, b => reading.Report(b / KiB), interrupted);
            await using var archive = encrypted ? BackupCipher.Decrypt(metered, passphrase!) : metered;
            var manifest = await BackupArchive.ExtractAsync(archive, staging, interrupted);
            if (keysFrom is not null) KeyMaterial.CopyFolders(keysFrom, staging);
            if (!File.Exists(Path.Combine(staging, BackupArchive.DatabaseEntry))) throw new BackupArchiveException("The archive holds no database.");
            var keyFiles = KeyMaterial.GeneratedFiles(staging).Count;
            reading.Complete();

            Directory.CreateDirectory(dataDirectory);
            File.Move(Path.Combine(staging, BackupArchive.DatabaseEntry), databasePath);
            foreach (var folder in KeyMaterial.Folders.Where(f => Directory.Exists(Path.Combine(staging, f))))
                Directory.Move(Path.Combine(staging, folder), Path.Combine(dataDirectory, folder));

            Console.Out.WriteLine($"Restored the backup of {manifest.CreatedAt:u} into {dataDirectory}: {databasePath} and {keyFiles} key files.");
            foreach (var kept in manifest.KeysKeptInConfiguration)
                Console.Out.WriteLine($"The backed-up registry took this from configuration; give the restored one the same: {kept}");
            if (keyFiles == 0 && manifest.KeysKeptInConfiguration.Count == 0)
                Console.Out.WriteLine("WARNING: the backup holds no key material: the service would make new keys, and old certificates would not verify.");
            Console.Out.WriteLine($"Start the service on it with --Database:DataDirectory={dataDirectory} (and the same configuration as before).");
            return 0;
        }
        catch (BackupArchiveException e)
        {
            Console.Error.WriteLine($"\nrestore refused: {e.Message}");
            return 1;
        }
        catch (Exception e) when (e is InvalidDataException or FormatException or EndOfStreamException)
        {
            Console.Error.WriteLine($"\nrestore refused: {from} is not a registry backup, or it is damaged ({e.Message}).");
            return 1;
        }
        catch (OperationCanceledException) when (interrupted.IsCancellationRequested)
        {
            Console.Error.WriteLine($"\nrestore interrupted: {dataDirectory} was not touched; run it again.");
            return 130;
        }
        finally
        {
            if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true);
        }
    }
}
