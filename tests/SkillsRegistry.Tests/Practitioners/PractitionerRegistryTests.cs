using System.Net;
using System.Net.Http.Json;
using SkillsRegistry.Api.Infrastructure.Auth;
using SkillsRegistry.Tests.Support;
using static SkillsRegistry.Tests.Support.TraineesTestData;

namespace SkillsRegistry.Tests.Practitioners;

/// <summary>Practitioners are persons of the registry (one record per person), seen by their own organisation, accredited by partners in scope.</summary>
public sealed class PractitionerRegistryTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    [Theory, OnSqlite, OnPostgres]
    public async Task A_practitioner_who_is_also_a_trainee_is_one_person_identified_in_full(TestDatabase db)
    {
        var app = await fixture.For(db);
        var world = await app.CreateWorldAsync();
        var center = app.ClientWithKey(world.CenterKey);
        var nationalId = NewNationalId();
        var trainee = await (await center.PostTraineeAsync(PractitionerApi.Person(nationalId))).ReadJsonAsync(HttpStatusCode.Created);

        var wrongBirth = await center.PostPractitionerAsync(PractitionerApi.Person(ToPersianDigits(nationalId), birthDate: "1981-02-03"));
        var refused = await wrongBirth.AssertProblemAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Equal("Identity not confirmed", refused.GetProperty("title").GetString());

        var created = await (await center.PostPractitionerAsync(PractitionerApi.Person(ToPersianDigits(nationalId)))).ReadJsonAsync(HttpStatusCode.Created);
        Assert.Equal(trainee.GetProperty("id").GetGuid(), created.GetProperty("personId").GetGuid());
        Assert.Equal(nationalId, created.GetProperty("nationalId").GetString());
        Assert.Equal(world.CenterId, created.GetProperty("home").GetProperty("id").GetGuid());

        var admin = await app.AdminClientAsync();
        var found = await (await admin.GetAsync($"/api/v1/trainees?nationalId={nationalId}")).ReadJsonAsync();
        Assert.Equal(1, found.GetProperty("total").GetInt64());
        var again = await (await center.PostPractitionerAsync(PractitionerApi.Person(nationalId))).AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal(created.GetProperty("id").GetGuid(), again.GetProperty("existingId").GetGuid());
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task A_center_reads_only_its_own_staff_and_registers_only_for_itself(TestDatabase db)
    {
        var app = await fixture.For(db);
        var mine = await app.CreateWorldAsync();
        var theirs = await app.CreateWorldAsync();
        var (id, code) = await app.ClientWithKey(mine.CenterKey).RegisterAsync();
        var other = app.ClientWithKey(theirs.CenterKey);

        await (await other.GetAsync($"/api/v1/practitioners/{id}")).AssertProblemAsync(HttpStatusCode.NotFound);
        var listed = await (await other.GetAsync($"/api/v1/practitioners?q={code}")).ReadJsonAsync();
        Assert.Equal(0, listed.GetProperty("total").GetInt64());
        await (await other.PostAsJsonAsync($"/api/v1/practitioners/{id}/refresher-courses",
            new { title = "Probe", hours = 4, completedOn = app.Today })).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await other.PostPractitionerAsync(PractitionerApi.Person(), homeCenterId: mine.CenterId)).AssertProblemAsync(HttpStatusCode.Forbidden);

        var own = await (await app.ClientWithKey(mine.CenterKey).GetAsync($"/api/v1/practitioners/{id}")).ReadJsonAsync();
        Assert.Equal(code, own.GetProperty("code").GetString());
        var audited = await app.Db.ReadAsync(s => s.ExecuteScalarAsync<long>(
            "SELECT COUNT(*) FROM audit_log WHERE action = 'read' AND entity_id = @person", new { person = own.GetProperty("personId").GetGuid().ToString() }));
        Assert.True(audited >= 1);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task A_partner_accredits_its_people_only_in_its_sectors_and_while_its_agreement_is_in_force(TestDatabase db)
    {
        var app = await fixture.For(db);
        var world = await app.CreateWorldAsync(); // a handicrafts standard
        var cinemaCode = "C" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();
        await app.InsertStandardAsync(cinemaCode, 1, "active", RegistryWorlds.LicensedFrom, null, sector: "cinema");
        var partner = await app.InsertPartnerAsync(sector: "handicrafts", signedOn: new DateOnly(2024, 1, 1), endsOn: app.Today.AddYears(2));
        var key = app.ClientWithKey(await app.CreateKeyAsync(ApiKeyRole.Partner, partnerId: partner));
        var (id, _) = await key.RegisterAsync();
        var from = app.Today.AddDays(-10);

        await (await key.QualifyAsync(id, cinemaCode, from, app.Today.AddYears(1), source: "partner-accreditation")).AssertProblemAsync(HttpStatusCode.NotFound);
        var beyond = await (await key.QualifyAsync(id, world.StandardCode, from, app.Today.AddYears(3), source: "partner-accreditation"))
            .AssertProblemAsync(HttpStatusCode.UnprocessableEntity);
        Assert.NotEmpty(beyond.FieldErrors("validTo"));
        await (await key.QualifyAsync(id, world.StandardCode, from, app.Today.AddYears(1), source: "admin-decision")).AssertProblemAsync(HttpStatusCode.Forbidden);
        var accredited = await (await key.QualifyAsync(id, world.StandardCode, from, app.Today.AddYears(1), source: "partner-accreditation"))
            .ReadJsonAsync(HttpStatusCode.Created);
        Assert.Equal(partner, accredited.GetProperty("qualifications")[0].GetProperty("partnerId").GetGuid());

        await app.Db.WriteAsync(s => s.ExecuteAsync("UPDATE partner_agencies SET agreement_ends_on = @ended WHERE id = @partner",
            new { ended = app.Today.AddDays(-1), partner }));
        await (await key.QualifyAsync(id, world.StandardCode, from, app.Today, source: "partner-accreditation")).AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await key.GetAsync($"/api/v1/practitioners/{id}")).AssertProblemAsync(HttpStatusCode.Forbidden);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task A_qualification_from_a_certificate_must_be_the_holders_own_valid_one_for_the_code(TestDatabase db)
    {
        var app = await fixture.For(db);
        var world = await app.CreateWorldAsync();
        var center = app.ClientWithKey(world.CenterKey);
        var nationalId = NewNationalId();
        var issued = await app.IssueCertificateAsync(world, nationalId: nationalId);
        var someoneElses = await app.IssueCertificateAsync(world);
        // The holder as Row() registered them (Zahra Karimi, 1998-03-21), now registered as a practitioner of the center.
        var person = Body(nationalId: nationalId, givenNameFa: "زهرا", familyNameFa: "کریمی", givenNameLatin: "Zahra", familyNameLatin: "Karimi",
            birthDate: "1998-03-21", gender: "female", targetGroups: []);
        var created = await (await center.PostPractitionerAsync(person)).ReadJsonAsync(HttpStatusCode.Created);
        var id = created.GetProperty("id").GetGuid();

        var refused = await (await center.QualifyAsync(id, world.StandardCode, app.Today, kind: "instructor", source: "certificate", certificateId: someoneElses.CertificateId))
            .AssertProblemAsync(HttpStatusCode.UnprocessableEntity);
        Assert.NotEmpty(refused.FieldErrors("certificateId"));
        var qualified = await (await center.QualifyAsync(id, world.StandardCode, app.Today, kind: "instructor", source: "certificate", certificateId: issued.CertificateId))
            .ReadJsonAsync(HttpStatusCode.Created);
        var q = qualified.GetProperty("qualifications")[0];
        Assert.Equal(issued.CertificateId, q.GetProperty("certificateId").GetGuid());

        var withdrawn = await (await center.PostAsJsonAsync($"/api/v1/practitioners/{id}/qualifications/{q.GetProperty("id").GetGuid()}/withdraw",
            new { reason = "Falsified workshop records", forCause = true })).ReadJsonAsync();
        Assert.True(withdrawn.GetProperty("qualifications")[0].GetProperty("withdrawnForCause").GetBoolean());
        Assert.False(withdrawn.GetProperty("qualifications")[0].GetProperty("inForceToday").GetBoolean());
    }
}
