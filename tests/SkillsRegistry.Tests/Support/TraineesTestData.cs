using System.Net.Http.Json;
using SkillsRegistry.Api.Features.Trainees;

namespace SkillsRegistry.Tests.Support;

/// <summary>Valid, unique trainee identities and request bodies for tests.</summary>
public static class TraineesTestData
{
    /// <summary>A fresh valid national ID: nine random digits plus their check digit.</summary>
    public static string NewNationalId()
    {
        while (true)
        {
            var first = Random.Shared.NextInt64(0, 1_000_000_000).ToString("D9");
            var id = first + NationalId.CheckDigit(first);
            if (id.Distinct().Count() > 1) return id;
        }
    }

    /// <summary>A fresh passport number (upper-case letters and digits).</summary>
    public static string NewPassportNumber() => "P" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();

    /// <summary>Turns ASCII digits into Persian ones (۰–۹), as a Persian keyboard would type them.</summary>
    public static string ToPersianDigits(string ascii) => new(ascii.Select(c => c is >= '0' and <= '9' ? (char)('۰' + (c - '0')) : c).ToArray());

    public static Dictionary<string, object?> Body(string? nationalId = null, string? passportNumber = null, string? nationality = null,
        string givenNameFa = "مریم", string familyNameFa = "کریمی", string givenNameLatin = "Maryam", string familyNameLatin = "Karimi",
        string birthDate = "1998-04-12", string gender = "female", string[]? targetGroups = null, string? phone = null)
    {
        var body = new Dictionary<string, object?>
        {
            ["givenNameFa"] = givenNameFa, ["familyNameFa"] = familyNameFa,
            ["givenNameLatin"] = givenNameLatin, ["familyNameLatin"] = familyNameLatin,
            ["birthDate"] = birthDate, ["gender"] = gender, ["targetGroups"] = targetGroups ?? ["urban-job-seekers"],
        };
        if (phone is not null) body["phone"] = phone;
        if (nationalId is not null) body["nationalId"] = nationalId;
        if (passportNumber is not null) body["passportNumber"] = passportNumber;
        if (nationality is not null) body["nationality"] = nationality;
        return body;
    }

    public static Task<HttpResponseMessage> PostTraineeAsync(this HttpClient client, object body) =>
        client.PostAsJsonAsync("/api/v1/trainees", body);
}
