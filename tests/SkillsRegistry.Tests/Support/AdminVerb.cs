using System.Diagnostics;

namespace SkillsRegistry.Tests.Support;

/// <summary>What an admin verb run as its own process (<c>dotnet SkillsRegistry.Api.dll VERB …</c>) printed and returned.</summary>
public sealed record VerbRun(int ExitCode, string Stdout, string Stderr)
{
    public override string ToString() => $"exit {ExitCode}\nstdout:\n{Stdout}\nstderr:\n{Stderr}";
}

public static class AdminVerb
{
    /// <summary>Runs the program with <paramref name="args"/> (output redirected, as in a script) and waits for it to exit.</summary>
    public static async Task<VerbRun> RunAsync(IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null, string? workingDirectory = null)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory ?? AppContext.BaseDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "SkillsRegistry.Api.dll"));
        foreach (var a in args) start.ArgumentList.Add(a);
        start.Environment["DOTNET_NOLOGO"] = "1";
        foreach (var (k, v) in environment ?? new Dictionary<string, string>()) start.Environment[k] = v;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return new VerbRun(process.ExitCode, await stdout, await stderr);
    }

    /// <summary>The configuration switches that point a verb at a test app's database and data directory.</summary>
    public static string[] DatabaseSwitches(TestDatabase database, string dataDirectory, string? connectionString) =>
        [$"--Database:Provider={database}", $"--Database:DataDirectory={dataDirectory}", $"--ConnectionStrings:Registry={connectionString ?? ""}"];
}
