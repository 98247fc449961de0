using System.Diagnostics;
using System.Net;
using SkillsRegistry.Tests.Support;

namespace SkillsRegistry.Tests.Foundation;

public sealed class KeysCommandTests
{
    [Theory, OnSqlite, OnPostgres]
    public async Task Keys_create_prints_a_working_admin_key_alone_on_the_last_line(TestDatabase db)
    {
        await using var app = await RegistryApp.StartAsync(db);
        var dll = Path.Combine(AppContext.BaseDirectory, "SkillsRegistry.Api.dll");
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = app.DataDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var a in new[] { dll, "keys", "create", "--role", "admin", "--name", "ops",
                     $"--Database:Provider={db}", $"--Database:DataDirectory={app.DataDirectory}",
                     $"--ConnectionStrings:Registry={app.ConnectionString ?? ""}" })
            start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var stdout = await process.StandardOutput.ReadToEndAsync();
        var stderr = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, stderr);

        var key = stdout.TrimEnd().Split('\n')[^1].Trim();
        Assert.StartsWith("srk_", key);
        Assert.DoesNotContain(key, stderr); // never logged
        var response = await app.ClientWithKey(key).GetAsync("/api/v1/api-keys");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
