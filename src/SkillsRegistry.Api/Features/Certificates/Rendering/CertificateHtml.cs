using System.Text.Encodings.Web;
using System.Text.Unicode;
using SkillsRegistry.Api.Infrastructure.Html;

namespace SkillsRegistry.Api.Features.Certificates.Rendering;

/// <summary>Renders <see cref="CertificatePage"/> to a complete HTML document (static rendering, no Blazor runtime).</summary>
public sealed class CertificateHtml(IServiceProvider services, ILoggerFactory loggerFactory) : IAsyncDisposable
{
    /// <summary>
    /// Persian kept as text: the application's default encoder writes every Persian letter as a numeric entity. This one
    /// still encodes markup characters (smaller, readable HTML).
    /// </summary>
    private static readonly HtmlEncoder Encoder = HtmlEncoder.Create(UnicodeRanges.All);

    public Task<string> RenderAsync(CertificateDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        return ComponentHtml.RenderAsync<CertificatePage>(services, loggerFactory,
            new Dictionary<string, object?> { [nameof(CertificatePage.Document)] = document }, Encoder);
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
