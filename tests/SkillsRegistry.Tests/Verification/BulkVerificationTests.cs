using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using SkillsRegistry.Api.Features.Certificates;
using SkillsRegistry.Api.Infrastructure.Auth;
using SkillsRegistry.Api.Infrastructure.Http;
using SkillsRegistry.Tests.Support;
using static SkillsRegistry.Tests.Support.RegistryWorlds;

namespace SkillsRegistry.Tests.Verification;

/// <summary>Issue 24: employers and agencies verify many certificates in one request, with the verdicts a single verification gives.</summary>
public sealed class BulkVerificationTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    private sealed record Issued(Guid Id, string Number, string Token);

    /// <summary>Issues <paramref name="count"/> certificates in one batch and reads their tokens.</summary>
    private static async Task<List<Issued>> IssueAsync(RegistryApp app, RegistryWorld world, int count)
    {
        var rows = Enumerable.Range(0, count).Select(_ => Row("bulk-" + Guid.NewGuid().ToString("N")[..12], world.StandardCode, 90, 90)).ToArray();
        var response = await (await app.ClientWithKey(world.CenterKey).PostAsJsonAsync("/api/v1/assessment-batches", new { rows })).ReadJsonAsync();
        var issued = new List<Issued>();
        foreach (var row in response.GetProperty("rows").EnumerateArray())
        {
            var id = row.GetProperty("certificateId").GetGuid();
            var token = await app.Db.ReadAsync(s => s.QuerySingleAsync<string>("SELECT token FROM certificates WHERE id = @id", new { id }));
            issued.Add(new Issued(id, row.GetProperty("certificateNumber").GetString()!, token));
        }
        return issued;
    }

    private static string Flip(string token)
    {
        var parts = token.Split('.');
        var bytes = CredentialsTestData.FromBase64Url(parts[2]);
        bytes[bytes.Length / 2] ^= 0x01;
        parts[2] = System.Buffers.Text.Base64Url.EncodeToString(bytes);
        return string.Join('.', parts);
    }

    private static string Mistyped(string number) => number[..^1] + (number[^1] == 'K' ? 'M' : 'K');

    private static async Task<(string Key, string Name)> VerifierAsync(RegistryApp app)
    {
        var name = "verifier-" + Guid.NewGuid().ToString("N")[..8];
        return (await app.CreateKeyAsync(ApiKeyRole.Verifier, name: name), name);
    }

    private static async Task<JsonElement> SingleAsync(HttpClient client, string number, string? token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/verify/{Uri.EscapeDataString(number)}");
        if (token is not null) request.Headers.Add("X-Certificate-Token", token);
        return await (await client.SendAsync(request)).ReadJsonAsync();
    }

    private static StringContent CsvBody(string csv) => new(csv, Encoding.UTF8, "text/csv");

    [Theory, OnSqlite, OnPostgres]
    public async Task Five_hundred_numbers_get_in_one_request_the_verdicts_of_five_hundred_single_verifications_and_one_audited_read_each(TestDatabase db)
    {
        var app = await fixture.For(db);
        var world = await app.CreateWorldAsync();
        var shortLived = await app.CreateWorldAsync(validityMonths: 1);
        var valid = await IssueAsync(app, world, 24);
        var expiring = await IssueAsync(app, shortLived, 4);
        var admin = await app.AdminClientAsync();
        var revoked = valid.Take(4).ToList();
        foreach (var c in revoked)
            (await admin.PostAsJsonAsync($"/api/v1/certificates/{c.Id}/revoke", new { reasonCode = "fraud", reason = "forged" })).EnsureSuccessStatusCode();
        var corrected = valid.Skip(4).Take(3).ToList();
        foreach (var c in corrected)
            (await admin.PostAsJsonAsync($"/api/v1/certificates/{c.Id}/corrections", new { reason = "mis-keyed", theoryScore = 85 })).EnsureSuccessStatusCode();
        var genuine = valid.Skip(7).ToList();
        app.Clock.Advance(TimeSpan.FromDays(70)); // the one-month certificates are expired now, the others still valid

        var kinds = new Func<int, (string Number, string? Token)>[]
        {
            i => (genuine[i % genuine.Count].Number, genuine[i % genuine.Count].Token),
            i => (genuine[i % genuine.Count].Number, null),
            i => (revoked[i % revoked.Count].Number, revoked[i % revoked.Count].Token),
            i => (expiring[i % expiring.Count].Number, expiring[i % expiring.Count].Token),
            i => (corrected[i % corrected.Count].Number, corrected[i % corrected.Count].Token),
            i => (CertificateNumber.Format(1404, "10", 1000 + i), null),
            i => (Mistyped(genuine[i % genuine.Count].Number), null),
            i => (genuine[i % genuine.Count].Number, Flip(genuine[i % genuine.Count].Token)),
            i => (genuine[i % genuine.Count].Number, genuine[(i + 1) % genuine.Count].Token),
            i => (revoked[i % revoked.Count].Number, null),
        };
        var items = Enumerable.Range(0, 500).Select(i => kinds[i % kinds.Length](i / kinds.Length)).ToList();
        var (key, name) = await VerifierAsync(app);

        var bulk = await (await app.ClientWithKey(key).PostAsJsonAsync("/api/v1/verifications",
            new { items = items.Select(i => new { number = i.Number, token = i.Token }) })).ReadJsonAsync();

        var answers = bulk.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(500, answers.Count);
        var client = app.CreateClient();
        for (var i = 0; i < items.Count; i++)
        {
            var single = await SingleAsync(client, items[i].Number, items[i].Token);
            Assert.Equal(single.GetRawText(), answers[i].GetRawText());
        }
        var verdicts = answers.Select(a => a.GetProperty("verdict").GetString()).ToHashSet();
        Assert.Superset(new HashSet<string?> { "genuine", "status-only", "genuine-but-revoked", "genuine-but-expired", "genuine-but-superseded",
            "not-found", "invalid-number", "qr-not-genuine", "qr-of-another-certificate" }, verdicts);

        var audited = (await app.Db.ReadAsync(s => s.QueryAsync<string>("""
            SELECT entity_id FROM audit_log
            WHERE action = 'read' AND entity = 'certificate' AND actor_key_id IN (SELECT id FROM api_keys WHERE name = @name)
            ORDER BY seq
            """, new { name }))).ToList();
        Assert.Equal(answers.Select(a => a.GetProperty("number").GetString()), audited);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task A_spreadsheet_column_goes_in_as_csv_and_the_answers_come_back_as_csv_in_order(TestDatabase db)
    {
        var app = await fixture.For(db);
        var world = await app.CreateWorldAsync();
        var issued = await IssueAsync(app, world, 3);
        var (key, _) = await VerifierAsync(app);
        var client = app.ClientWithKey(key);

        // A header line with the token column first, quoted cells and a blank line.
        var withTokens = $"token,number\r\n\"{issued[0].Token}\",{issued[0].Number}\r\n\r\n,\"{issued[1].Number}\"\r\n";
        var json = await (await client.PostAsync("/api/v1/verifications", CsvBody(withTokens))).ReadJsonAsync();
        Assert.Equal(["genuine", "status-only"], json.GetProperty("items").EnumerateArray().Select(a => a.GetProperty("verdict").GetString()));

        // One column of numbers, as pasted, with a byte-order mark and LF line ends; answered as CSV.
        var column = "\uFEFF" + string.Join('\n', issued.Select(c => c.Number)) + "\n" + Mistyped(issued[2].Number) + "\n";
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/verifications?lang=en") { Content = CsvBody(column) };
        request.Headers.Accept.Clear();
        request.Headers.Accept.ParseAdd("text/csv");
        var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        var records = Csv.Parse(await response.Content.ReadAsStringAsync());
        var header = records[0];
        Assert.Equal(["number", "verdict", "verdictMessage", "status"], header.Take(4));
        var lines = records.Skip(1).ToList();
        Assert.Equal([.. issued.Select(c => c.Number), Mistyped(issued[2].Number)], lines.Select(l => l[0]));
        Assert.Equal(["status-only", "status-only", "status-only", "invalid-number"], lines.Select(l => l[header.IndexOf("verdict")]));
        Assert.StartsWith("The registry lists this certificate number as valid.", lines[0][header.IndexOf("verdictMessage")]);
        Assert.Equal(world.StandardCode, lines[0][header.IndexOf("standardCode")]);
        Assert.Equal("", lines[0][header.IndexOf("holderNameLatin")]); // a number alone shows no holder, in CSV as in JSON
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Over_five_hundred_items_is_too_large_and_a_malformed_item_is_named(TestDatabase db)
    {
        var app = await fixture.For(db);
        var (key, name) = await VerifierAsync(app);
        var client = app.ClientWithKey(key);

        var tooMany = Enumerable.Range(0, 501).Select(i => new { number = CertificateNumber.Format(1404, "10", i + 1), token = (string?)null });
        var large = await (await client.PostAsJsonAsync("/api/v1/verifications", new { items = tooMany })).AssertProblemAsync(HttpStatusCode.RequestEntityTooLarge);
        Assert.Contains("at most 500", large.GetProperty("detail").GetString());
        var largeCsv = string.Join("\n", Enumerable.Range(0, 501).Select(i => CertificateNumber.Format(1404, "10", i + 1)));
        await (await client.PostAsync("/api/v1/verifications", CsvBody(largeCsv))).AssertProblemAsync(HttpStatusCode.RequestEntityTooLarge);

        var items = new object?[]
        {
            new { number = "1404-10-0000001-Q" }, new { number = "1404-10-0000002-Q" }, new { number = "1404-10-0000003-Q" },
            new { number = "  " }, null, new { number = "1404-10-0000006-Q", token = new string('a', 5000) },
        };
        var malformed = await (await client.PostAsJsonAsync("/api/v1/verifications", new { items })).AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.NotEmpty(malformed.FieldErrors("items[3].number"));
        Assert.NotEmpty(malformed.FieldErrors("items[4]"));
        Assert.NotEmpty(malformed.FieldErrors("items[5].token"));
        await (await client.PostAsJsonAsync("/api/v1/verifications", new { items = Array.Empty<object>() })).AssertProblemAsync(HttpStatusCode.BadRequest);
        await (await client.PostAsync("/api/v1/verifications", new StringContent("{\"items\":[", Encoding.UTF8, "application/json")))
            .AssertProblemAsync(HttpStatusCode.BadRequest);

        // Refused requests verified nothing, so nothing was audited.
        Assert.Equal(0, await app.Db.ReadAsync(s => s.QuerySingleAsync<int>(
            "SELECT COUNT(*) FROM audit_log WHERE actor_key_id IN (SELECT id FROM api_keys WHERE name = @name)", new { name })));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Each_item_spends_one_token_of_the_keys_verification_budget(TestDatabase db)
    {
        await using var app = await RegistryApp.StartAsync(db, new Dictionary<string, string?>
        {
            ["RateLimiting:PerKey:VerifiedItems:TokenLimit"] = "10",
            ["RateLimiting:PerKey:VerifiedItems:TokensPerMinute"] = "1",
        });
        var (key, _) = await VerifierAsync(app);
        var client = app.ClientWithKey(key);
        object Items(int count) => new { items = Enumerable.Range(0, count).Select(i => new { number = CertificateNumber.Format(1404, "10", i + 1) }) };

        Assert.Equal(HttpStatusCode.OK, (await client.PostAsJsonAsync("/api/v1/verifications", Items(7))).StatusCode); // 3 left
        var refused = await client.PostAsJsonAsync("/api/v1/verifications", Items(4));
        var problem = await refused.AssertProblemAsync(HttpStatusCode.TooManyRequests);
        Assert.Contains("verified certificates", problem.GetProperty("detail").GetString());
        Assert.NotNull(refused.Headers.RetryAfter);
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsJsonAsync("/api/v1/verifications", Items(3))).StatusCode);
        // Another key has its own budget.
        var (other, _) = await VerifierAsync(app);
        Assert.Equal(HttpStatusCode.OK, (await app.ClientWithKey(other).PostAsJsonAsync("/api/v1/verifications", Items(4))).StatusCode);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task A_verifier_key_verifies_and_is_refused_everything_else(TestDatabase db)
    {
        var app = await fixture.For(db);
        var world = await app.CreateWorldAsync();
        var issued = (await IssueAsync(app, world, 1))[0];
        var admin = await app.AdminClientAsync();
        var created = await (await admin.PostAsJsonAsync("/api/v1/api-keys", new { name = "HR, Maysan oil company", role = "verifier" }))
            .ReadJsonAsync(HttpStatusCode.Created);
        Assert.Equal("verifier", created.GetProperty("apiKey").GetProperty("role").GetString());
        var verifier = app.ClientWithKey(created.GetProperty("key").GetString()!);

        var answer = await (await verifier.PostAsJsonAsync("/api/v1/verifications", new { items = new[] { new { number = issued.Number, token = issued.Token } } }))
            .ReadJsonAsync();
        Assert.Equal("genuine", answer.GetProperty("items")[0].GetProperty("verdict").GetString());

        foreach (var path in new[] { $"/api/v1/certificates/{issued.Id}", "/api/v1/standards", "/api/v1/trainees", "/api/v1/centers", "/api/v1/webhooks",
                     "/api/v1/api-keys", "/api/v1/audit", "/api/v1/partners" })
            await (await verifier.GetAsync(path)).AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await verifier.PostAsJsonAsync("/api/v1/webhooks", new { url = "https://example.org/hook", events = new[] { "certificate.issued" } }))
            .AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await verifier.PostAsJsonAsync("/api/v1/api-keys", new { name = "escalate", role = "admin" })).AssertProblemAsync(HttpStatusCode.Forbidden);

        // Partner and admin keys may verify in bulk; a center key may not.
        var partner = app.ClientWithKey(await app.CreateKeyAsync(ApiKeyRole.Partner, partnerId: await app.InsertPartnerAsync()));
        Assert.Equal(HttpStatusCode.OK, (await partner.PostAsJsonAsync("/api/v1/verifications", new { items = new[] { new { number = issued.Number } } })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsJsonAsync("/api/v1/verifications", new { items = new[] { new { number = issued.Number } } })).StatusCode);
        await (await app.ClientWithKey(world.CenterKey).PostAsJsonAsync("/api/v1/verifications", new { items = new[] { new { number = issued.Number } } }))
            .AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await app.CreateClient().PostAsJsonAsync("/api/v1/verifications", new { items = new[] { new { number = issued.Number } } }))
            .AssertProblemAsync(HttpStatusCode.Unauthorized);
    }
}
