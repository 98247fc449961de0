using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using SkillsRegistry.Api.Features.Trainees;
using SkillsRegistry.Api.Infrastructure.Auth;
using SkillsRegistry.Tests.Support;
using static SkillsRegistry.Tests.Support.TraineesTestData;

namespace SkillsRegistry.Tests.Trainees;

public sealed class TraineeVisibilityTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    private static async Task<(Guid Id, HttpClient Client)> CenterAsync(RegistryApp app)
    {
        var id = await app.InsertCenterAsync();
        return (id, app.ClientWithKey(await app.CreateKeyAsync(ApiKeyRole.Center, centerId: id)));
    }

    private static async Task<bool> ListsAsync(HttpClient client, Guid traineeId, string query = "pageSize=200")
    {
        var page = await (await client.GetAsync($"/api/v1/trainees?{query}")).ReadJsonAsync();
        return page.GetProperty("items").EnumerateArray().Any(t => t.GetProperty("id").GetGuid() == traineeId);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task A_center_sees_only_trainees_it_registered_until_it_is_granted_another(TestDatabase db)
    {
        var app = await fixture.For(db);
        var (_, centerA) = await CenterAsync(app);
        var (centerBId, centerB) = await CenterAsync(app);
        var nationalId = NewNationalId();
        var created = await (await centerA.PostTraineeAsync(Body(nationalId: nationalId))).ReadJsonAsync(HttpStatusCode.Created);
        var id = created.GetProperty("id").GetGuid();

        await (await centerA.GetAsync($"/api/v1/trainees/{id}")).ReadJsonAsync();
        Assert.True(await ListsAsync(centerA, id));

        await (await centerB.GetAsync($"/api/v1/trainees/{id}")).AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.False(await ListsAsync(centerB, id));
        Assert.False(await ListsAsync(centerB, id, $"nationalId={nationalId}"));

        var repository = app.Service<TraineeRepository>();
        Assert.True(await app.Db.WriteAsync(s => repository.GrantCenterAsync(s, centerBId, id)));
        Assert.False(await app.Db.WriteAsync(s => repository.GrantCenterAsync(s, centerBId, id))); // already granted

        var seen = await (await centerB.GetAsync($"/api/v1/trainees/{id}")).ReadJsonAsync();
        Assert.Equal(nationalId, seen.GetProperty("nationalId").GetString()); // an authorized center sees the full ID
        Assert.True(await ListsAsync(centerB, id));
        Assert.True(await ListsAsync(centerB, id, $"nationalId={Uri.EscapeDataString(ToPersianDigits(nationalId))}"));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task A_center_registering_someone_another_center_registered_is_refused_without_a_pointer_unless_it_identifies_them(TestDatabase db)
    {
        var app = await fixture.For(db);
        var (_, centerA) = await CenterAsync(app);
        var (_, centerB) = await CenterAsync(app);
        var nationalId = NewNationalId();
        var id = (await (await centerA.PostTraineeAsync(Body(nationalId: nationalId))).ReadJsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();

        var response = await centerB.PostTraineeAsync(Body(nationalId: nationalId, birthDate: "1997-04-12"));
        var problem = await response.AssertProblemAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Null(response.Headers.Location);
        Assert.False(problem.TryGetProperty("existingId", out _));
        Assert.DoesNotContain(id.ToString(), await response.Content.ReadAsStringAsync());
        Assert.Equal(TraineeIdentityMatch.NotConfirmedDetail, problem.GetProperty("detail").GetString());
        Assert.Equal("Identity not confirmed", problem.GetProperty("title").GetString());
        // ... and the refusal granted nothing.
        await (await centerB.GetAsync($"/api/v1/trainees/{id}")).AssertProblemAsync(HttpStatusCode.NotFound);

        // The center that registered the person is pointed to its record.
        var again = await centerA.PostTraineeAsync(Body(nationalId: nationalId));
        var own = await again.AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal($"/api/v1/trainees/{id}", again.Headers.Location?.OriginalString);
        Assert.Equal(id, own.GetProperty("existingId").GetGuid());
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task A_center_may_update_its_trainee_but_not_change_the_identity_nor_touch_others(TestDatabase db)
    {
        var app = await fixture.For(db);
        var (_, centerA) = await CenterAsync(app);
        var (_, centerB) = await CenterAsync(app);
        var nationalId = NewNationalId();
        var id = (await (await centerA.PostTraineeAsync(Body(nationalId: nationalId))).ReadJsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();
        var url = $"/api/v1/trainees/{id}";

        await (await PutAsync(centerB, url, Body(familyNameLatin: "Hijack"), "\"v1\"")).AssertProblemAsync(HttpStatusCode.NotFound);

        var problem = await (await PutAsync(centerA, url, Body(nationalId: NewNationalId()), "\"v1\"")).AssertProblemAsync(HttpStatusCode.Forbidden);
        Assert.Contains("identity", problem.GetProperty("detail").GetString());

        // Repeating the identity unchanged (a GET, edit, PUT round trip) is fine.
        var ok = await (await PutAsync(centerA, url, Body(nationalId: ToPersianDigits(nationalId), phone: "0912 345 6789"), "\"v1\"")).ReadJsonAsync();
        Assert.Equal("0912 345 6789", ok.GetProperty("phone").GetString());
        Assert.Equal(2, ok.GetProperty("rowVersion").GetInt64());
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Partner_keys_are_refused(TestDatabase db)
    {
        var app = await fixture.For(db);
        var partner = app.ClientWithKey(await app.CreateKeyAsync(ApiKeyRole.Partner, partnerId: await app.InsertPartnerAsync()));
        await (await partner.GetAsync("/api/v1/trainees")).AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await partner.PostTraineeAsync(Body(nationalId: NewNationalId()))).AssertProblemAsync(HttpStatusCode.Forbidden);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Assessing_a_person_identified_in_full_grants_the_assessing_center_and_an_unknown_identity_registers_them(TestDatabase db)
    {
        var app = await fixture.For(db);
        var (_, centerA) = await CenterAsync(app);
        var world = await app.CreateWorldAsync();
        var centerB = app.ClientWithKey(world.CenterKey);
        var nationalId = NewNationalId();
        var id = (await (await centerA.PostTraineeAsync(Body(nationalId: nationalId))).ReadJsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();

        // Identifier, birth date and family name must match; the given names differ and do not count.
        var presented = Body(nationalId: ToPersianDigits(nationalId), givenNameFa: "نام", givenNameLatin: "Other");
        var mismatch = await AssessAsync(centerB, world, "m-1", new Dictionary<string, object?>(presented) { ["birthDate"] = "1998-04-13" });
        Assert.Equal("rejected", mismatch.GetProperty("result").GetString());
        Assert.Contains("rows[0].trainee", mismatch.GetProperty("errors").EnumerateObject().Select(p => p.Name));
        await (await centerB.GetAsync($"/api/v1/trainees/{id}")).AssertProblemAsync(HttpStatusCode.NotFound);

        Assert.Equal("recorded", (await AssessAsync(centerB, world, "m-2", presented)).GetProperty("result").GetString());
        var seen = await (await centerB.GetAsync($"/api/v1/trainees/{id}")).ReadJsonAsync();
        Assert.Equal("Maryam", seen.GetProperty("givenNameLatin").GetString()); // the stored record wins

        var passport = NewPassportNumber();
        var newcomer = Body(passportNumber: passport, nationality: "TJ", targetGroups: ["foreign-nationals"]);
        Assert.Equal("recorded", (await AssessAsync(centerB, world, "m-3", newcomer)).GetProperty("result").GetString());
        var query = $"passportNumber={passport}&nationality=TJ";
        var found = (await (await centerB.GetAsync($"/api/v1/trainees?{query}")).ReadJsonAsync()).GetProperty("items");
        Assert.Equal(passport, Assert.Single(found.EnumerateArray()).GetProperty("passportNumber").GetString());
        Assert.Equal(0, (await (await centerA.GetAsync($"/api/v1/trainees?{query}")).ReadJsonAsync()).GetProperty("total").GetInt64());
    }

    /// <summary>Submits one passing result for <paramref name="trainee"/> as <paramref name="center"/>; the row's result.</summary>
    private static async Task<JsonElement> AssessAsync(HttpClient center, RegistryWorld world, string externalRef, IReadOnlyDictionary<string, object?> trainee)
    {
        var row = new
        {
            externalRef, trainee, standardCode = world.StandardCode, examDate = "2025-06-01", theoryScore = 90, practicalScore = 90,
            assessorId = PractitionersTestData.AssessorFor(world.StandardCode),
        };
        return (await (await center.PostAsJsonAsync("/api/v1/assessment-batches", new { rows = new[] { row } })).ReadJsonAsync()).GetProperty("rows")[0];
    }

    private static Task<HttpResponseMessage> PutAsync(HttpClient client, string url, object body, string etag)
    {
        var request = new HttpRequestMessage(HttpMethod.Put, url) { Content = JsonContent.Create(body) };
        request.Headers.IfMatch.Add(new EntityTagHeaderValue(etag));
        return client.SendAsync(request);
    }
}
