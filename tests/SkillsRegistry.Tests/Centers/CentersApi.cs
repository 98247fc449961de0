using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using SkillsRegistry.Tests.Support;

namespace SkillsRegistry.Tests.Centers;

/// <summary>Small helpers for the centers API tests.</summary>
internal static class CentersApi
{
    public static string UniqueCode(string prefix = "TC") => $"{prefix}-{Guid.NewGuid().ToString("N")[..10].ToUpperInvariant()}";

    public static object PublicCenter(string code, string nameFa = "مرکز آموزش فنی اهواز", string province = "IR-10") => new
    {
        code, kind = "public", nameFa, nameEn = "Ahvaz technical training center", provinceCode = province, city = "Ahvaz",
        address = "Kianpars", phone = "+98 61 3333 4444", email = "ahvaz@example.org",
    };

    public static async Task<(Guid Id, string ETag, JsonElement Body)> CreateCenterAsync(this HttpClient admin, object body)
    {
        var response = await admin.PostAsJsonAsync("/api/v1/centers", body);
        var json = await response.ReadJsonAsync(HttpStatusCode.Created);
        return (Guid.Parse(json.GetProperty("id").GetString()!), response.Headers.ETag!.Tag, json);
    }

    public static async Task<Guid> CreatePublicCenterAsync(this HttpClient admin, string? code = null, string nameFa = "مرکز آموزش فنی اهواز") =>
        (await admin.CreateCenterAsync(PublicCenter(code ?? UniqueCode(), nameFa))).Id;

    public static async Task<JsonElement> CreateLicenceAsync(this HttpClient admin, Guid centerId, string number, DateOnly validFrom, DateOnly? validTo) =>
        await (await admin.PostAsJsonAsync($"/api/v1/centers/{centerId}/licences", new { number, validFrom, validTo })).ReadJsonAsync(HttpStatusCode.Created);

    public static Task<HttpResponseMessage> ChangeStatusAsync(this HttpClient admin, Guid centerId, Guid licenceId, string status, DateOnly effectiveFrom, string reason) =>
        admin.PostAsJsonAsync($"/api/v1/centers/{centerId}/licences/{licenceId}/status", new { status, effectiveFrom, reason });

    public static HttpRequestMessage WithIfMatch(this HttpRequestMessage request, string etag)
    {
        request.Headers.TryAddWithoutValidation("If-Match", etag);
        return request;
    }

    public static HttpRequestMessage Json(HttpMethod method, string url, object body) => new(method, url) { Content = JsonContent.Create(body) };
}
