namespace SkillsRegistry.Api.Features.Operations;

/// <summary>The archive passphrase, from a file (its first line) or an environment variable: never from the command line, which other users can read.</summary>
public static class Passphrase
{
    /// <summary>Null without either option; <paramref name="error"/> says what is wrong with a given one.</summary>
    public static string? Read(IReadOnlyDictionary<string, string> options, out string? error)
    {
        error = null;
        string? value;
        if (options.TryGetValue("passphrase-file", out var file))
        {
            if (options.ContainsKey("passphrase-env")) { error = "Give --passphrase-file or --passphrase-env, not both."; return null; }
            if (!File.Exists(file)) { error = $"--passphrase-file: {file} does not exist."; return null; }
            value = File.ReadLines(file).FirstOrDefault() ?? "";
        }
        else if (options.TryGetValue("passphrase-env", out var variable))
        {
            value = Environment.GetEnvironmentVariable(variable);
            if (value is null) { error = $"--passphrase-env: the environment variable {variable} is not set."; return null; }
        }
        else return null;
        if (value.Length == 0) error = "The passphrase is empty.";
        return value;
    }
}
