using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SkillsRegistry.Api.Features.Certificates.Rendering;

namespace SkillsRegistry.Tests.Rendering;

public sealed class CertificateRenderingServicesTests
{
    private static ServiceProvider Services(params (string Key, string Value)[] settings)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => KeyValuePair.Create(s.Key, (string?)s.Value)))
            .Build();
        return new ServiceCollection().AddLogging().AddCertificateRendering(configuration).BuildServiceProvider();
    }

    [Fact]
    public async Task The_pdf_section_configures_the_renderer_and_one_instance_serves_the_process()
    {
        await using var services = Services(("Pdf:ChromiumPath", "/opt/chromium/chrome"), ("Pdf:Pages", "3"), ("Pdf:Timeout", "00:00:05"));

        var options = services.GetRequiredService<IOptions<PdfOptions>>().Value;
        var pdfs = services.GetRequiredService<CertificatePdfs>();

        Assert.Equal(("/opt/chromium/chrome", 3, 16, TimeSpan.FromSeconds(5)), (options.ChromiumPath, options.Pages, options.QueueLimit, options.Timeout));
        Assert.Same(services.GetRequiredService<PdfRenderer>(), services.GetRequiredService<PdfRenderer>());
        Assert.False(pdfs.IsAvailable);
    }

    [Fact]
    public async Task A_pool_without_pages_is_a_configuration_error()
    {
        await using var services = Services(("Pdf:Pages", "0"));

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<PdfOptions>>().Value);

        Assert.Contains("Pages >= 1", error.Message, StringComparison.Ordinal);
    }
}
