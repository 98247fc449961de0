using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using SkillsRegistry.Tests.Support;
using static SkillsRegistry.Tests.Support.TraineesTestData;

namespace SkillsRegistry.Tests.Practitioners;

/// <summary>Practitioners registered through the API, for the tests of this folder.</summary>
internal static class PractitionerApi
{
    public static Dictionary<string, object?> Person(string? nationalId = null, string birthDate = "1980-02-03", string familyNameLatin = "Yazdani") =>
        Body(nationalId: nationalId ?? NewNationalId(), givenNameFa: "حمید", familyNameFa: "یزدانی", givenNameLatin: "Hamid",
            familyNameLatin: familyNameLatin, birthDate: birthDate, gender: "male", targetGroups: []);

    public static Task<HttpResponseMessage> PostPractitionerAsync(this HttpClient client, object person, Guid? homeCenterId = null, Guid? homePartnerId = null, string? code = null) =>
        client.PostAsJsonAsync("/api/v1/practitioners", new { person, code, homeCenterId, homePartnerId });

    /// <summary>Registers a practitioner and returns (id, code).</summary>
    public static async Task<(Guid Id, string Code)> RegisterAsync(this HttpClient client, Guid? homeCenterId = null, Guid? homePartnerId = null)
    {
        var created = await (await client.PostPractitionerAsync(Person(), homeCenterId, homePartnerId)).ReadJsonAsync(HttpStatusCode.Created);
        return (created.GetProperty("id").GetGuid(), created.GetProperty("code").GetString()!);
    }

    public static Task<HttpResponseMessage> QualifyAsync(this HttpClient client, Guid id, string standardCode, DateOnly from, DateOnly? to = null,
        string kind = "assessor", string source = "admin-decision", Guid? certificateId = null) =>
        client.PostAsJsonAsync($"/api/v1/practitioners/{id}/qualifications", new
        {
            standardCode, kind, source, certificateId, reason = source == "admin-decision" ? "Panel decision 1405/12" : null,
            validFrom = from.ToString("yyyy-MM-dd"), validTo = to?.ToString("yyyy-MM-dd"),
        });

    public static async Task<JsonElement> SubmitAsync(this HttpClient client, params object[] rows) =>
        await (await client.PostAsJsonAsync("/api/v1/assessment-batches", new { rows })).ReadJsonAsync();

    /// <summary>A row of <see cref="RegistryWorlds.Row"/> naming another assessor (and a second one).</summary>
    public static Dictionary<string, object?> RowBy(string? assessorId, string externalRef, string standardCode, DateOnly examDate,
        string? secondAssessorId = null, string? assessorName = null)
    {
        var row = JsonSerializer.SerializeToNode(RegistryWorlds.Row(externalRef, standardCode, 90, 90, examDate: examDate))!.AsObject();
        var dictionary = row.ToDictionary(p => p.Key, p => (object?)p.Value?.DeepClone());
        dictionary["assessorId"] = assessorId;
        dictionary["assessorName"] = assessorName;
        dictionary["secondAssessorId"] = secondAssessorId;
        return dictionary;
    }

    public static string[] ErrorsOf(this JsonElement batch, int index, string field) =>
        batch.GetProperty("rows")[index].GetProperty("errors").TryGetProperty($"rows[{index}].{field}", out var e)
            ? e.EnumerateArray().Select(x => x.GetString()!).ToArray() : [];

    public static string[] Results(this JsonElement batch) =>
        batch.GetProperty("rows").EnumerateArray().Select(r => r.GetProperty("result").GetString()!).ToArray();

    public static string ResultOf(this JsonElement batch, int index) => batch.GetProperty("rows")[index].GetProperty("result").GetString()!;
}
