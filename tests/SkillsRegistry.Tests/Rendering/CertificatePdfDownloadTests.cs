using System.Net;
using System.Net.Http.Json;
using SkillsRegistry.Api.Features.Certificates.Rendering;
using SkillsRegistry.Tests.Support;
using static SkillsRegistry.Tests.Support.RegistryWorlds;

namespace SkillsRegistry.Tests.Rendering;

/// <summary>The PDF endpoint end to end with Chromium: a repeat download comes from the cache, a revoked certificate never does.</summary>
public sealed class CertificatePdfDownloadTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("certificate-pdf-download-").FullName;

    [ChromiumTheory, OnSqlite, OnPostgres]
    public async Task A_repeat_download_is_the_cached_pdf_and_after_a_revocation_the_next_download_carries_the_stamp(TestDatabase db)
    {
        await using var app = await RegistryApp.StartAsync(db);
        var world = await app.CreateWorldAsync();
        var center = app.ClientWithKey(world.CenterKey);
        var row = (await (await center.PostAsJsonAsync("/api/v1/assessment-batches",
            new { rows = new[] { Row("pdf-cache-1", world.StandardCode, 90, 90) } })).ReadJsonAsync()).GetProperty("rows")[0];
        var id = row.GetProperty("certificateId").GetGuid();
        var url = $"/api/v1/certificates/{id}/pdf";

        var renderer = app.Service<PdfRenderer>();
        var first = await DownloadAsync(center, url);
        var again = await DownloadAsync(center, url);

        Assert.Equal(first, again);
        Assert.Equal(1, renderer.Renders);
        Assert.DoesNotContain("REVOKED", await TextAsync(first), StringComparison.Ordinal);

        var admin = await app.AdminClientAsync();
        (await admin.PostAsJsonAsync($"/api/v1/certificates/{id}/revoke", new { reasonCode = "fraud", reason = "Forged exam papers" }))
            .EnsureSuccessStatusCode();
        var afterRevocation = await DownloadAsync(center, url);

        Assert.Equal(2, renderer.Renders);
        Assert.NotEqual(first, afterRevocation);
        Assert.Contains("REVOKED", await TextAsync(afterRevocation), StringComparison.Ordinal);
        Assert.Contains(row.GetProperty("certificateNumber").GetString()!, await TextAsync(afterRevocation), StringComparison.Ordinal);
    }

    private static async Task<byte[]> DownloadAsync(HttpClient client, string url)
    {
        var response = await client.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/pdf", response.Content.Headers.ContentType?.MediaType);
        return await response.Content.ReadAsByteArrayAsync();
    }

    /// <summary>The page's text as poppler reads it (-raw keeps the diagonal stamp).</summary>
    private async Task<string> TextAsync(byte[] pdf)
    {
        var path = Path.Combine(_dir, Guid.NewGuid().ToString("N") + ".pdf");
        await File.WriteAllBytesAsync(path, pdf);
        return await Tool.RunAsync("pdftotext", "-raw", path, "-");
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
