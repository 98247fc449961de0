using System.Net;
using System.Net.Http.Headers;
using System.Text;
using SkillsRegistry.Api.Infrastructure.Auth;
using SkillsRegistry.Tests.Support;

namespace SkillsRegistry.Tests.Standards;

public sealed class StandardSearchAndExportTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    [Theory, OnSqlite, OnPostgres]
    public async Task A_Persian_title_is_found_when_typed_with_Arabic_yeh_and_kaf(TestDatabase db)
    {
        var app = await fixture.For(db);
        var admin = await app.AdminClientAsync();
        var code = StandardsTestData.NewStandardCode();
        var marker = code[^6..];
        // Persian ی (U+06CC) and ک (U+06A9) in the stored title…
        await admin.CreateStandardAsync(StandardsTestData.StandardBody(code, sector: "handicrafts",
            titleFa: $"سفالگری و کاشی‌کاری سنتی {marker}", titleEn: "Traditional pottery and tiling"));

        // …found by a query typed on an Arabic keyboard: ي (U+064A) and ك (U+0643), without the ZWNJ.
        var query = Uri.EscapeDataString("كاشيكاري سنتي");
        var found = await (await admin.GetAsync($"/api/v1/standards?q={query}&pageSize=200")).ReadJsonAsync();
        Assert.Contains(code, found.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("code").GetString()));

        // Case-insensitive over the English title and the code, combined with other filters.
        var byEnglish = await (await admin.GetAsync($"/api/v1/standards?q=POTTERY%20AND&sector=handicrafts&status=draft&isco=35&pageSize=200")).ReadJsonAsync();
        Assert.Contains(code, byEnglish.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("code").GetString()));
        var byCode = await (await admin.GetAsync($"/api/v1/standards?q={code.ToLowerInvariant()}")).ReadJsonAsync();
        Assert.Equal(1, byCode.GetProperty("total").GetInt64());

        var otherSector = await (await admin.GetAsync($"/api/v1/standards?q={query}&sector=cinema&pageSize=200")).ReadJsonAsync();
        Assert.DoesNotContain(code, otherSector.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("code").GetString()));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Bad_list_filters_are_field_errors(TestDatabase db)
    {
        var app = await fixture.For(db);
        var admin = await app.AdminClientAsync();
        var problem = await (await admin.GetAsync("/api/v1/standards?status=retired&isco=73a&pageSize=500")).AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("draft, active, superseded, withdrawn", problem.FieldErrors("status")[0]);
        Assert.NotEmpty(problem.FieldErrors("isco"));
        Assert.NotEmpty(problem.FieldErrors("pageSize"));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task The_CSV_export_starts_with_a_BOM_and_keeps_Persian_titles(TestDatabase db)
    {
        var app = await fixture.For(db);
        var admin = await app.AdminClientAsync();
        var code = StandardsTestData.NewStandardCode();
        const string title = "قالی‌بافی دستبافت کرمان";
        await admin.CreateStandardAsync(StandardsTestData.StandardBody(code, sector: "handicrafts", titleFa: title, theoryPassMark: 62.5m));

        var export = await admin.GetAsync($"/api/v1/standards/export.csv?code={code}");
        Assert.Equal(HttpStatusCode.OK, export.StatusCode);
        Assert.Equal("text/csv", export.Content.Headers.ContentType?.MediaType);
        var bytes = await export.Content.ReadAsByteArrayAsync();
        Assert.Equal(new byte[] { 0xEF, 0xBB, 0xBF }, bytes[..3]);
        var lines = Encoding.UTF8.GetString(bytes[3..]).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("code,version,status,iscoCode,sector,titleFa,titleEn", lines[0]);
        Assert.Equal(2, lines.Length);
        Assert.Contains(title, lines[1]);
        Assert.StartsWith($"{code},1,draft,3521,handicrafts,", lines[1]);
        Assert.Contains(",62.5,", lines[1]);

        // The list endpoint gives the same CSV when asked for it.
        var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/standards?code={code}");
        request.Headers.Accept.Clear();
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/csv"));
        var negotiated = await admin.SendAsync(request);
        Assert.Equal("text/csv", negotiated.Content.Headers.ContentType?.MediaType);
        Assert.Equal(bytes, await negotiated.Content.ReadAsByteArrayAsync());
    }
    [Theory, OnSqlite, OnPostgres]
    public async Task The_CSV_export_names_the_replacement_of_a_superseded_version_and_a_partner_exports_only_its_sectors(TestDatabase db)
    {
        var app = await fixture.For(db);
        var admin = await app.AdminClientAsync();
        var code = StandardsTestData.NewStandardCode();
        var (v1, v1ETag) = await admin.CreateActiveStandardAsync(StandardsTestData.StandardBody(code, sector: "handicrafts"), new DateOnly(2024, 1, 1));
        var v2 = await (await admin.PostAsync($"/api/v1/standards/{code}/versions", null)).ReadJsonAsync(HttpStatusCode.Created);
        await (await admin.SendIfMatchAsync(HttpMethod.Post, $"/api/v1/standards/{v1.GetProperty("id").GetString()}/supersede",
            new { replacementId = v2.GetProperty("id").GetString(), equivalent = true, effectiveFrom = new DateOnly(2025, 3, 1) }, v1ETag)).ReadJsonAsync();

        async Task<string[]> ExportAsync(HttpClient client) =>
            Encoding.UTF8.GetString((await (await client.GetAsync($"/api/v1/standards/export.csv?code={code}")).Content.ReadAsByteArrayAsync())[3..])
                .Split("\r\n", StringSplitOptions.RemoveEmptyEntries);

        var lines = await ExportAsync(admin);
        Assert.EndsWith("effectiveFrom,effectiveTo,supersededByCode,supersededByVersion,supersessionEquivalent,id", lines[0]);
        Assert.Equal(3, lines.Length);
        Assert.StartsWith($"{code},2,active,", lines[1]);
        Assert.EndsWith($",2025-03-01,,,,,{v2.GetProperty("id").GetString()}", lines[1]);
        Assert.StartsWith($"{code},1,superseded,", lines[2]);
        Assert.EndsWith($",2024-01-01,2025-02-28,{code},2,true,{v1.GetProperty("id").GetString()}", lines[2]);

        var cinemaPartner = app.ClientWithKey(await app.CreateKeyAsync(ApiKeyRole.Partner, partnerId: await app.InsertPartnerAsync(sector: "cinema")));
        Assert.Equal([lines[0]], await ExportAsync(cinemaPartner));
        var craftPartner = app.ClientWithKey(await app.CreateKeyAsync(ApiKeyRole.Partner, partnerId: await app.InsertPartnerAsync(sector: "handicrafts")));
        Assert.Equal(lines, await ExportAsync(craftPartner));
    }
}
