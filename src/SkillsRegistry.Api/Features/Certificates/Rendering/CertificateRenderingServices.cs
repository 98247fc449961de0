namespace SkillsRegistry.Api.Features.Certificates.Rendering;

public static class CertificateRenderingServices
{
    /// <summary>
    /// Registers the certificate PDF engine: <see cref="CertificatePdfs"/> (what endpoints use), <see cref="CertificateHtml"/>,
    /// the singleton <see cref="PdfRenderer"/> (Chromium starts on the first render) and <see cref="RenderedPdfCache"/>,
    /// with <see cref="PdfOptions"/> bound from the "Pdf" configuration section.
    /// </summary>
    public static IServiceCollection AddCertificateRendering(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<PdfOptions>()
            .Bind(configuration.GetSection(PdfOptions.Section))
            .Validate(o => o.Pages >= 1 && o.QueueLimit >= 0 && o.Timeout > TimeSpan.Zero && o.CacheBytes > 0,
                "Pdf: Pages >= 1, QueueLimit >= 0, Timeout > 0 and CacheBytes > 0 are required.")
            .ValidateOnStart();
        services.AddSingleton<CertificateHtml>();
        services.AddSingleton<PdfRenderer>();
        services.AddSingleton<RenderedPdfCache>();
        services.AddSingleton<CertificatePdfs>();
        return services;
    }
}
