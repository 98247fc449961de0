using System.Net;

namespace SkillsRegistry.Api.Infrastructure.Telemetry;

/// <summary>Bound from the "Telemetry" section.</summary>
public sealed class TelemetryOptions
{
    public const string Section = "Telemetry";

    /// <summary>Traces, metrics and /metrics; false leaves the OpenTelemetry SDK out entirely (the benchmark's "off" mode).</summary>
    public bool Enabled { get; set; } = true;

    public const double DefaultTraceSampleRatio = 0.01;

    /// <summary>
    /// Share of requests traced (when traces are exported) that arrive without a caller's traceparent: 0.01 = one in a
    /// hundred, 1 = all. A caller's sampled flag is followed; OTEL_TRACES_SAMPLER, when set, replaces this.
    /// </summary>
    public double TraceSampleRatio { get; set; } = DefaultTraceSampleRatio;

    /// <summary>
    /// The framework's per-request instruments beyond http.server.request.duration (active requests, routing match attempts,
    /// rate-limiting leases and queue). Off by default: the request duration already counts every request by route and
    /// status, and the registry counts its own 429s.
    /// </summary>
    public bool PerRequestFrameworkMetrics { get; set; }

    /// <summary>CIDR ranges (or single addresses) allowed to read /metrics; empty means loopback only.</summary>
    public List<string> MetricsAllowedNetworks { get; set; } = [];

    /// <summary>/health/ready reports the outbox as degraded when its oldest waiting event is older than this.</summary>
    public int OutboxBacklogDegradedSeconds { get; set; } = 300;

    private static readonly string[] Loopback = ["127.0.0.0/8", "::1/128"];

    public bool TryParseNetworks(out IReadOnlyList<IPNetwork> networks)
    {
        var parsed = new List<IPNetwork>();
        foreach (var text in MetricsAllowedNetworks.Count == 0 ? (IEnumerable<string>)Loopback : MetricsAllowedNetworks)
        {
            var value = text.Trim();
            if (!value.Contains('/') && IPAddress.TryParse(value, out var single))
                value = $"{single}/{(single.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128)}";
            if (!IPNetwork.TryParse(value, out var network))
            {
                networks = [];
                return false;
            }
            parsed.Add(network);
        }
        networks = parsed;
        return true;
    }

    /// <summary>Whether a client at <paramref name="address"/> may read /metrics (an unknown address may not).</summary>
    public static bool Allows(IReadOnlyList<IPNetwork> networks, IPAddress? address)
    {
        if (address is null) return false;
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        foreach (var network in networks)
        {
            if (network.Contains(address)) return true;
        }
        return false;
    }
}
