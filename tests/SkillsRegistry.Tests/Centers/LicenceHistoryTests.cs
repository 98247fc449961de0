using System.Net;
using System.Net.Http.Json;
using SkillsRegistry.Api.Features.Centers;
using SkillsRegistry.Tests.Support;

namespace SkillsRegistry.Tests.Centers;

public sealed class LicenceHistoryTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    private static readonly DateOnly From = new(2025, 1, 1);
    private static readonly DateOnly To = new(2025, 12, 31);
    private static readonly DateOnly Suspended = new(2025, 4, 10);
    private static readonly DateOnly Reinstated = new(2025, 6, 1);

    private static Task<LicenceCheck> CheckAsync(RegistryApp app, Guid centerId, DateOnly on) =>
        app.Db.ReadAsync(s => app.Service<CenterRepository>().CheckLicenceAsync(s, centerId, on));

    private static async Task<(Guid Center, Guid Licence, string Number)> LicensedCenterAsync(RegistryApp app, HttpClient admin, DateOnly? validTo = null)
    {
        var center = await admin.CreatePublicCenterAsync();
        var number = CentersApi.UniqueCode("LIC");
        var licence = await admin.CreateLicenceAsync(center, number, From, validTo ?? To);
        return (center, Guid.Parse(licence.GetProperty("id").GetString()!), number);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task A_suspension_ends_the_active_licence_from_its_date_and_says_why(TestDatabase db)
    {
        var app = await fixture.For(db);
        var admin = await app.AdminClientAsync();
        var (center, licence, number) = await LicensedCenterAsync(app, admin);
        (await admin.ChangeStatusAsync(center, licence, "suspended", Suspended, "Unsafe workshop")).EnsureSuccessStatusCode();

        var before = await CheckAsync(app, center, Suspended.AddDays(-1));
        Assert.True(before.Active, before.Reason);
        Assert.Equal(number, before.LicenceNumber);

        foreach (var day in new[] { Suspended, Suspended.AddDays(30) })
        {
            var check = await CheckAsync(app, center, day);
            Assert.False(check.Active);
            Assert.Equal(CenterLicenceStatus.Suspended, check.Status);
            Assert.Equal($"Licence {number} was suspended from 2025-04-10 (Unsafe workshop).", check.Reason);
        }
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task A_licence_is_not_active_before_it_starts_or_after_it_expires(TestDatabase db)
    {
        var app = await fixture.For(db);
        var admin = await app.AdminClientAsync();
        var (center, _, number) = await LicensedCenterAsync(app, admin);

        Assert.True((await CheckAsync(app, center, From)).Active);
        Assert.True((await CheckAsync(app, center, To)).Active);

        var early = await CheckAsync(app, center, From.AddDays(-1));
        Assert.False(early.Active);
        Assert.Equal(CenterLicenceStatus.Unlicensed, early.Status);
        Assert.Contains("no licence covering 2024-12-31", early.Reason);

        var late = await CheckAsync(app, center, To.AddDays(1));
        Assert.False(late.Active);
        Assert.Equal(CenterLicenceStatus.Expired, late.Status);
        Assert.Contains($"Licence {number} expired on 2025-12-31", late.Reason);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Reinstatement_makes_the_licence_active_again_from_its_date(TestDatabase db)
    {
        var app = await fixture.For(db);
        var admin = await app.AdminClientAsync();
        var (center, licence, _) = await LicensedCenterAsync(app, admin);
        (await admin.ChangeStatusAsync(center, licence, "suspended", Suspended, "Unsafe workshop")).EnsureSuccessStatusCode();
        var response = await admin.ChangeStatusAsync(center, licence, "active", Reinstated, "Workshop repaired");
        var body = await response.ReadJsonAsync();

        Assert.False((await CheckAsync(app, center, Reinstated.AddDays(-1))).Active);
        Assert.True((await CheckAsync(app, center, Reinstated)).Active);
        Assert.True((await CheckAsync(app, center, Reinstated.AddDays(40))).Active);

        var history = body.GetProperty("statusChanges").EnumerateArray()
            .Select(c => (c.GetProperty("status").GetString(), c.GetProperty("effectiveFrom").GetString())).ToList();
        Assert.Equal([("active", "2025-01-01"), ("suspended", "2025-04-10"), ("active", "2025-06-01")], history);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task A_revoked_licence_stays_revoked(TestDatabase db)
    {
        var app = await fixture.For(db);
        var admin = await app.AdminClientAsync();
        var (center, licence, number) = await LicensedCenterAsync(app, admin);
        (await admin.ChangeStatusAsync(center, licence, "revoked", Suspended, "Fraudulent results")).EnsureSuccessStatusCode();

        var check = await CheckAsync(app, center, Reinstated);
        Assert.Equal(CenterLicenceStatus.Revoked, check.Status);
        Assert.Equal($"Licence {number} was revoked from 2025-04-10 (Fraudulent results).", check.Reason);

        var again = await admin.ChangeStatusAsync(center, licence, "active", Reinstated, "Appeal");
        Assert.Contains("revoked", (await again.AssertProblemAsync(HttpStatusCode.Conflict)).GetProperty("detail").GetString());
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Status_changes_are_checked_against_the_licence(TestDatabase db)
    {
        var app = await fixture.For(db);
        var admin = await app.AdminClientAsync();
        var (center, licence, _) = await LicensedCenterAsync(app, admin);

        var noReason = await admin.PostAsJsonAsync($"/api/v1/centers/{center}/licences/{licence}/status", new { status = "suspended" });
        Assert.NotEmpty((await noReason.AssertProblemAsync(HttpStatusCode.BadRequest)).FieldErrors("reason"));
        var expiredIsDerived = await admin.ChangeStatusAsync(center, licence, "expired", Suspended, "End");
        Assert.NotEmpty((await expiredIsDerived.AssertProblemAsync(HttpStatusCode.BadRequest)).FieldErrors("status"));
        var outside = await admin.ChangeStatusAsync(center, licence, "suspended", To.AddDays(1), "Late");
        Assert.NotEmpty((await outside.AssertProblemAsync(HttpStatusCode.UnprocessableEntity)).FieldErrors("effectiveFrom"));
        var same = await admin.ChangeStatusAsync(center, licence, "active", Suspended, "Again");
        await same.AssertProblemAsync(HttpStatusCode.Conflict);
        var otherCenter = await admin.CreatePublicCenterAsync();
        await (await admin.ChangeStatusAsync(otherCenter, licence, "suspended", Suspended, "Wrong center")).AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Licence_numbers_are_unique_and_history_is_listed_with_the_center(TestDatabase db)
    {
        var app = await fixture.For(db);
        var admin = await app.AdminClientAsync();
        var (center, licence, number) = await LicensedCenterAsync(app, admin, validTo: new DateOnly(2099, 12, 31));
        (await admin.ChangeStatusAsync(center, licence, "suspended", new DateOnly(2099, 1, 1), "Planned closure")).EnsureSuccessStatusCode();

        var duplicate = await admin.PostAsJsonAsync($"/api/v1/centers/{center}/licences", new { number, validFrom = "2026-01-01" });
        await duplicate.AssertProblemAsync(HttpStatusCode.Conflict);
        var backwards = await admin.PostAsJsonAsync($"/api/v1/centers/{center}/licences", new { number = "N-2", validFrom = "2026-01-01", validTo = "2025-01-01" });
        Assert.NotEmpty((await backwards.AssertProblemAsync(HttpStatusCode.BadRequest)).FieldErrors("validTo"));

        var licences = (await (await admin.GetAsync($"/api/v1/centers/{center}/licences")).ReadJsonAsync()).GetProperty("items");
        Assert.Equal(1, licences.GetArrayLength());
        Assert.Equal("active", licences[0].GetProperty("statusToday").GetString()); // the suspension lies in the future
        Assert.Equal(2, licences[0].GetProperty("statusChanges").GetArrayLength());

        var detail = await (await admin.GetAsync($"/api/v1/centers/{center}")).ReadJsonAsync();
        Assert.Equal("active", detail.GetProperty("licenceStatus").GetString());
        Assert.Contains(number, detail.GetProperty("licenceStatusDetail").GetString());
        Assert.Equal(number, detail.GetProperty("licences")[0].GetProperty("number").GetString());

        var single = await admin.GetAsync($"/api/v1/centers/{center}/licences/{licence}");
        Assert.Equal(number, (await single.ReadJsonAsync()).GetProperty("number").GetString());
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task A_center_without_licences_is_unlicensed_and_an_unknown_one_is_reported(TestDatabase db)
    {
        var app = await fixture.For(db);
        var admin = await app.AdminClientAsync();
        var center = await admin.CreatePublicCenterAsync();
        var check = await CheckAsync(app, center, From);
        Assert.False(check.Active);
        Assert.EndsWith("has no licence.", check.Reason);
        Assert.False((await CheckAsync(app, Guid.CreateVersion7(), From)).Active);

        var summary = await app.Db.ReadAsync(s => app.Service<CenterRepository>().FindAsync(s, center));
        Assert.Equal(CenterKind.Public, summary!.Kind);
        Assert.Equal("IR-10", summary.ProvinceCode);
        Assert.Null(await app.Db.ReadAsync(s => app.Service<CenterRepository>().FindAsync(s, Guid.CreateVersion7())));
    }
}
