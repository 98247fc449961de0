using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;

namespace SkillsRegistry.Api.Infrastructure.Html;

/// <summary>A Razor component rendered to an HTML string (static rendering, no Blazor runtime): the one way pages and documents are rendered.</summary>
public static class ComponentHtml
{
    /// <summary>
    /// A renderer per call, over a scope of its own: the renderer resolves scoped services (e.g. ComponentsActivitySource),
    /// which the root provider refuses when scopes are validated (Development). <paramref name="encoder"/>, when given,
    /// replaces the application's <see cref="HtmlEncoder"/> for this render only.
    /// </summary>
    public static async Task<string> RenderAsync<TComponent>(IServiceProvider services, ILoggerFactory loggers,
        IDictionary<string, object?> parameters, HtmlEncoder? encoder = null) where TComponent : IComponent
    {
        await using var scope = services.CreateAsyncScope();
        var provider = encoder is null ? scope.ServiceProvider : new WithEncoder(scope.ServiceProvider, encoder);
        await using var renderer = new HtmlRenderer(provider, loggers);
        return await renderer.Dispatcher.InvokeAsync(async () =>
            (await renderer.RenderComponentAsync<TComponent>(ParameterView.FromDictionary(parameters))).ToHtmlString());
    }

    private sealed class WithEncoder(IServiceProvider inner, HtmlEncoder encoder) : IServiceProvider
    {
        public object? GetService(Type serviceType) => serviceType == typeof(HtmlEncoder) ? encoder : inner.GetService(serviceType);
    }
}
