using System.Net.Http.Json;
using SkillsRegistry.Api.Features.Certificates.Signing;
using SkillsRegistry.Tests.Support;
using static SkillsRegistry.Tests.Support.RegistryWorlds;

namespace SkillsRegistry.Tests.Rendering;

/// <summary>The QR code of a holder with long names, as issued, printed and scanned: it does not grow with the names.</summary>
public sealed class LongNameQrTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("long-name-qr-").FullName;

    [ChromiumTheory, OnSqlite, OnPostgres]
    public async Task The_qr_url_of_a_holder_with_60_character_names_fits_in_400_characters_and_decodes_from_a_100_dpi_print(TestDatabase db)
    {
        await using var app = await RegistryApp.StartAsync(db, new Dictionary<string, string?> { ["Registry:PublicBaseUrl"] = "https://verify.skills.example" });
        var world = await app.CreateWorldAsync();
        var center = app.ClientWithKey(world.CenterKey);
        var row = (await (await center.PostAsJsonAsync("/api/v1/assessment-batches",
            new { rows = new[] { Row("long-names-1", world.StandardCode, 90, 90, names: CertificateSamples.LongNames) } })).ReadJsonAsync()).GetProperty("rows")[0];
        var id = row.GetProperty("certificateId").GetGuid();
        var token = await app.Db.ReadAsync(s => s.QuerySingleAsync<string>("SELECT token FROM certificates WHERE id = @id", new { id }));
        var url = app.Service<RegistryIdentity>().VerificationUrl(row.GetProperty("certificateNumber").GetString()!, token);

        Assert.StartsWith("https://verify.skills.example/verify/", url, StringComparison.Ordinal);
        Assert.True(url.Length <= 400, $"the QR URL is {url.Length} characters: {url}");
        var pdf = Path.Combine(_dir, "certificate.pdf");
        await File.WriteAllBytesAsync(pdf, await center.GetByteArrayAsync($"/api/v1/certificates/{id}/pdf"));
        Assert.Equal(url, await Scans.At100DpiGrayAsync(pdf, _dir));
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
