using System.Text.RegularExpressions;
using SkillsRegistry.Api.Features.Certificates.Rendering;

namespace SkillsRegistry.Tests.Rendering;

public sealed class CertificateHtmlTests
{
    [Fact]
    public async Task The_page_holds_the_persian_half_right_to_left_with_the_holder_and_an_inline_svg_qr()
    {
        await using var html = CertificateSamples.Html();

        var page = await html.RenderAsync(CertificateSamples.Document());

        Assert.StartsWith("<!DOCTYPE html>", page, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("@page { size: A4 landscape; margin: 0 }", page, StringComparison.Ordinal);
        Assert.Matches("""<section class="half fa" dir="rtl" lang="fa">""", page);
        Assert.Contains($"""<p class="holder" id="holder-fa">{CertificateSamples.PersianName}</p>""", page, StringComparison.Ordinal);
        Assert.Contains(CertificateSamples.LatinName, page, StringComparison.Ordinal);
        Assert.Contains(CertificateSamples.StandardTitleFa, page, StringComparison.Ordinal);
        Assert.Contains("۱۴۰۴/۰۱/۲۴", page, StringComparison.Ordinal);
        Assert.Contains("2025-04-13", page, StringComparison.Ordinal);
        Assert.Matches(new Regex("""<div class="qr-code"><svg [^>]*viewBox="[^"]+"[^>]*>.*?<path """, RegexOptions.Singleline), page);
        Assert.DoesNotContain("watermark\"", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_page_loads_nothing_from_anywhere_and_the_only_url_is_the_verification_address()
    {
        await using var html = CertificateSamples.Html();
        var document = CertificateSamples.Document();

        var page = await html.RenderAsync(document);

        Assert.DoesNotMatch(new Regex("""\b(src|href)\s*=|url\(|@import|<link|<script""", RegexOptions.IgnoreCase), page);
        // One "http" in the whole page (no xmlns either): the printed verification address, i.e. the QR payload
        // without its token fragment. It may wrap only after its last slash, so it is read as text without tags.
        Assert.Single(Regex.Matches(page, "http", RegexOptions.IgnoreCase));
        Assert.Contains($">{document.VerificationAddress}<", Regex.Replace(page, "</?(span|wbr)>", ""), StringComparison.Ordinal);
        Assert.StartsWith(document.VerificationAddress, CertificateSamples.QrPayload, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_revoked_certificate_shows_the_bilingual_watermark()
    {
        await using var html = CertificateSamples.Html();

        var page = await html.RenderAsync(CertificateSamples.Document(PrintedStatus.Revoked));

        Assert.Contains("""<span lang="en" dir="ltr">REVOKED</span> — <span lang="fa" dir="rtl">باطل شده</span>""", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Text_from_the_record_is_html_encoded()
    {
        await using var html = CertificateSamples.Html();
        var document = CertificateDocument.Compose(CertificateSamples.Facts() with { FamilyNameLatin = "<b>Karimi</b>" });

        var page = await html.RenderAsync(document);

        Assert.Contains("Zahra &lt;b&gt;Karimi&lt;/b&gt;", page, StringComparison.Ordinal);
        Assert.DoesNotContain("<b>Karimi", page, StringComparison.Ordinal);
    }
}
