using System.Diagnostics;

namespace SkillsRegistry.Tests.Rendering;

/// <summary>
/// A fact that needs Chromium and the poppler/zbar command-line tools; skipped with the install command when they are
/// missing (CI installs them, so there these tests always run).
/// </summary>
public sealed class ChromiumFactAttribute : FactAttribute
{
    public const string Chromium = "/usr/bin/chromium";
    private static readonly string[] Tools = ["pdftotext", "pdftoppm", "pdfinfo", "zbarimg"];

    public ChromiumFactAttribute() => Skip = SkipReason();

    internal static string? SkipReason()
    {
        var missing = (File.Exists(Chromium) ? [] : new[] { Chromium }).Concat(Tools.Where(t => Tool.Find(t) is null)).ToList();
        return missing.Count > 0
            ? $"PDF end-to-end tests need {string.Join(", ", missing)}: apt-get install -y chromium fonts-noto-core poppler-utils zbar-tools"
            : null;
    }
}

/// <summary>A theory (e.g. over both databases) that needs Chromium and the poppler/zbar tools, skipped like <see cref="ChromiumFactAttribute"/>.</summary>
public sealed class ChromiumTheoryAttribute : TheoryAttribute
{
    public ChromiumTheoryAttribute() => Skip = ChromiumFactAttribute.SkipReason();
}

internal static class Tool
{
    public static string? Find(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, name)).FirstOrDefault(File.Exists);

    /// <summary>Runs a tool and returns its standard output; fails the test on a non-zero exit code.</summary>
    public static async Task<string> RunAsync(string name, params string[] arguments)
    {
        var start = new ProcessStartInfo(name) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        Assert.True(process.ExitCode == 0, $"{name} {string.Join(' ', arguments)} exited with {process.ExitCode}: {await error}");
        return await output;
    }
}
