using SkillsRegistry.Api.Infrastructure.Outcomes;
using SkillsRegistry.Api.Infrastructure.Telemetry;

namespace SkillsRegistry.Api.Features.Certificates.Rendering;

/// <summary>
/// What the PDF endpoint calls: a certificate's facts in, PDF bytes out, served from the cache when nothing changed. (Metrics
/// are optional, as for <see cref="PdfRenderer"/>: the benchmark and unit tests build both without the host.)
/// </summary>
public sealed class CertificatePdfs(CertificateHtml html, PdfRenderer renderer, RenderedPdfCache cache, RegistryMetrics? metrics = null)
{
    /// <summary>Whether PDFs can be produced at all (Chromium installed).</summary>
    public bool IsAvailable => renderer.IsAvailable;

    /// <summary>
    /// The PDF of <paramref name="facts"/> as read for this request: the cached one if it was printed from equal facts,
    /// else composed and rendered now (on one of the pool's pages, concurrently with other renders) and cached.
    /// Refused (<see cref="PdfUnavailable"/>, a 503) when Chromium is missing or the renderer is busy or failing.
    /// </summary>
    public async Task<Outcome<byte[]>> GetAsync(Guid certificateId, CertificateFacts facts, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(facts);
        if (!IsAvailable)
            return PdfUnavailable.Because("Chromium was not found. Install it (apt-get install -y chromium fonts-noto-core) or set Pdf:ChromiumPath.");
        if (cache.TryGet(certificateId, facts, out var cached))
        {
            metrics?.PdfServed(RegistryMetrics.PdfResult.Cached);
            return cached;
        }
        var pdf = await renderer.RenderAsync(await html.RenderAsync(CertificateDocument.Compose(facts)), cancellationToken); // counts the rest
        if (pdf.Succeeded) cache.Set(certificateId, facts, pdf.Value);
        return pdf;
    }

    public void Invalidate(Guid certificateId) => cache.Invalidate(certificateId);
}
