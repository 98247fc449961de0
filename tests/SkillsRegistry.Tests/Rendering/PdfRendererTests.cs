using SkillsRegistry.Api.Features.Certificates.Rendering;

namespace SkillsRegistry.Tests.Rendering;

public sealed class PdfRendererTests
{
    [Fact]
    public async Task Without_chromium_a_render_is_refused_with_the_install_command()
    {
        await using var renderer = CertificateSamples.Renderer(chromium: "/nonexistent/chromium");

        var error = await Assert.ThrowsAsync<PdfUnavailableException>(() => renderer.RenderAsync("<html></html>"));

        Assert.False(renderer.IsAvailable);
        Assert.Equal(
            "Chromium was not found at /nonexistent/chromium. Install it: apt-get install -y chromium fonts-noto-core, or set Pdf:ChromiumPath.",
            error.Message);
        Assert.Equal(0, renderer.BrowserLaunches);
    }
}
