using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;
using Npgsql;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using SkillsRegistry.Api.Infrastructure.Outbox;

namespace SkillsRegistry.Api.Infrastructure.Telemetry;

/// <summary>
/// OpenTelemetry for the service: when OTEL_EXPORTER_OTLP_ENDPOINT is set, traces of sampled requests (database operations,
/// Npgsql's commands, webhook deliveries and PDF renders under them; see <see cref="TraceSampling"/>) and metrics pushed by
/// OTLP; always the registry's meters beside the framework's, /metrics for Prometheus from allowed networks only, and JSON
/// console logs when Logging:Format=json.
/// </summary>
public static class RegistryTelemetry
{
    public const string MetricsPath = "/metrics";
    public const string ServiceName = "skills-registry";
    public const string OtlpEndpointSetting = "OTEL_EXPORTER_OTLP_ENDPOINT";
    private const string RequestLinesCategory = "Microsoft.AspNetCore.Hosting.Diagnostics";

    public static WebApplicationBuilder AddRegistryTelemetry(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<TelemetryOptions>()
            .BindConfiguration(TelemetryOptions.Section)
            .Validate(o => o.TryParseNetworks(out _),
                "Telemetry:MetricsAllowedNetworks must list CIDR ranges or addresses (e.g. 10.20.0.0/16, 127.0.0.1).")
            .Validate(o => o.TraceSampleRatio is >= 0 and <= 1, "Telemetry:TraceSampleRatio must be a number from 0 (no request traced) to 1 (every request).")
            .Validate(o => o.OutboxBacklogDegradedSeconds > 0, "Telemetry:OutboxBacklogDegradedSeconds must be a positive number of seconds.")
            .ValidateOnStart();
        services.AddSingleton<OutboxBacklog>();
        services.AddSingleton<RegistryMetrics>();
        AddLogging(builder);

        if (!builder.Configuration.GetValue(TelemetryOptions.Section + ":" + nameof(TelemetryOptions.Enabled), true)) return builder;
        var otlp = !string.IsNullOrWhiteSpace(builder.Configuration[OtlpEndpointSetting]);
        var ratio = builder.Configuration.GetValue(TelemetryOptions.Section + ":" + nameof(TelemetryOptions.TraceSampleRatio),
            TelemetryOptions.DefaultTraceSampleRatio);
        // Spans are made only where something reads them: with no OTLP endpoint no tracer provider is built, and nothing
        // listens to the request's, the database's or Npgsql's activities. Logs and problems still carry the request's trace
        // id (the framework makes the request's activity for its logging scope, continuing a caller's traceparent).
        // A tracer provider added elsewhere (tests export to memory with WithTracing) takes this configuration.
        services.ConfigureOpenTelemetryTracerProvider(tracing =>
        {
            tracing.SetSampler(TraceSampling.FromConfiguration(builder.Configuration, ratio))
                .AddSource(RegistryActivities.SourceName)
                .AddAspNetCoreInstrumentation(o => o.Filter = context => IsTraced(context.Request))
                .AddHttpClientInstrumentation()
                .AddNpgsql();
            if (otlp) tracing.AddOtlpExporter();
        });
        var openTelemetry = services.AddOpenTelemetry().ConfigureResource(r => r.AddService(ServiceName));
        if (otlp) openTelemetry.WithTracing();
        var perRequestFrameworkMetrics = builder.Configuration.GetValue(
            TelemetryOptions.Section + ":" + nameof(TelemetryOptions.PerRequestFrameworkMetrics), false);
        openTelemetry.WithMetrics(metrics =>
        {
            if (!perRequestFrameworkMetrics) metrics.AddView(instrument => IsExtraPerRequestInstrument(instrument) ? MetricStreamConfiguration.Drop : null);
            metrics.AddMeter(RegistryMetrics.MeterName)
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                .AddNpgsqlInstrumentation()
                .AddPrometheusExporter();
            if (otlp) metrics.AddOtlpExporter();
        });
        return builder;
    }

    /// <summary>Measured on every request and not needed to alert on it (see <see cref="TelemetryOptions.PerRequestFrameworkMetrics"/>).</summary>
    private static bool IsExtraPerRequestInstrument(System.Diagnostics.Metrics.Instrument instrument) =>
        instrument.Meter.Name switch
        {
            "Microsoft.AspNetCore.Hosting" => instrument.Name == "http.server.active_requests",
            "Microsoft.AspNetCore.Routing" or "Microsoft.AspNetCore.RateLimiting" => true,
            _ => false,
        };

    /// <summary>
    /// Logging:Format=json writes one JSON object a line with its scopes, so every line written during a request carries
    /// the request's TraceId and SpanId (the same trace id a problem's traceId shows).
    /// </summary>
    private static void AddLogging(WebApplicationBuilder builder)
    {
        builder.Logging.Configure(o => o.ActivityTrackingOptions =
            ActivityTrackingOptions.TraceId | ActivityTrackingOptions.SpanId | ActivityTrackingOptions.ParentId);
        // The framework's "Request starting/finished" lines print the query string, and a look-up by national ID carries one
        // there: they are never written (whatever Logging:LogLevel says). Traces keep the route, with query values redacted.
        builder.Logging.AddFilter(RequestLinesCategory, LogLevel.Warning);
        var format = builder.Configuration["Logging:Format"];
        if (string.Equals(format, "json", StringComparison.OrdinalIgnoreCase))
            builder.Logging.AddJsonConsole(o =>
            {
                o.IncludeScopes = true;
                o.UseUtcTimestamp = true;
                o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
            });
        else if (!string.IsNullOrEmpty(format) && !string.Equals(format, "simple", StringComparison.OrdinalIgnoreCase))
            throw new InvalidOperationException($"Logging:Format is '{format}'; it must be json (one JSON object a line) or simple (the default).");
    }

    /// <summary>
    /// Serves /metrics in Prometheus text format to clients in Telemetry:MetricsAllowedNetworks. Anyone else is answered as
    /// for any path that does not exist (404 problem): the endpoint's existence is not revealed.
    /// </summary>
    public static WebApplication UseRegistryMetrics(this WebApplication app)
    {
        if (app.Services.GetService<MeterProvider>() is null) return app;
        var options = app.Services.GetRequiredService<IOptions<TelemetryOptions>>().Value;
        options.TryParseNetworks(out var networks);
        var backlog = app.Services.GetRequiredService<OutboxBacklog>();
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(RegistryTelemetry));
        app.UseWhen(context => context.Request.Path == MetricsPath && TelemetryOptions.Allows(networks, context.Connection.RemoteIpAddress), scrape =>
        {
            scrape.Use(async (context, next) =>
            {
                try
                {
                    await backlog.ReadAgeAsync(context.RequestAborted);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    logger.LogWarning("The outbox backlog could not be read for /metrics ({Error}); its gauge keeps the last value", e.GetType().Name);
                }
                await next(context);
            });
            scrape.UseOpenTelemetryPrometheusScrapingEndpoint();
        });
        return app;
    }

    /// <summary>Requests that may be traced: not scrapes and probes, which arrive every few seconds and say nothing about users' requests.</summary>
    internal static bool IsTraced(HttpRequest request) => request.Path != MetricsPath && !request.Path.StartsWithSegments("/health");
}
