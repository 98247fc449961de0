using System.Net;
using System.Text.Json;
using SkillsRegistry.Tests.Practitioners;
using SkillsRegistry.Tests.Support;

namespace SkillsRegistry.Tests.Verification;

/// <summary>
/// Issue 23: the public answer says how the result was assessed (a registered assessor current on the exam date: role and
/// home organisation, never the person), and a legacy result says so plainly; the certificate's own readers see the name.
/// </summary>
public sealed class AssessorDisclosureTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    private static async Task<JsonElement> VerifyAsync(RegistryApp app, string number, string? familyName, string lang = "en") =>
        await (await app.CreateClient().GetAsync($"/api/v1/verify/{number}?lang={lang}" + (familyName is null ? "" : "&familyName=" + familyName))).ReadJsonAsync();

    [Theory, OnSqlite, OnPostgres]
    public async Task A_registered_lead_assessor_shows_role_and_home_organisation_but_never_the_person(TestDatabase db)
    {
        var app = await fixture.For(db);
        var world = await app.CreateWorldAsync();
        var admin = await app.AdminClientAsync();
        var (id, code) = await admin.RegisterAsync(homeCenterId: world.CenterId);
        await (await admin.QualifyAsync(id, world.StandardCode, app.Today.AddYears(-1), kind: "lead-assessor")).ReadJsonAsync(HttpStatusCode.Created);
        var batch = await app.ClientWithKey(world.CenterKey).SubmitAsync(
            PractitionerApi.RowBy(code, "VA-" + Guid.NewGuid().ToString("N")[..10], world.StandardCode, app.Today.AddDays(-2)));
        var row = batch.GetProperty("rows")[0];
        var number = row.GetProperty("certificateNumber").GetString()!;

        var numberOnly = await VerifyAsync(app, number, null);
        Assert.Equal(JsonValueKind.Null, numberOnly.GetProperty("assessor").ValueKind);

        var answer = await VerifyAsync(app, number, "Karimi");
        var assessor = answer.GetProperty("assessor");
        Assert.Equal("current", assessor.GetProperty("standing").GetString());
        Assert.Equal("lead-assessor", assessor.GetProperty("role").GetString());
        Assert.Equal("center", assessor.GetProperty("homeOrganisation").GetProperty("kind").GetString());
        Assert.Equal(answer.GetProperty("center").GetProperty("nameEn").GetString(), assessor.GetProperty("homeOrganisation").GetProperty("nameEn").GetString());
        Assert.Contains("lead assessor", assessor.GetProperty("message").GetString());
        Assert.Contains("سرارزیاب", assessor.GetProperty("messageFa").GetString());
        var everything = answer.ToString();
        Assert.DoesNotContain(code, everything);
        Assert.DoesNotContain("Yazdani", everything);
        Assert.DoesNotContain(id.ToString(), everything);

        var page = await (await app.CreateClient().GetAsync($"/verify/{number}?familyName=Karimi&lang=ar")).Content.ReadAsStringAsync();
        Assert.Contains("كبير مقيّمين", page);
        Assert.DoesNotContain("Yazdani", page);
        Assert.DoesNotContain(code, page);

        var own = await (await admin.GetAsync($"/api/v1/certificates/{row.GetProperty("certificateId").GetGuid()}")).ReadJsonAsync();
        Assert.Equal("registered", own.GetProperty("assessor").GetProperty("record").GetString());
        Assert.Equal("Hamid Yazdani", own.GetProperty("assessor").GetProperty("name").GetString());
        Assert.Equal(code, own.GetProperty("assessor").GetProperty("practitionerCode").GetString());
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task A_legacy_result_says_its_assessor_was_recorded_before_the_register(TestDatabase db)
    {
        var app = await fixture.For(db);
        var world = await app.CreateWorldAsync();
        var issued = await app.IssueCertificateAsync(world);
        await app.Db.WriteAsync(s => s.ExecuteAsync(
            "UPDATE assessments SET assessor_record = 'legacy', assessor_practitioner_id = NULL, assessor_name = 'R. Ahmadi' WHERE id = @id",
            new { id = issued.AssessmentId }));

        var assessor = (await VerifyAsync(app, issued.Number, "Karimi")).GetProperty("assessor");
        Assert.Equal("legacy", assessor.GetProperty("standing").GetString());
        Assert.Equal(JsonValueKind.Null, assessor.GetProperty("role").ValueKind);
        Assert.Equal(JsonValueKind.Null, assessor.GetProperty("homeOrganisation").ValueKind);
        Assert.Contains("before the register", assessor.GetProperty("messageEn").GetString());
        Assert.DoesNotContain("Ahmadi", assessor.ToString());

        var admin = await app.AdminClientAsync();
        var own = await (await admin.GetAsync($"/api/v1/certificates/{issued.CertificateId}")).ReadJsonAsync();
        Assert.Equal("legacy", own.GetProperty("assessor").GetProperty("record").GetString());
        Assert.Equal("R. Ahmadi", own.GetProperty("assessor").GetProperty("name").GetString());
    }
}
