using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace SkillsRegistry.Api.Features.Certificates.Rendering;

/// <summary>The PDF renderer: degraded (not down: everything else works) when Chromium is missing, since PDFs then answer 503.</summary>
public sealed class PdfRendererCheck(PdfRenderer renderer, IOptions<PdfOptions> options) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default) =>
        Task.FromResult(renderer.IsAvailable
            ? HealthCheckResult.Healthy($"Chromium found at {options.Value.ChromiumPath}; {options.Value.Pages} page(s) in the pool.")
            : HealthCheckResult.Degraded($"Chromium was not found at {options.Value.ChromiumPath}: certificate PDFs answer 503 until it is " +
                "installed (apt-get install -y chromium fonts-noto-core) or Pdf:ChromiumPath names it."));
}
