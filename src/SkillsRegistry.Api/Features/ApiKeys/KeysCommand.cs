using SkillsRegistry.Api.Infrastructure.Text;
using SkillsRegistry.Api.Infrastructure.Auth;
using SkillsRegistry.Api.Features.Operations;

namespace SkillsRegistry.Api.Features.ApiKeys;

/// <summary>
/// Bootstrap verb: <c>keys create --role admin --name ops [--center ID] [--partner ID] [--expires 2027-01-01]</c>.
/// Prints the new key alone on the last line of stdout; everything else goes to stderr.
/// </summary>
public static class KeysCommand
{
    private static readonly HashSet<string> KnownOptions = ["name", "role", "center", "partner", "expires"];

    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length < 2 || args[1] != "create")
            return Usage("Unknown keys command.");
        var options = AdminHost.ParseOptions(args[2..], KnownOptions, out var passThrough);
        if (options is null) return Usage("Options come in pairs: --name value.");

        await using var app = await AdminHost.BuildAsync(passThrough, migrate: true);

        var request = new CreateApiKeyRequest(
            options.GetValueOrDefault("name"), options.GetValueOrDefault("role"),
            Guid.TryParse(options.GetValueOrDefault("center"), out var c) ? c : null,
            Guid.TryParse(options.GetValueOrDefault("partner"), out var p) ? p : null,
            DateTimeOffset.TryParse(options.GetValueOrDefault("expires"), out var e) ? e : null);
        var errors = ApiKeyEndpoints.Validate(request, DateTimeOffset.UtcNow, out var key);
        if (!errors.IsEmpty)
        {
            foreach (var (field, messages) in errors.ToDictionary()) Console.Error.WriteLine($"--{field}: {string.Join(" ", messages)}");
            return 2;
        }
        var outcome = await app.Services.GetRequiredService<ApiKeyRepository>().CreateAsync(key!, Caller.System, CancellationToken.None);
        if (outcome.Rejection is { } rejection)
        {
            foreach (var (field, messages) in rejection.Errors ?? new Dictionary<string, string[]>()) Console.Error.WriteLine($"--{OptionOf(field)}: {string.Join(" ", messages)}");
            return 2;
        }
        var created = outcome.Value;
        Console.Out.WriteLine($"Created {EnumText.ToText(created.ApiKey.Role)} key '{created.ApiKey.Name}' (id {created.ApiKey.Id}). It is shown only now:");
        Console.Out.WriteLine(created.Key);
        return 0;
    }

    private static string OptionOf(string field) => field switch { "centerId" => "center", "partnerId" => "partner", _ => field };

    private static int Usage(string problem)
    {
        Console.Error.WriteLine(problem);
        Console.Error.WriteLine("Usage: keys create --role admin|center|partner|verifier --name NAME [--center ID] [--partner ID] [--expires YYYY-MM-DD]");
        return 2;
    }
}
