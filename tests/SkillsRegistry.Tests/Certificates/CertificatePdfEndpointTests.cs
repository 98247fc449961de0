using System.Net;
using System.Net.Http.Json;
using SkillsRegistry.Tests.Support;
using static SkillsRegistry.Tests.Support.RegistryWorlds;

namespace SkillsRegistry.Tests.Certificates;

public sealed class CertificatePdfEndpointTests
{
    [Theory, OnSqlite, OnPostgres]
    public async Task Only_the_issuing_center_and_admin_get_the_pdf_and_a_missing_browser_is_a_503_saying_what_to_install(TestDatabase db)
    {
        await using var app = await RegistryApp.StartAsync(db, new Dictionary<string, string?> { ["Pdf:ChromiumPath"] = "/nonexistent/chromium" });
        var world = await app.CreateWorldAsync();
        var other = await app.CreateWorldAsync();
        var row = (await (await app.ClientWithKey(world.CenterKey).PostAsJsonAsync("/api/v1/assessment-batches",
            new { rows = new[] { Row("pdf-1", world.StandardCode, 90, 90) } })).ReadJsonAsync()).GetProperty("rows")[0];
        var url = $"/api/v1/certificates/{row.GetProperty("certificateId").GetGuid()}/pdf";

        await (await app.ClientWithKey(other.CenterKey).GetAsync(url)).AssertProblemAsync(HttpStatusCode.NotFound);
        var problem = await (await app.ClientWithKey(world.CenterKey).GetAsync(url)).AssertProblemAsync(HttpStatusCode.ServiceUnavailable);
        Assert.Contains("apt-get install -y chromium", problem.GetProperty("detail").GetString());
        await (await (await app.AdminClientAsync()).GetAsync(url)).AssertProblemAsync(HttpStatusCode.ServiceUnavailable);
        // Everything else keeps working without a browser.
        Assert.Equal(HttpStatusCode.OK, (await app.CreateClient().GetAsync($"/api/v1/verify/{row.GetProperty("certificateNumber").GetString()}")).StatusCode);
    }
}
