using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using SkillsRegistry.Api.Features.Verification;
using SkillsRegistry.Tests.Support;

namespace SkillsRegistry.Tests.Verification;

/// <summary>Issue 24: the verification answer in Arabic as well as Persian and English, for an employer in Maysan.</summary>
public sealed class VerificationLanguageTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    [Theory]
    [InlineData("ar", null, Language.Ar)]
    [InlineData("en", "ar-IQ,ar;q=0.9", Language.En)]   // ?lang beats Accept-Language
    [InlineData(null, "ar-IQ,ar;q=0.9,en;q=0.5", Language.Ar)]
    [InlineData(null, "de-DE, en;q=0.4, ar;q=0.8", Language.Ar)] // by quality, unknown ones passed over
    [InlineData("de", null, Language.Fa)]                 // unknown → the default
    [InlineData("xx", "fr", Language.Fa)]
    [InlineData(null, null, Language.Fa)]
    [InlineData("EN", null, Language.En)]
    [InlineData(null, "ar;q=0, en", Language.En)]         // q=0 means "not this one"
    public void The_language_is_the_query_s_then_the_browser_s_then_Persian(string? lang, string? acceptLanguage, Language expected) =>
        Assert.Equal(expected, VerificationLanguage.Negotiate(lang, acceptLanguage));

    [Fact]
    public void Arabic_readers_get_Gregorian_dates_with_Iraqi_month_names_and_Persian_readers_both_calendars()
    {
        var day = new DateOnly(2026, 12, 4);
        Assert.Equal("٤ كانون الأول ٢٠٢٦", VerificationLanguage.Arabic.Date(day));
        Assert.Equal("۱۴۰۵/۰۹/۱۳ · 2026-12-04", VerificationLanguage.Persian.Date(day));
        Assert.Equal("2026-12-04", VerificationLanguage.English.Date(day));
    }

    [Fact]
    public void Every_verdict_status_and_reason_has_its_own_words_in_every_language()
    {
        foreach (var language in new[] { VerificationLanguage.Persian, VerificationLanguage.Arabic, VerificationLanguage.English })
        {
            var verdicts = Enum.GetValues<VerificationVerdict>()
                .Select(v => language.VerdictMessage(v, VerificationStatus.Valid, "1405-10-483920175-K", "1405-10-592031846-K")).ToList();
            Assert.All(verdicts, Assert.NotEmpty);
            Assert.Equal(verdicts.Count - 1, verdicts.Distinct().Count()); // only not-found/invalid-number share status words … with each other's status
            Assert.Equal(Enum.GetValues<VerificationStatus>().Length, Enum.GetValues<VerificationStatus>().Select(language.StatusMessage).Distinct().Count());
            Assert.Equal(5, new[] { "issued-in-error", "fraud", "assessment-annulled", "holder-request", "other" }.Select(language.Reason).Distinct().Count());
        }
        // Arabic text is Arabic, not Persian: no Persian-only letters (پ چ ژ گ) and no Persian digits.
        var arabic = string.Concat(Enum.GetValues<VerificationVerdict>().Select(v =>
            VerificationLanguage.Arabic.VerdictMessage(v, VerificationStatus.Revoked, "n", "m") + VerificationLanguage.Arabic.VerdictTitle(v)));
        Assert.DoesNotContain(arabic, c => c is 'پ' or 'چ' or 'ژ' or 'گ' or >= '۰' and <= '۹');
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task The_json_answer_speaks_the_asked_language_and_keeps_english_and_persian_beside_it(TestDatabase db)
    {
        var app = await fixture.For(db);
        var world = await app.CreateWorldAsync();
        var issued = await app.IssueCertificateAsync(world);
        var client = app.CreateClient();

        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/verify/{issued.Number}");
        request.Headers.AcceptLanguage.ParseAdd("ar-IQ");
        var response = await client.SendAsync(request);
        var arabic = await response.ReadJsonAsync();
        Assert.Equal("ar", response.Content.Headers.ContentLanguage.Single());
        Assert.Equal("ar", arabic.GetProperty("language").GetString());
        Assert.Equal(VerificationLanguage.Arabic.VerdictMessage(VerificationVerdict.StatusOnly, VerificationStatus.Valid, issued.Number, null),
            arabic.GetProperty("verdictMessage").GetString());
        Assert.Equal("رقم هذه الشهادة مسجَّل في السجل على أنه صالح.", arabic.GetProperty("message").GetString());
        Assert.Equal("The registry lists this certificate number as valid.", arabic.GetProperty("messageEn").GetString());
        Assert.Equal("این شماره گواهینامه در سامانه معتبر ثبت شده است.", arabic.GetProperty("messageFa").GetString());
        Assert.Equal("بافنده فرش دستباف", arabic.GetProperty("standard").GetProperty("titleFa").GetString()); // names stay as registered

        var english = await (await client.GetAsync($"/api/v1/verify/{issued.Number}?lang=en")).ReadJsonAsync();
        Assert.Equal("en", english.GetProperty("language").GetString());
        Assert.Equal(english.GetProperty("messageEn").GetString(), english.GetProperty("message").GetString());
        var unknown = await (await client.GetAsync($"/api/v1/verify/{issued.Number}?lang=de")).ReadJsonAsync();
        Assert.Equal("fa", unknown.GetProperty("language").GetString());

        var verifier = app.ClientWithKey(await app.CreateKeyAsync(SkillsRegistry.Api.Infrastructure.Auth.ApiKeyRole.Verifier));
        var bulk = await (await verifier.PostAsJsonAsync("/api/v1/verifications?lang=ar", new { items = new[] { new { number = issued.Number } } })).ReadJsonAsync();
        Assert.Equal(arabic.GetProperty("verdictMessage").GetString(), bulk.GetProperty("items")[0].GetProperty("verdictMessage").GetString());
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task The_page_is_rendered_per_language_and_the_cache_never_serves_one_language_for_another(TestDatabase db)
    {
        var app = await fixture.For(db);
        var world = await app.CreateWorldAsync();
        var issued = await app.IssueCertificateAsync(world);
        var client = app.CreateClient();

        async Task<string> PageAsync(string query, string? acceptLanguage = null)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"/verify/{issued.Number}{query}");
            if (acceptLanguage is not null) request.Headers.AcceptLanguage.ParseAdd(acceptLanguage);
            var response = await client.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Contains("Accept-Language", response.Headers.Vary);
            return await response.Content.ReadAsStringAsync();
        }

        // Same number and minute, three languages, each twice: the second of each comes from the shape cache.
        foreach (var _ in new[] { 1, 2 })
        {
            var arabic = await PageAsync("?lang=ar");
            Assert.Contains("<html lang=\"ar\" dir=\"rtl\">", arabic);
            Assert.Contains("التحقق من الشهادة", arabic);
            Assert.Contains("المعيار المهني", arabic);
            Assert.DoesNotContain("استعلام گواهینامه", arabic);
            Assert.Contains("بافنده فرش دستباف", arabic); // the standard's name as registered

            var persian = await PageAsync("", "fa-IR");
            Assert.Contains("<html lang=\"fa\" dir=\"rtl\">", persian);
            Assert.Contains("استعلام گواهینامه", persian);
            Assert.DoesNotContain("التحقق من الشهادة", persian);

            var english = await PageAsync("?lang=en", "ar");
            Assert.Contains("<html lang=\"en\" dir=\"ltr\">", english);
            Assert.DoesNotContain("التحقق من الشهادة", english);
            Assert.DoesNotContain("استعلام گواهینامه", english);
            Assert.Contains($"href=\"/verify/{issued.Number}?lang=ar\"", english); // the switch keeps the number
        }

        var pages = app.Service<VerificationPages>();
        foreach (var language in Enum.GetValues<Language>())
        {
            var answer = await app.Service<VerificationService>().VerifyAsync(issued.Number, null, null, language, CancellationToken.None);
            Assert.Equal(await pages.RenderAsync(answer), await VerificationPageTemplateTests.ServeAsync(pages, answer));
        }
    }
}
