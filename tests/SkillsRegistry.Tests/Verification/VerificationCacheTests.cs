using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using SkillsRegistry.Api.Features.Certificates;
using SkillsRegistry.Api.Features.Verification;
using SkillsRegistry.Api.Infrastructure.Text;
using Npgsql;
using SkillsRegistry.Tests.Support;

namespace SkillsRegistry.Tests.Verification;

/// <summary>
/// Verification answers are cached by number; every change to a certificate must show on the very next verification,
/// and time (expiry) must never be frozen in a cached answer.
/// </summary>
public sealed partial class VerificationCacheTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    private static async Task<JsonElement> VerifyAsync(HttpClient client, string number) =>
        await (await client.GetAsync($"/api/v1/verify/{Uri.EscapeDataString(number)}?familyName=Karimi")).ReadJsonAsync(); // the family name unlocks the details

    private static async Task<string> PageStatusAsync(HttpClient client, string number)
    {
        var html = await (await client.GetAsync($"/verify/{Uri.EscapeDataString(number)}")).Content.ReadAsStringAsync();
        return DataStatus().Match(html).Groups[1].Value;
    }

    [GeneratedRegex("data-status=\"([a-z-]+)\"")]
    private static partial Regex DataStatus();

    /// <summary>Verifies twice (JSON and page), so the answer is certainly held in memory before the change under test.</summary>
    private static async Task WarmAsync(RegistryApp app, HttpClient client, string number)
    {
        Assert.Equal("valid", (await VerifyAsync(client, number)).GetProperty("status").GetString());
        Assert.Equal("valid", await PageStatusAsync(client, number));
        Assert.True(app.Service<VerificationCache>().TryGet(number, out _), "the answer should be cached after a verification");
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task A_revoked_certificate_is_revoked_on_the_next_verification(TestDatabase db)
    {
        var app = await fixture.For(db);
        var world = await app.CreateWorldAsync();
        var admin = await app.AdminClientAsync();
        var anonymous = app.CreateClient();
        var certificate = await app.IssueCertificateAsync(world);
        await WarmAsync(app, anonymous, certificate.Number);

        (await admin.PostAsJsonAsync($"/api/v1/certificates/{certificate.CertificateId}/revoke", new { reasonCode = "fraud", reason = "forged" }))
            .EnsureSuccessStatusCode();

        var answer = await VerifyAsync(anonymous, certificate.Number);
        Assert.Equal("revoked", answer.GetProperty("status").GetString());
        Assert.Equal("fraud", answer.GetProperty("revocation").GetProperty("reasonCode").GetString());
        Assert.Equal("revoked", await PageStatusAsync(anonymous, certificate.Number));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task A_corrected_certificate_is_superseded_by_its_replacement_on_the_next_verification(TestDatabase db)
    {
        var app = await fixture.For(db);
        var world = await app.CreateWorldAsync();
        var admin = await app.AdminClientAsync();
        var anonymous = app.CreateClient();
        var certificate = await app.IssueCertificateAsync(world);
        await WarmAsync(app, anonymous, certificate.Number);

        var replacement = await (await admin.PostAsJsonAsync($"/api/v1/certificates/{certificate.CertificateId}/corrections",
            new { reason = "mis-keyed theory score", theoryScore = 85 })).ReadJsonAsync(HttpStatusCode.Created);

        var answer = await VerifyAsync(anonymous, certificate.Number);
        Assert.Equal("superseded", answer.GetProperty("status").GetString());
        Assert.Equal(replacement.GetProperty("number").GetString(), answer.GetProperty("supersededBy").GetProperty("number").GetString());
        Assert.Equal("superseded", await PageStatusAsync(anonymous, certificate.Number));
        Assert.Equal("valid", (await VerifyAsync(anonymous, replacement.GetProperty("number").GetString()!)).GetProperty("status").GetString());
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Voiding_the_assessment_shows_its_certificate_revoked_on_the_next_verification(TestDatabase db)
    {
        var app = await fixture.For(db);
        var world = await app.CreateWorldAsync();
        var admin = await app.AdminClientAsync();
        var anonymous = app.CreateClient();
        var certificate = await app.IssueCertificateAsync(world);
        await WarmAsync(app, anonymous, certificate.Number);

        (await admin.PostAsJsonAsync($"/api/v1/assessments/{certificate.AssessmentId}/void", new { reason = "recorded for the wrong person" }))
            .EnsureSuccessStatusCode();

        var answer = await VerifyAsync(anonymous, certificate.Number);
        Assert.Equal("revoked", answer.GetProperty("status").GetString());
        Assert.Equal("assessment-annulled", answer.GetProperty("revocation").GetProperty("reasonCode").GetString());
        Assert.Equal("revoked", await PageStatusAsync(anonymous, certificate.Number));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task A_cached_certificate_is_expired_the_day_after_its_expiry_date_without_any_change_reported(TestDatabase db)
    {
        // The safety-net lifetime is far longer than the time travelled, so only the read-time status can say "expired".
        await using var app = await RegistryApp.StartAsync(db, new Dictionary<string, string?> { ["Verification:CacheTtlSeconds"] = "630000000" });
        var world = await app.CreateWorldAsync(validityMonths: 12);
        var anonymous = app.CreateClient();
        var certificate = await app.IssueCertificateAsync(world);
        await WarmAsync(app, anonymous, certificate.Number);
        var cache = app.Service<VerificationCache>();
        var expiresOn = (await VerifyAsync(anonymous, certificate.Number)).GetProperty("expiresOn").GetString();
        var lastValidDay = DateOnly.Parse(expiresOn!, System.Globalization.CultureInfo.InvariantCulture);

        AdvanceToTehranDay(app, lastValidDay);
        Assert.Equal("valid", (await VerifyAsync(anonymous, certificate.Number)).GetProperty("status").GetString());

        AdvanceToTehranDay(app, lastValidDay.AddDays(1));
        Assert.Equal("expired", (await VerifyAsync(anonymous, certificate.Number)).GetProperty("status").GetString());
        Assert.Equal("expired", await PageStatusAsync(anonymous, certificate.Number));
        Assert.True(cache.TryGet(certificate.Number, out var stillCached));
        Assert.Equal(CertificateStatus.Valid, stillCached.StoredStatus); // still held as stored: "expired" is worked out when read
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task A_number_not_found_is_found_as_soon_as_a_certificate_has_it(TestDatabase db)
    {
        var app = await fixture.For(db);
        var world = await app.CreateWorldAsync();
        var anonymous = app.CreateClient();
        var certificate = await app.IssueCertificateAsync(world);
        var number = CertificateNumber.Format(1399, "10", Random.Shared.Next(1_000_000, 9_000_000));
        Assert.Equal("not-found", (await VerifyAsync(anonymous, number)).GetProperty("status").GetString());
        Assert.Equal("not-found", (await VerifyAsync(anonymous, number)).GetProperty("status").GetString());

        // As if it had just been issued under that number.
        await app.Db.WriteAsync(s => s.ExecuteAsync("UPDATE certificates SET number = @number WHERE id = @id", new { number, id = certificate.CertificateId }));

        Assert.Equal("valid", (await VerifyAsync(anonymous, number)).GetProperty("status").GetString());
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task A_change_no_code_path_reported_shows_once_the_cache_lifetime_has_passed(TestDatabase db)
    {
        await using var app = await RegistryApp.StartAsync(db, new Dictionary<string, string?> { ["Verification:CacheTtlSeconds"] = "60" });
        var world = await app.CreateWorldAsync();
        var anonymous = app.CreateClient();
        var certificate = await app.IssueCertificateAsync(world);
        await WarmAsync(app, anonymous, certificate.Number);

        await app.Db.WriteAsync(s => s.ExecuteAsync("UPDATE certificates SET holder_given_name_latin = 'Zohreh' WHERE id = @id", new { id = certificate.CertificateId }));
        app.Clock.Advance(TimeSpan.FromSeconds(61));

        var token = await app.Db.ReadAsync(s => s.QuerySingleAsync<string>("SELECT token FROM certificates WHERE id = @id", new { id = certificate.CertificateId }));
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/verify/{certificate.Number}");
        request.Headers.Add(VerificationEndpoints.TokenHeader, token);
        var answer = await (await anonymous.SendAsync(request)).ReadJsonAsync();
        Assert.Equal("Zohreh Karimi", answer.GetProperty("holder").GetProperty("nameLatin").GetString());
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task After_the_cache_is_emptied_the_registry_is_loaded_back_without_waiting_for_verifications(TestDatabase db)
    {
        await using var app = await RegistryApp.StartAsync(db);
        var world = await app.CreateWorldAsync();
        var anonymous = app.CreateClient();
        var certificates = new[] { await app.IssueCertificateAsync(world), await app.IssueCertificateAsync(world) };
        var revoked = certificates[1];
        (await (await app.AdminClientAsync()).PostAsJsonAsync($"/api/v1/certificates/{revoked.CertificateId}/revoke", new { reasonCode = "fraud", reason = "forged" }))
            .EnsureSuccessStatusCode();
        var cache = app.Service<VerificationCache>();

        app.Service<Api.Infrastructure.Caching.RegistryChanges>().Publish(Api.Infrastructure.Caching.RegistryChanges.Everything);

        foreach (var certificate in certificates)
            await EventuallyAsync(() => cache.TryGet(certificate.Number, out _), $"{certificate.Number} was not loaded into the cache");
        Assert.True(cache.TryGet(revoked.Number, out var loaded));
        Assert.Equal(CertificateStatus.Revoked, loaded.StoredStatus);
        Assert.Equal("revoked", (await VerifyAsync(anonymous, revoked.Number)).GetProperty("status").GetString());
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Loading_leaves_a_superseded_standards_certificates_to_the_lookup_that_names_the_current_standard(TestDatabase db)
    {
        await using var app = await RegistryApp.StartAsync(db);
        var oldWorld = await app.CreateWorldAsync();
        var ofOldStandard = await app.IssueCertificateAsync(oldWorld);
        await app.SupersedeAsync(oldWorld.StandardId, oldWorld.StandardCode, app.Today);
        var otherWorld = await app.CreateWorldAsync();
        var ofOtherStandard = await app.IssueCertificateAsync(otherWorld);
        var cache = app.Service<VerificationCache>();

        app.Service<Api.Infrastructure.Caching.RegistryChanges>().Publish(Api.Infrastructure.Caching.RegistryChanges.Everything);

        await EventuallyAsync(() => cache.TryGet(ofOtherStandard.Number, out _), "the loader did not run");
        Assert.False(cache.TryGet(ofOldStandard.Number, out _)); // two numbers, one page: the loader saw it and left it
        var answer = await VerifyAsync(app.CreateClient(), ofOldStandard.Number);
        Assert.Equal(2, answer.GetProperty("currentStandard").GetProperty("version").GetInt32());
    }

    // SQLite: a change made outside the service reaches no one (PostgreSQL's triggers would report it).
    [Theory, OnSqlite]
    public async Task A_change_no_code_path_reported_shows_after_half_a_lifetime_while_the_record_is_still_live(TestDatabase db)
    {
        await using var app = await RegistryApp.StartAsync(db, new Dictionary<string, string?> { ["Verification:CacheTtlSeconds"] = "600" });
        var world = await app.CreateWorldAsync();
        var certificate = await app.IssueCertificateAsync(world);
        await WarmAsync(app, app.CreateClient(), certificate.Number);
        var cache = app.Service<VerificationCache>();

        await app.Db.WriteAsync(s => s.ExecuteAsync("UPDATE certificates SET holder_given_name_latin = 'Zohreh' WHERE id = @id", new { id = certificate.CertificateId }));
        app.Clock.Advance(TimeSpan.FromSeconds(301)); // the record has 299 s to live: only the reload can renew it

        await EventuallyAsync(() => cache.TryGet(certificate.Number, out var record) && record.Holder.GivenNameLatin == "Zohreh",
            "the reload every half lifetime did not replace the changed record");
    }

    // PostgreSQL only: statements are round trips there (SQLite runs in-process). Npgsql traces every command it sends.
    [Theory, OnPostgres]
    public async Task A_verification_sends_one_statement_when_the_number_is_not_cached_and_none_when_it_is(TestDatabase db)
    {
        var app = await fixture.For(db);
        var world = await app.CreateWorldAsync();
        var anonymous = app.CreateClient();
        var certificate = await app.IssueCertificateAsync(world);
        var database = new NpgsqlConnectionStringBuilder(app.ConnectionString).Database;
        var statements = new ConcurrentQueue<string>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "Npgsql",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                var text = activity.GetTagItem("db.query.text") as string ?? activity.DisplayName;
                // The change listener's own connection may ping or acknowledge meanwhile, and the cache's loader may be reading
                // pages of certificates (after the world's center and standard were created); neither serves a verification.
                if (activity.GetTagItem("db.namespace") as string == database && !text.Contains("pg_notify") && text.Trim() != "SELECT 1"
                    && !text.Contains("ORDER BY c.number DESC"))
                    statements.Enqueue(text);
            },
        };
        ActivitySource.AddActivityListener(listener);

        Assert.Equal("valid", (await VerifyAsync(anonymous, certificate.Number)).GetProperty("status").GetString());
        var miss = statements.ToArray();
        statements.Clear();
        Assert.Equal("valid", (await VerifyAsync(anonymous, certificate.Number)).GetProperty("status").GetString());
        Assert.Equal("valid", await PageStatusAsync(anonymous, certificate.Number));

        Assert.True(miss.Length == 1, $"{miss.Length} statements on a miss: {string.Join(" | ", miss)}");
        Assert.Empty(statements);
    }

    [Theory, OnPostgres]
    public async Task When_the_change_listener_loses_its_connection_the_cache_is_emptied_and_fills_again_once_it_listens(TestDatabase db)
    {
        await using var app = await RegistryApp.StartAsync(db);
        var world = await app.CreateWorldAsync();
        var anonymous = app.CreateClient();
        var certificate = await app.IssueCertificateAsync(world);
        await WarmAsync(app, anonymous, certificate.Number);
        var cache = app.Service<VerificationCache>();

        // Notifications sent while it was away are lost: nothing cached before may be trusted.
        await app.Db.ReadAsync(s => s.QueryAsync<bool>(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND application_name = @name",
            new { name = Api.Infrastructure.Caching.RegistryChanges.ListenerName }));
        await EventuallyAsync(() => !cache.TryGet(certificate.Number, out _), "the cache was not emptied after the listener's connection was killed");

        await EventuallyAsync(() => app.Service<Api.Infrastructure.Caching.RegistryChanges>().HeardEverywhere, "the listener did not reconnect");
        await WarmAsync(app, anonymous, certificate.Number);
    }

    private static async Task EventuallyAsync(Func<bool> condition, string failure)
    {
        var deadline = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(60), failure);
            await Task.Delay(20);
        }
    }

    private static void AdvanceToTehranDay(RegistryApp app, DateOnly day)
    {
        var noonInTehran = new DateTimeOffset(day.ToDateTime(new TimeOnly(12, 0)), TimeSpan.FromHours(3.5));
        var now = app.Clock.GetUtcNow();
        Assert.True(noonInTehran >= now, $"the test clock is already past {day}");
        app.Clock.Advance(noonInTehran - now);
        Assert.Equal(day, RegistryCalendar.Today(app.Clock));
    }
}
