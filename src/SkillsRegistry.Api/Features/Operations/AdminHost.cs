using System.Runtime.InteropServices;
using SkillsRegistry.Api.Infrastructure.Hosting;

namespace SkillsRegistry.Api.Features.Operations;

/// <summary>The service's container without its server, for an admin verb: same settings, logs to stderr.</summary>
public static class AdminHost
{
    /// <summary>Builds the registry from configuration switches; <paramref name="migrate"/> also brings the database up to date.</summary>
    public static async Task<WebApplication> BuildAsync(string[] configuration, bool migrate)
    {
        var builder = WebApplication.CreateBuilder(configuration);
        builder.Logging.ClearProviders();
        builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.AddSkillsRegistry();
        var app = builder.Build();
        if (migrate) await app.Services.GetRequiredService<DatabaseStartup>().StartAsync(CancellationToken.None);
        return app;
    }

    private static readonly List<PosixSignalRegistration> Interrupts = [];

    /// <summary>
    /// Ctrl+C (SIGINT) or SIGTERM cancels the token instead of ending the process, so the verb can remove what it half
    /// wrote before it exits.
    /// </summary>
    public static CancellationToken CancelOnInterrupt()
    {
        var cts = new CancellationTokenSource();
        foreach (var signal in (PosixSignal[])[PosixSignal.SIGINT, PosixSignal.SIGTERM])
            Interrupts.Add(PosixSignalRegistration.Create(signal, context =>
            {
                context.Cancel = true;
                cts.Cancel();
            }));
        return cts.Token;
    }

    /// <summary>Splits <c>--name value</c> options the verb knows from the rest (configuration switches).</summary>
    public static Dictionary<string, string>? ParseOptions(string[] args, IReadOnlySet<string> known, out string[] passThrough)
    {
        var options = new Dictionary<string, string>();
        var rest = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            var name = args[i].TrimStart('-');
            if (args[i].StartsWith("--") && known.Contains(name))
            {
                if (i + 1 >= args.Length) { passThrough = []; return null; }
                options[name] = args[++i];
            }
            else rest.Add(args[i]); // configuration overrides such as --Database:Provider=Postgres
        }
        passThrough = rest.ToArray();
        return options;
    }

    /// <summary>A verb that will not do what it was asked says why on stderr and exits with 2.</summary>
    public static int Refuse(string message)
    {
        Console.Error.WriteLine(message);
        return 2;
    }
}
