using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using SkillsRegistry.Api.Features.Certificates.Signing;
using SkillsRegistry.Tests.Support;
using static SkillsRegistry.Tests.Support.RegistryWorlds;

namespace SkillsRegistry.Tests.Verification;

/// <summary>Issue 13: the answer leads with the verdict on what was scanned, and a number alone reveals nothing personal.</summary>
public sealed class VerdictTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    private static async Task<(Guid Id, string Number, string Token)> IssueAsync(RegistryApp app, RegistryWorld world)
    {
        var issued = await app.IssueCertificateAsync(world);
        var token = await app.Db.ReadAsync(s => s.QuerySingleAsync<string>("SELECT token FROM certificates WHERE id = @id", new { id = issued.CertificateId }));
        return (issued.CertificateId, issued.Number, token);
    }

    private static async Task<JsonElement> VerifyAsync(RegistryApp app, string number, string? token = null, string? familyName = null)
    {
        var url = $"/api/v1/verify/{Uri.EscapeDataString(number)}" + (familyName is null ? "" : "?familyName=" + Uri.EscapeDataString(familyName));
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (token is not null) request.Headers.Add("X-Certificate-Token", token);
        return await (await app.CreateClient().SendAsync(request)).ReadJsonAsync();
    }

    private static string Flip(string token, int part)
    {
        var parts = token.Split('.');
        var bytes = CredentialsTestData.FromBase64Url(parts[part]);
        bytes[bytes.Length / 2] ^= 0x01;
        parts[part] = System.Buffers.Text.Base64Url.EncodeToString(bytes);
        return string.Join('.', parts);
    }

    private static void AssertNeverCalledGenuine(JsonElement answer)
    {
        var text = answer.ToString();
        Assert.DoesNotContain("genuine and valid", text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("معتبر و اصیل", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Zahra", text, StringComparison.Ordinal);
        Assert.DoesNotContain("زهرا", text, StringComparison.Ordinal);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task A_forged_token_gets_a_red_verdict_that_never_calls_the_certificate_genuine(TestDatabase db)
    {
        var app = await fixture.For(db);
        var world = await app.CreateWorldAsync();
        var (_, number, token) = await IssueAsync(app, world);

        foreach (var forged in new[] { Flip(token, 1), Flip(token, 2), "not-a-token" })
        {
            var answer = await VerifyAsync(app, number, forged);
            Assert.Equal("qr-not-genuine", answer.GetProperty("verdict").GetString());
            Assert.Equal("valid", answer.GetProperty("status").GetString()); // the registry's state of the number is still said
            Assert.Contains("was not issued by the registry", answer.GetProperty("verdictMessageEn").GetString());
            Assert.Contains("ثبت", answer.GetProperty("verdictMessageFa").GetString());
            AssertNeverCalledGenuine(answer);
        }
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task A_genuine_token_of_another_certificate_says_so_in_its_own_words(TestDatabase db)
    {
        var app = await fixture.For(db);
        var world = await app.CreateWorldAsync();
        var (_, number, _) = await IssueAsync(app, world);
        var (_, otherNumber, otherToken) = await IssueAsync(app, world);

        var answer = await VerifyAsync(app, number, otherToken);

        Assert.Equal("qr-of-another-certificate", answer.GetProperty("verdict").GetString());
        var message = answer.GetProperty("verdictMessageEn").GetString()!;
        Assert.Contains("issued by the registry for another certificate", message);
        Assert.Contains(otherNumber, message);
        Assert.DoesNotContain("not issued by the registry", message);
        AssertNeverCalledGenuine(answer);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task A_genuine_token_gets_a_genuine_verdict_that_follows_the_registry_status(TestDatabase db)
    {
        var app = await fixture.For(db);
        var world = await app.CreateWorldAsync();
        var (id, number, token) = await IssueAsync(app, world);

        var genuine = await VerifyAsync(app, number, token);
        Assert.Equal("genuine", genuine.GetProperty("verdict").GetString());
        Assert.Equal("Zahra Karimi", genuine.GetProperty("holder").GetProperty("nameLatin").GetString());
        Assert.Equal("status-only", (await VerifyAsync(app, number)).GetProperty("verdict").GetString());

        var admin = await app.AdminClientAsync();
        await (await admin.PostAsJsonAsync($"/api/v1/certificates/{id}/revoke", new { reasonCode = "fraud", reason = "x" })).ReadJsonAsync();
        var revoked = await VerifyAsync(app, number, token);
        Assert.Equal("genuine-but-revoked", revoked.GetProperty("verdict").GetString());
        Assert.Equal("revoked", revoked.GetProperty("status").GetString());
        Assert.DoesNotContain("genuine and valid", revoked.ToString(), StringComparison.OrdinalIgnoreCase);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task A_number_alone_answers_status_and_title_and_the_family_name_unlocks_the_details(TestDatabase db)
    {
        var app = await fixture.For(db);
        var world = await app.CreateWorldAsync();
        var (id, number, _) = await IssueAsync(app, world);
        var admin = await app.AdminClientAsync();
        await (await admin.PostAsJsonAsync($"/api/v1/certificates/{id}/revoke", new { reasonCode = "fraud", reason = "x" })).ReadJsonAsync();

        var alone = await VerifyAsync(app, number);
        Assert.Equal("revoked", alone.GetProperty("status").GetString());
        Assert.Equal("بافنده فرش دستباف", alone.GetProperty("standard").GetProperty("titleFa").GetString());
        Assert.Equal(JsonValueKind.Null, alone.GetProperty("holder").ValueKind);
        Assert.Equal(JsonValueKind.Null, alone.GetProperty("center").ValueKind);
        Assert.Equal(JsonValueKind.Null, alone.GetProperty("issuedOn").ValueKind);
        Assert.Equal(JsonValueKind.Null, alone.GetProperty("expiresOn").ValueKind);
        Assert.Equal(JsonValueKind.Null, alone.GetProperty("revocation").ValueKind);
        Assert.DoesNotContain("fraud", alone.ToString(), StringComparison.OrdinalIgnoreCase);

        // As printed, typed on any keyboard: Arabic kaf and yeh, upper-case Latin, stray spaces.
        foreach (var familyName in new[] { "کریمی", "كريمي", " KARIMI ", "karimi" })
        {
            var detailed = await VerifyAsync(app, number, familyName: familyName);
            Assert.Equal("Z. K.", detailed.GetProperty("holder").GetProperty("nameLatin").GetString());
            Assert.NotEqual(JsonValueKind.Null, detailed.GetProperty("center").ValueKind);
            Assert.NotEqual(JsonValueKind.Null, detailed.GetProperty("issuedOn").ValueKind);
            Assert.Equal("fraud", detailed.GetProperty("revocation").GetProperty("reasonCode").GetString());
        }

        var wrong = await VerifyAsync(app, number, familyName: "Ahmadi");
        Assert.Equal(WithoutTime(alone), WithoutTime(wrong));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Guessing_well_formed_numbers_in_a_busy_region_almost_never_hits_a_certificate(TestDatabase db)
    {
        var app = await fixture.For(db);
        var world = await app.CreateWorldAsync(province: "IR-23");
        var center = app.ClientWithKey(world.CenterKey);
        var issued = new HashSet<string>(StringComparer.Ordinal);
        for (var batch = 0; batch < 2; batch++)
        {
            var rows = Enumerable.Range(0, 1000).Select(i => Row($"h-{batch}-{i}", world.StandardCode, 90, 90)).ToArray();
            var answer = await (await center.PostAsJsonAsync("/api/v1/assessment-batches", new { rows })).ReadJsonAsync();
            foreach (var row in answer.GetProperty("rows").EnumerateArray()) issued.Add(row.GetProperty("certificateNumber").GetString()!);
        }
        Assert.Equal(2000, issued.Count);
        var prefix = issued.First()[..8]; // "1405-23-"
        Assert.All(issued, n => Assert.StartsWith(prefix, n));

        // A harvester's guesses: well-formed numbers (right year, region and check character) with a random serial.
        var random = new Random(13);
        var serialDigits = issued.First().Length - prefix.Length - 2;
        var hits = 0;
        for (var i = 0; i < 100_000; i++)
        {
            var serial = string.Concat(Enumerable.Range(0, serialDigits).Select(_ => (char)('0' + random.Next(10))));
            var body = prefix.Replace("-", "") + serial;
            if (issued.Contains($"{prefix}{serial}-{Api.Features.Certificates.CertificateNumber.CheckCharacter(body)}")) hits++;
        }
        Assert.True(hits <= 10, $"{hits} of 100,000 guesses hit an issued certificate");
        // Neither does stepping from a known number to its neighbours.
        var known = issued.First();
        var neighbours = Enumerable.Range(-50, 101).Where(d => d != 0).Select(d =>
        {
            var serial = (long.Parse(known[8..^2]) + d).ToString(new string('0', serialDigits));
            return $"{prefix}{serial}-{Api.Features.Certificates.CertificateNumber.CheckCharacter(prefix.Replace("-", "") + serial)}";
        });
        Assert.True(neighbours.Count(issued.Contains) <= 1);

        foreach (var number in issued.Take(3))
        {
            var answer = await VerifyAsync(app, number);
            Assert.Equal("valid", answer.GetProperty("status").GetString());
            var text = answer.ToString();
            Assert.DoesNotContain("Z. K.", text, StringComparison.Ordinal);
            Assert.DoesNotContain("ز. ک.", text, StringComparison.Ordinal);
            Assert.Equal(JsonValueKind.Null, answer.GetProperty("center").ValueKind);
            Assert.Equal(JsonValueKind.Null, answer.GetProperty("issuedOn").ValueKind);
            Assert.Equal(JsonValueKind.Null, answer.GetProperty("expiresOn").ValueKind);
        }
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task A_token_and_a_sequential_number_issued_before_the_change_keep_verifying(TestDatabase db)
    {
        var app = await fixture.For(db);
        var world = await app.CreateWorldAsync();
        var (id, _, _) = await IssueAsync(app, world);
        var legacyNumber = LegacyTokens.Number(1404, "10", 42);
        var legacyToken = LegacyTokens.Sign(app, legacyNumber);
        await app.Db.WriteAsync(s => s.ExecuteAsync("UPDATE certificates SET number = @legacyNumber, token = @legacyToken WHERE id = @id",
            new { legacyNumber, legacyToken, id }));

        var answer = await VerifyAsync(app, legacyNumber, legacyToken);

        Assert.Equal("genuine", answer.GetProperty("verdict").GetString());
        Assert.Equal(legacyNumber, answer.GetProperty("number").GetString());
        Assert.Equal("Zahra Karimi", answer.GetProperty("holder").GetProperty("nameLatin").GetString());
        Assert.Equal("status-only", (await VerifyAsync(app, legacyNumber)).GetProperty("verdict").GetString());
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task A_token_with_the_names_and_one_with_their_digest_get_the_same_answer_also_after_the_record_names_changed(TestDatabase db)
    {
        var app = await fixture.For(db);
        var world = await app.CreateWorldAsync();
        var (_, number, token) = await IssueAsync(app, world);
        var withNames = WithNames(app, token);

        var old = await VerifyAsync(app, number, withNames);

        Assert.Equal("genuine", old.GetProperty("verdict").GetString());
        Assert.True(old.GetProperty("tokenValid").GetBoolean());
        Assert.Equal("Zahra Karimi", old.GetProperty("holder").GetProperty("nameLatin").GetString());
        Assert.Equal(WithoutTime(old), WithoutTime(await VerifyAsync(app, number, token)));

        // The record's names changed after signing (before the number was first asked, so no cached record hides the change):
        // neither token's names decide the answer, which names the holder as the registry does.
        (var id, number, token) = await IssueAsync(app, world);
        withNames = WithNames(app, token);
        await app.Db.WriteAsync(s => s.ExecuteAsync(
            "UPDATE certificates SET holder_family_name_fa = 'کریمی\u200Cنژاد', holder_family_name_latin = 'Karimi-Nezhad' WHERE id = @id", new { id }));
        var oldAfter = await VerifyAsync(app, number, withNames);
        var newAfter = await VerifyAsync(app, number, token);

        Assert.Equal("genuine", newAfter.GetProperty("verdict").GetString());
        Assert.Equal("Zahra Karimi-Nezhad", newAfter.GetProperty("holder").GetProperty("nameLatin").GetString());
        Assert.Equal("زهرا کریمی\u200Cنژاد", newAfter.GetProperty("holder").GetProperty("nameFa").GetString());
        Assert.Equal(WithoutTime(oldAfter), WithoutTime(newAfter));

        static string WithNames(RegistryApp app, string token) =>
            LegacyTokens.SignWithNames(app, app.Service<CertificateToken>().Verify(token).Claims!, "زهرا کریمی", "Zahra Karimi");
    }

    private static string WithoutTime(JsonElement answer) =>
        JsonSerializer.Serialize(answer.EnumerateObject().Where(p => p.Name != "checkedAt").ToDictionary(p => p.Name, p => p.Value));

    [Theory, OnSqlite, OnPostgres]
    public async Task A_rate_limited_page_is_a_bilingual_html_page_with_the_wait(TestDatabase db)
    {
        await using var app = await RegistryApp.StartAsync(db, new Dictionary<string, string?> { ["RateLimiting:Public:PermitLimit"] = "1" });
        var client = app.CreateClient();
        await client.GetAsync("/verify/1405-10-0000001-Q");
        var limited = await client.GetAsync("/verify/1405-10-0000001-Q");

        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.Equal("text/html", limited.Content.Headers.ContentType?.MediaType);
        var html = await limited.Content.ReadAsStringAsync();
        Assert.Contains("dir=\"rtl\"", html);
        Assert.Matches(@"Try again in \d+ s", html);
        Assert.Contains("درخواست", html);
        Assert.NotNull(limited.Headers.RetryAfter);
        // The JSON API keeps answering with problem+json.
        await (await client.GetAsync("/api/v1/verify/1405-10-0000001-Q")).AssertProblemAsync(HttpStatusCode.TooManyRequests);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Without_javascript_the_page_says_the_signature_was_not_checked_and_has_a_favicon(TestDatabase db)
    {
        var app = await fixture.For(db);
        var world = await app.CreateWorldAsync();
        var (id, number, _) = await IssueAsync(app, world);

        var html = await (await app.CreateClient().GetAsync($"/verify/{number}")).Content.ReadAsStringAsync();
        // What shows without a script: not the script, the styles, or the hidden texts the script would show.
        var noScript = System.Text.RegularExpressions.Regex.Replace(html, "<(script|style)[^>]*>.*?</(script|style)>|<div hidden id=\"texts\".*?</div>", "",
            System.Text.RegularExpressions.RegexOptions.Singleline);
        Assert.DoesNotContain("checking", noScript, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("signature was not checked", noScript);
        Assert.DoesNotContain("genuine and valid", noScript, StringComparison.OrdinalIgnoreCase);

        Assert.Contains("name=\"familyName\"", html);
        Assert.DoesNotContain("Z. K.", html);
        var withName = await (await app.CreateClient().GetAsync($"/verify/{number}?familyName=KARIMI")).Content.ReadAsStringAsync();
        Assert.Contains("Z. K.", withName);
        var wrongName = await (await app.CreateClient().GetAsync($"/verify/{number}?familyName=Ahmadi")).Content.ReadAsStringAsync();
        Assert.DoesNotContain("Z. K.", wrongName);

        var favicon = await app.CreateClient().GetAsync("/favicon.ico");
        Assert.Equal(HttpStatusCode.OK, favicon.StatusCode);
        Assert.StartsWith("image/", favicon.Content.Headers.ContentType?.MediaType);

        var admin = await app.AdminClientAsync();
        var json = await admin.GetAsync($"/api/v1/certificates/{id}");
        Assert.Equal(HttpStatusCode.OK, json.StatusCode);
        Assert.True(json.Headers.CacheControl?.NoStore, "certificate JSON must not be stored by caches");
    }
}
