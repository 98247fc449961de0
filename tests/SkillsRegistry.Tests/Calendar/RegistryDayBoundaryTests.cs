using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using SkillsRegistry.Api.Infrastructure.Text;
using SkillsRegistry.Api.Infrastructure.Auth;
using SkillsRegistry.Tests.Centers;
using SkillsRegistry.Tests.Support;

namespace SkillsRegistry.Tests.Calendar;

/// <summary>
/// The registry's day is the day in Tehran (UTC+03:30). At 21:00 UTC it is already tomorrow there, and in the last
/// minute before Nowruz it is still the old Solar Hijri year: every dated path must follow Tehran, not UTC.
/// </summary>
[Trait("Clock", "sensitive")]
public sealed class RegistryDayBoundaryTests
{
    private static readonly PersianCalendar Persian = new();

    [Theory, OnSqlite, OnPostgres]
    public async Task At_21_00_UTC_every_dated_path_already_uses_the_next_day_in_Tehran(TestDatabase db)
    {
        var utcDay = DateOnly.FromDateTime(TestClock.Start().UtcDateTime);
        var moment = new DateTimeOffset(utcDay.ToDateTime(new TimeOnly(21, 0)), TimeSpan.Zero);
        var tehranDay = utcDay.AddDays(1); // 00:30 in Tehran
        await AssertDatedPathsAsync(db, moment, tehranDay, Persian.GetYear(tehranDay.ToDateTime(TimeOnly.MinValue)));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task In_the_last_minute_before_Nowruz_every_dated_path_still_uses_the_old_year(TestDatabase db)
    {
        var start = TestClock.Start();
        var nextYear = Persian.GetYear(RegistryCalendar.DayOf(start).ToDateTime(TimeOnly.MinValue)) + 1;
        var nowruz = TestClock.NowruzUtc(nextYear);
        if (nowruz - start <= TimeSpan.FromMinutes(1)) nowruz = TestClock.NowruzUtc(++nextYear);
        var moment = nowruz - TimeSpan.FromMinutes(1); // 23:59 on the last day of Esfand, Tehran time
        var lastDayOfEsfand = DateOnly.FromDateTime(new PersianCalendar().ToDateTime(nextYear, 1, 1, 0, 0, 0, 0)).AddDays(-1);
        Assert.Equal(20, moment.UtcDateTime.Hour); // Tehran has kept UTC+03:30 all year since 2022
        Assert.Equal(29, moment.UtcDateTime.Minute);
        await AssertDatedPathsAsync(db, moment, lastDayOfEsfand, nextYear - 1);
    }

    private static async Task AssertDatedPathsAsync(TestDatabase db, DateTimeOffset moment, DateOnly expectedDay, int expectedSolarHijriYear)
    {
        await using var app = await RegistryApp.StartAsync(db, clockStart: moment);
        Assert.Equal(expectedDay, app.Today); // the test's expectation and the registry's calendar agree
        var admin = await app.AdminClientAsync();
        var day = expectedDay.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

        // A certificate: the year in its number and its issue date.
        var world = await app.CreateWorldAsync();
        var issued = await app.IssueCertificateAsync(world);
        Assert.StartsWith($"{expectedSolarHijriYear}-", issued.Number);
        var certificate = await (await admin.GetAsync($"/api/v1/certificates/{issued.CertificateId}")).ReadJsonAsync();
        Assert.Equal(day, certificate.GetProperty("issuedOn").GetString());
        Assert.StartsWith($"{expectedSolarHijriYear}/", certificate.GetProperty("issuedOnSolarHijri").GetString());

        // A standard activated without a date takes effect today.
        var (draft, etag) = await admin.CreateStandardAsync(StandardsTestData.StandardBody(StandardsTestData.NewStandardCode()));
        var active = await (await admin.SendIfMatchAsync(HttpMethod.Post, $"/api/v1/standards/{draft.GetProperty("id").GetString()}/activate", null, etag)).ReadJsonAsync();
        Assert.Equal(day, active.GetProperty("effectiveFrom").GetString());

        // A partner agreement is in force through its last day, and not the day after.
        var endsToday = app.ClientWithKey(await app.CreateKeyAsync(ApiKeyRole.Partner, partnerId: await app.InsertPartnerAsync(sector: "handicrafts", endsOn: expectedDay)));
        Assert.Equal(HttpStatusCode.OK, (await endsToday.GetAsync($"/api/v1/certificates/{issued.CertificateId}")).StatusCode);
        var endedYesterday = app.ClientWithKey(await app.CreateKeyAsync(ApiKeyRole.Partner, partnerId: await app.InsertPartnerAsync(sector: "handicrafts", endsOn: expectedDay.AddDays(-1))));
        await (await endedYesterday.GetAsync($"/api/v1/certificates/{issued.CertificateId}")).AssertProblemAsync(HttpStatusCode.Forbidden);

        // Center search and export: a licence starting today is active today; one starting tomorrow is not yet.
        var fromToday = await admin.CreatePublicCenterAsync();
        var fromTomorrow = await admin.CreatePublicCenterAsync();
        await admin.CreateLicenceAsync(fromToday, CentersApi.UniqueCode("L"), expectedDay, expectedDay.AddYears(1));
        await admin.CreateLicenceAsync(fromTomorrow, CentersApi.UniqueCode("L"), expectedDay.AddDays(1), expectedDay.AddYears(1));
        var activeToday = (await (await admin.GetAsync("/api/v1/centers?status=active&pageSize=200")).ReadJsonAsync())
            .GetProperty("items").EnumerateArray().Select(c => c.GetProperty("id").GetString()).ToList();
        Assert.Contains(fromToday.ToString(), activeToday);
        Assert.DoesNotContain(fromTomorrow.ToString(), activeToday);
        Assert.Equal("active", await ExportedLicenceStatusAsync(admin, fromToday));
        Assert.NotEqual("active", await ExportedLicenceStatusAsync(admin, fromTomorrow));
    }

    private static async Task<string> ExportedLicenceStatusAsync(HttpClient admin, Guid centerId)
    {
        var code = (await (await admin.GetAsync($"/api/v1/centers/{centerId}")).ReadJsonAsync()).GetProperty("code").GetString()!;
        var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/centers/export.csv?code={Uri.EscapeDataString(code)}");
        request.Headers.Accept.Clear();
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/csv"));
        var response = await admin.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var lines = Encoding.UTF8.GetString(await response.Content.ReadAsByteArrayAsync()).TrimStart('\uFEFF')
            .Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        var header = lines[0].Split(',');
        var row = Assert.Single(lines[1..]).Split(',');
        return row[row.Length - (header.Length - Array.IndexOf(header, "licenceStatus"))]; // counted from the end: an address may hold commas
    }
}
