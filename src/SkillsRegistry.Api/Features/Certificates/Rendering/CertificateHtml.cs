using System.Text.Encodings.Web;
using System.Text.Unicode;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;

namespace SkillsRegistry.Api.Features.Certificates.Rendering;

/// <summary>Renders <see cref="CertificatePage"/> to a complete HTML document (static rendering, no Blazor runtime).</summary>
public sealed class CertificateHtml(IServiceProvider services, ILoggerFactory loggerFactory) : IAsyncDisposable
{
    /// <summary>
    /// A renderer per document, over a scope of its own: the renderer resolves scoped services (e.g.
    /// ComponentsActivitySource), which the root provider refuses when scopes are validated (Development).
    /// </summary>
    public async Task<string> RenderAsync(CertificateDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        var parameters = ParameterView.FromDictionary(new Dictionary<string, object?> { [nameof(CertificatePage.Document)] = document });
        await using var scope = services.CreateAsyncScope();
        await using var renderer = new HtmlRenderer(new UnicodeHtml(scope.ServiceProvider), loggerFactory);
        return await renderer.Dispatcher.InvokeAsync(async () =>
        {
            var output = await renderer.RenderComponentAsync<CertificatePage>(parameters);
            return output.ToHtmlString();
        });
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    /// <summary>
    /// The renderer takes its <see cref="HtmlEncoder"/> from the services; the default one writes every Persian letter
    /// as a numeric entity. This one still encodes markup characters but keeps Persian as text (smaller, readable HTML),
    /// without changing the encoder the rest of the application uses.
    /// </summary>
    private sealed class UnicodeHtml(IServiceProvider inner) : IServiceProvider
    {
        private static readonly HtmlEncoder Encoder = HtmlEncoder.Create(UnicodeRanges.All);

        public object? GetService(Type serviceType) => serviceType == typeof(HtmlEncoder) ? Encoder : inner.GetService(serviceType);
    }
}
