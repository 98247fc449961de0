using SkillsRegistry.Api.Features.Certificates.Rendering;

namespace SkillsRegistry.Tests.Rendering;

/// <summary>One renderer (one Chromium) shared by the end-to-end tests of a class; started on its first render.</summary>
public sealed class PdfRendererFixture : IAsyncLifetime
{
    public PdfRenderer Renderer { get; } = CertificateSamples.Renderer();
    public CertificateHtml Html { get; } = CertificateSamples.Html();

    public async Task<byte[]> PdfAsync(CertificateDocument document) => (await Renderer.RenderAsync(await Html.RenderAsync(document))).Value;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await Renderer.DisposeAsync();
        await Html.DisposeAsync();
    }
}
