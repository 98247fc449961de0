using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using SkillsRegistry.Api.Features.Trainees;
using SkillsRegistry.Api.Infrastructure.Auth;
using SkillsRegistry.Tests.Support;
using static SkillsRegistry.Tests.Support.TraineesTestData;

namespace SkillsRegistry.Tests.Trainees;

/// <summary>Who may see and change a person: a center links to a registered person only by identifying them in full.</summary>
public sealed class IdentityMatchingTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    private sealed record Center(Guid Id, HttpClient Client, RegistryWorld World);

    private static async Task<Center> CenterAsync(RegistryApp app)
    {
        var world = await app.CreateWorldAsync();
        return new Center(world.CenterId, app.ClientWithKey(world.CenterKey), world);
    }

    private static Dictionary<string, object?> Person(string nationalId, string phone, string email)
    {
        var body = Body(nationalId: nationalId, phone: phone);
        body["email"] = email;
        return body;
    }

    private static async Task<JsonElement> SubmitRowAsync(Center center, object trainee, decimal theory = 10, decimal practical = 10)
    {
        var row = new
        {
            externalRef = "probe-" + Guid.NewGuid().ToString("N")[..10], trainee, standardCode = center.World.StandardCode,
            examDate = "2025-06-01", theoryScore = theory, practicalScore = practical, assessorId = PractitionersTestData.AssessorFor(center.World.StandardCode),
        };
        var response = await (await center.Client.PostAsJsonAsync("/api/v1/assessment-batches", new { rows = new[] { row } })).ReadJsonAsync();
        return response.GetProperty("rows")[0];
    }

    private static Task<HttpResponseMessage> PutAsync(HttpClient client, string url, object body, string etag)
    {
        var request = new HttpRequestMessage(HttpMethod.Put, url) { Content = JsonContent.Create(body) };
        request.Headers.IfMatch.Add(new EntityTagHeaderValue(etag));
        return client.SendAsync(request);
    }

    private static string ErrorsOf(JsonElement row) => row.GetProperty("errors").GetRawText();

    [Theory, OnSqlite, OnPostgres]
    public async Task A_center_cannot_take_over_a_person_with_a_national_id_alone(TestDatabase db)
    {
        var app = await fixture.For(db);
        var a = await CenterAsync(app);
        var b = await CenterAsync(app);
        var nationalId = NewNationalId();
        var registered = await (await b.Client.PostTraineeAsync(Person(nationalId, "0912 111 1111", "b@center-b.example"))).ReadJsonAsync(HttpStatusCode.Created);
        var id = registered.GetProperty("id").GetGuid();
        var url = $"/api/v1/trainees/{id}";
        await (await a.Client.GetAsync(url)).AssertProblemAsync(HttpStatusCode.NotFound);

        // The probe of the report: national ID alone, a failing score.
        var probe = await SubmitRowAsync(a, new { nationalId });
        Assert.Equal("rejected", probe.GetProperty("result").GetString());
        // ... answered exactly as for a national ID nobody registered: the answer says nothing about the person.
        var unknown = await SubmitRowAsync(a, new { nationalId = NewNationalId() });
        Assert.Equal("rejected", unknown.GetProperty("result").GetString());
        Assert.Equal(ErrorsOf(unknown), ErrorsOf(probe));

        // A complete row with a wrong birth date or family name gets the one non-revealing answer, naming no field.
        var wrongBirth = Row(nationalId, birthDate: "1999-04-12");
        var wrongName = Row(nationalId, familyNameFa: "رضایی", familyNameLatin: "Rezaei");
        foreach (var attempt in new[] { wrongBirth, wrongName })
        {
            var rejected = await SubmitRowAsync(a, attempt);
            Assert.Equal("rejected", rejected.GetProperty("result").GetString());
            var errors = rejected.GetProperty("errors");
            Assert.Equal(["rows[0].trainee"], errors.EnumerateObject().Select(p => p.Name));
            Assert.Equal(TraineeIdentityMatch.NotConfirmedDetail, errors.GetProperty("rows[0].trainee")[0].GetString());
        }
        var viaCreate = await (await a.Client.PostTraineeAsync(Body(nationalId: nationalId, birthDate: "1999-04-12"))).AssertProblemAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Equal(TraineeIdentityMatch.NotConfirmedDetail, viaCreate.GetProperty("detail").GetString());
        Assert.DoesNotContain(id.ToString(), viaCreate.GetRawText());

        // None of it gained A anything.
        await (await a.Client.GetAsync(url)).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await PutAsync(a.Client, url, Person(nationalId, "0935 666 6666", "a@attacker.example"), "\"v1\"")).AssertProblemAsync(HttpStatusCode.NotFound);
        var list = await (await a.Client.GetAsync($"/api/v1/trainees?nationalId={nationalId}")).ReadJsonAsync();
        Assert.Equal(0, list.GetProperty("total").GetInt64());
        var seenByB = await (await b.Client.GetAsync(url)).ReadJsonAsync();
        Assert.Equal("0912 111 1111", seenByB.GetProperty("phone").GetString());
        Assert.Equal("b@center-b.example", seenByB.GetProperty("email").GetString());
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task A_full_match_links_the_center_which_then_sees_only_its_own_contact_details(TestDatabase db)
    {
        var app = await fixture.For(db);
        var a = await CenterAsync(app);
        var b = await CenterAsync(app);
        var c = await CenterAsync(app);
        var nationalId = NewNationalId();
        var id = (await (await b.Client.PostTraineeAsync(Person(nationalId, "0912 111 1111", "b@center-b.example"))).ReadJsonAsync(HttpStatusCode.Created))
            .GetProperty("id").GetGuid();
        var url = $"/api/v1/trainees/{id}";

        // National ID + birth date + family name (Arabic letter forms and case do not matter) links A, with A's own contact.
        var link = Body(nationalId: ToPersianDigits(nationalId), familyNameFa: "كريمي", familyNameLatin: "KARIMI ", phone: "0935 222 2222");
        var linked = await a.Client.PostTraineeAsync(link);
        var seenByA = await linked.ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(url, linked.Headers.Location?.OriginalString);
        Assert.Equal(id, seenByA.GetProperty("id").GetGuid());
        Assert.Equal(nationalId, seenByA.GetProperty("nationalId").GetString());
        Assert.Equal("Karimi", seenByA.GetProperty("familyNameLatin").GetString()); // the record wins
        Assert.Equal("0935 222 2222", seenByA.GetProperty("phone").GetString());
        Assert.Equal(JsonValueKind.Null, seenByA.GetProperty("email").ValueKind); // B's e-mail is B's

        // A center may also link through an assessment row that identifies the person in full.
        var recorded = await SubmitRowAsync(c, Row(nationalId), 90, 90);
        Assert.Equal("recorded", recorded.GetProperty("result").GetString());
        var seenByC = await (await c.Client.GetAsync(url)).ReadJsonAsync();
        Assert.Equal(JsonValueKind.Null, seenByC.GetProperty("phone").ValueKind);

        // A changes its contact details: B's are untouched.
        var getA = await a.Client.GetAsync(url);
        var changed = await (await PutAsync(a.Client, url, Person(nationalId, "0935 333 3333", "a@center-a.example"), getA.Headers.ETag!.Tag)).ReadJsonAsync();
        Assert.Equal("0935 333 3333", changed.GetProperty("phone").GetString());
        var seenByB = await (await b.Client.GetAsync(url)).ReadJsonAsync();
        Assert.Equal("0912 111 1111", seenByB.GetProperty("phone").GetString());
        Assert.Equal("b@center-b.example", seenByB.GetProperty("email").GetString());

        // Names, birth date and gender of a person known to several centers change only through the registry.
        var getB = await b.Client.GetAsync(url);
        var refused = await (await PutAsync(b.Client, url, Body(nationalId: nationalId, familyNameLatin: "Karimy", phone: "0912 111 1111"), getB.Headers.ETag!.Tag))
            .AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.Contains("more than one training center", refused.GetProperty("detail").GetString());
        Assert.Contains("familyNameLatin", refused.GetProperty("errors").EnumerateObject().Select(p => p.Name));
        var unchanged = await (await a.Client.GetAsync(url)).ReadJsonAsync();
        Assert.Equal("Karimi", unchanged.GetProperty("familyNameLatin").GetString());
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Passport_holders_are_matched_by_passport_nationality_birth_date_and_family_name(TestDatabase db)
    {
        var app = await fixture.For(db);
        var a = await CenterAsync(app);
        var b = await CenterAsync(app);
        var passport = NewPassportNumber();
        var id = (await (await b.Client.PostTraineeAsync(Body(passportNumber: passport, nationality: "AF", targetGroups: ["foreign-nationals"])))
            .ReadJsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();

        await (await a.Client.PostTraineeAsync(Body(passportNumber: passport, nationality: "TJ"))).ReadJsonAsync(HttpStatusCode.Created); // another person
        await (await a.Client.PostTraineeAsync(Body(passportNumber: passport, nationality: "AF", birthDate: "1998-04-13")))
            .AssertProblemAsync(HttpStatusCode.UnprocessableEntity);
        await (await a.Client.GetAsync($"/api/v1/trainees/{id}")).AssertProblemAsync(HttpStatusCode.NotFound);

        var linked = await (await a.Client.PostTraineeAsync(Body(passportNumber: passport.ToLowerInvariant(), nationality: "af", familyNameFa: "نامی‌دیگر")))
            .ReadJsonAsync(HttpStatusCode.OK); // the Latin family name matches
        Assert.Equal(id, linked.GetProperty("id").GetGuid());
        Assert.Equal(passport, linked.GetProperty("passportNumber").GetString());
    }

    private static Dictionary<string, object?> Row(string nationalId, string birthDate = "1998-04-12", string familyNameFa = "کریمی", string familyNameLatin = "Karimi") =>
        Body(nationalId: nationalId, birthDate: birthDate, familyNameFa: familyNameFa, familyNameLatin: familyNameLatin);
}
