using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using SkillsRegistry.Reliability.Processes;

namespace SkillsRegistry.Bench;

/// <summary>
/// The tiniest OTLP/HTTP receiver: accepts POST /v1/traces and /v1/metrics (protobuf), answers 200 with an empty response,
/// and counts requests, bytes and the spans in each trace export, so "telemetry on" pays for serializing and sending.
/// </summary>
public sealed class OtlpSink : IAsyncDisposable
{
    private readonly WebApplication app;
    private long traceBytes, metricBytes, spans, traceExports, metricExports;

    private OtlpSink(WebApplication app) => this.app = app;

    public Uri Endpoint { get; private init; } = null!;

    public static async Task<OtlpSink> StartAsync()
    {
        var port = ServiceProcess.FreeLoopbackPort();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        var app = builder.Build();
        var sink = new OtlpSink(app) { Endpoint = new Uri($"http://127.0.0.1:{port}") };
        app.MapPost("/v1/traces", async (HttpRequest request) =>
        {
            var body = await ReadAsync(request);
            Interlocked.Add(ref sink.traceBytes, body.Length);
            Interlocked.Add(ref sink.spans, OtlpSpans.Count(body));
            Interlocked.Increment(ref sink.traceExports);
            return Results.Bytes([], "application/x-protobuf");
        });
        app.MapPost("/v1/metrics", async (HttpRequest request) =>
        {
            var body = await ReadAsync(request);
            Interlocked.Add(ref sink.metricBytes, body.Length);
            Interlocked.Increment(ref sink.metricExports);
            return Results.Bytes([], "application/x-protobuf");
        });
        await app.StartAsync();
        return sink;
    }

    /// <summary>What was received since the last call (and resets the counts).</summary>
    public Received Take() => new(Interlocked.Exchange(ref spans, 0), Interlocked.Exchange(ref traceExports, 0), Interlocked.Exchange(ref traceBytes, 0),
        Interlocked.Exchange(ref metricExports, 0), Interlocked.Exchange(ref metricBytes, 0));

    public sealed record Received(long Spans, long TraceExports, long TraceBytes, long MetricExports, long MetricBytes);

    /// <summary>Settings that point the service's OTLP exporter here (protobuf over HTTP), with the SDK's defaults otherwise.</summary>
    public void Configure(Dictionary<string, string> settings)
    {
        settings["OTEL_EXPORTER_OTLP_ENDPOINT"] = Endpoint.ToString().TrimEnd('/');
        settings["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf";
        // The SDK pushes metrics every 60 s by default: every 5 s, so that a run of a few seconds pays for it too.
        settings["OTEL_METRIC_EXPORT_INTERVAL"] = "5000";
    }

    private static async Task<byte[]> ReadAsync(HttpRequest request)
    {
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer);
        return buffer.ToArray();
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}

/// <summary>
/// Counts the spans in an OTLP ExportTraceServiceRequest without a protobuf library: resource_spans (field 1) hold
/// scope_spans (field 2), which hold spans (field 2). Only the lengths of those nested messages are read.
/// </summary>
public static class OtlpSpans
{
    public static long Count(ReadOnlySpan<byte> request) => Sum(request, 1, resource => Sum(resource, 2, scope => Sum(scope, 2, _ => 1)));

    private delegate long Inner(ReadOnlySpan<byte> message);

    private static long Sum(ReadOnlySpan<byte> message, int field, Inner inner)
    {
        long total = 0;
        var at = 0;
        while (at < message.Length)
        {
            var key = Varint(message, ref at);
            var wire = (int)(key & 7);
            switch (wire)
            {
                case 0: Varint(message, ref at); break;
                case 1: at += 8; break;
                case 5: at += 4; break;
                case 2:
                    var length = (int)Varint(message, ref at);
                    if ((int)(key >> 3) == field) total += inner(message.Slice(at, length));
                    at += length;
                    break;
                default: throw new InvalidDataException($"Unexpected protobuf wire type {wire}.");
            }
        }
        return total;
    }

    private static ulong Varint(ReadOnlySpan<byte> message, ref int at)
    {
        ulong value = 0;
        for (var shift = 0; ; shift += 7)
        {
            var b = message[at++];
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80) return value;
        }
    }
}
