using System.Collections.Concurrent;
using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using SkillsRegistry.Api.Features.Verification.Pages;
using SkillsRegistry.Api.Infrastructure.Html;

namespace SkillsRegistry.Api.Features.Verification;

/// <summary>
/// The verification page as bytes. Rendering the Razor component costs several times what serving the answer costs, yet
/// pages for a number alone differ only by the number: every valid certificate of one standard shows the same words. So a
/// page is rendered once per <em>shape</em> (the answer, its language included, with its number replaced by a placeholder and its time cut to the
/// minute the page prints) and cut at the placeholder; each request writes the pieces with its own number, in the form the
/// component writes it there (as is, or with word joiners after hyphens) and encoded as the component would encode it.
/// Answers that show a holder (the family name was typed) are rendered whole every time.
/// </summary>
public sealed class VerificationPages(IServiceProvider services, ILoggerFactory loggers, HtmlEncoder encoder)
{
    // Shaped like a number (hyphens included, so its no-break form differs from it); no page text contains it.
    internal const string Placeholder = "NUMBER-PLACEHOLDER-7Q3X9Z";
    private const int MostShapesPerMinute = 1_000;

    private volatile Shapes current = new(0);

    private sealed class Shapes(long minute)
    {
        public long Minute { get; } = minute;
        public ConcurrentDictionary<VerificationAnswer, Task<Template>> Pieces { get; } = new();
    }

    /// <summary>The page cut where the number goes; <c>NoBreak[i]</c>: the number between piece i and i + 1 is in its no-break form.</summary>
    private sealed record Template(byte[][] Pieces, bool[] NoBreak);

    public async Task<IResult> PageAsync(VerificationAnswer answer, int statusCode)
    {
        if (answer.Holder is not null || answer.Number.Contains(Placeholder, StringComparison.Ordinal))
            return new PageResult(new Template([Encoding.UTF8.GetBytes(await RenderAsync(answer))], []), "", "", statusCode);
        var minute = answer.CheckedAt.ToUnixTimeSeconds() / 60;
        var shapes = current;
        if (shapes.Minute != minute) current = shapes = new Shapes(minute);
        var shape = answer with { Number = Placeholder, CheckedAt = DateTimeOffset.FromUnixTimeSeconds(minute * 60) };
        var pieces = shapes.Pieces.Count < MostShapesPerMinute
            ? shapes.Pieces.GetOrAdd(shape, RenderPiecesAsync)
            : RenderPiecesAsync(shape);
        try
        {
            return new PageResult(await pieces, encoder.Encode(answer.Number), encoder.Encode(VerificationPage.NoBreak(answer.Number)), statusCode);
        }
        catch
        {
            shapes.Pieces.TryRemove(shape, out _); // the next request renders again
            throw;
        }
    }

    /// <summary>The page for <paramref name="answer"/>, rendered whole.</summary>
    public Task<string> RenderAsync(VerificationAnswer answer) =>
        ComponentHtml.RenderAsync<VerificationPage>(services, loggers, new Dictionary<string, object?> { [nameof(VerificationPage.Answer)] = answer });

    private async Task<Template> RenderPiecesAsync(VerificationAnswer shape)
    {
        var html = await RenderAsync(shape);
        string plain = encoder.Encode(Placeholder), noBreak = encoder.Encode(VerificationPage.NoBreak(Placeholder));
        var pieces = new List<byte[]>();
        var forms = new List<bool>();
        var start = 0;
        while (true)
        {
            var atPlain = html.IndexOf(plain, start, StringComparison.Ordinal);
            var atNoBreak = html.IndexOf(noBreak, start, StringComparison.Ordinal);
            var isNoBreak = atNoBreak >= 0 && (atPlain < 0 || atNoBreak < atPlain);
            var at = isNoBreak ? atNoBreak : atPlain;
            if (at < 0) break;
            pieces.Add(Encoding.UTF8.GetBytes(html[start..at]));
            forms.Add(isNoBreak);
            start = at + (isNoBreak ? noBreak : plain).Length;
        }
        pieces.Add(Encoding.UTF8.GetBytes(html[start..]));
        return new Template([.. pieces], [.. forms]);
    }

    /// <summary>The pieces with the number, in its form, between each two.</summary>
    private sealed class PageResult(Template template, string number, string noBreakNumber, int statusCode) : IResult
    {
        public async Task ExecuteAsync(HttpContext http)
        {
            byte[] plain = Encoding.UTF8.GetBytes(number), noBreak = Encoding.UTF8.GetBytes(noBreakNumber);
            http.Response.StatusCode = statusCode;
            http.Response.ContentType = "text/html; charset=utf-8";
            http.Response.ContentLength = template.Pieces.Sum(p => (long)p.Length) + template.NoBreak.Sum(n => (long)(n ? noBreak : plain).Length);
            if (HttpMethods.IsHead(http.Request.Method)) return;
            var body = http.Response.BodyWriter;
            for (var i = 0; i < template.Pieces.Length; i++)
            {
                if (i > 0) body.Write<byte>(template.NoBreak[i - 1] ? noBreak : plain);
                body.Write<byte>(template.Pieces[i]);
            }
            await body.FlushAsync(http.RequestAborted);
        }
    }
}
