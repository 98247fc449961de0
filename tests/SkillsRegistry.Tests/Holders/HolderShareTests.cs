using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using SkillsRegistry.Tests.Support;

namespace SkillsRegistry.Tests.Holders;

public sealed class HolderShareTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    private static async Task<JsonElement> ViewAsync(RegistryApp app, string token, string? from = null)
    {
        var client = app.CreateClient();
        if (from is not null) client.DefaultRequestHeaders.Add(ClientAddressFilter.Header, from);
        return await (await client.GetAsync($"/api/v1/shares/{token}")).ReadJsonAsync();
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task A_share_shows_its_state_then_each_chosen_certificate_verdict_first_and_no_identity_data(TestDatabase db)
    {
        var app = await fixture.For(db);
        var world = await app.CreateWorldAsync();
        var holder = await app.HolderAsync(world, 3);
        var chosen = holder.Certificates.Take(2).ToList();
        var created = await holder.ShareAsync(new { certificateIds = chosen.Select(c => c.CertificateId), days = 90, recipientLabel = "Ahvaz Steel HR" });
        Assert.StartsWith("<svg", created.GetProperty("qrSvg").GetString());
        var token = HoldersTestData.TokenOf(created);
        Assert.True(Convert.FromBase64String(token.Replace('-', '+').Replace('_', '/')).Length * 8 >= 128);

        var raw = await (await app.CreateClient().GetAsync($"/api/v1/shares/{token}")).Content.ReadAsStringAsync();
        var view = JsonDocument.Parse(raw).RootElement;
        Assert.Equal("state", view.EnumerateObject().First().Name);
        Assert.Equal("active", view.GetProperty("state").GetString());
        Assert.Equal("Zahra Karimi", view.GetProperty("holder").GetProperty("nameLatin").GetString());
        var certificates = view.GetProperty("certificates").EnumerateArray().ToList();
        Assert.Equal(chosen.Select(c => c.Number).Order(), certificates.Select(c => c.GetProperty("number").GetString()!).Order());
        Assert.All(certificates, c =>
        {
            Assert.Equal("verdict", c.EnumerateObject().First().Name);
            Assert.Equal("genuine", c.GetProperty("verdict").GetString());
        });
        Assert.DoesNotContain(holder.Certificates[2].Number, raw);
        Assert.DoesNotContain(holder.NationalId, raw);
        Assert.DoesNotContain(HoldersTestData.BirthDate, raw);
        Assert.DoesNotContain("birth", raw, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("nationalId", raw, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("phone", raw, StringComparison.OrdinalIgnoreCase);

        // The page a link opens: the share's state is the first thing in it, each certificate's verdict first in its block.
        var page = await app.CreateClient().GetAsync($"/shares/{token}");
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        var html = await page.Content.ReadAsStringAsync();
        var main = html[html.IndexOf("<main", StringComparison.Ordinal)..];
        Assert.Matches("^<main[^>]*>\\s*<div class=\"state active\"", main);
        Assert.Matches("<article[^>]*>\\s*<div class=\"verdict genuine\"", main);
        Assert.DoesNotContain(holder.NationalId, html);
        // The same answer as JSON, by .json or by asking for it.
        Assert.Equal("active", (await (await app.CreateClient().GetAsync($"/shares/{token}.json")).ReadJsonAsync()).GetProperty("state").GetString());
        var asked = new HttpRequestMessage(HttpMethod.Get, $"/shares/{token}");
        asked.Headers.Accept.ParseAdd("application/json");
        Assert.Equal("active", (await (await app.CreateClient().SendAsync(asked)).ReadJsonAsync()).GetProperty("state").GetString());
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Revoking_the_share_or_a_certificate_in_it_shows_on_the_very_next_view(TestDatabase db)
    {
        var app = await fixture.For(db);
        var world = await app.CreateWorldAsync();
        var holder = await app.HolderAsync(world, 2);
        var created = await holder.ShareAsync(new { wholeTranscript = true, days = 30 });
        var token = HoldersTestData.TokenOf(created);
        var before = await ViewAsync(app, token); // cached by verification now
        Assert.All(before.GetProperty("certificates").EnumerateArray(), c => Assert.Equal("genuine", c.GetProperty("verdict").GetString()));

        var admin = await app.AdminClientAsync();
        var revoked = holder.Certificates[0];
        (await admin.PostAsJsonAsync($"/api/v1/certificates/{revoked.CertificateId}/revoke", new { reasonCode = "fraud", reason = "Forged exam sheet" })).EnsureSuccessStatusCode();
        var after = await ViewAsync(app, token);
        var verdicts = after.GetProperty("certificates").EnumerateArray().ToDictionary(c => c.GetProperty("number").GetString()!, c => c.GetProperty("verdict").GetString());
        Assert.Equal("genuine-but-revoked", verdicts[revoked.Number]);
        Assert.Equal("genuine", verdicts[holder.Certificates[1].Number]);

        var withdrawn = await (await holder.Client.PostAsync($"/holder/shares/{created.GetProperty("share").GetProperty("id").GetGuid()}/revoke", null)).ReadJsonAsync();
        Assert.Equal("revoked", withdrawn.GetProperty("state").GetString());
        var gone = await ViewAsync(app, token);
        Assert.Equal("revoked", gone.GetProperty("state").GetString());
        Assert.Equal(JsonValueKind.Null, gone.GetProperty("holder").ValueKind);
        Assert.Equal(JsonValueKind.Null, gone.GetProperty("recipientLabel").ValueKind);
        Assert.Equal(0, gone.GetProperty("certificates").GetArrayLength());
        var page = await app.CreateClient().GetAsync($"/shares/{token}");
        Assert.Equal(HttpStatusCode.Gone, page.StatusCode);
        var html = await page.Content.ReadAsStringAsync();
        Assert.DoesNotContain(holder.Certificates[1].Number, html);
        Assert.DoesNotContain("Zahra", html);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task A_share_expires_after_its_days_and_asks_at_most_90(TestDatabase db)
    {
        var app = await fixture.For(db);
        var world = await app.CreateWorldAsync();
        var holder = await app.HolderAsync(world, 1);
        var tooLong = await holder.Client.PostAsJsonAsync("/holder/shares", new { wholeTranscript = true, days = 91 });
        Assert.NotEmpty((await tooLong.AssertProblemAsync(HttpStatusCode.BadRequest)).FieldErrors("days"));
        var neither = await holder.Client.PostAsJsonAsync("/holder/shares", new { days = 5 });
        Assert.NotEmpty((await neither.AssertProblemAsync(HttpStatusCode.BadRequest)).FieldErrors("certificateIds"));

        var token = HoldersTestData.TokenOf(await holder.ShareAsync(new { wholeTranscript = true, days = 2 }));
        app.Clock.Advance(TimeSpan.FromDays(2).Add(TimeSpan.FromSeconds(-1)));
        Assert.Equal("active", (await ViewAsync(app, token)).GetProperty("state").GetString());
        app.Clock.Advance(TimeSpan.FromSeconds(1));
        var expired = await ViewAsync(app, token);
        Assert.Equal("expired", expired.GetProperty("state").GetString());
        Assert.Equal(0, expired.GetProperty("certificates").GetArrayLength());
        Assert.Equal("not-found", (await ViewAsync(app, token[..^1] + (token[^1] == 'A' ? 'B' : 'A'))).GetProperty("state").GetString());
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Every_view_is_counted_for_the_holder_with_the_viewers_network_only(TestDatabase db)
    {
        var app = await fixture.For(db);
        var world = await app.CreateWorldAsync();
        var holder = await app.HolderAsync(world, 1);
        var created = await holder.ShareAsync(new { certificateIds = new[] { holder.Certificates[0].CertificateId }, days = 7 });
        var id = created.GetProperty("share").GetProperty("id").GetGuid();
        var token = HoldersTestData.TokenOf(created);
        await ViewAsync(app, token, "5.160.23.41");
        app.Clock.Advance(TimeSpan.FromMinutes(1));
        await ViewAsync(app, token, "2a01:5ec0:1234:5678::9");
        app.Clock.Advance(TimeSpan.FromMinutes(1));
        var browser = app.CreateClient();
        browser.DefaultRequestHeaders.Add(ClientAddressFilter.Header, "5.160.99.3");
        await browser.GetAsync($"/shares/{token}");

        var list = await (await holder.Client.GetAsync("/holder/shares")).ReadJsonAsync();
        var share = list.GetProperty("items")[0];
        Assert.Equal(3, share.GetProperty("viewCount").GetInt64());
        Assert.Equal(app.Clock.GetUtcNow().ToUnixTimeMilliseconds(), share.GetProperty("lastViewedAt").GetDateTimeOffset().ToUnixTimeMilliseconds());
        var views = await (await holder.Client.GetAsync($"/holder/shares/{id}/views")).ReadJsonAsync();
        Assert.Equal(["5.160.0.0/16", "2a01:5ec0::/32", "5.160.0.0/16"],
            views.GetProperty("items").EnumerateArray().Select(v => v.GetProperty("origin").GetString()!).ToArray());
        var stored = await app.Db.ReadAsync(async s => string.Join('\n', await s.QueryAsync<string>("SELECT origin FROM holder_share_views")));
        Assert.DoesNotContain("23.41", stored);
        Assert.DoesNotContain("99.3", stored);
        Assert.DoesNotContain("5678", stored);
    }
}
