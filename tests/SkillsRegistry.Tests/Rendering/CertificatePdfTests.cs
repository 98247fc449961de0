using System.Diagnostics;
using SkillsRegistry.Api.Features.Certificates.Rendering;
using SkillsRegistry.Api.Infrastructure.Outcomes;
using Xunit.Abstractions;

namespace SkillsRegistry.Tests.Rendering;

/// <summary>End to end: component → HTML → Chromium → PDF, read back with poppler and zbar as a person or a phone would.</summary>
public sealed class CertificatePdfTests(PdfRendererFixture fixture, ITestOutputHelper output) : IClassFixture<PdfRendererFixture>, IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("certificate-pdf-").FullName;

    [ChromiumFact]
    public async Task The_persian_name_and_title_are_real_text_in_the_pdf()
    {
        var pdf = await fixture.PdfAsync(CertificateSamples.Document());

        var text = await Tool.RunAsync("pdftotext", "-layout", await SaveAsync(pdf), "-");

        output.WriteLine(text);
        // Compared exactly, ZWNJ included: poppler writes each right-to-left run in logical order between U+202B and
        // U+202C (bidi embedding marks), which lie outside these substrings, so nothing needs normalising.
        Assert.Contains(CertificateSamples.PersianName, text, StringComparison.Ordinal);
        Assert.Contains(CertificateSamples.StandardTitleFa, text, StringComparison.Ordinal);
        Assert.Contains("۱۴۰۴/۰۱/۲۴", text, StringComparison.Ordinal);
        Assert.Contains(CertificateSamples.LatinName, text, StringComparison.Ordinal);
        Assert.Contains("1405-10-0000123-K", text, StringComparison.Ordinal);
        // Real letters, not Arabic presentation forms (which would mean shaping was faked).
        Assert.DoesNotContain(text, c => c is >= '\uFB50' and <= '\uFDFF' or >= '\uFE70' and <= '\uFEFE');
    }

    [ChromiumFact]
    public async Task The_pdf_embeds_each_installed_face_once_and_no_fallback_face()
    {
        var pdf = await fixture.PdfAsync(CertificateSamples.Document());

        var listing = await Tool.RunAsync("pdffonts", await SaveAsync(pdf));

        output.WriteLine(listing);
        // Each embedded face is a subset Chromium builds on every print: a weight between Regular and Bold or a fallback
        // face for a few characters would each add one (the page once embedded eight), which shows in the PDF rate.
        var faces = listing.Split('\n').Skip(2).Where(line => line.Length > 0).Select(line => line.Split(' ')[0].Split('+')[^1]).ToList();
        Assert.Equal(["NotoNaskhArabic-Bold", "NotoNaskhArabic-Regular", "NotoSans-Bold", "NotoSans-Regular"], faces.Order(StringComparer.Ordinal));
    }

    [ChromiumFact]
    public async Task The_certificate_is_one_a4_landscape_page()
    {
        var pdf = await fixture.PdfAsync(CertificateSamples.Document());

        var info = await Tool.RunAsync("pdfinfo", await SaveAsync(pdf));

        Assert.Matches(@"Pages:\s+1\n", info);
        Assert.Matches(@"Page size:\s+841\.\d+ x 59[45]\.\d+ pts \(A4\)", info);
    }

    [ChromiumFact]
    public async Task Very_long_names_titles_and_center_names_are_printed_whole_on_one_page()
    {
        var document = CertificateDocument.Compose(CertificateSamples.Facts() with
        {
            GivenNameFa = "سیده فاطمه\u200Cزهرا", FamilyNameFa = "میرحسینی\u200Cنژاد خراسانی\u200Cپور",
            GivenNameLatin = "Seyyedeh Fatemeh-Zahra", FamilyNameLatin = "Mirhosseini-Nezhad Khorasanipour",
            StandardTitleFa = "تعمیرکار سیستم\u200Cهای سوخت\u200Cرسانی انژکتوری و جرقه\u200Cزنی الکترونیکی خودروهای سواری",
            StandardTitleEn = "Repairer of electronic fuel-injection and ignition systems of passenger cars",
            CenterNameFa = "آموزشگاه آزاد فنی و حرفه\u200Cای مهارت\u200Cگستران نوین صنعت خودروی شهرستان شاهین\u200Cشهر و میمه",
            CenterNameEn = "Maharat-Gostaran Novin Automotive Industry Private Technical and Vocational Institute of Shahin Shahr and Meymeh",
        });

        var pdf = await fixture.PdfAsync(document);
        var path = await SaveAsync(pdf);

        Assert.Matches(@"Pages:\s+1\n", await Tool.RunAsync("pdfinfo", path));
        var text = await Tool.RunAsync("pdftotext", "-layout", path, "-");
        output.WriteLine(text);
        // The last words of each long field: nothing was cut off by the fixed page.
        Assert.Contains("Khorasanipour", text, StringComparison.Ordinal);
        Assert.Contains("passenger cars", text, StringComparison.Ordinal);
        Assert.Contains("Shahin Shahr and Meymeh", text, StringComparison.Ordinal);
        Assert.Contains("Isfahan, Iran", text, StringComparison.Ordinal);
        Assert.Contains("خراسانی\u200Cپور", text, StringComparison.Ordinal);
        Assert.Contains("خودروهای سواری", text, StringComparison.Ordinal);
        Assert.Contains("و میمه", text, StringComparison.Ordinal);
    }

    [ChromiumFact]
    public async Task The_qr_code_decodes_to_exactly_the_verification_url()
    {
        var pdf = await fixture.PdfAsync(CertificateSamples.Document());

        Assert.Equal(CertificateSamples.QrPayload, await DecodeQrAsync(pdf));
    }

    [ChromiumFact]
    public async Task A_qr_code_with_a_full_length_signed_token_still_decodes()
    {
        // A real ES256 token with Persian names in its claims runs to several hundred characters.
        var token = new string('A', 36) + "." + string.Concat(Enumerable.Repeat("eyJudW0iOiIxNDA1LTEwLTAwMDAxMjMtSyJ9", 14)) + "." + new string('s', 86);
        var payload = "http://localhost:5080/verify/1405-10-0000123-K#t=" + token;
        var document = CertificateDocument.Compose(CertificateSamples.Facts() with { QrPayload = payload });

        var pdf = await fixture.PdfAsync(document);

        output.WriteLine($"payload length {payload.Length}");
        Assert.Equal(payload, await DecodeQrAsync(pdf));
    }

    /// <summary>The longest QR URL the compact token allows (400 characters), random like a real signature.</summary>
    public static string LongestQrUrl()
    {
        var random = new Random(400);
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        var prefix = "https://verify.skills.example/verify/1405-10-123456789-K#t=";
        var token = string.Concat(Enumerable.Range(0, 400 - prefix.Length).Select(i => i is 62 or 250 ? '.' : alphabet[random.Next(64)]));
        return prefix + token;
    }

    [ChromiumFact]
    public async Task The_qr_code_decodes_from_a_100_dpi_grayscale_rendering_and_from_a_photocopy()
    {
        var payload = LongestQrUrl();
        var pdf = await fixture.PdfAsync(CertificateDocument.Compose(CertificateSamples.Facts() with { QrPayload = payload }));
        var path = await SaveAsync(pdf);

        Assert.Equal(payload, await Scans.At100DpiGrayAsync(path, _dir));
        Assert.Equal(payload, await Scans.FromPhotocopyAsync(path, _dir));
    }

    [ChromiumFact]
    public async Task A_revoked_certificate_is_stamped_across_the_page_and_a_valid_one_is_not()
    {
        var revoked = await fixture.PdfAsync(CertificateSamples.Document(PrintedStatus.Revoked));
        var valid = await fixture.PdfAsync(CertificateSamples.Document());

        // The stamp is diagonal: poppler keeps diagonal text only in -raw mode (and splits its Persian letters apart).
        Assert.Contains("REVOKED", await Tool.RunAsync("pdftotext", "-raw", await SaveAsync(revoked), "-"), StringComparison.Ordinal);
        Assert.DoesNotContain("REVOKED", await Tool.RunAsync("pdftotext", "-raw", await SaveAsync(valid), "-"), StringComparison.Ordinal);
        // What a reader sees: a large share of the page tinted by the red stamp.
        var stamped = await StampShareAsync(revoked);
        var clean = await StampShareAsync(valid);
        output.WriteLine($"stamp-red pixels: revoked {stamped:P2}, valid {clean:P2}");
        Assert.True(stamped > 0.01, $"only {stamped:P2} of the revoked page is stamp-red");
        Assert.True(clean < 0.001, $"{clean:P2} of the valid page is stamp-red");
    }

    [ChromiumFact]
    public async Task The_qr_code_of_a_superseded_certificate_still_scans_through_the_stamp()
    {
        var pdf = await fixture.PdfAsync(CertificateSamples.Document(PrintedStatus.Superseded));

        Assert.Equal(CertificateSamples.QrPayload, await DecodeQrAsync(pdf));
    }

    [ChromiumFact]
    public async Task The_service_serves_a_second_request_from_the_cache_and_renders_a_revoked_one_again()
    {
        using var cache = new RenderedPdfCache(Microsoft.Extensions.Options.Options.Create(new PdfOptions()));
        var pdfs = new CertificatePdfs(fixture.Html, fixture.Renderer, cache);
        var id = Guid.CreateVersion7();

        var first = (await pdfs.GetAsync(id, CertificateSamples.Facts())).Value;
        var again = (await pdfs.GetAsync(id, CertificateSamples.Facts())).Value;
        var revoked = (await pdfs.GetAsync(id, CertificateSamples.Facts(PrintedStatus.Revoked))).Value;

        Assert.Same(first, again);
        Assert.NotSame(first, revoked);
        Assert.Contains("REVOKED", await Tool.RunAsync("pdftotext", "-raw", await SaveAsync(revoked), "-"), StringComparison.Ordinal);
    }

    [ChromiumFact]
    public async Task Twenty_renders_in_a_row_reuse_one_browser_and_one_page()
    {
        await using var renderer = CertificateSamples.Renderer();
        await using var html = CertificateSamples.Html();
        var times = new List<double>();

        for (var i = 0; i < 20; i++)
        {
            var clock = Stopwatch.StartNew();
            var pdf = (await renderer.RenderAsync(await html.RenderAsync(CertificateSamples.Document()))).Value;
            times.Add(clock.Elapsed.TotalMilliseconds);
            Assert.StartsWith("%PDF-", System.Text.Encoding.ASCII.GetString(pdf, 0, 5), StringComparison.Ordinal);
        }

        Assert.Equal(1, renderer.BrowserLaunches);
        Assert.Equal(1, renderer.PagesOpened);
        var warm = times.Skip(1).Order().ToList();
        output.WriteLine($"first render (cold: driver + browser + page) {times[0]:0} ms; warm median {warm[warm.Count / 2]:0} ms, max {warm[^1]:0} ms");
    }

    [ChromiumFact]
    public async Task Each_render_on_a_reused_page_prints_only_its_own_certificate_whatever_the_page_showed_before()
    {
        await using var renderer = CertificateSamples.Renderer(pages: 1);
        await using var html = CertificateSamples.Html();
        var other = CertificateSamples.Facts(PrintedStatus.Revoked) with
        {
            Number = "1405-IQ-0000456-T", GivenNameLatin = "Ali", FamilyNameLatin = "Sadeghi", GivenNameFa = "علی", FamilyNameFa = "صادقی",
        };
        var third = CertificateSamples.Facts() with { Number = "1405-10-0000789-B", GivenNameLatin = "Maryam", FamilyNameLatin = "Ahmadi" };
        async Task<byte[]> Print(CertificateFacts facts) => (await renderer.RenderAsync(await html.RenderAsync(CertificateDocument.Compose(facts)))).Value;

        var first = await Print(CertificateSamples.Facts());
        var revoked = await Print(other);
        var notACertificate = (await renderer.RenderAsync(
            "<!DOCTYPE html><html><head><title>Other</title></head><body><p>Not a certificate</p></body></html>")).Value;
        var again = await Print(CertificateSamples.Facts());
        var last = await Print(third);

        async Task<string> Text(byte[] pdf) => await Tool.RunAsync("pdftotext", "-raw", await SaveAsync(pdf), "-");
        Assert.Contains(CertificateSamples.LatinName, await Text(first), StringComparison.Ordinal);
        var revokedText = await Text(revoked);
        Assert.Contains("Ali Sadeghi", revokedText, StringComparison.Ordinal);
        Assert.Contains("REVOKED", revokedText, StringComparison.Ordinal);
        Assert.DoesNotContain(CertificateSamples.LatinName, revokedText, StringComparison.Ordinal);
        Assert.Contains("1405-IQ-0000456-T", await Tool.RunAsync("pdfinfo", await SaveAsync(revoked)), StringComparison.Ordinal);
        Assert.Contains("Not a certificate", await Text(notACertificate), StringComparison.Ordinal);
        var againText = await Text(again);
        Assert.Contains(CertificateSamples.LatinName, againText, StringComparison.Ordinal);
        Assert.DoesNotContain("REVOKED", againText, StringComparison.Ordinal);
        Assert.True(await StampShareAsync(again) < 0.001, "the stamp of the revoked certificate printed before stayed on the page");
        var lastText = await Text(last);
        Assert.Contains("Maryam Ahmadi", lastText, StringComparison.Ordinal);
        Assert.Contains("1405-10-0000789-B", lastText, StringComparison.Ordinal);
        Assert.DoesNotContain(CertificateSamples.LatinName, lastText, StringComparison.Ordinal);
        // Loaded whole: the first certificate, the foreign page and the certificate after it; the other two only had
        // their title and body replaced on the page that already showed a certificate.
        Assert.Equal(1, renderer.PagesOpened);
        Assert.Equal(3, renderer.DocumentsLoaded);
    }

    [ChromiumFact]
    public async Task Renders_beyond_the_queue_limit_are_refused_at_once_instead_of_waiting()
    {
        await using var renderer = CertificateSamples.Renderer(pages: 1, queueLimit: 2);
        await using var html = CertificateSamples.Html();
        var page = await html.RenderAsync(CertificateSamples.Document());

        // Started without awaiting: the first takes the only page, two wait in the queue, the other seven are refused.
        var renders = Enumerable.Range(0, 10).Select(_ => renderer.RenderAsync(page)).ToList();
        var finished = await Task.WhenAll(renders).WaitAsync(TimeSpan.FromMinutes(2));

        Assert.Equal(3, finished.Count(o => o.Succeeded));
        var refusals = finished.Select(o => o.Rejection).OfType<Rejection>().ToList();
        Assert.Equal(7, refusals.Count);
        Assert.All(refusals, r => Assert.Equal((RejectionKind.Unavailable, PdfUnavailable.Title), (r.Kind, r.Title)));
        Assert.All(refusals, r => Assert.Contains("busy", r.Detail, StringComparison.Ordinal));
    }

    [ChromiumFact]
    public async Task A_browser_that_died_is_started_again_on_the_next_render()
    {
        await using var renderer = CertificateSamples.Renderer();
        await using var html = CertificateSamples.Html();
        var page = await html.RenderAsync(CertificateSamples.Document());
        await renderer.RenderAsync(page);

        await renderer.CurrentBrowser!.CloseAsync();
        var pdf = (await renderer.RenderAsync(page)).Value;

        Assert.NotEmpty(pdf);
        Assert.Equal(2, renderer.BrowserLaunches);
    }

    private async Task<string> DecodeQrAsync(byte[] pdf)
    {
        var prefix = Path.Combine(_dir, "page");
        await Tool.RunAsync("pdftoppm", "-png", "-r", "150", "-singlefile", await SaveAsync(pdf), prefix);
        var decoded = await Tool.RunAsync("zbarimg", "--raw", "-q", prefix + ".png");
        return decoded.TrimEnd('\n');
    }

    /// <summary>Share of pixels in the stamp's translucent red (red well above green, green close to blue: not the gold ornaments).</summary>
    private async Task<double> StampShareAsync(byte[] pdf)
    {
        var prefix = Path.Combine(_dir, Guid.NewGuid().ToString("N"));
        await Tool.RunAsync("pdftoppm", "-r", "40", "-singlefile", await SaveAsync(pdf), prefix);
        var image = Ppm.Read(await File.ReadAllBytesAsync(prefix + ".ppm"));
        var red = 0;
        for (var i = 0; i < image.Pixels.Length; i += 3)
        {
            int r = image.Pixels[i], g = image.Pixels[i + 1], b = image.Pixels[i + 2];
            if (r - g > 30 && Math.Abs(g - b) < 25) red++;
        }

        return red / (image.Pixels.Length / 3.0);
    }

    private async Task<string> SaveAsync(byte[] pdf)
    {
        var path = Path.Combine(_dir, Guid.NewGuid().ToString("N") + ".pdf");
        await File.WriteAllBytesAsync(path, pdf);
        return path;
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
