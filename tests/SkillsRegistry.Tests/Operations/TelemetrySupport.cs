using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Trace;

namespace SkillsRegistry.Tests.Operations;

/// <summary>Registry meters and the framework's are process-wide by name: these tests run alone, so no other app's measurements mix in.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TelemetryCollection
{
    public const string Name = "Telemetry (one app at a time)";
}

public static class TestTracing
{
    /// <summary>
    /// A tracer provider as OTLP export builds one (the registry's sources, instrumentation and sampler), exporting to
    /// <paramref name="exported"/>; with <paramref name="everyRequest"/> its sampler is replaced by always-on.
    /// </summary>
    public static void ExportSpansTo(this IServiceCollection services, List<Activity> exported, bool everyRequest = true) =>
        services.AddOpenTelemetry().WithTracing(t =>
        {
            if (everyRequest) t.SetSampler(new AlwaysOnSampler());
            t.AddInMemoryExporter(exported);
        });
}

/// <summary>One sample of a Prometheus text exposition: metric name, labels, value.</summary>
public sealed record PrometheusSample(string Name, IReadOnlyDictionary<string, string> Labels, double Value)
{
    private static readonly Regex Line = new(@"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>[^}]*)\})?\s+(?<value>\S+)", RegexOptions.Compiled);
    private static readonly Regex Label = new(@"(?<key>[a-zA-Z_][a-zA-Z0-9_]*)=""(?<value>(?:[^""\\]|\\.)*)""", RegexOptions.Compiled);

    public static IReadOnlyList<PrometheusSample> Parse(string text) =>
        text.Split('\n').Where(l => l.Length > 0 && l[0] != '#').Select(l => Line.Match(l)).Where(m => m.Success)
            .Select(m => new PrometheusSample(m.Groups["name"].Value,
                Label.Matches(m.Groups["labels"].Value).ToDictionary(l => l.Groups["key"].Value, l => l.Groups["value"].Value),
                double.Parse(m.Groups["value"].Value, CultureInfo.InvariantCulture)))
            .ToList();
}

public static class PrometheusSamples
{
    /// <summary>The value of the one sample named so whose labels include <paramref name="label"/> (0 when there is none).</summary>
    public static double Value(this IReadOnlyList<PrometheusSample> samples, string name, (string Key, string Value)? label = null) =>
        samples.Where(s => s.Name == name && (label is not { } l || s.Labels.GetValueOrDefault(l.Key) == l.Value)).Sum(s => s.Value);

    public static bool Has(this IReadOnlyList<PrometheusSample> samples, string name) => samples.Any(s => s.Name == name);
}

/// <summary>Every log record written through the host's logging, at every level, with its scopes and exception, as text.</summary>
public sealed class CapturedLogs : ILoggerProvider, ISupportExternalScope
{
    private readonly ConcurrentQueue<CapturedLog> records = new();
    private IExternalScopeProvider scopes = new LoggerExternalScopeProvider();

    public IReadOnlyList<CapturedLog> Records => records.ToList();

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => scopes = scopeProvider;

    public void Dispose() { }

    private sealed class Logger(CapturedLogs owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => owner.scopes.Push(state);

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var scopeTexts = new List<string>();
            owner.scopes.ForEachScope((scope, list) =>
            {
                list.Add(scope?.ToString() ?? "");
                if (scope is IEnumerable<KeyValuePair<string, object?>> pairs) list.AddRange(pairs.Select(p => $"{p.Key}={p.Value}"));
            }, scopeTexts);
            var values = state is IEnumerable<KeyValuePair<string, object?>> kv ? kv.Select(p => $"{p.Key}={p.Value}").ToList() : [];
            owner.records.Enqueue(new CapturedLog(category, logLevel, formatter(state, exception), exception?.ToString(), values, scopeTexts));
        }
    }
}

public sealed record CapturedLog(string Category, LogLevel Level, string Message, string? Exception, IReadOnlyList<string> Values, IReadOnlyList<string> Scopes)
{
    public string AllText => string.Join('\n', new[] { Category, Message, Exception ?? "" }.Concat(Values).Concat(Scopes));
}
