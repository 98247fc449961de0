using System.Diagnostics;
using Microsoft.AspNetCore.Http.Features;
using OpenTelemetry.Trace;

namespace SkillsRegistry.Api.Infrastructure.Telemetry;

/// <summary>
/// A request the sampler left out whose answer is a server error (5xx) is exported after all, so a failure quoted by its
/// problem's traceId can be found in the collector. Only the request's own span is: the spans under it were never made
/// (that is what makes an unsampled request cheap). Costs one status check per request.
/// </summary>
public static class FailedRequestTracing
{
    /// <summary>First in the pipeline, so that it sees the status the exception handler wrote.</summary>
    public static WebApplication UseFailedRequestTracing(this WebApplication app)
    {
        if (app.Services.GetService<TracerProvider>() is null) return app;
        app.Use(static (context, next) =>
        {
            var work = next(context);
            if (!work.IsCompletedSuccessfully) return KeepIfFailedAsync(work, context);
            KeepIfFailed(context);
            return Task.CompletedTask;
        });
        return app;
    }

    private static async Task KeepIfFailedAsync(Task work, HttpContext context)
    {
        await work;
        KeepIfFailed(context);
    }

    private static void KeepIfFailed(HttpContext context)
    {
        if (context.Response.StatusCode < 500 || !RegistryTelemetry.IsTraced(context.Request)) return;
        var request = context.Features.Get<IHttpActivityFeature>()?.Activity;
        if (request is null || request.Recorded) return;
        // What the framework's instrumentation adds when the span starts recorded; it adds the route and status when it ends.
        request.IsAllDataRequested = true;
        request.ActivityTraceFlags |= ActivityTraceFlags.Recorded;
        request.SetTag("http.request.method", context.Request.Method);
        request.SetTag("url.path", context.Request.Path.Value);
        request.SetTag("url.scheme", context.Request.Scheme);
        request.SetTag("registry.sampled_for_failure", true);
    }
}
