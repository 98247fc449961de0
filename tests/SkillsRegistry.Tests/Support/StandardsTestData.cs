using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using SkillsRegistry.Api.Infrastructure.Text;

namespace SkillsRegistry.Tests.Support;

/// <summary>Competency standards created through the API, for tests of standards and of the features that use them.</summary>
public static class StandardsTestData
{
    /// <summary>
    /// The one builder of <c>standards</c> rows, inserted directly (no audit, no API rules): for tests of other features that
    /// need a standard version in a given state.
    /// </summary>
    public static async Task<Guid> InsertStandardAsync(this RegistryApp app, string code, int version, string status, DateOnly? from, DateOnly? to,
        decimal theoryPassMark = 50, decimal practicalPassMark = 60, int? validityMonths = 36, string sector = "handicrafts")
    {
        var id = Guid.CreateVersion7();
        var now = app.Clock.GetUtcNow();
        await app.Db.WriteAsync(s => s.ExecuteAsync("""
            INSERT INTO standards (id, code, version, status, isco_code, sector_code, title_fa, title_en, theory_hours, practical_hours,
                                   theory_pass_mark, practical_pass_mark, validity_months, effective_from, effective_to, search_text, created_at, updated_at)
            VALUES (@id, @code, @version, @status, '7318', @sector, 'بافنده فرش دستباف', 'Hand-woven carpet weaver', 60, 140,
                    @theoryPassMark, @practicalPassMark, @validityMonths, @from, @to, @search, @now, @now)
            """, new { id, code, version, status, sector, theoryPassMark, practicalPassMark, validityMonths, from, to,
                search = PersianText.SearchText(code, "بافنده فرش دستباف", "Hand-woven carpet weaver"), now }));
        return id;
    }

    /// <summary>A fresh national code (tests in a class share a database).</summary>
    public static string NewStandardCode(string prefix = "T") => prefix + "-" + Guid.NewGuid().ToString("N")[..10].ToUpperInvariant();

    public static Dictionary<string, object?> StandardBody(string code, string sector = "cinema", string titleFa = "فیلم‌برداری مستند",
        string titleEn = "Documentary camera operator", string iscoCode = "3521", decimal theoryPassMark = 50m, decimal practicalPassMark = 70m,
        int? validityMonths = 60, IReadOnlyList<Guid>? partnerIds = null) => new()
    {
        ["code"] = code, ["iscoCode"] = iscoCode, ["sector"] = sector, ["titleFa"] = titleFa, ["titleEn"] = titleEn,
        ["theoryHours"] = 40, ["practicalHours"] = 120, ["theoryPassMark"] = theoryPassMark, ["practicalPassMark"] = practicalPassMark,
        ["validityMonths"] = validityMonths, ["partnerIds"] = partnerIds ?? [],
    };

    /// <summary>POSTs a draft and returns its body and ETag; fails the test unless it is 201.</summary>
    public static async Task<(JsonElement Standard, string ETag)> CreateStandardAsync(this HttpClient client, Dictionary<string, object?> body)
    {
        var response = await client.PostAsJsonAsync("/api/v1/standards", body);
        var json = await response.ReadJsonAsync(HttpStatusCode.Created);
        return (json, response.Headers.ETag!.ToString());
    }

    /// <summary>Sends a JSON body (or none) with If-Match.</summary>
    public static Task<HttpResponseMessage> SendIfMatchAsync(this HttpClient client, HttpMethod method, string url, object? body, string? etag)
    {
        var request = new HttpRequestMessage(method, url);
        if (body is not null) request.Content = JsonContent.Create(body);
        if (etag is not null) request.Headers.TryAddWithoutValidation("If-Match", etag);
        return client.SendAsync(request);
    }

    /// <summary>Creates and activates version 1 of a new code, effective from <paramref name="effectiveFrom"/>.</summary>
    public static async Task<(JsonElement Standard, string ETag)> CreateActiveStandardAsync(this HttpClient admin,
        Dictionary<string, object?> body, DateOnly effectiveFrom)
    {
        var (draft, etag) = await admin.CreateStandardAsync(body);
        var response = await admin.SendIfMatchAsync(HttpMethod.Post, $"/api/v1/standards/{draft.GetProperty("id").GetString()}/activate",
            new { effectiveFrom }, etag);
        var active = await response.ReadJsonAsync();
        return (active, response.Headers.ETag!.ToString());
    }
}
