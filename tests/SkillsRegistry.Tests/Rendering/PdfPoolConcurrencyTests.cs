using SkillsRegistry.Api.Features.Certificates.Rendering;
using SkillsRegistry.Api.Infrastructure.Outcomes;

namespace SkillsRegistry.Tests.Rendering;

/// <summary>The page pool renders as many certificates at once as it has pages, proven by a signal rather than by timing.</summary>
public sealed class PdfPoolConcurrencyTests
{
    [ChromiumFact]
    public async Task Four_renders_requested_together_on_a_pool_of_four_pages_are_all_on_a_page_at_the_same_time()
    {
        const int pages = 4;
        // Each page's HTML loads an image from this server, which answers nobody until four requests wait at once:
        // a pool that ran fewer renders at a time would never get there and its renders would time out.
        await using var gate = HoldingServer.Start(openAt: pages);
        await using var renderer = CertificateSamples.Renderer(pages: pages, queueLimit: 0);

        var pdfs = await Task.WhenAll(Enumerable.Range(0, pages).Select(i => renderer.RenderAsync(PageLoading(gate.Url + "?render=" + i))))
            .WaitAsync(TimeSpan.FromMinutes(2));

        Assert.Equal(pages, gate.MostWaitingAtOnce);
        Assert.Equal(pages, renderer.PagesOpened);
        Assert.All(pdfs, pdf => Assert.StartsWith("%PDF-", System.Text.Encoding.ASCII.GetString(pdf.Value, 0, 5), StringComparison.Ordinal));

        // The next burst reuses the same pages: none is opened beyond the pool's size.
        var page = await CertificateSamples.Html().RenderAsync(CertificateSamples.Document());
        await Task.WhenAll(Enumerable.Range(0, pages).Select(_ => renderer.RenderAsync(page))).WaitAsync(TimeSpan.FromMinutes(2));
        Assert.Equal(pages, renderer.PagesOpened);
        Assert.Equal(1, renderer.BrowserLaunches);
    }

    [ChromiumFact]
    public async Task A_page_that_never_finishes_loading_is_refused_as_unavailable_and_the_next_render_works()
    {
        // The image is held until two requests wait, and only one render asks for it: the page never loads.
        await using var gate = HoldingServer.Start(openAt: 2);
        await using var renderer = CertificateSamples.Renderer(pages: 1, timeout: TimeSpan.FromSeconds(2));

        var refused = (await renderer.RenderAsync(PageLoading(gate.Url))).Rejection;

        Assert.Equal(RejectionKind.Unavailable, refused?.Kind);
        Assert.Contains("failed", refused!.Detail, StringComparison.Ordinal);
        var pdf = (await renderer.RenderAsync(await CertificateSamples.Html().RenderAsync(CertificateSamples.Document()))).Value;
        Assert.StartsWith("%PDF-", System.Text.Encoding.ASCII.GetString(pdf, 0, 5), StringComparison.Ordinal);
    }

    /// <summary>A page whose load event waits for <paramref name="image"/>.</summary>
    internal static string PageLoading(string image) =>
        $"<!DOCTYPE html><html><body><p>certificate</p><img src=\"{image}\" width=\"1\" height=\"1\"></body></html>";
}
