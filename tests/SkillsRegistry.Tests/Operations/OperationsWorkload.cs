using System.Net;
using System.Net.Http.Json;
using SkillsRegistry.Api.Features.Certificates;
using SkillsRegistry.Tests.Rendering;
using SkillsRegistry.Tests.Support;

namespace SkillsRegistry.Tests.Operations;

/// <summary>A person in the workload: what must never reach a log line.</summary>
public sealed record WorkloadPerson(string NationalId, string GivenNameFa, string FamilyNameFa, string GivenNameLatin, string FamilyNameLatin, string BirthDate)
{
    public IEnumerable<string> Personal => [NationalId, GivenNameFa, FamilyNameFa, GivenNameLatin, FamilyNameLatin, BirthDate];
}

/// <summary>
/// A realistic day in miniature: two trainees registered and one looked up by national ID; a batch of four rows (three
/// passing, one rejected) and one row sent again; one certificate verified three times with its QR token, one number that
/// does not exist, one verified on the public page with the family name typed; one revoked; a PDF fetched twice when Chromium
/// is installed; a batch refused by the row budget. The settings it needs are <see cref="Settings"/>.
/// </summary>
public static class OperationsWorkload
{
    public const int RowBudget = 5;

    public static Dictionary<string, string?> Settings() => new()
    {
        ["Webhooks:Enabled"] = "false", // the outbox keeps its events, so their age is known
        ["Verification:WarmOnStart"] = "false",
        ["RateLimiting:PerKey:BatchRows:TokenLimit"] = RowBudget.ToString(),
        ["RateLimiting:PerKey:BatchRows:TokensPerMinute"] = "1",
    };

    public static readonly WorkloadPerson[] People =
    [
        new(RegistryWorlds.NewNationalId(), "پرستو", "گلستانه‌فر", "Parastoo", "Golestanehfar", "1991-07-23"),
        new(RegistryWorlds.NewNationalId(), "بهرنگ", "ساحل‌نشین", "Behrang", "Sahelneshin", "1987-11-04"),
        new(RegistryWorlds.NewNationalId(), "نیلوفر", "کوهسارپور", "Niloufar", "Kouhsarpour", "1995-02-14"),
        new(RegistryWorlds.NewNationalId(), "کامیار", "دریاباری", "Kamyar", "Daryabari", "1990-09-30"),
        new(RegistryWorlds.NewNationalId(), "شیدا", "آبشاری", "Sheyda", "Abshari", "1993-05-17"),
    ];

    public sealed record Result(bool PdfRendered);

    public static async Task<Result> RunAsync(RegistryApp app)
    {
        var world = await app.CreateWorldAsync();
        var admin = await app.AdminClientAsync();
        var center = app.ClientWithKey(world.CenterKey);

        foreach (var p in People[..2])
            (await center.PostAsJsonAsync("/api/v1/trainees", TraineesTestData.Body(p.NationalId, givenNameFa: p.GivenNameFa, familyNameFa: p.FamilyNameFa,
                givenNameLatin: p.GivenNameLatin, familyNameLatin: p.FamilyNameLatin, birthDate: p.BirthDate))).EnsureSuccessStatusCode();
        (await admin.GetAsync($"/api/v1/trainees?nationalId={People[0].NationalId}")).EnsureSuccessStatusCode();

        var rows = new[] { Row("w-1", world, People[2], 90), Row("w-2", world, People[3], 90), Row("w-3", world, People[4], 90), Row("w-4", world, People[0], 150) };
        var batch = await (await center.PostAsJsonAsync("/api/v1/assessment-batches", new { rows })).ReadJsonAsync();
        Assert.Equal(3, batch.GetProperty("recorded").GetInt32());
        Assert.Equal(1, batch.GetProperty("rejected").GetInt32());
        var again = await (await center.PostAsJsonAsync("/api/v1/assessment-batches", new { rows = new[] { rows[0] } })).ReadJsonAsync();
        Assert.Equal(1, again.GetProperty("alreadyRecorded").GetInt32());
        var issued = batch.GetProperty("rows").EnumerateArray().Take(3)
            .Select(r => (Id: r.GetProperty("certificateId").GetGuid(), Number: r.GetProperty("certificateNumber").GetString()!)).ToList();

        var token = await app.Db.ReadAsync(s => s.QuerySingleAsync<string>("SELECT token FROM certificates WHERE id = @id", new { id = issued[0].Id }));
        var client = app.CreateClient();
        for (var i = 0; i < 3; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/verify/{issued[0].Number}");
            request.Headers.Add("X-Certificate-Token", token);
            Assert.Equal("genuine", (await (await client.SendAsync(request)).ReadJsonAsync()).GetProperty("verdict").GetString());
        }
        var unknown = CertificateNumber.Format(1404, "10", 1);
        Assert.Equal("not-found", (await (await client.GetAsync($"/api/v1/verify/{unknown}")).ReadJsonAsync()).GetProperty("verdict").GetString());
        (await client.GetAsync($"/verify/{issued[1].Number}?familyName={People[3].FamilyNameLatin}")).EnsureSuccessStatusCode();

        (await admin.PostAsJsonAsync($"/api/v1/certificates/{issued[2].Id}/revoke", new { reasonCode = "fraud", reason = "Workload revocation" }))
            .EnsureSuccessStatusCode();

        var pdf = ChromiumFactAttribute.SkipReason() is null;
        if (pdf)
        {
            for (var i = 0; i < 2; i++) (await admin.GetAsync($"/api/v1/certificates/{issued[0].Id}/pdf")).EnsureSuccessStatusCode();
        }

        var refused = await center.PostAsJsonAsync("/api/v1/assessment-batches",
            new { rows = new[] { Row("w-5", world, People[1], 90), Row("w-6", world, People[1], 80), Row("w-7", world, People[1], 70) } });
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        return new Result(pdf);
    }

    private static object Row(string externalRef, RegistryWorld world, WorkloadPerson p, decimal theory) => new
    {
        externalRef,
        trainee = new
        {
            nationalId = p.NationalId, givenNameFa = p.GivenNameFa, familyNameFa = p.FamilyNameFa, givenNameLatin = p.GivenNameLatin,
            familyNameLatin = p.FamilyNameLatin, birthDate = p.BirthDate, gender = "female", targetGroups = new[] { "urban-job-seekers" },
        },
        standardCode = world.StandardCode,
        examDate = "2025-06-01",
        theoryScore = theory,
        practicalScore = 90,
        assessorId = PractitionersTestData.AssessorFor(world.StandardCode),
    };
}
