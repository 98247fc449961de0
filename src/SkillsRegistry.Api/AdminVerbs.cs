using SkillsRegistry.Api.Features.ApiKeys;
using SkillsRegistry.Api.Features.Operations;
using SkillsRegistry.Api.Features.Statistics;

namespace SkillsRegistry.Api;

/// <summary>
/// The admin verbs the program runs instead of the service (<c>dotnet run -- keys create …</c>). The first argument picks
/// one; configuration switches (<c>--urls</c>, <c>--Database:Provider=Postgres</c>, <c>Key=value</c>) start the service; any
/// other word is a mistyped verb and stops with the list, rather than starting a service nobody asked for.
/// </summary>
public static class AdminVerbs
{
    private sealed record Verb(string Usage, Func<string[], Task<int>> RunAsync);

    private static readonly Dictionary<string, Verb> Table = new(StringComparer.Ordinal)
    {
        ["keys"] = new("keys create --role admin|center|partner --name NAME [--center ID] [--partner ID] [--expires YYYY-MM-DD]", KeysCommand.RunAsync),
        ["stats"] = new("stats rebuild | stats check", StatsCommand.RunAsync),
        ["backup"] = new("backup --to FILE (--passphrase-file FILE | --passphrase-env VAR | --keys-separately DIR)", BackupCommand.RunAsync),
        ["restore"] = new("restore --from FILE [--passphrase-file FILE | --passphrase-env VAR] [--keys-from DIR]", RestoreCommand.RunAsync),
        ["migrate"] = new("migrate   (applies pending migrations without starting the service)", MigrateCommand.RunAsync),
        ["help"] = new("help", _ => Task.FromResult(Help(Console.Out, 0))),
    };

    /// <summary>The verb's exit code, or null when the arguments ask for the service.</summary>
    public static Task<int>? TryRun(string[] args)
    {
        if (args.Length == 0 || IsConfiguration(args[0])) return null;
        if (Table.TryGetValue(args[0], out var verb)) return verb.RunAsync(args);
        Console.Error.WriteLine($"Unknown verb '{args[0]}'.");
        return Task.FromResult(Help(Console.Error, 2));
    }

    private static bool IsConfiguration(string arg) => arg.StartsWith('-') || arg.StartsWith('/') || arg.Contains('=');

    private static int Help(TextWriter output, int exitCode)
    {
        output.WriteLine("Verbs (each also takes configuration switches such as --Database:Provider=Postgres):");
        foreach (var verb in Table.Values) output.WriteLine("  " + verb.Usage);
        output.WriteLine("Without a verb (or with only configuration switches such as --urls) the service starts.");
        return exitCode;
    }
}
