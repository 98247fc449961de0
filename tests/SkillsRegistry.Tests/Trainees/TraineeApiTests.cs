using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using SkillsRegistry.Tests.Support;
using static SkillsRegistry.Tests.Support.TraineesTestData;

namespace SkillsRegistry.Tests.Trainees;

public sealed class TraineeApiTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    [Theory, OnSqlite, OnPostgres]
    public async Task Registering_a_trainee_returns_201_with_location_etag_and_the_normalised_record(TestDatabase db)
    {
        var app = await fixture.For(db);
        var admin = await app.AdminClientAsync();
        var nationalId = NewNationalId();
        var response = await admin.PostTraineeAsync(Body(nationalId: ToPersianDigits(nationalId[..3]) + "-" + nationalId[3..],
            targetGroups: ["female-heads-of-household", "urban-job-seekers"]));
        var created = await response.ReadJsonAsync(HttpStatusCode.Created);
        var id = created.GetProperty("id").GetGuid();
        Assert.Equal($"/api/v1/trainees/{id}", response.Headers.Location?.OriginalString);
        Assert.Equal("\"v1\"", response.Headers.ETag?.Tag);
        Assert.Equal(nationalId, created.GetProperty("nationalId").GetString());
        Assert.Equal("female", created.GetProperty("gender").GetString());
        Assert.Equal("1998-04-12", created.GetProperty("birthDate").GetString());
        Assert.Equal(["female-heads-of-household", "urban-job-seekers"],
            created.GetProperty("targetGroups").EnumerateArray().Select(e => e.GetString()!).ToArray());

        var fetched = await (await admin.GetAsync($"/api/v1/trainees/{id}")).ReadJsonAsync();
        Assert.Equal("Karimi", fetched.GetProperty("familyNameLatin").GetString());
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Invalid_fields_are_400_and_unknown_target_groups_422(TestDatabase db)
    {
        var app = await fixture.For(db);
        var admin = await app.AdminClientAsync();
        var problem = await (await admin.PostTraineeAsync(Body(nationalId: "1234567890", gender: "x"))).AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("check digit", problem.FieldErrors("nationalId")[0]);
        Assert.NotEmpty(problem.FieldErrors("gender"));

        problem = await (await admin.PostTraineeAsync(Body(nationalId: NewNationalId(), targetGroups: ["astronauts"])))
            .AssertProblemAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Contains("astronauts", problem.FieldErrors("targetGroups")[0]);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task A_duplicate_national_id_is_409_pointing_to_the_existing_trainee(TestDatabase db)
    {
        var app = await fixture.For(db);
        var admin = await app.AdminClientAsync();
        var nationalId = NewNationalId();
        var id = (await (await admin.PostTraineeAsync(Body(nationalId: nationalId))).ReadJsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();

        var response = await admin.PostTraineeAsync(Body(nationalId: ToPersianDigits(nationalId), givenNameLatin: "Someone", familyNameLatin: "Else"));
        var problem = await response.AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal($"/api/v1/trainees/{id}", response.Headers.Location?.OriginalString);
        Assert.Equal(id, problem.GetProperty("existingId").GetGuid());
        Assert.Equal($"/api/v1/trainees/{id}", problem.GetProperty("location").GetString());
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Passport_holders_are_one_record_per_passport_and_nationality(TestDatabase db)
    {
        var app = await fixture.For(db);
        var admin = await app.AdminClientAsync();
        var passport = NewPassportNumber();
        var created = await (await admin.PostTraineeAsync(Body(passportNumber: passport.ToLowerInvariant(), nationality: "af",
            targetGroups: ["foreign-nationals"]))).ReadJsonAsync(HttpStatusCode.Created);
        Assert.Equal(passport, created.GetProperty("passportNumber").GetString());
        Assert.Equal("AF", created.GetProperty("nationality").GetString());
        Assert.Equal(JsonValueKind.Null, created.GetProperty("nationalId").ValueKind);

        var duplicate = await admin.PostTraineeAsync(Body(passportNumber: passport, nationality: "AF"));
        var problem = await duplicate.AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal(created.GetProperty("id").GetGuid(), problem.GetProperty("existingId").GetGuid());

        var otherCountry = await admin.PostTraineeAsync(Body(passportNumber: passport, nationality: "IQ"));
        await otherCountry.ReadJsonAsync(HttpStatusCode.Created);

        var found = await (await admin.GetAsync($"/api/v1/trainees?passportNumber={passport}&nationality=iq")).ReadJsonAsync();
        Assert.Equal(1, found.GetProperty("total").GetInt64());
        Assert.Equal("IQ", found.GetProperty("items")[0].GetProperty("nationality").GetString());
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Two_simultaneous_registrations_of_one_person_give_one_201_and_409s_pointing_to_it(TestDatabase db)
    {
        var app = await fixture.For(db);
        var admin = await app.AdminClientAsync();
        var nationalId = NewNationalId();
        var responses = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => admin.PostTraineeAsync(Body(nationalId: nationalId))));
        var created = Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Created);
        var id = (await created.ReadJsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();
        foreach (var conflict in responses.Where(r => r != created))
        {
            var problem = await conflict.AssertProblemAsync(HttpStatusCode.Conflict);
            Assert.Equal(id, problem.GetProperty("existingId").GetGuid());
        }
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Looking_up_by_national_id_in_persian_digits_finds_the_person(TestDatabase db)
    {
        var app = await fixture.For(db);
        var admin = await app.AdminClientAsync();
        var nationalId = NewNationalId();
        var id = (await (await admin.PostTraineeAsync(Body(nationalId: nationalId))).ReadJsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();
        await (await admin.PostTraineeAsync(Body(nationalId: NewNationalId()))).ReadJsonAsync(HttpStatusCode.Created);

        var page = await (await admin.GetAsync($"/api/v1/trainees?nationalId={Uri.EscapeDataString(ToPersianDigits(nationalId))}")).ReadJsonAsync();
        Assert.Equal(1, page.GetProperty("total").GetInt64());
        Assert.Equal(id, page.GetProperty("items")[0].GetProperty("id").GetGuid());

        var problem = await (await admin.GetAsync("/api/v1/trainees?nationalId=123")).AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.NotEmpty(problem.FieldErrors("nationalId"));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Name_search_ignores_arabic_letter_variants_zwnj_and_case(TestDatabase db)
    {
        var app = await fixture.For(db);
        var admin = await app.AdminClientAsync();
        var id = (await (await admin.PostTraineeAsync(Body(nationalId: NewNationalId(), givenNameFa: "یاسمین", familyNameFa: "کاظمی‌نژاد",
            givenNameLatin: "Yasamin", familyNameLatin: "Kazeminejad", gender: "female"))).ReadJsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();

        foreach (var q in new[] { "ياسمين", "كاظمي‌نژاد", "كاظمينژاد", "کاظمی نژاد".Replace(" ", ""), "KAZEMINEJAD", "yasamin kazem" })
        {
            var page = await (await admin.GetAsync($"/api/v1/trainees?pageSize=200&q={Uri.EscapeDataString(q)}")).ReadJsonAsync();
            Assert.True(page.GetProperty("items").EnumerateArray().Any(t => t.GetProperty("id").GetGuid() == id), $"'{q}' did not find the trainee");
        }
        var none = await (await admin.GetAsync($"/api/v1/trainees?pageSize=200&q={Uri.EscapeDataString("کاظمی‌نژاد")}&gender=male")).ReadJsonAsync();
        Assert.DoesNotContain(none.GetProperty("items").EnumerateArray(), t => t.GetProperty("id").GetGuid() == id);
        var percent = await (await admin.GetAsync($"/api/v1/trainees?q={Uri.EscapeDataString("%")}")).ReadJsonAsync();
        Assert.Equal(0, percent.GetProperty("total").GetInt64());
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task The_target_group_filter_lists_only_members(TestDatabase db)
    {
        var app = await fixture.For(db);
        var admin = await app.AdminClientAsync();
        var member = (await (await admin.PostTraineeAsync(Body(nationalId: NewNationalId(), targetGroups: ["child-labourers"])))
            .ReadJsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();
        var other = (await (await admin.PostTraineeAsync(Body(nationalId: NewNationalId(), targetGroups: ["employed-workers"])))
            .ReadJsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();
        var page = await (await admin.GetAsync("/api/v1/trainees?targetGroup=child-labourers&pageSize=200")).ReadJsonAsync();
        var ids = page.GetProperty("items").EnumerateArray().Select(t => t.GetProperty("id").GetGuid()).ToList();
        Assert.Contains(member, ids);
        Assert.DoesNotContain(other, ids);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Updating_needs_if_match_and_refuses_a_stale_etag(TestDatabase db)
    {
        var app = await fixture.For(db);
        var admin = await app.AdminClientAsync();
        var nationalId = NewNationalId();
        var id = (await (await admin.PostTraineeAsync(Body(nationalId: nationalId))).ReadJsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();
        var url = $"/api/v1/trainees/{id}";
        var get = await admin.GetAsync(url);
        Assert.Equal("\"v1\"", get.Headers.ETag?.Tag);

        var change = Body(familyNameFa: "کریمی‌پور", familyNameLatin: "Karimipour", targetGroups: ["university-graduates"]);
        await (await admin.PutAsJsonAsync(url, change)).AssertProblemAsync(HttpStatusCode.PreconditionRequired);

        var updated = await SendPutAsync(admin, url, change, "\"v1\"");
        var body = await updated.ReadJsonAsync();
        Assert.Equal("\"v2\"", updated.Headers.ETag?.Tag);
        Assert.Equal("Karimipour", body.GetProperty("familyNameLatin").GetString());
        Assert.Equal(nationalId, body.GetProperty("nationalId").GetString()); // identity omitted = kept
        Assert.Equal(["university-graduates"], body.GetProperty("targetGroups").EnumerateArray().Select(e => e.GetString()!).ToArray());

        var stale = await SendPutAsync(admin, url, Body(familyNameLatin: "Lost"), "\"v1\"");
        var problem = await stale.AssertProblemAsync(HttpStatusCode.PreconditionFailed);
        Assert.Contains("\"v2\"", problem.GetProperty("detail").GetString());
        var after = await (await admin.GetAsync(url)).ReadJsonAsync();
        Assert.Equal("Karimipour", after.GetProperty("familyNameLatin").GetString());

        await (await SendPutAsync(admin, $"/api/v1/trainees/{Guid.CreateVersion7()}", change, "\"v1\"")).AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task An_admin_may_correct_an_identity_but_not_onto_another_trainee(TestDatabase db)
    {
        var app = await fixture.For(db);
        var admin = await app.AdminClientAsync();
        var other = NewNationalId();
        var otherId = (await (await admin.PostTraineeAsync(Body(nationalId: other))).ReadJsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();
        var id = (await (await admin.PostTraineeAsync(Body(nationalId: NewNationalId()))).ReadJsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();

        var taken = await SendPutAsync(admin, $"/api/v1/trainees/{id}", Body(nationalId: other), "\"v1\"");
        var problem = await taken.AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal(otherId, problem.GetProperty("existingId").GetGuid());

        var corrected = NewNationalId();
        var ok = await (await SendPutAsync(admin, $"/api/v1/trainees/{id}", Body(nationalId: corrected), "\"v1\"")).ReadJsonAsync();
        Assert.Equal(corrected, ok.GetProperty("nationalId").GetString());
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task The_audit_log_never_holds_the_full_national_id(TestDatabase db)
    {
        var app = await fixture.For(db);
        var admin = await app.AdminClientAsync();
        var nationalId = NewNationalId();
        var id = (await (await admin.PostTraineeAsync(Body(nationalId: nationalId))).ReadJsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();
        var corrected = NewNationalId();
        await (await SendPutAsync(admin, $"/api/v1/trainees/{id}", Body(nationalId: corrected), "\"v1\"")).ReadJsonAsync();

        var changes = (await app.Db.ReadAsync(s => s.QueryAsync<string>(
            "SELECT changes FROM audit_log WHERE entity = 'trainee' AND entity_id = @id ORDER BY seq", new { id = id.ToString() }))).ToList();
        Assert.Equal(2, changes.Count);
        Assert.All(changes, c =>
        {
            Assert.DoesNotContain(nationalId, c);
            Assert.DoesNotContain(corrected, c);
        });
        Assert.Contains("******" + nationalId[^4..], changes[0]);
        Assert.Contains("******" + corrected[^4..], changes[1]);
    }

    private static Task<HttpResponseMessage> SendPutAsync(HttpClient client, string url, object body, string etag)
    {
        var request = new HttpRequestMessage(HttpMethod.Put, url) { Content = JsonContent.Create(body) };
        request.Headers.IfMatch.Add(new EntityTagHeaderValue(etag));
        return client.SendAsync(request);
    }
}
