using System.Net;
using System.Text;
using System.Text.Json;
using SkillsRegistry.Api.Infrastructure.Auth;
using SkillsRegistry.Tests.Support;

namespace SkillsRegistry.Tests.Foundation;

/// <summary>Error texts speak the client's language: the field, the expected form in words, and nothing of .NET or of the key.</summary>
public sealed class PlainErrorTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    private static readonly string[] Internals = ["System.", "SkillsRegistry.", "`1", "Nullable<", "DateOnly", "IReadOnlyList", "Int32", "Guid "];

    private static async Task<JsonElement> BadRequestAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        foreach (var text in Internals) Assert.DoesNotContain(text, body);
        return await response.AssertProblemAsync(HttpStatusCode.BadRequest);
    }

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    [Theory, OnSqlite, OnPostgres]
    public async Task A_wrong_json_type_names_the_field_and_the_expected_form(TestDatabase db)
    {
        var admin = await (await fixture.For(db)).AdminClientAsync();

        var list = await BadRequestAsync(await admin.PostAsync("/api/v1/partners", Json("""{"code":"p-x","sectors":"cinema"}""")));
        Assert.Equal("Expected an array of strings.", Assert.Single(list.FieldErrors("$.sectors")));

        var date = await BadRequestAsync(await admin.PostAsync("/api/v1/partners", Json("""{"code":"p-x","agreementSignedOn":"13/01/2025"}""")));
        Assert.Equal("Expected a date as YYYY-MM-DD (Gregorian).", Assert.Single(date.FieldErrors("$.agreementSignedOn")));

        var nested = await BadRequestAsync(await admin.PostAsync("/api/v1/assessment-batches",
            Json("""{"centerId":"0196a5f0-7c4e-7d2a-9b1e-2f3c4d5e6f70","rows":[{"trainee":{"birthDate":"1370/01/01"}}]}""")));
        Assert.Equal("Expected a date as YYYY-MM-DD (Gregorian).", Assert.Single(nested.FieldErrors("$.rows[0].trainee.birthDate")));

        var number = await BadRequestAsync(await admin.PostAsync("/api/v1/api-keys", Json("""{"name":"x","role":"admin","expiresAt":42}""")));
        Assert.StartsWith("Expected a date and time", Assert.Single(number.FieldErrors("$.expiresAt")));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task A_bad_query_value_names_the_parameter_and_the_expected_form(TestDatabase db)
    {
        var admin = await (await fixture.For(db)).AdminClientAsync();

        var date = await BadRequestAsync(await admin.GetAsync("/api/v1/standards/7311-1/in-force?on=tomorrow"));
        Assert.Equal("Expected a date as YYYY-MM-DD (Gregorian).", Assert.Single(date.FieldErrors("on")));

        var page = await BadRequestAsync(await admin.GetAsync("/api/v1/trainees?page=two"));
        Assert.Equal("Expected an integer.", Assert.Single(page.FieldErrors("page")));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task A_Solar_Hijri_date_in_a_query_is_refused_with_the_Gregorian_date_it_probably_meant(TestDatabase db)
    {
        var admin = await (await fixture.For(db)).AdminClientAsync();

        var problem = await BadRequestAsync(await admin.GetAsync("/api/v1/standards/7311-1/in-force?on=1405-01-01"));

        var message = Assert.Single(problem.FieldErrors("on"));
        Assert.Contains("Gregorian", message);
        Assert.Contains("2026-03-21", message); // 1 Farvardin 1405
        var statistics = await BadRequestAsync(await admin.GetAsync("/api/v1/statistics/certificates?groupBy=sector&from=1404-07-01"));
        Assert.Contains("Gregorian", Assert.Single(statistics.FieldErrors("from")));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task A_401_for_a_revoked_or_expired_key_does_not_name_or_echo_the_key(TestDatabase db)
    {
        var app = await fixture.For(db);
        var revoked = await app.CreateKeyAsync(ApiKeyRole.Admin, name: "ops-laptop-revoked");
        var expired = await app.CreateKeyAsync(ApiKeyRole.Admin, name: "ops-laptop-expired");
        var yesterday = app.Service<TimeProvider>().GetUtcNow().AddDays(-1); // the service's own clock
        await app.Db.WriteAsync(async s =>
        {
            await s.ExecuteAsync("UPDATE api_keys SET revoked_at = @at WHERE name = 'ops-laptop-revoked'", new { at = yesterday });
            await s.ExecuteAsync("UPDATE api_keys SET expires_at = @at WHERE name = 'ops-laptop-expired'", new { at = yesterday });
        });

        foreach (var (key, word) in new[] { (revoked, "revoked"), (expired, "expired"), ("srk_" + new string('A', 43), "unknown") })
        {
            var response = await app.ClientWithKey(key).GetAsync("/api/v1/trainees");
            var body = await response.Content.ReadAsStringAsync();
            var problem = await response.AssertProblemAsync(HttpStatusCode.Unauthorized);
            Assert.Contains(word, problem.GetProperty("detail").GetString());
            Assert.DoesNotContain("ops-laptop", body);
            Assert.DoesNotContain(key[..12], body);
        }
    }
}
