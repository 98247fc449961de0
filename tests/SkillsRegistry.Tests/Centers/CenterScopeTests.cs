using System.Net;
using System.Net.Http.Json;
using SkillsRegistry.Api.Features.Centers;
using SkillsRegistry.Tests.Support;

namespace SkillsRegistry.Tests.Centers;

public sealed class CenterScopeTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    private static Task<bool> InScopeAsync(RegistryApp app, Guid centerId, string code, DateOnly on) =>
        app.Db.ReadAsync(s => app.Service<CenterRepository>().IsInScopeAsync(s, centerId, code, on));

    private static async Task<(Guid Center, string Standard)> CenterWithStandardAsync(RegistryApp app, HttpClient admin)
    {
        var standard = "STD-" + Guid.NewGuid().ToString("N")[..8];
        await app.InsertStandardAsync(standard, 1, "active", RegistryWorlds.LicensedFrom, null, validityMonths: null);
        return (await admin.CreatePublicCenterAsync(), standard);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task A_center_is_in_scope_only_inside_the_period_and_not_after_it_is_ended(TestDatabase db)
    {
        var app = await fixture.For(db);
        var admin = await app.AdminClientAsync();
        var (center, standard) = await CenterWithStandardAsync(app, admin);
        var added = await admin.PostAsJsonAsync($"/api/v1/centers/{center}/scope",
            new { standardCode = standard, validFrom = "2025-03-01", validTo = "2025-12-31", reason = "Workshop inspected" });
        var entry = await added.ReadJsonAsync(HttpStatusCode.Created);
        Assert.EndsWith($"/api/v1/centers/{center}/scope/{entry.GetProperty("id").GetString()}", added.Headers.Location!.ToString());

        Assert.False(await InScopeAsync(app, center, standard, new DateOnly(2025, 2, 28)));
        Assert.True(await InScopeAsync(app, center, standard, new DateOnly(2025, 3, 1)));
        Assert.True(await InScopeAsync(app, center, standard, new DateOnly(2025, 12, 31)));
        Assert.False(await InScopeAsync(app, center, standard, new DateOnly(2026, 1, 1)));
        Assert.False(await InScopeAsync(app, center, "OTHER-CODE", new DateOnly(2025, 6, 1)));

        var ended = await admin.PostAsJsonAsync($"/api/v1/centers/{center}/scope/{entry.GetProperty("id").GetString()}/end",
            new { validTo = "2025-06-30", reason = "Trainer left" });
        var body = await ended.ReadJsonAsync();
        Assert.Equal("2025-06-30", body.GetProperty("validTo").GetString());
        Assert.Equal("Trainer left", body.GetProperty("endReason").GetString());
        Assert.True(await InScopeAsync(app, center, standard, new DateOnly(2025, 6, 30)));
        Assert.False(await InScopeAsync(app, center, standard, new DateOnly(2025, 7, 1)));

        var later = await admin.PostAsJsonAsync($"/api/v1/centers/{center}/scope/{entry.GetProperty("id").GetString()}/end",
            new { validTo = "2025-09-30", reason = "Changed our mind" });
        await later.AssertProblemAsync(HttpStatusCode.Conflict);

        var listed = (await (await admin.GetAsync($"/api/v1/centers/{center}/scope")).ReadJsonAsync()).GetProperty("items");
        Assert.Equal(1, listed.GetArrayLength());
        Assert.Equal("2025-03-01", listed[0].GetProperty("validFrom").GetString());
        var pastTheEnd = await (await admin.GetAsync($"/api/v1/centers/{center}/scope?page=2")).ReadJsonAsync();
        Assert.Equal(0, pastTheEnd.GetProperty("items").GetArrayLength());
        Assert.Equal(1, pastTheEnd.GetProperty("total").GetInt64());
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Overlapping_periods_for_the_same_standard_are_a_conflict(TestDatabase db)
    {
        var app = await fixture.For(db);
        var admin = await app.AdminClientAsync();
        var (center, standard) = await CenterWithStandardAsync(app, admin);
        var url = $"/api/v1/centers/{center}/scope";
        (await admin.PostAsJsonAsync(url, new { standardCode = standard, validFrom = "2025-01-01", validTo = "2025-06-30" })).EnsureSuccessStatusCode();

        var overlap = await admin.PostAsJsonAsync(url, new { standardCode = standard, validFrom = "2025-06-30" });
        Assert.Contains("2025-01-01", (await overlap.AssertProblemAsync(HttpStatusCode.Conflict)).GetProperty("detail").GetString());
        var openBefore = await admin.PostAsJsonAsync(url, new { standardCode = standard, validFrom = "2024-01-01" });
        await openBefore.AssertProblemAsync(HttpStatusCode.Conflict);

        var next = await admin.PostAsJsonAsync(url, new { standardCode = standard, validFrom = "2025-07-01" });
        await next.ReadJsonAsync(HttpStatusCode.Created);
        Assert.True(await InScopeAsync(app, center, standard, new DateOnly(2030, 1, 1)));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Scope_needs_an_existing_standard_and_center(TestDatabase db)
    {
        var app = await fixture.For(db);
        var admin = await app.AdminClientAsync();
        var (center, standard) = await CenterWithStandardAsync(app, admin);
        var unknown = await admin.PostAsJsonAsync($"/api/v1/centers/{center}/scope", new { standardCode = "NO-SUCH-STANDARD", validFrom = "2025-01-01" });
        Assert.NotEmpty((await unknown.AssertProblemAsync(HttpStatusCode.BadRequest)).FieldErrors("standardCode"));
        var noCenter = await admin.PostAsJsonAsync($"/api/v1/centers/{Guid.CreateVersion7()}/scope", new { standardCode = standard, validFrom = "2025-01-01" });
        await noCenter.AssertProblemAsync(HttpStatusCode.NotFound);
    }
}
