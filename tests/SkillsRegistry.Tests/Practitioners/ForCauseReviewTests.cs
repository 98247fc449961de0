using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using SkillsRegistry.Api.Infrastructure.Auth;
using SkillsRegistry.Tests.Support;

namespace SkillsRegistry.Tests.Practitioners;

/// <summary>
/// Issue 23: a certificate whose assessor's qualification is later withdrawn for cause is listed for review, not revoked;
/// each key sees only the certificates it answers for.
/// </summary>
public sealed class ForCauseReviewTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    private const string Review = "/api/v1/practitioners/for-cause-review";

    private static async Task<JsonElement[]> ItemsAsync(HttpClient client) =>
        (await (await client.GetAsync(Review + "?pageSize=200")).ReadJsonAsync()).GetProperty("items").EnumerateArray().ToArray();

    /// <summary>The id of the test world's assessor of <paramref name="standardCode"/> and of their (only) qualification.</summary>
    internal static async Task<(Guid Practitioner, Guid Qualification)> WorldAssessorAsync(RegistryApp app, string standardCode)
    {
        var practitioner = await app.Db.ReadAsync(s => s.QuerySingleAsync<Guid>(
            "SELECT id FROM practitioners WHERE code = @code", new { code = PractitionersTestData.AssessorFor(standardCode) }));
        var qualification = await app.Db.ReadAsync(s => s.QuerySingleAsync<Guid>(
            "SELECT id FROM practitioner_qualifications WHERE practitioner_id = @practitioner", new { practitioner }));
        return (practitioner, qualification);
    }

    internal static Task<HttpResponseMessage> WithdrawAsync(HttpClient client, Guid practitioner, Guid qualification, bool forCause, DateOnly? from = null) =>
        client.PostAsJsonAsync($"/api/v1/practitioners/{practitioner}/qualifications/{qualification}/withdraw",
            new { reason = "Passed candidates who had not sat the practical test", forCause, effectiveFrom = from?.ToString("yyyy-MM-dd") });

    [Theory, OnSqlite, OnPostgres]
    public async Task A_withdrawal_for_cause_lists_the_assessors_certificates_for_review_and_leaves_them_valid(TestDatabase db)
    {
        var app = await fixture.For(db);
        var admin = await app.AdminClientAsync();
        var world = await app.CreateWorldAsync();
        var other = await app.CreateWorldAsync();
        var doubted = await app.IssueCertificateAsync(world);
        var merelyWithdrawn = await app.IssueCertificateAsync(other);
        var (assessor, qualification) = await WorldAssessorAsync(app, world.StandardCode);
        var (otherAssessor, otherQualification) = await WorldAssessorAsync(app, other.StandardCode);

        (await WithdrawAsync(admin, otherAssessor, otherQualification, forCause: false)).EnsureSuccessStatusCode();
        Assert.DoesNotContain(await ItemsAsync(admin), i => i.GetProperty("certificateNumber").GetString() == merelyWithdrawn.Number);
        // The withdrawal takes effect today, after the exam: the result is still listed, as every result under the qualification is.
        (await WithdrawAsync(admin, assessor, qualification, forCause: true)).EnsureSuccessStatusCode();

        var item = Assert.Single(await ItemsAsync(admin), i => i.GetProperty("certificateNumber").GetString() == doubted.Number);
        Assert.Equal(doubted.CertificateId, item.GetProperty("certificateId").GetGuid());
        Assert.Equal("valid", item.GetProperty("status").GetString());
        Assert.Equal(world.StandardCode, item.GetProperty("standardCode").GetString());
        Assert.Equal(world.CenterId, item.GetProperty("center").GetProperty("id").GetGuid());
        Assert.Equal("assessor", item.GetProperty("assessorRole").GetString());
        Assert.Equal(PractitionersTestData.AssessorFor(world.StandardCode), item.GetProperty("practitionerCode").GetString());
        Assert.Equal(qualification, item.GetProperty("qualificationId").GetGuid());
        Assert.Equal(app.Today.ToString("yyyy-MM-dd"), item.GetProperty("withdrawnFrom").GetString());
        Assert.Equal("Passed candidates who had not sat the practical test", item.GetProperty("withdrawalReason").GetString());
        Assert.DoesNotContain("Karimi", item.ToString()); // no trainee names

        // Listed, not revoked: the certificate and its public answer are unchanged.
        var certificate = await (await admin.GetAsync($"/api/v1/certificates/{doubted.CertificateId}")).ReadJsonAsync();
        Assert.Equal("valid", certificate.GetProperty("status").GetString());
        var verified = await (await app.CreateClient().GetAsync($"/api/v1/verify/{doubted.Number}")).ReadJsonAsync();
        Assert.Equal("valid", verified.GetProperty("status").GetString());

        // A center sees its own certificates only.
        Assert.Contains(await ItemsAsync(app.ClientWithKey(world.CenterKey)), i => i.GetProperty("certificateNumber").GetString() == doubted.Number);
        Assert.Empty(await ItemsAsync(app.ClientWithKey(other.CenterKey)));

        // The read names an assessor: it is in the audit log.
        var person = await app.Db.ReadAsync(s => s.QuerySingleAsync<Guid>("SELECT person_id FROM practitioners WHERE id = @assessor", new { assessor }));
        var audited = await app.Db.ReadAsync(s => s.ExecuteScalarAsync<long>(
            "SELECT COUNT(*) FROM audit_log WHERE action = 'read' AND (entity_id = @person OR entity_id = '*')", new { person = person.ToString() }));
        Assert.True(audited >= 1);

        var csv = new HttpRequestMessage(HttpMethod.Get, Review);
        csv.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/csv"));
        var export = await admin.SendAsync(csv);
        Assert.Equal("text/csv", export.Content.Headers.ContentType?.MediaType);
        var lines = (await export.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("certificateId,certificateNumber,status,standardCode", lines[0].TrimStart('\uFEFF'));
        Assert.Contains(lines, l => l.Contains(doubted.Number) && l.Contains(qualification.ToString()));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task A_partner_sees_the_results_its_withdrawn_accreditation_second_assessed_and_a_co_author_those_of_its_standard(TestDatabase db)
    {
        var app = await fixture.For(db);
        var world = await app.CreateWorldAsync(); // a handicrafts standard
        var accreditor = await app.InsertPartnerAsync(sector: "handicrafts", signedOn: new DateOnly(2024, 1, 1), endsOn: app.Today.AddYears(2));
        var coAuthor = await app.InsertPartnerAsync(sector: "handicrafts", signedOn: new DateOnly(2024, 1, 1), endsOn: app.Today.AddYears(2));
        var bystander = await app.InsertPartnerAsync(sector: "handicrafts", signedOn: new DateOnly(2024, 1, 1), endsOn: app.Today.AddYears(2));
        await app.Db.WriteAsync(s => s.ExecuteAsync("INSERT INTO standard_partners (standard_id, partner_id) VALUES (@standard, @partner)",
            new { standard = world.StandardId, partner = coAuthor }));
        var accreditorKey = app.ClientWithKey(await app.CreateKeyAsync(ApiKeyRole.Partner, partnerId: accreditor));
        var (second, secondCode) = await accreditorKey.RegisterAsync();
        var accredited = await (await accreditorKey.QualifyAsync(second, world.StandardCode, app.Today.AddDays(-30), app.Today.AddYears(1),
            source: "partner-accreditation")).ReadJsonAsync(HttpStatusCode.Created);
        var qualification = accredited.GetProperty("qualifications")[0].GetProperty("id").GetGuid();
        var batch = await app.ClientWithKey(world.CenterKey).SubmitAsync(PractitionerApi.RowBy(PractitionersTestData.AssessorFor(world.StandardCode),
            "FC-" + Guid.NewGuid().ToString("N")[..10], world.StandardCode, app.Today.AddDays(-2), secondAssessorId: secondCode));
        var number = batch.GetProperty("rows")[0].GetProperty("certificateNumber").GetString()!;

        (await WithdrawAsync(accreditorKey, second, qualification, forCause: true)).EnsureSuccessStatusCode();

        var item = Assert.Single(await ItemsAsync(accreditorKey));
        Assert.Equal(number, item.GetProperty("certificateNumber").GetString());
        Assert.Equal("second-assessor", item.GetProperty("assessorRole").GetString());
        Assert.Equal(secondCode, item.GetProperty("practitionerCode").GetString());
        Assert.Equal(number, Assert.Single(await ItemsAsync(app.ClientWithKey(await app.CreateKeyAsync(ApiKeyRole.Partner, partnerId: coAuthor))))
            .GetProperty("certificateNumber").GetString());
        // In the standard's sector, but neither co-author nor accreditor: nothing to review.
        Assert.Empty(await ItemsAsync(app.ClientWithKey(await app.CreateKeyAsync(ApiKeyRole.Partner, partnerId: bystander))));
    }
}
