using System.Net;
using System.Net.Http.Json;
using SkillsRegistry.Api.Features.Holders;
using SkillsRegistry.Api.Infrastructure.Auth;
using SkillsRegistry.Tests.Support;

namespace SkillsRegistry.Tests.Holders;

public sealed class HolderAccessTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    [Theory, OnSqlite, OnPostgres]
    public async Task Only_admin_and_a_center_linked_to_the_person_issue_codes(TestDatabase db)
    {
        var app = await fixture.For(db);
        var world = await app.CreateWorldAsync();
        var other = await app.CreateWorldAsync();
        var (personId, _, _) = await app.PersonWithCertificatesAsync(world, 1);
        var partnerKey = await app.CreateKeyAsync(ApiKeyRole.Partner, partnerId: await app.InsertPartnerAsync());

        await (await app.ClientWithKey(other.CenterKey).PostAsync($"/api/v1/trainees/{personId}/access-codes", null)).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await app.ClientWithKey(partnerKey).PostAsync($"/api/v1/trainees/{personId}/access-codes", null)).AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await (await app.AdminClientAsync()).PostAsync($"/api/v1/trainees/{Guid.NewGuid()}/access-codes", null)).AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.Matches("^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$", await app.IssueAccessCodeAsync(world.CenterKey, personId));
        Assert.Matches("^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$", await app.IssueAccessCodeAsync(await app.CreateKeyAsync(ApiKeyRole.Admin), personId));
        var audited = await app.Db.ReadAsync(s => s.ExecuteScalarAsync<long>(
            "SELECT COUNT(*) FROM audit_log WHERE action = 'issue-access-code' AND entity_id = @id", new { id = personId.ToString() }));
        Assert.Equal(2, audited);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task A_code_works_once_and_is_stored_and_audited_only_as_a_hash_as_is_the_session(TestDatabase db)
    {
        var app = await fixture.For(db);
        var world = await app.CreateWorldAsync();
        var (personId, _, _) = await app.PersonWithCertificatesAsync(world, 1);
        var code = await app.IssueAccessCodeAsync(world.CenterKey, personId);
        // Typed the way people type: lower case, spaces, O for 0.
        var typed = code.ToLowerInvariant().Replace("-", " ").Replace('0', 'o');
        var session = await (await app.SignInAsync(typed)).ReadJsonAsync(HttpStatusCode.Created);
        var token = session.GetProperty("token").GetString()!;
        Assert.StartsWith("srh_", token);
        Assert.Equal(30, session.GetProperty("idleTimeoutMinutes").GetInt32());
        Assert.Equal(app.Clock.GetUtcNow().AddHours(12), session.GetProperty("expiresAt").GetDateTimeOffset());

        var again = await (await app.SignInAsync(code)).AssertProblemAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Equal("Access code not accepted", again.GetProperty("title").GetString());

        var bare = code.Replace("-", "");
        var stored = await app.Db.ReadAsync(async s => string.Join('\n',
            await s.QueryAsync<string>("SELECT code_hash FROM holder_access_codes UNION ALL SELECT token_hash FROM holder_sessions UNION ALL SELECT COALESCE(changes, '') FROM audit_log")));
        Assert.DoesNotContain(bare, stored);
        Assert.DoesNotContain(code, stored);
        Assert.DoesNotContain(token, stored);
        Assert.DoesNotContain(token[4..], stored);
        Assert.Equal(1, await app.Db.ReadAsync(s => s.ExecuteScalarAsync<long>(
            "SELECT COUNT(*) FROM holder_access_codes WHERE trainee_id = @personId AND retired_reason = 'used'", new { personId })));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task A_person_holds_at_most_three_live_codes_and_a_code_expires_after_72_hours(TestDatabase db)
    {
        var app = await fixture.For(db);
        var world = await app.CreateWorldAsync();
        var (personId, _, _) = await app.PersonWithCertificatesAsync(world, 1);
        var oldest = await app.IssueAccessCodeAsync(world.CenterKey, personId);
        var codes = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            app.Clock.Advance(TimeSpan.FromSeconds(1));
            codes.Add(await app.IssueAccessCodeAsync(world.CenterKey, personId));
        }
        await (await app.SignInAsync(oldest)).AssertProblemAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Equal(HttpStatusCode.Created, (await app.SignInAsync(codes[0])).StatusCode);

        app.Clock.Advance(TimeSpan.FromHours(72));
        await (await app.SignInAsync(codes[1])).AssertProblemAsync(HttpStatusCode.UnprocessableEntity);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task A_session_ends_after_30_idle_minutes_and_after_12_hours_however_busy(TestDatabase db)
    {
        var app = await fixture.For(db);
        var world = await app.CreateWorldAsync();
        var holder = await app.HolderAsync(world, 1);
        app.Clock.Advance(TimeSpan.FromMinutes(29));
        Assert.Equal(HttpStatusCode.OK, (await holder.Client.GetAsync("/holder/record")).StatusCode);
        app.Clock.Advance(TimeSpan.FromMinutes(30));
        var idle = await (await holder.Client.GetAsync("/holder/record")).AssertProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Contains("expired", idle.GetProperty("detail").GetString());

        var busy = await app.HolderAsync(world, 1);
        for (var minutes = 0; minutes < 12 * 60; minutes += 25)
        {
            Assert.Equal(HttpStatusCode.OK, (await busy.Client.GetAsync("/holder/record")).StatusCode);
            app.Clock.Advance(TimeSpan.FromMinutes(25));
        }
        await (await busy.Client.GetAsync("/holder/record")).AssertProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Guessing_is_cut_off_long_before_a_meaningful_share_of_codes_or_birth_dates_is_tried(TestDatabase db)
    {
        // Its own app: the per-network failure count must start at zero.
        await using var app = await RegistryApp.StartAsync(db);
        var world = await app.CreateWorldAsync();
        var (personId, _, _) = await app.PersonWithCertificatesAsync(world, 1);
        var code = await app.IssueAccessCodeAsync(world.CenterKey, personId);

        // A code is burned after 5 wrong birth dates, even when the sixth is right (each try from another network).
        for (var i = 0; i < 5; i++)
            await (await app.SignInAsync(code, new DateOnly(1990, 1, 1).AddDays(i).ToString("yyyy-MM-dd"), $"198.51.{i}.7")).AssertProblemAsync(HttpStatusCode.UnprocessableEntity);
        await (await app.SignInAsync(code, HoldersTestData.BirthDate, "198.51.100.7")).AssertProblemAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Equal("burned", await app.Db.ReadAsync(s => s.QuerySingleAsync<string>(
            "SELECT retired_reason FROM holder_access_codes WHERE trainee_id = @personId", new { personId })));
        // Birth dates over 100 years: 5 tries are 0.014 % of them.
        Assert.True(5 / (100 * 365.25) < 0.0002);

        // One network: its 10 refused guesses in 15 minutes, then 429 (with Retry-After) before any guess is checked, the right code included.
        var fresh = await app.IssueAccessCodeAsync(world.CenterKey, personId);
        var tried = 0;
        HttpResponseMessage response;
        while ((response = await app.SignInAsync(HolderSecrets.NewCode(), HoldersTestData.BirthDate, "203.0.113.9")).StatusCode == HttpStatusCode.UnprocessableEntity)
        {
            tried++;
            Assert.True(tried <= 10, "The network was not slowed down after 10 refused attempts.");
        }
        await response.AssertProblemAsync(HttpStatusCode.TooManyRequests);
        Assert.NotNull(response.Headers.RetryAfter);
        await (await app.SignInAsync(fresh, HoldersTestData.BirthDate, "203.0.113.9")).AssertProblemAsync(HttpStatusCode.TooManyRequests);
        // The code space is 32^12 ≈ 1.15e18: 10 guesses per 15 minutes are a fraction of 1e-17 a window, ~3e-13 a year.
        Assert.Equal(Math.Pow(32, 12), HolderSecrets.CodeSpace);
        Assert.True(tried / HolderSecrets.CodeSpace < 1e-16);
        Assert.True(10 * 4 * 24 * 366 / HolderSecrets.CodeSpace < 1e-12);

        // Another network is not held back, and the first one may try again when its window ends.
        Assert.Equal(HttpStatusCode.Created, (await app.SignInAsync(fresh, HoldersTestData.BirthDate, "192.0.2.1")).StatusCode);
        app.Clock.Advance(TimeSpan.FromMinutes(15));
        var again = await app.IssueAccessCodeAsync(world.CenterKey, personId);
        Assert.Equal(HttpStatusCode.Created, (await app.SignInAsync(again, HoldersTestData.BirthDate, "203.0.113.9")).StatusCode);
    }
}
