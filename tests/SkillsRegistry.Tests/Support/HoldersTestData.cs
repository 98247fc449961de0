using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using static SkillsRegistry.Tests.Support.RegistryWorlds;

namespace SkillsRegistry.Tests.Support;

/// <summary>A person with certificates and a signed-in holder session.</summary>
public sealed record TestHolder(Guid PersonId, string NationalId, IReadOnlyList<IssuedTestCertificate> Certificates, HttpClient Client);

public static class HoldersTestData
{
    public const string BirthDate = "1998-03-21"; // RegistryWorlds.Row's birth date

    /// <summary>Issues <paramref name="certificates"/> certificates to one new person through the center (exam dates a day apart).</summary>
    public static async Task<(Guid PersonId, string NationalId, List<IssuedTestCertificate> Certificates)> PersonWithCertificatesAsync(
        this RegistryApp app, RegistryWorld world, int certificates = 2)
    {
        var nationalId = NewNationalId();
        // One certificate per standard and person: each further certificate is of another standard in the center's scope.
        var codes = new List<string> { world.StandardCode };
        for (var i = 1; i < certificates; i++)
        {
            var code = "T" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();
            await app.InsertStandardAsync(code, 1, "active", LicensedFrom, null);
            await app.AddScopeAsync(world.CenterId, code, LicensedFrom, null);
            codes.Add(code);
        }
        var rows = codes.Select(code => Row("h-" + Guid.NewGuid().ToString("N")[..10], code, 90, 90, nationalId)).ToArray();
        var answer = await (await app.ClientWithKey(world.CenterKey).PostAsJsonAsync("/api/v1/assessment-batches", new { rows })).ReadJsonAsync();
        Assert.True(answer.GetProperty("rows").EnumerateArray().All(r => r.TryGetProperty("certificateId", out var c) && c.ValueKind == System.Text.Json.JsonValueKind.String), answer.GetRawText());
        var issued = answer.GetProperty("rows").EnumerateArray().Select(r => new IssuedTestCertificate(
            r.GetProperty("assessmentId").GetGuid(), r.GetProperty("certificateId").GetGuid(), r.GetProperty("certificateNumber").GetString()!)).ToList();
        var personId = await app.Db.ReadAsync(s => s.QuerySingleAsync<Guid>("SELECT trainee_id FROM certificates WHERE id = @id", new { id = issued[0].CertificateId }));
        return (personId, nationalId, issued);
    }

    public static async Task<string> IssueAccessCodeAsync(this RegistryApp app, string key, Guid personId)
    {
        var answer = await (await app.ClientWithKey(key).PostAsync($"/api/v1/trainees/{personId}/access-codes", null)).ReadJsonAsync(HttpStatusCode.Created);
        return answer.GetProperty("code").GetString()!;
    }

    public static Task<HttpResponseMessage> SignInAsync(this RegistryApp app, string code, string birthDate = BirthDate, string? clientAddress = null)
    {
        var client = app.CreateClient();
        if (clientAddress is not null) client.DefaultRequestHeaders.Add(ClientAddressFilter.Header, clientAddress);
        return client.PostAsJsonAsync("/holder/sessions", new { code, birthDate });
    }

    public static HttpClient HolderClient(this RegistryApp app, string token)
    {
        var client = app.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        client.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        return client;
    }

    /// <summary>A new person with certificates, an access code from the center, and a session made from it.</summary>
    public static async Task<TestHolder> HolderAsync(this RegistryApp app, RegistryWorld world, int certificates = 2)
    {
        var (personId, nationalId, issued) = await app.PersonWithCertificatesAsync(world, certificates);
        var code = await app.IssueAccessCodeAsync(world.CenterKey, personId);
        var session = await (await app.SignInAsync(code)).ReadJsonAsync(HttpStatusCode.Created);
        return new TestHolder(personId, nationalId, issued, app.HolderClient(session.GetProperty("token").GetString()!));
    }

    public static async Task<JsonElement> ShareAsync(this TestHolder holder, object body) =>
        await (await holder.Client.PostAsJsonAsync("/holder/shares", body)).ReadJsonAsync(HttpStatusCode.Created);

    /// <summary>The token at the end of a share's url.</summary>
    public static string TokenOf(JsonElement created) => created.GetProperty("url").GetString()!.Split('/')[^1];
}
