using System.Net;
using SkillsRegistry.Tests.Support;

namespace SkillsRegistry.Tests.Foundation;

public sealed class KeysCommandTests
{
    [Theory, OnSqlite, OnPostgres]
    public async Task Keys_create_prints_a_working_admin_key_alone_on_the_last_line(TestDatabase db)
    {
        await using var app = await RegistryApp.StartAsync(db);
        var (exitCode, stdout, stderr) = await RunKeysCreateAsync(app, db, "--role", "admin", "--name", "ops");
        Assert.True(exitCode == 0, stderr);

        var key = stdout.TrimEnd().Split('\n')[^1].Trim();
        Assert.StartsWith("srk_", key);
        Assert.DoesNotContain(key, stderr); // never logged
        var response = await app.ClientWithKey(key).GetAsync("/api/v1/api-keys");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Keys_create_for_an_unknown_center_names_the_option_and_creates_no_key(TestDatabase db)
    {
        await using var app = await RegistryApp.StartAsync(db);
        var unknown = Guid.CreateVersion7();
        var (exitCode, stdout, stderr) = await RunKeysCreateAsync(app, db, "--role", "center", "--name", "desk", "--center", unknown.ToString());

        Assert.Equal(2, exitCode);
        Assert.Contains($"--center: No training center has id {unknown}.", stderr);
        Assert.DoesNotContain("srk_", stdout);
        var keys = await (await (await app.AdminClientAsync()).GetAsync("/api/v1/api-keys?pageSize=100")).ReadJsonAsync();
        Assert.DoesNotContain(keys.GetProperty("items").EnumerateArray(), k => k.GetProperty("name").GetString() == "desk");
    }

    private static async Task<(int ExitCode, string Stdout, string Stderr)> RunKeysCreateAsync(RegistryApp app, TestDatabase db, params string[] options)
    {
        var run = await AdminVerb.RunAsync(["keys", "create", .. options, .. AdminVerb.DatabaseSwitches(db, app.DataDirectory, app.ConnectionString)],
            workingDirectory: app.DataDirectory);
        return (run.ExitCode, run.Stdout, run.Stderr);
    }
}
