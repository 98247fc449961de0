using System.Diagnostics;
using System.Globalization;
using OpenTelemetry.Trace;

namespace SkillsRegistry.Api.Infrastructure.Telemetry;

/// <summary>
/// Which requests are traced when traces are exported. By default a parent-based trace-id ratio: a request that arrives
/// with a W3C traceparent follows its caller's decision, any other is kept when its trace id falls in the first
/// <see cref="TelemetryOptions.TraceSampleRatio"/> of the id space (the same request is kept by every service that uses the
/// ratio). The standard OTEL_TRACES_SAMPLER (and OTEL_TRACES_SAMPLER_ARG), when set, replaces that. In every case database
/// commands and outgoing calls that start a trace of their own (the webhook dispatcher's polling, the cache loader, the
/// change listener) are dropped: they would be a stream of one-span traces.
/// </summary>
public static class TraceSampling
{
    public const string SamplerSetting = "OTEL_TRACES_SAMPLER";
    public const string SamplerArgumentSetting = "OTEL_TRACES_SAMPLER_ARG";

    public static Sampler FromConfiguration(IConfiguration configuration, double ratio)
    {
        var name = configuration[SamplerSetting]?.Trim();
        if (string.IsNullOrEmpty(name)) return new RegistrySampler(new TraceIdRatioBasedSampler(ratio), parentBased: true);
        var argument = configuration[SamplerArgumentSetting];
        return name.ToLowerInvariant() switch
        {
            "always_on" => new RegistrySampler(new AlwaysOnSampler(), parentBased: false),
            "always_off" => new RegistrySampler(new AlwaysOffSampler(), parentBased: false),
            "traceidratio" => new RegistrySampler(new TraceIdRatioBasedSampler(Ratio(argument)), parentBased: false),
            "parentbased_always_on" => new RegistrySampler(new AlwaysOnSampler(), parentBased: true),
            "parentbased_always_off" => new RegistrySampler(new AlwaysOffSampler(), parentBased: true),
            "parentbased_traceidratio" => new RegistrySampler(new TraceIdRatioBasedSampler(Ratio(argument)), parentBased: true),
            _ => throw new InvalidOperationException($"{SamplerSetting} is '{name}'; it must be one of always_on, always_off, traceidratio, " +
                "parentbased_always_on, parentbased_always_off, parentbased_traceidratio (or unset: Telemetry:TraceSampleRatio applies)."),
        };
    }

    /// <summary>OTEL_TRACES_SAMPLER_ARG for the ratio samplers: a number from 0 to 1; unset means 1, as the specification says.</summary>
    private static double Ratio(string? argument)
    {
        if (string.IsNullOrWhiteSpace(argument)) return 1;
        if (double.TryParse(argument, NumberStyles.Float, CultureInfo.InvariantCulture, out var ratio) && ratio is >= 0 and <= 1) return ratio;
        throw new InvalidOperationException($"{SamplerArgumentSetting} is '{argument}'; it must be a number from 0 to 1 (e.g. 0.01).");
    }

    private sealed class RegistrySampler : Sampler
    {
        private static readonly SamplingResult Sample = new(SamplingDecision.RecordAndSample);
        private static readonly SamplingResult Drop = new(SamplingDecision.Drop);
        private readonly Sampler roots;
        private readonly bool parentBased;

        public RegistrySampler(Sampler roots, bool parentBased)
        {
            this.roots = roots;
            this.parentBased = parentBased;
            Description = $"Registry{(parentBased ? "ParentBased" : "")}{{{roots.Description}}}";
        }

        public override SamplingResult ShouldSample(in SamplingParameters parameters)
        {
            var parent = parameters.ParentContext;
            if (parent.TraceId == default) return parameters.Kind == ActivityKind.Client ? Drop : roots.ShouldSample(parameters);
            if (parentBased) return (parent.TraceFlags & ActivityTraceFlags.Recorded) != 0 ? Sample : Drop;
            return roots.ShouldSample(parameters);
        }
    }
}
