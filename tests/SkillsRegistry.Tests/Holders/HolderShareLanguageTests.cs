using System.Net;
using System.Text.RegularExpressions;
using SkillsRegistry.Api.Features.Holders;
using SkillsRegistry.Api.Features.Verification;
using SkillsRegistry.Api.Infrastructure.Text;
using SkillsRegistry.Tests.Support;

namespace SkillsRegistry.Tests.Holders;

/// <summary>Issue 24: the share page and its JSON in Arabic as well as Persian and English, negotiated as the verification page is.</summary>
public sealed class HolderShareLanguageTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    private static async Task<string> PageAsync(HttpClient client, string url, string? acceptLanguage = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (acceptLanguage is not null) request.Headers.AcceptLanguage.ParseAdd(acceptLanguage);
        var response = await client.SendAsync(request);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        return await response.Content.ReadAsStringAsync();
    }

    private static string MainOf(string html) => html[html.IndexOf("<main", StringComparison.Ordinal)..];

    [Theory, OnSqlite, OnPostgres]
    public async Task An_arabic_reader_gets_the_share_right_to_left_with_arabic_words_first_and_gregorian_dates(TestDatabase db)
    {
        var app = await fixture.For(db);
        var world = await app.CreateWorldAsync();
        var holder = await app.HolderAsync(world, 1);
        var token = HoldersTestData.TokenOf(await holder.ShareAsync(new { wholeTranscript = true, days = 30 }));
        var client = app.CreateClient();
        var issuedOn = DateOnly.Parse((await (await client.GetAsync($"/api/v1/shares/{token}?lang=en")).ReadJsonAsync())
            .GetProperty("certificates")[0].GetProperty("issuedOn").GetString()!);
        var arabic = VerificationLanguage.Arabic;

        var html = await PageAsync(client, $"/shares/{token}?lang=ar");
        Assert.Contains("<html lang=\"ar\" dir=\"rtl\">", html);
        var main = MainOf(html);
        Assert.Matches($"^<main[^>]*>\\s*<div class=\"state active\"[^>]*>\\s*<p class=\"title\">{Regex.Escape(arabic.ShareStateTitle(ShareState.Active))} · ", main);
        Assert.Contains(arabic.ShareStateMessage(ShareState.Active), main);
        Assert.Matches($"<div class=\"verdict genuine\">\\s*<p class=\"title\">{Regex.Escape(arabic.VerdictTitle(VerificationVerdict.Genuine))} · ", main);
        Assert.Contains(arabic.Date(issuedOn), main);             // e.g. ٤ كانون الأول ٢٠٢٦
        Assert.DoesNotContain(VerificationLanguage.PersianDigits(RegistryCalendar.SolarHijri(issuedOn)), main);
        Assert.Contains(arabic.IssuedLabel + " · Issued", main);
        Assert.DoesNotContain(VerificationLanguage.Persian.IssuedLabel, main);

        // The language switch stays on this very share link: following it gives the same share in Persian, both calendars.
        var href = Regex.Match(main, "<a href=\"([^\"]*)\" hreflang=\"fa\"").Groups[1].Value;
        var persianUrl = new Uri(new Uri($"http://localhost/shares/{token}?lang=ar"), href).PathAndQuery;
        Assert.Equal($"/shares/{token}?lang=fa", persianUrl);
        var persian = await PageAsync(client, persianUrl);
        Assert.Contains("<html lang=\"fa\" dir=\"rtl\">", persian);
        Assert.Contains(VerificationLanguage.Persian.ShareStateTitle(ShareState.Active), persian);
        Assert.Contains(VerificationLanguage.Persian.Date(issuedOn).Split(" · ")[0], persian);
        Assert.Contains(issuedOn.ToString("yyyy-MM-dd"), persian);
        Assert.DoesNotContain(arabic.ShareStateTitle(ShareState.Active), persian);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task The_browser_s_language_picks_the_page_unless_the_link_asks_for_one(TestDatabase db)
    {
        var app = await fixture.For(db);
        var world = await app.CreateWorldAsync();
        var holder = await app.HolderAsync(world, 1);
        var token = HoldersTestData.TokenOf(await holder.ShareAsync(new { wholeTranscript = true, days = 30 }));
        var client = app.CreateClient();

        var iraqi = await PageAsync(client, $"/shares/{token}", "ar-IQ,ar;q=0.9,en;q=0.5");
        Assert.Contains("<html lang=\"ar\" dir=\"rtl\">", iraqi);
        Assert.Contains(VerificationLanguage.Arabic.ShareStateTitle(ShareState.Active), iraqi);

        var english = await PageAsync(client, $"/shares/{token}?lang=en", "ar-IQ,ar;q=0.9");
        Assert.Contains("<html lang=\"en\" dir=\"ltr\">", english);
        Assert.Contains("Shared by the holder", english);
        Assert.DoesNotContain(VerificationLanguage.Arabic.ShareStateTitle(ShareState.Active), english);
        Assert.DoesNotContain(VerificationLanguage.Persian.ShareStateTitle(ShareState.Active), english);

        var unknown = await PageAsync(client, $"/shares/{token}?lang=de");
        Assert.Contains("<html lang=\"fa\" dir=\"rtl\">", unknown);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task The_json_answer_speaks_arabic_for_the_share_and_each_certificate_with_english_and_persian_beside(TestDatabase db)
    {
        var app = await fixture.For(db);
        var world = await app.CreateWorldAsync();
        var holder = await app.HolderAsync(world, 1);
        var created = await holder.ShareAsync(new { wholeTranscript = true, days = 30 });
        var token = HoldersTestData.TokenOf(created);
        var client = app.CreateClient();
        var number = holder.Certificates[0].Number;

        var request = new HttpRequestMessage(HttpMethod.Get, $"/shares/{token}.json");
        request.Headers.AcceptLanguage.ParseAdd("ar-IQ");
        var response = await client.SendAsync(request);
        Assert.Equal("ar", response.Content.Headers.ContentLanguage.Single());
        var view = await response.ReadJsonAsync();
        Assert.Equal("ar", view.GetProperty("language").GetString());
        Assert.Equal(VerificationLanguage.Arabic.ShareStateMessage(ShareState.Active), view.GetProperty("message").GetString());
        Assert.Equal(VerificationLanguage.English.ShareStateMessage(ShareState.Active), view.GetProperty("messageEn").GetString());
        Assert.Equal(VerificationLanguage.Persian.ShareStateMessage(ShareState.Active), view.GetProperty("messageFa").GetString());
        var certificate = view.GetProperty("certificates")[0];
        Assert.Equal("ar", certificate.GetProperty("language").GetString());
        Assert.Equal(VerificationLanguage.Arabic.VerdictMessage(VerificationVerdict.Genuine, VerificationStatus.Valid, number, null),
            certificate.GetProperty("verdictMessage").GetString());
        Assert.Equal(VerificationLanguage.Arabic.StatusMessage(VerificationStatus.Valid), certificate.GetProperty("message").GetString());

        // ?lang wins over the header on the API too; a withdrawn share says so in Arabic.
        var asked = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/shares/{token}?lang=en");
        asked.Headers.AcceptLanguage.ParseAdd("ar-IQ");
        var english = await (await client.SendAsync(asked)).ReadJsonAsync();
        Assert.Equal("en", english.GetProperty("language").GetString());
        Assert.Equal(english.GetProperty("messageEn").GetString(), english.GetProperty("message").GetString());

        (await holder.Client.PostAsync($"/holder/shares/{created.GetProperty("share").GetProperty("id").GetGuid()}/revoke", null)).EnsureSuccessStatusCode();
        var withdrawn = await (await client.GetAsync($"/api/v1/shares/{token}?lang=ar")).ReadJsonAsync();
        Assert.Equal("revoked", withdrawn.GetProperty("state").GetString());
        Assert.Equal(VerificationLanguage.Arabic.ShareStateMessage(ShareState.Revoked), withdrawn.GetProperty("message").GetString());
        var page = await client.GetAsync($"/shares/{token}?lang=ar");
        Assert.Equal(HttpStatusCode.Gone, page.StatusCode);
        Assert.Contains(VerificationLanguage.Arabic.ShareStateTitle(ShareState.Revoked), await page.Content.ReadAsStringAsync());
    }

    [Fact]
    public void Every_share_state_has_its_own_words_in_every_language_and_the_arabic_ones_are_arabic()
    {
        foreach (var language in new[] { VerificationLanguage.Persian, VerificationLanguage.Arabic, VerificationLanguage.English })
        {
            Assert.Equal(4, Enum.GetValues<ShareState>().Select(language.ShareStateTitle).Distinct().Count());
            Assert.Equal(4, Enum.GetValues<ShareState>().Select(language.ShareStateMessage).Distinct().Count());
        }
        var a = VerificationLanguage.Arabic;
        var arabic = string.Concat(Enum.GetValues<ShareState>().Select(s => a.ShareStateTitle(s) + a.ShareStateMessage(s)))
            + a.ShareTitle + a.SharedWithLabel + a.ShareOpenUntilLabel + a.NoCertificatesYet;
        Assert.DoesNotContain(arabic, c => c is 'پ' or 'چ' or 'ژ' or 'گ' or 'ی' or 'ک' or >= '۰' and <= '۹');
    }
}
