using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace SkillsRegistry.Tests.Support;

/// <summary>Partner agencies created through the API, for tests about partners themselves.</summary>
public static class PartnersTestData
{
    public static string UniquePartnerCode(string stem = "agency") => $"{stem}-{Guid.NewGuid().ToString("N")[..8]}";

    /// <summary>A valid create body; override fields with <paramref name="with"/>.</summary>
    public static Dictionary<string, object?> PartnerBody(string? code = null, Action<Dictionary<string, object?>>? with = null)
    {
        var body = new Dictionary<string, object?>
        {
            ["code"] = code ?? UniquePartnerCode(),
            ["nameEn"] = "Cinema Organization",
            ["nameFa"] = "سازمان سینمایی",
            ["country"] = "ir",
            ["sectors"] = new[] { "cinema" },
            ["agreementSignedOn"] = "2024-03-01",
            ["agreementEndsOn"] = null,
            ["status"] = "active",
            ["note"] = "MoU on film crafts",
        };
        with?.Invoke(body);
        return body;
    }

    /// <summary>Creates a partner as admin; returns its body and ETag.</summary>
    public static async Task<(JsonElement Partner, string ETag)> CreatePartnerAsync(this HttpClient admin, Dictionary<string, object?> body)
    {
        var response = await admin.PostAsJsonAsync("/api/v1/partners", body);
        var json = await response.ReadJsonAsync(HttpStatusCode.Created);
        return (json, response.Headers.ETag!.Tag);
    }

    public static Guid Id(this JsonElement partner) => Guid.Parse(partner.GetProperty("id").GetString()!);

    /// <summary>A request with an If-Match header (none when <paramref name="etag"/> is null).</summary>
    public static HttpRequestMessage WithIfMatch(HttpMethod method, string url, object body, string? etag)
    {
        var request = new HttpRequestMessage(method, url) { Content = JsonContent.Create(body) };
        if (etag is not null) request.Headers.TryAddWithoutValidation("If-Match", etag);
        return request;
    }
}
