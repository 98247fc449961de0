using SkillsRegistry.Tests.Support;

namespace SkillsRegistry.Tests.Operations;

public sealed class AdminVerbTests
{
    [Fact]
    public async Task A_mistyped_verb_stops_with_the_list_of_verbs_instead_of_starting_the_service()
    {
        var run = await AdminVerb.RunAsync(["backpu", "--to", "x.srb"]);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("Unknown verb 'backpu'", run.Stderr);
        foreach (var verb in new[] { "keys create", "stats rebuild", "backup --to", "restore --from" }) Assert.Contains(verb, run.Stderr);
        Assert.DoesNotContain("Now listening", run.Stdout + run.Stderr);
    }

    [Fact]
    public async Task Backup_on_PostgreSQL_explains_pg_dump_and_pg_restore_and_the_keys_to_keep()
    {
        var directory = Directory.CreateTempSubdirectory("pg-advice-").FullName;
        try
        {
            var run = await AdminVerb.RunAsync(["backup", "--to", Path.Combine(directory, "x.srb"),
                .. AdminVerb.DatabaseSwitches(TestDatabase.Postgres, directory, "Host=db.internal;Port=5433;Database=skills;Username=ops")]);

            Assert.Equal(2, run.ExitCode);
            Assert.Contains("pg_dump --format=custom --host=db.internal --port=5433 --username=ops --dbname=skills", run.Stderr);
            Assert.Contains("pg_restore", run.Stderr);
            Assert.Contains("field-keys", run.Stderr);
            Assert.Contains("signing", run.Stderr);
            Assert.False(File.Exists(Path.Combine(directory, "x.srb")));
        }
        finally { Directory.Delete(directory, recursive: true); }
    }

    [Fact]
    public async Task Stats_rebuild_and_check_report_their_progress_in_plain_lines_when_redirected()
    {
        await using var app = await RegistryApp.StartAsync(TestDatabase.Sqlite);
        await app.IssueCertificateAsync(await app.CreateWorldAsync());
        var switches = AdminVerb.DatabaseSwitches(TestDatabase.Sqlite, app.DataDirectory, null);

        var rebuild = await AdminVerb.RunAsync(["stats", "rebuild", .. switches]);
        var check = await AdminVerb.RunAsync(["stats", "check", .. switches]);

        Assert.True(rebuild.ExitCode == 0, rebuild.ToString());
        Assert.Matches(@"(?m)^stats rebuild: \d+ roll-up rows recounted in \d+:\d\d$", rebuild.Stdout);
        Assert.DoesNotContain('\r', rebuild.Stdout);
        Assert.True(check.ExitCode == 0, check.ToString());
        Assert.Matches(@"(?m)^stats check: \d+ stored rows compared with a recount in \d+:\d\d$", check.Stdout);
        Assert.Contains("Statistics roll-up equals a recount", check.Stdout);
    }
}
