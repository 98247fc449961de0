using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Playwright;
using SkillsRegistry.Api.Features.Certificates.Signing;
using SkillsRegistry.Tests.Rendering;
using SkillsRegistry.Tests.Support;
using Xunit.Abstractions;

namespace SkillsRegistry.Tests.Verification;

/// <summary>
/// What an employer does: the PDF a center downloads is read as text, its QR code is scanned from a coarse rendering and from a
/// photocopy, and the scanned link is opened on a 360×640 phone that checks the signature itself. Screenshots go to
/// SKILLSREGISTRY_SCREENSHOTS when it names a directory.
/// </summary>
public sealed class QrEndToEndTests(ITestOutputHelper output) : IDisposable
{
    private const int PhoneWidth = 360, PhoneHeight = 640;
    private const string PendingVerdict = "#verdict:not([data-verdict=unchecked]):not([data-verdict=busy])";
    private static readonly string[] BrowserArgs = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"];

    private readonly string directory = Directory.CreateTempSubdirectory("qr-e2e-").FullName;
    private readonly string shots = Environment.GetEnvironmentVariable("SKILLSREGISTRY_SCREENSHOTS") is { Length: > 0 } d ? d : Path.GetTempPath();

    [ChromiumFact]
    public async Task A_genuine_qr_shows_green_and_every_forged_qr_puts_a_red_warning_first_on_a_phone()
    {
        await using var app = await RegistryApp.StartOnLoopbackAsync(TestDatabase.Sqlite);
        var world = await app.CreateWorldAsync();
        var genuine = await app.IssueCertificateAsync(world);
        var other = await app.IssueCertificateAsync(world);
        var baseUrl = app.Service<RegistryIdentity>().PublicBaseUrl;

        var response = await app.ClientWithKey(world.CenterKey).GetAsync($"/api/v1/certificates/{genuine.CertificateId}/pdf");
        Assert.Equal("application/pdf", response.Content.Headers.ContentType?.MediaType);
        Assert.True(response.Headers.CacheControl?.NoStore, "the PDF must not be kept by caches");
        var pdfPath = Path.Combine(directory, "certificate.pdf");
        await File.WriteAllBytesAsync(pdfPath, await response.Content.ReadAsByteArrayAsync());
        var text = await Tool.RunAsync("pdftotext", "-layout", pdfPath, "-");
        Assert.Contains("زهرا کریمی", text, StringComparison.Ordinal);
        Assert.Contains(genuine.Number, text, StringComparison.Ordinal);

        var scanned = await Scans.At100DpiGrayAsync(pdfPath, directory);
        output.WriteLine($"{scanned.Length} characters: {scanned}");
        Assert.StartsWith($"{baseUrl}/verify/{genuine.Number}#t=", scanned);
        Assert.True(scanned.Length <= 400, $"the QR URL has {scanned.Length} characters");
        Assert.Equal(scanned, await Scans.FromPhotocopyAsync(pdfPath, directory));

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = ChromiumFactAttribute.Chromium, Args = BrowserArgs });
        // A phone set to Persian gets the Persian page with English under each text.
        var phone = await browser.NewPageAsync(new() { ViewportSize = new() { Width = PhoneWidth, Height = PhoneHeight }, Locale = "fa-IR" });

        var green = await OpenAsync(phone, scanned, "genuine");
        Assert.Equal("rgb(11, 122, 62)", green.Background);
        Assert.Contains("Genuine", green.VerdictText);
        await phone.WaitForSelectorAsync("#row-center:not([hidden])"); // the registry's details for a verified token
        Assert.Equal("Zahra Karimi", await phone.InnerTextAsync("#holder-latin"));
        Assert.False(await phone.IsVisibleAsync("#holder-note"));
        await ShotAsync(phone, "genuine");

        var token = scanned[(scanned.IndexOf("#t=", StringComparison.Ordinal) + 3)..];
        var otherToken = await TokenOfAsync(app, other.CertificateId);
        var forgeries = new (string Name, string Token, string Verdict)[]
        {
            ("flipped-payload", Flip(token, 1), "qr-not-genuine"),
            ("flipped-signature", Flip(token, 2), "qr-not-genuine"),
            ("foreign-key-same-kid", ForeignKeySameKid(token, embedJwk: false), "qr-not-genuine"),
            ("embedded-jwk", ForeignKeySameKid(token, embedJwk: true), "qr-not-genuine"),
            ("alg-none", AlgNone(token), "qr-not-genuine"),
            ("another-certificate", otherToken, "qr-of-another-certificate"),
        };
        foreach (var (name, forged, verdict) in forgeries)
        {
            var red = await OpenAsync(phone, $"{baseUrl}/verify/{genuine.Number}#t={forged}", verdict);
            Assert.True(red.FirstInMain, $"{name}: the warning is not the first thing on the page");
            Assert.True(red.Bottom <= PhoneHeight, $"{name}: the warning ends at y = {red.Bottom}, below the first screen");
            Assert.Equal("rgb(179, 38, 30)", red.Background);
            Assert.Contains("Warning", red.VerdictText);
            Assert.Contains("هشدار", red.VerdictText);
            Assert.DoesNotContain("genuine and valid", red.PageText, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("Zahra", red.PageText, StringComparison.Ordinal);
            Assert.NotEqual("rgb(11, 122, 62)", await phone.EvalOnSelectorAsync<string>("#registry-answer", "e => getComputedStyle(e).borderInlineStartColor"));
            if (verdict == "qr-of-another-certificate")
            {
                Assert.Contains("issued by the registry for another certificate", red.VerdictText);
                Assert.Contains(other.Number, red.VerdictText);
                await ShotAsync(phone, "forged-another-certificate");
            }
            else
            {
                Assert.Contains("was not issued by the registry", red.VerdictText);
                if (name == "flipped-signature") await ShotAsync(phone, "forged-signature");
            }
        }

        var admin = await app.AdminClientAsync();
        var revoked = await app.IssueCertificateAsync(world);
        await (await admin.PostAsJsonAsync($"/api/v1/certificates/{revoked.CertificateId}/revoke", new { reasonCode = "fraud", reason = "x" })).ReadJsonAsync();
        var revokedPage = await OpenAsync(phone, $"{baseUrl}/verify/{revoked.Number}#t={await TokenOfAsync(app, revoked.CertificateId)}", "genuine-but-revoked");
        Assert.Equal("rgb(179, 38, 30)", revokedPage.Background);
        await phone.WaitForSelectorAsync("#row-revocation:not([hidden])");
        Assert.Contains("Fraud", await phone.InnerTextAsync("#row-revocation"));
        await ShotAsync(phone, "revoked");

        var corrected = await app.IssueCertificateAsync(world);
        await (await admin.PostAsJsonAsync($"/api/v1/certificates/{corrected.CertificateId}/corrections", new { reason = "typo", theoryScore = 91 }))
            .ReadJsonAsync(HttpStatusCode.Created);
        var superseded = await OpenAsync(phone, $"{baseUrl}/verify/{corrected.Number}#t={await TokenOfAsync(app, corrected.CertificateId)}", "genuine-but-superseded");
        Assert.Equal("rgb(161, 92, 0)", superseded.Background);
        await ShotAsync(phone, "superseded");

        // Issued before the compact token and the random serials: still green.
        var legacy = await app.IssueCertificateAsync(world);
        var legacyNumber = LegacyTokens.Number(1404, "10", 77);
        var legacyToken = LegacyTokens.Sign(app, legacyNumber);
        await app.Db.WriteAsync(s => s.ExecuteAsync("UPDATE certificates SET number = @legacyNumber, token = @legacyToken WHERE id = @id",
            new { legacyNumber, legacyToken, id = legacy.CertificateId }));
        var old = await OpenAsync(phone, $"{baseUrl}/verify/{legacyNumber}#t={legacyToken}", "genuine");
        Assert.Equal("rgb(11, 122, 62)", old.Background);

        var numberOnly = await OpenAsync(phone, $"{baseUrl}/verify/{genuine.Number}", "status-only");
        Assert.DoesNotContain("Z. K.", numberOnly.PageText, StringComparison.Ordinal);
        await ShotAsync(phone, "number-only");
    }

    [ChromiumFact]
    public async Task An_employer_in_Maysan_reads_the_verdict_first_in_arabic_right_to_left_and_switches_language_keeping_the_token()
    {
        Assert.NotEmpty((await Tool.RunAsync("fc-list", ":lang=ar", "family")).Trim()); // fonts-noto-core: Noto Naskh / Sans Arabic
        await using var app = await RegistryApp.StartOnLoopbackAsync(TestDatabase.Sqlite);
        var world = await app.CreateWorldAsync();
        var genuine = await app.IssueCertificateAsync(world);
        var token = await TokenOfAsync(app, genuine.CertificateId);
        var baseUrl = app.Service<RegistryIdentity>().PublicBaseUrl;
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = ChromiumFactAttribute.Chromium, Args = BrowserArgs });
        // An Iraqi phone: Accept-Language ar-IQ, no ?lang in the printed QR link.
        var phone = await browser.NewPageAsync(new() { ViewportSize = new() { Width = PhoneWidth, Height = PhoneHeight }, Locale = "ar-IQ" });

        var arabic = await OpenAsync(phone, $"{baseUrl}/verify/{genuine.Number}#t={token}", "genuine");
        Assert.Equal("ar", await phone.GetAttributeAsync("html", "lang"));
        Assert.Equal("rtl", await phone.GetAttributeAsync("html", "dir"));
        Assert.Equal("rtl", await phone.EvalOnSelectorAsync<string>("main", "m => getComputedStyle(m).direction"));
        Assert.True(arabic.FirstInMain, "the verdict is not the first element of the page");
        Assert.True(await phone.EvaluateAsync<bool>("() => document.elementFromPoint(innerWidth / 2, 24).closest('#verdict') !== null"),
            "the verdict is not what the top of the screen shows");
        Assert.Equal("rgb(11, 122, 62)", arabic.Background);
        Assert.Contains("أصلية", arabic.VerdictText);
        Assert.Contains("Genuine", arabic.VerdictText); // English under it, for anyone else
        Assert.DoesNotContain("اصیل", arabic.PageText); // no Persian words on the Arabic page
        await phone.WaitForSelectorAsync("#row-center:not([hidden])");
        var issued = await phone.InnerTextAsync("#issued");
        Assert.Matches("^[٠-٩]+ (كانون الثاني|شباط|آذار|نيسان|أيار|حزيران|تموز|آب|أيلول|تشرين الأول|تشرين الثاني|كانون الأول) [٠-٩]{4}$", issued.Trim());
        Assert.Contains("حامل الشهادة", arabic.PageText);

        // Every Arabic letter on the page is drawn from a font that has it: a missing glyph is the same empty box for every
        // letter, so the letters' widths would all be equal.
        var glyphs = await phone.EvaluateAsync<double[]>("""
            () => {
              const letters = [...new Set([...document.body.innerText].filter(c => /[\u0621-\u064A]/.test(c)))];
              const ctx = document.createElement('canvas').getContext('2d');
              ctx.font = getComputedStyle(document.querySelector('#verdict-text')).font;
              return letters.map(c => ctx.measureText(c).width);
            }
            """);
        Assert.True(glyphs.Length >= 20, $"only {glyphs.Length} Arabic letters on the page");
        Assert.All(glyphs, w => Assert.True(w > 0));
        Assert.True(glyphs.Distinct().Count() >= glyphs.Length / 3, $"{glyphs.Length} letters but {glyphs.Distinct().Count()} widths: missing glyphs");
        await ShotAsync(phone, "arabic-genuine");

        var toPersian = await phone.GetAttributeAsync("#languages a[data-lang=fa]", "href");
        Assert.Equal($"/verify/{genuine.Number}?lang=fa#t={token}", toPersian);
        await phone.ClickAsync("#languages a[data-lang=fa]");
        await phone.WaitForSelectorAsync("html[lang=fa] " + PendingVerdict, new() { Timeout = 15_000 });
        Assert.Equal("genuine", await phone.GetAttributeAsync("#verdict", "data-verdict")); // the token came along
        Assert.Contains("اصیل", await phone.InnerTextAsync("#verdict"));
        await phone.ClickAsync("#languages a[data-lang=en]");
        await phone.WaitForSelectorAsync("html[lang=en] " + PendingVerdict, new() { Timeout = 15_000 });
        Assert.Equal("genuine", await phone.GetAttributeAsync("#verdict", "data-verdict"));
        Assert.Equal("ltr", await phone.GetAttributeAsync("html", "dir"));

        var forged = await OpenAsync(phone, $"{baseUrl}/verify/{genuine.Number}?lang=ar#t={Flip(token, 2)}", "qr-not-genuine");
        Assert.Contains("تحذير", forged.VerdictText);
        Assert.Equal("rgb(179, 38, 30)", forged.Background);
        await ShotAsync(phone, "arabic-forged");
    }

    [ChromiumFact]
    public async Task A_rate_limited_phone_gets_a_bilingual_page_with_the_wait()
    {
        await using var app = await RegistryApp.StartOnLoopbackAsync(TestDatabase.Sqlite, new Dictionary<string, string?> { ["RateLimiting:Public:PermitLimit"] = "1" });
        var url = $"{app.Service<RegistryIdentity>().PublicBaseUrl}/verify/1405-10-0000001-Q";
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = ChromiumFactAttribute.Chromium, Args = BrowserArgs });
        var phone = await browser.NewPageAsync(new() { ViewportSize = new() { Width = PhoneWidth, Height = PhoneHeight } });

        await phone.GotoAsync(url);
        var limited = await phone.GotoAsync(url);

        Assert.Equal(429, limited!.Status);
        var text = await phone.InnerTextAsync("#rate-limited");
        Assert.Matches(@"Try again in \d+ s", text);
        Assert.Contains("دوباره تلاش کنید", text);
        await ShotAsync(phone, "rate-limited");
    }

    private sealed record Verdict(string Background, string VerdictText, bool FirstInMain, double Bottom, string PageText);

    private static async Task<Verdict> OpenAsync(IPage page, string url, string expected)
    {
        await page.GotoAsync("about:blank");
        await page.GotoAsync(url);
        await page.WaitForSelectorAsync(PendingVerdict, new() { Timeout = 15_000 });
        Assert.Equal(expected, await page.GetAttributeAsync("#verdict", "data-verdict"));
        var box = (await page.Locator("#verdict").BoundingBoxAsync())!;
        return new Verdict(
            await page.EvalOnSelectorAsync<string>("#verdict", "e => getComputedStyle(e).backgroundColor"),
            (await page.InnerTextAsync("#verdict")).Replace("\u2060", ""), // numbers in sentences carry word joiners
            await page.EvalOnSelectorAsync<bool>("main", "m => m.firstElementChild.id === 'verdict'"),
            box.Y + box.Height,
            await page.InnerTextAsync("body"));
    }

    private async Task ShotAsync(IPage page, string name)
    {
        Directory.CreateDirectory(shots);
        await page.ScreenshotAsync(new() { Path = Path.Combine(shots, name + ".png") });
    }

    private static async Task<string> TokenOfAsync(RegistryApp app, Guid id) =>
        await app.Db.ReadAsync(s => s.QuerySingleAsync<string>("SELECT token FROM certificates WHERE id = @id", new { id }));

    private static string Flip(string token, int part)
    {
        var parts = token.Split('.');
        var bytes = CredentialsTestData.FromBase64Url(parts[part]);
        bytes[bytes.Length / 2] ^= 0x04;
        parts[part] = System.Buffers.Text.Base64Url.EncodeToString(bytes);
        return string.Join('.', parts);
    }

    /// <summary>The same claims re-signed with a forger's key under the registry's kid (optionally with the forger's key embedded as jwk).</summary>
    private static string ForeignKeySameKid(string token, bool embedJwk)
    {
        var parts = token.Split('.');
        var kid = CredentialsTestData.DecodeJws(token).Header.GetProperty("kid").GetString()!;
        using var forger = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var q = forger.ExportParameters(false).Q;
        object header = embedJwk
            ? new { alg = "ES256", kid, jwk = new { kty = "EC", crv = "P-256", x = B64(q.X!), y = B64(q.Y!) } }
            : new { alg = "ES256", kid };
        var input = B64(System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(header)) + "." + parts[1];
        return input + "." + B64(forger.SignData(Encoding.ASCII.GetBytes(input), HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation));
    }

    private static string AlgNone(string token)
    {
        var kid = CredentialsTestData.DecodeJws(token).Header.GetProperty("kid").GetString()!;
        return B64(System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(new { alg = "none", kid })) + "." + token.Split('.')[1] + ".";
    }

    private static string B64(byte[] bytes) => System.Buffers.Text.Base64Url.EncodeToString(bytes);

    public void Dispose()
    {
        try { Directory.Delete(directory, true); } catch (IOException) { }
    }
}
