using System.Net;
using System.Net.Http.Headers;
using System.Text;
using SkillsRegistry.Tests.Support;

namespace SkillsRegistry.Tests.Centers;

[Trait("Clock", "sensitive")]
public sealed class CenterSearchAndExportTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    [Theory, OnSqlite, OnPostgres]
    public async Task A_name_written_with_Persian_letters_is_found_when_typed_with_Arabic_ones(TestDatabase db)
    {
        var app = await fixture.For(db);
        var admin = await app.AdminClientAsync();
        var marker = Guid.NewGuid().ToString("N")[..6];
        var code = CentersApi.UniqueCode();
        await admin.CreatePublicCenterAsync(code, $"مرکز کیش {marker}");

        var arabic = Uri.EscapeDataString($"مركز كيش {marker}"); // Arabic kaf (ك) and yeh (ي)
        var found = await (await admin.GetAsync($"/api/v1/centers?q={arabic}")).ReadJsonAsync();
        Assert.Equal(1, found.GetProperty("total").GetInt64());
        Assert.Equal(code, found.GetProperty("items")[0].GetProperty("code").GetString());

        var byCity = await (await admin.GetAsync($"/api/v1/centers?q=AHVAZ&code={code.ToLowerInvariant()}")).ReadJsonAsync();
        Assert.Equal(1, byCity.GetProperty("total").GetInt64());
        var nothing = await (await admin.GetAsync($"/api/v1/centers?q={Uri.EscapeDataString("مرکز شیراز " + marker)}")).ReadJsonAsync();
        Assert.Equal(0, nothing.GetProperty("total").GetInt64());
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task List_filters_by_kind_province_and_licence_status_today(TestDatabase db)
    {
        var app = await fixture.For(db);
        var admin = await app.AdminClientAsync();
        var licensed = await admin.CreatePublicCenterAsync();
        var unlicensed = await admin.CreatePublicCenterAsync();
        var suspended = await admin.CreatePublicCenterAsync();
        var today = app.Today;
        await admin.CreateLicenceAsync(licensed, CentersApi.UniqueCode("L"), today.AddYears(-1), today.AddYears(1));
        var licence = await admin.CreateLicenceAsync(suspended, CentersApi.UniqueCode("L"), today.AddYears(-1), null);
        (await admin.ChangeStatusAsync(suspended, Guid.Parse(licence.GetProperty("id").GetString()!), "suspended", today, "Audit findings"))
            .EnsureSuccessStatusCode();

        async Task<HashSet<string>> Ids(string query)
        {
            var page = await (await admin.GetAsync($"/api/v1/centers?pageSize=200&{query}")).ReadJsonAsync();
            return page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetString()!).ToHashSet();
        }

        var active = await Ids("status=active&province=ir-10&kind=public");
        Assert.Contains(licensed.ToString(), active);
        Assert.DoesNotContain(unlicensed.ToString(), active);
        Assert.DoesNotContain(suspended.ToString(), active);
        Assert.Contains(suspended.ToString(), await Ids("status=suspended"));
        Assert.Contains(unlicensed.ToString(), await Ids("status=unlicensed"));
        Assert.Empty(await Ids("status=active&province=IR-32&kind=public"));

        var bad = await admin.GetAsync("/api/v1/centers?status=dormant&kind=school");
        var problem = await bad.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.NotEmpty(problem.FieldErrors("status"));
        Assert.NotEmpty(problem.FieldErrors("kind"));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Csv_export_starts_with_a_BOM_and_keeps_Persian_names(TestDatabase db)
    {
        var app = await fixture.For(db);
        var admin = await app.AdminClientAsync();
        var code = CentersApi.UniqueCode();
        await admin.CreatePublicCenterAsync(code, "هنرستان کاردانش یزد");

        foreach (var request in new[]
                 {
                     new HttpRequestMessage(HttpMethod.Get, $"/api/v1/centers/export.csv?code={code}"),
                     AcceptCsv(new HttpRequestMessage(HttpMethod.Get, $"/api/v1/centers?code={code}")),
                 })
        {
            var response = await admin.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
            var bytes = await response.Content.ReadAsByteArrayAsync();
            Assert.Equal(new byte[] { 0xEF, 0xBB, 0xBF }, bytes[..3]);
            var lines = Encoding.UTF8.GetString(bytes[3..]).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
            Assert.StartsWith("code,kind,nameFa,nameEn", lines[0]);
            Assert.Equal(2, lines.Length);
            Assert.Contains("هنرستان کاردانش یزد", lines[1]);
            Assert.StartsWith(code + ",public,", lines[1]);
        }
    }

    private static HttpRequestMessage AcceptCsv(HttpRequestMessage request)
    {
        request.Headers.Accept.Clear();
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/csv"));
        return request;
    }
}
