using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;
using OpenTelemetry.Trace;
using SkillsRegistry.Tests.Support;

namespace SkillsRegistry.Tests.Operations;

/// <summary>Issue 25: logs and traces go to operators and their tools, so they carry no one's national ID, name or birth date.</summary>
[Collection(TelemetryCollection.Name)]
public sealed class PersonalDataInLogsTests
{
    [Theory, OnSqlite, OnPostgres]
    public async Task A_workload_logged_at_debug_and_traced_names_no_trainee(TestDatabase db)
    {
        var logs = new CapturedLogs();
        var spans = new List<Activity>();
        var settings = OperationsWorkload.Settings();
        settings["Logging:LogLevel:Default"] = "Debug";
        settings["Logging:LogLevel:Microsoft"] = "Debug";
        settings["Logging:LogLevel:Microsoft.AspNetCore"] = "Debug";
        settings["Logging:LogLevel:Npgsql"] = "Debug";
        settings["Logging:Console:LogLevel:Default"] = "None"; // captured below; the test output stays readable
        await using var app = await RegistryApp.StartAsync(db, settings, testServices: s =>
        {
            ClientAddressFilter.UnnamedFrom(s, IPAddress.Loopback);
            s.AddSingleton<ILoggerProvider>(logs);
            s.ExportSpansTo(spans);
        });

        await OperationsWorkload.RunAsync(app);

        var records = logs.Records;
        Assert.True(records.Count > 100, $"only {records.Count} log records: is Debug logging on?");
        Assert.Contains(records, r => r.Level == LogLevel.Debug);
        Activity[] traced;
        lock (spans) traced = [.. spans];
        Assert.NotEmpty(traced);
        var tagTexts = traced.SelectMany(a => a.TagObjects.Select(t => $"{a.DisplayName} {t.Key}={t.Value}")).ToList();
        foreach (var personal in OperationsWorkload.People.SelectMany(p => p.Personal))
        {
            var leaked = records.FirstOrDefault(r => r.AllText.Contains(personal, StringComparison.OrdinalIgnoreCase));
            Assert.True(leaked is null, $"'{personal}' is in a log line of {leaked?.Category}: {leaked?.Message}");
            var traceLeak = tagTexts.FirstOrDefault(t => t.Contains(personal, StringComparison.OrdinalIgnoreCase));
            Assert.True(traceLeak is null, $"'{personal}' is in a span tag: {traceLeak}");
        }
        // Lines written while serving a request carry its trace and span ids (what the JSON console format prints as scopes).
        Assert.Contains(records, r => r.Category.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal)
            && r.Scopes.Any(s => s.StartsWith("TraceId=", StringComparison.Ordinal)) && r.Scopes.Any(s => s.StartsWith("SpanId=", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Logging_format_json_selects_the_json_console_formatter_with_scopes()
    {
        await using var app = await RegistryApp.StartAsync(TestDatabase.Sqlite, new Dictionary<string, string?> { ["Logging:Format"] = "json" });
        Assert.Equal(ConsoleFormatterNames.Json, app.Service<IOptionsMonitor<ConsoleLoggerOptions>>().CurrentValue.FormatterName);
        Assert.True(app.Service<IOptionsMonitor<JsonConsoleFormatterOptions>>().CurrentValue.IncludeScopes);
    }

    [Fact]
    public async Task An_unknown_logging_format_stops_startup_naming_the_setting()
    {
        var refused = await Assert.ThrowsAnyAsync<Exception>(() =>
            RegistryApp.StartAsync(TestDatabase.Sqlite, new Dictionary<string, string?> { ["Logging:Format"] = "xml" }));
        Assert.Contains("Logging:Format", refused.ToString());
    }
}
