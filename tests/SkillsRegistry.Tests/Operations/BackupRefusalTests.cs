using SkillsRegistry.Tests.Support;

namespace SkillsRegistry.Tests.Operations;

/// <summary>The backup and restore verbs on a registry the test made (SQLite): what they refuse, and that a refusal writes nothing.</summary>
public sealed class BackupRefusalTests : IAsyncLifetime
{
    private const string Passphrase = "correct horse battery staple";
    private readonly string directory = Directory.CreateTempSubdirectory("backup-refusals-").FullName;
    private RegistryApp app = null!;
    private string archive = null!;

    public async Task InitializeAsync()
    {
        app = await RegistryApp.StartAsync(TestDatabase.Sqlite);
        await app.IssueCertificateAsync(await app.CreateWorldAsync());
        archive = Path.Combine(directory, "registry.srb");
        var made = await BackupAsync("--to", archive, "--passphrase-env", "BACKUP_PASSPHRASE");
        Assert.True(made.ExitCode == 0, made.ToString());
    }

    public async Task DisposeAsync()
    {
        await app.DisposeAsync();
        Directory.Delete(directory, recursive: true);
    }

    [Fact]
    public async Task A_wrong_passphrase_is_named_and_restores_nothing()
    {
        var target = Path.Combine(directory, "restored");

        var run = await RestoreAsync(target, "--passphrase-env", "BACKUP_PASSPHRASE", ("BACKUP_PASSPHRASE", "not the passphrase at all"));

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("The passphrase does not open this archive", run.Stderr);
        Assert.False(Directory.Exists(target), "a refused restore made the data directory");
        Assert.Equal(["registry.srb"], Directory.GetFileSystemEntries(directory).Select(Path.GetFileName)); // no staging left behind
    }

    [Fact]
    public async Task Restoring_into_a_data_directory_that_holds_anything_is_refused_naming_it()
    {
        var target = Path.Combine(directory, "in-use");
        Directory.CreateDirectory(target);
        await File.WriteAllTextAsync(Path.Combine(target, "notes.txt"), "keep me");

        var run = await RestoreAsync(target, "--passphrase-env", "BACKUP_PASSPHRASE");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains($"The data directory {target} is not empty (it holds notes.txt)", run.Stderr);
        Assert.Equal(["notes.txt"], Directory.GetFileSystemEntries(target).Select(Path.GetFileName));
    }

    [Fact]
    public async Task A_backup_without_a_passphrase_is_refused_unless_the_keys_go_to_a_folder_of_their_own()
    {
        var refused = await BackupAsync("--to", Path.Combine(directory, "plain.srb"));
        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("--passphrase-file", refused.Stderr);
        Assert.False(File.Exists(Path.Combine(directory, "plain.srb")));

        var keys = Path.Combine(directory, "keys");
        var apart = await BackupAsync("--to", Path.Combine(directory, "plain.srb"), "--keys-separately", keys);
        Assert.True(apart.ExitCode == 0, apart.ToString());
        Assert.Contains("WARNING: the archive is NOT encrypted", apart.Stdout);
        Assert.NotEmpty(Directory.GetFiles(Path.Combine(keys, "field-keys")));
        Assert.NotEmpty(Directory.GetFiles(Path.Combine(keys, "signing")));

        var target = Path.Combine(directory, "restored-apart");
        var withoutKeys = await RestoreAsync(target, "--from", Path.Combine(directory, "plain.srb"));
        Assert.Equal(2, withoutKeys.ExitCode);
        Assert.Contains("--keys-from", withoutKeys.Stderr);
        var restored = await RestoreAsync(target, "--from", Path.Combine(directory, "plain.srb"), "--keys-from", keys);
        Assert.True(restored.ExitCode == 0, restored.ToString());
        foreach (var folder in new[] { "field-keys", "signing" })
            Assert.Equal(Directory.GetFiles(Path.Combine(app.DataDirectory, folder)).Select(File.ReadAllText).Order(),
                Directory.GetFiles(Path.Combine(target, folder)).Select(File.ReadAllText).Order());
    }

    [Fact]
    public async Task An_archive_cut_short_is_refused_as_truncated()
    {
        var cut = Path.Combine(directory, "cut.srb");
        var bytes = await File.ReadAllBytesAsync(archive);
        await File.WriteAllBytesAsync(cut, bytes[..(bytes.Length - 100)]);
        var target = Path.Combine(directory, "restored-cut");

        var run = await RestoreAsync(target, "--from", cut, "--passphrase-env", "BACKUP_PASSPHRASE");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("truncated", run.Stderr);
        Assert.False(Directory.Exists(target));
    }

    private Task<VerbRun> BackupAsync(params string[] options) =>
        AdminVerb.RunAsync(["backup", .. options, .. AdminVerb.DatabaseSwitches(TestDatabase.Sqlite, app.DataDirectory, null)],
            new Dictionary<string, string> { ["BACKUP_PASSPHRASE"] = Passphrase });

    private Task<VerbRun> RestoreAsync(string target, params object[] optionsAndEnvironment)
    {
        var options = optionsAndEnvironment.OfType<string>().ToList();
        if (!options.Contains("--from")) options.InsertRange(0, ["--from", archive]);
        var environment = new Dictionary<string, string> { ["BACKUP_PASSPHRASE"] = Passphrase };
        foreach (var (name, value) in optionsAndEnvironment.OfType<(string, string)>()) environment[name] = value;
        return AdminVerb.RunAsync(["restore", .. options, .. AdminVerb.DatabaseSwitches(TestDatabase.Sqlite, target, null)], environment);
    }
}
