using System.Net;

namespace SkillsRegistry.Api.Features.Certificates.Rendering;

/// <summary>
/// A complete HTML document cut into what stays the same from one certificate to the next (the <see cref="Shell"/>: the head
/// with its style sheet, the html and body tags) and what changes (the title's text and the body's content), so a page that
/// already shows the same shell only needs its title and body replaced instead of a whole new document loaded.
/// </summary>
internal readonly record struct HtmlDocumentParts(string Shell, string Title, string Body)
{
    private const string TitleOpen = "<title>";
    private const string TitleClose = "</title>";
    private const string BodyClose = "</body>";
    private static readonly string[] LoadsSomething = ["<script", "<img", "<link", "<iframe", "<object", "<embed", "<video", "<audio", "url("];

    /// <summary>The parts of <paramref name="html"/>, or null when it is not one plain title and one script-free body.</summary>
    public static HtmlDocumentParts? Split(string html)
    {
        ArgumentNullException.ThrowIfNull(html);
        var titleStart = html.IndexOf(TitleOpen, StringComparison.OrdinalIgnoreCase);
        if (titleStart < 0) return null;
        titleStart += TitleOpen.Length;
        var titleEnd = html.IndexOf(TitleClose, titleStart, StringComparison.OrdinalIgnoreCase);
        if (titleEnd < 0) return null;
        var bodyTag = html.IndexOf("<body", titleEnd, StringComparison.OrdinalIgnoreCase);
        if (bodyTag < 0) return null;
        var bodyStart = html.IndexOf('>', bodyTag) + 1;
        var bodyEnd = html.LastIndexOf(BodyClose, StringComparison.OrdinalIgnoreCase);
        if (bodyStart == 0 || bodyEnd < bodyStart) return null;
        var body = html[bodyStart..bodyEnd];
        // Set through innerHTML a script would not run, and nothing would wait for an image or frame to load, unlike when
        // the document is loaded whole: such a body is always loaded whole.
        if (LoadsSomething.Any(marker => body.Contains(marker, StringComparison.OrdinalIgnoreCase))) return null;
        var shell = string.Concat(html.AsSpan(0, titleStart), html.AsSpan(titleEnd, bodyStart - titleEnd), html.AsSpan(bodyEnd));
        return new HtmlDocumentParts(shell, WebUtility.HtmlDecode(html[titleStart..titleEnd]), body);
    }
}
