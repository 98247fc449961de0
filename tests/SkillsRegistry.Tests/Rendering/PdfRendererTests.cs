using SkillsRegistry.Api.Features.Certificates.Rendering;
using SkillsRegistry.Api.Infrastructure.Problems;

namespace SkillsRegistry.Tests.Rendering;

public sealed class PdfRendererTests
{
    [Fact]
    public async Task Without_chromium_a_render_is_refused_with_the_install_command()
    {
        await using var renderer = CertificateSamples.Renderer(chromium: "/nonexistent/chromium");

        var refused = (await renderer.RenderAsync("<html></html>")).Rejection;

        Assert.False(renderer.IsAvailable);
        Assert.NotNull(refused);
        Assert.Equal(503, RejectionProblems.StatusOf(refused.Kind));
        Assert.Equal("PDF rendering unavailable", refused.Title);
        Assert.Equal(
            "Chromium was not found at /nonexistent/chromium. Install it: apt-get install -y chromium fonts-noto-core, or set Pdf:ChromiumPath.",
            refused.Detail);
        Assert.Equal(0, renderer.BrowserLaunches);
    }
}
