using System.Net.Http.Json;
using Microsoft.Playwright;
using SkillsRegistry.Tests.Rendering;
using SkillsRegistry.Tests.Support;
using Xunit.Abstractions;
using static SkillsRegistry.Tests.Support.RegistryWorlds;

namespace SkillsRegistry.Tests.Verification;

/// <summary>
/// What an employer does: the PDF a center downloads is read as text, its QR code is scanned from the printed page,
/// and the scanned link is opened in a phone-sized browser that checks the signature itself.
/// </summary>
public sealed class QrEndToEndTests(ITestOutputHelper output) : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("qr-e2e-").FullName;

    [ChromiumFact]
    public async Task A_scanned_certificate_opens_a_page_that_says_valid_and_a_tampered_token_says_invalid()
    {
        await using var app = await RegistryApp.StartOnLoopbackAsync(TestDatabase.Sqlite);
        var world = await app.CreateWorldAsync();
        var row = Row("e2e-1", world.StandardCode, 88, 91);
        var batch = await (await app.ClientWithKey(world.CenterKey).PostAsJsonAsync("/api/v1/assessment-batches", new { rows = new[] { row } })).ReadJsonAsync();
        var certificate = batch.GetProperty("rows")[0];
        var id = certificate.GetProperty("certificateId").GetGuid();
        var number = certificate.GetProperty("certificateNumber").GetString()!;

        var response = await app.ClientWithKey(world.CenterKey).GetAsync($"/api/v1/certificates/{id}/pdf");
        Assert.Equal("application/pdf", response.Content.Headers.ContentType?.MediaType);
        var pdfPath = Path.Combine(directory, "certificate.pdf");
        await File.WriteAllBytesAsync(pdfPath, await response.Content.ReadAsByteArrayAsync());

        var text = await Tool.RunAsync("pdftotext", "-layout", pdfPath, "-");
        Assert.Contains("زهرا کریمی", text, StringComparison.Ordinal);
        Assert.Contains(number, text, StringComparison.Ordinal);

        await Tool.RunAsync("pdftoppm", "-png", "-r", "150", "-singlefile", pdfPath, Path.Combine(directory, "page"));
        var scanned = (await Tool.RunAsync("zbarimg", "--raw", "-q", Path.Combine(directory, "page.png"))).Trim();
        output.WriteLine(scanned);
        Assert.StartsWith($"{app.Service<Api.Features.Certificates.Signing.RegistryIdentity>().PublicBaseUrl}/verify/{number}#t=", scanned);

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = ChromiumFactAttribute.Chromium,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
        var phone = await browser.NewPageAsync(new() { ViewportSize = new() { Width = 390, Height = 844 } });

        var genuine = await OpenAsync(phone, scanned);
        Assert.Equal("good", genuine.Signature);
        Assert.Equal("valid", genuine.Status);
        Assert.Contains("Signature valid", genuine.SignatureText);
        Assert.Equal("Zahra Karimi", genuine.HolderLatin); // revealed only after the browser verified the signature
        await phone.ScreenshotAsync(new() { Path = Path.Combine(directory, "valid.png") });

        var fragment = scanned.IndexOf("#t=", StringComparison.Ordinal) + 3;
        var flipped = scanned[..(fragment + 40)] + (scanned[fragment + 40] == 'A' ? 'B' : 'A') + scanned[(fragment + 41)..];
        var tampered = await OpenAsync(phone, flipped);
        Assert.Equal("bad", tampered.Signature);
        Assert.Contains("INVALID", tampered.SignatureText);
        Assert.Equal("Z. K.", tampered.HolderLatin);
    }

    private sealed record PageReading(string? Status, string? Signature, string SignatureText, string HolderLatin);

    private static async Task<PageReading> OpenAsync(IPage page, string url)
    {
        await page.GotoAsync("about:blank");
        await page.GotoAsync(url);
        await page.WaitForSelectorAsync("#signature[data-signature]", new() { Timeout = 15_000 });
        return new PageReading(
            await page.GetAttributeAsync("main", "data-status"),
            await page.GetAttributeAsync("#signature", "data-signature"),
            await page.InnerTextAsync("#signature"),
            await page.InnerTextAsync("#holder-latin"));
    }

    public void Dispose()
    {
        try { Directory.Delete(directory, true); } catch (IOException) { }
    }
}
