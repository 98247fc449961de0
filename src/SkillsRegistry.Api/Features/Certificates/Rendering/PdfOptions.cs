namespace SkillsRegistry.Api.Features.Certificates.Rendering;

/// <summary>Configuration section "Pdf".</summary>
public sealed class PdfOptions
{
    public const string Section = "Pdf";

    /// <summary>The Chromium executable Playwright drives; a browser is never downloaded.</summary>
    public string ChromiumPath { get; set; } = "/usr/bin/chromium";

    /// <summary>Reused browser pages, i.e. renders that run at the same time.</summary>
    public int Pages { get; set; } = 2;

    /// <summary>Renders allowed to wait for a page; one more is refused with <see cref="PdfUnavailable"/>.</summary>
    public int QueueLimit { get; set; } = 16;

    /// <summary>Longest wait for a page, and for each browser operation (launch, load, print).</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Total bytes of rendered PDFs kept in memory by <see cref="RenderedPdfCache"/>.</summary>
    public long CacheBytes { get; set; } = 64L * 1024 * 1024;
}
