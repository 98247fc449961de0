namespace SkillsRegistry.Api.Features.Certificates.Rendering;

/// <summary>What the PDF endpoint calls: a composed certificate in, PDF bytes out, served from the cache when it can.</summary>
public sealed class CertificatePdfs(CertificateHtml html, PdfRenderer renderer, RenderedPdfCache cache)
{
    /// <summary>Whether PDFs can be produced at all (Chromium installed); the endpoint may answer 503 early.</summary>
    public bool IsAvailable => renderer.IsAvailable;

    /// <exception cref="PdfUnavailableException">Chromium missing, renderer busy or failing: answer 503.</exception>
    public async Task<byte[]> GetAsync(Guid certificateId, CertificateDocument document, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(document);
        if (cache.TryGet(certificateId, document.Status, out var cached)) return cached;
        var pdf = await renderer.RenderAsync(await html.RenderAsync(document), cancellationToken);
        cache.Set(certificateId, document.Status, pdf);
        return pdf;
    }

    public void Invalidate(Guid certificateId) => cache.Invalidate(certificateId);
}
