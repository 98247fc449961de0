using System.Diagnostics;
using Microsoft.Extensions.Configuration;
using OpenTelemetry.Trace;
using SkillsRegistry.Api.Infrastructure.Telemetry;

namespace SkillsRegistry.Tests.Operations;

/// <summary>Issue 25: which requests are traced when traces are exported (the sampler, over chosen trace ids).</summary>
public sealed class TraceSamplingTests
{
    private const int Requests = 20_000;

    private static Sampler SamplerFor(double ratio, Dictionary<string, string?>? settings = null) =>
        TraceSampling.FromConfiguration(new ConfigurationBuilder().AddInMemoryCollection(settings ?? []).Build(), ratio);

    private static bool Kept(Sampler sampler, ActivityTraceId traceId, ActivityKind kind = ActivityKind.Server, ActivityContext parent = default) =>
        sampler.ShouldSample(new SamplingParameters(parent, traceId, "GET /api/v1/verify/{number}", kind)).Decision == SamplingDecision.RecordAndSample;

    /// <summary>Trace ids as W3C callers make them (random), from a fixed seed: the same ids every run.</summary>
    private static List<ActivityTraceId> TraceIds()
    {
        var random = new Random(25);
        var bytes = new byte[16];
        return [.. Enumerable.Range(0, Requests).Select(_ =>
        {
            random.NextBytes(bytes);
            return ActivityTraceId.CreateFromBytes(bytes);
        })];
    }

    private static ActivityContext Caller(bool sampled) =>
        new(ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom(), sampled ? ActivityTraceFlags.Recorded : ActivityTraceFlags.None, isRemote: true);

    [Theory]
    [InlineData(TelemetryOptions.DefaultTraceSampleRatio)]
    [InlineData(0.25)]
    public void By_default_about_the_configured_share_of_new_requests_is_traced_and_a_request_is_always_decided_alike(double ratio)
    {
        var sampler = SamplerFor(ratio);
        var ids = TraceIds();

        var kept = ids.Where(id => Kept(sampler, id)).ToList();

        Assert.InRange(kept.Count, Requests * ratio * 0.8, Requests * ratio * 1.2);
        Assert.All(kept, id => Assert.True(Kept(SamplerFor(ratio), id))); // another instance keeps the same traces
        Assert.DoesNotContain(ids, id => Kept(SamplerFor(0), id));
        Assert.All(ids, id => Assert.True(Kept(SamplerFor(1), id)));
    }

    [Fact]
    public void A_callers_decision_is_followed_and_background_database_work_never_starts_a_trace()
    {
        var id = ActivityTraceId.CreateRandom();

        Assert.True(Kept(SamplerFor(0), id, parent: Caller(sampled: true)));
        Assert.False(Kept(SamplerFor(1), id, parent: Caller(sampled: false)));
        Assert.False(Kept(SamplerFor(1), id, ActivityKind.Client));
        Assert.True(Kept(SamplerFor(1), id, ActivityKind.Internal)); // a webhook delivery is its own trace
    }

    [Fact]
    public void The_standard_OTEL_TRACES_SAMPLER_replaces_the_configured_ratio_and_a_wrong_value_stops_startup()
    {
        var ids = TraceIds();
        Dictionary<string, string?> Standard(string sampler, string? argument = null) =>
            new() { [TraceSampling.SamplerSetting] = sampler, [TraceSampling.SamplerArgumentSetting] = argument };

        Assert.All(ids.Take(100), id => Assert.True(Kept(SamplerFor(0, Standard("always_on")), id)));
        Assert.False(Kept(SamplerFor(0, Standard("always_on")), ids[0], ActivityKind.Client));
        Assert.InRange(ids.Count(id => Kept(SamplerFor(0, Standard("parentbased_traceidratio", "0.5")), id)), Requests * 0.45, Requests * 0.55);
        var off = SamplerFor(1, Standard("parentbased_always_off"));
        Assert.False(Kept(off, ids[0]));
        Assert.True(Kept(off, ids[0], parent: Caller(sampled: true)));

        var wrong = Assert.Throws<InvalidOperationException>(() => SamplerFor(0.01, Standard("sometimes")));
        Assert.Contains("sometimes", wrong.Message);
        Assert.Throws<InvalidOperationException>(() => SamplerFor(0.01, Standard("traceidratio", "2")));
    }
}
