using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using SkillsRegistry.Api.Infrastructure.Auth;
using SkillsRegistry.Tests.Support;
using static SkillsRegistry.Tests.Support.PartnersTestData;

namespace SkillsRegistry.Tests.Partners;

public sealed class PartnerTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    [Theory, OnSqlite, OnPostgres]
    public async Task An_admin_registers_a_partner_and_finds_it_by_id_and_in_the_list(TestDatabase db)
    {
        var app = await fixture.For(db);
        var admin = await app.AdminClientAsync();
        var code = UniquePartnerCode("cinema-org");
        var body = PartnerBody(code, b => b["sectors"] = new[] { "handicrafts", "cinema", "cinema" });

        var response = await admin.PostAsJsonAsync("/api/v1/partners", body);
        var created = await response.ReadJsonAsync(HttpStatusCode.Created);
        var id = created.Id();
        Assert.Equal($"/api/v1/partners/{id}", response.Headers.Location?.OriginalString);
        Assert.Equal("\"v1\"", response.Headers.ETag?.Tag);
        Assert.Equal("IR", created.GetProperty("country").GetString());
        Assert.Equal(["cinema", "handicrafts"], created.GetProperty("sectors").EnumerateArray().Select(s => s.GetString()!).ToArray());
        Assert.Equal("active", created.GetProperty("status").GetString());
        Assert.True(created.GetProperty("agreementInForce").GetBoolean()); // signed 2024, open-ended
        Assert.Equal(0, created.GetProperty("extensions").GetArrayLength());

        var get = await admin.GetAsync($"/api/v1/partners/{id}");
        var fetched = await get.ReadJsonAsync();
        Assert.Equal(code, fetched.GetProperty("code").GetString());
        Assert.Equal("MoU on film crafts", fetched.GetProperty("note").GetString());
        Assert.Equal("\"v1\"", get.Headers.ETag?.Tag);

        var page = await (await admin.GetAsync("/api/v1/partners?sector=handicrafts&country=IR&status=active&pageSize=200")).ReadJsonAsync();
        Assert.Contains(page.GetProperty("items").EnumerateArray(), p => p.GetProperty("code").GetString() == code);
        var other = await (await admin.GetAsync("/api/v1/partners?sector=oil-gas&pageSize=200")).ReadJsonAsync();
        Assert.DoesNotContain(other.GetProperty("items").EnumerateArray(), p => p.GetProperty("code").GetString() == code);
        var suspended = await (await admin.GetAsync("/api/v1/partners?status=suspended&pageSize=200")).ReadJsonAsync();
        Assert.DoesNotContain(suspended.GetProperty("items").EnumerateArray(), p => p.GetProperty("code").GetString() == code);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task List_filters_combine_and_the_total_and_sectors_follow_the_filtered_page(TestDatabase db)
    {
        var app = await fixture.For(db);
        var admin = await app.AdminClientAsync();
        var marker = UniquePartnerCode("filters");
        var (german, _) = await admin.CreatePartnerAsync(PartnerBody(marker + "-de", b => { b["country"] = "DE"; b["sectors"] = new[] { "cinema", "ai" }; }));
        var (iranian, _) = await admin.CreatePartnerAsync(PartnerBody(marker + "-ir"));
        await admin.CreatePartnerAsync(PartnerBody(marker + "-off", b => { b["country"] = "DE"; b["status"] = "suspended"; }));

        var page = await (await admin.GetAsync($"/api/v1/partners?q={marker}&country=de&sector=cinema&status=active")).ReadJsonAsync();
        var only = Assert.Single(page.GetProperty("items").EnumerateArray());
        Assert.Equal((german.Id(), 1L), (only.Id(), page.GetProperty("total").GetInt64()));
        Assert.Equal(["ai", "cinema"], only.GetProperty("sectors").EnumerateArray().Select(s => s.GetString()!).ToArray());

        // Page 2 of the three matches, by code: the Iranian agency, with its own sectors only.
        var second = await (await admin.GetAsync($"/api/v1/partners?q={marker}&page=2&pageSize=1")).ReadJsonAsync();
        var middle = Assert.Single(second.GetProperty("items").EnumerateArray());
        Assert.Equal((iranian.Id(), 3L), (middle.Id(), second.GetProperty("total").GetInt64()));
        Assert.Equal(["cinema"], middle.GetProperty("sectors").EnumerateArray().Select(s => s.GetString()!).ToArray());

        // A partner key lists its own agency, and nothing when the filters leave it out.
        var partner = app.ClientWithKey(await app.CreateKeyAsync(ApiKeyRole.Partner, partnerId: iranian.Id()));
        var own = await (await partner.GetAsync($"/api/v1/partners?q={marker}")).ReadJsonAsync();
        Assert.Equal(iranian.Id(), Assert.Single(own.GetProperty("items").EnumerateArray()).Id());
        var excluded = await (await partner.GetAsync($"/api/v1/partners?q={marker}&country=DE")).ReadJsonAsync();
        Assert.Equal(0, excluded.GetProperty("total").GetInt64());
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task A_second_partner_with_the_same_code_is_a_409(TestDatabase db)
    {
        var app = await fixture.For(db);
        var admin = await app.AdminClientAsync();
        var code = UniquePartnerCode("dup");
        await admin.CreatePartnerAsync(PartnerBody(code));
        var problem = await (await admin.PostAsJsonAsync("/api/v1/partners", PartnerBody(code))).AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.Contains(code, problem.GetProperty("detail").GetString());
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Invalid_country_unknown_sector_and_an_end_before_signing_are_field_errors(TestDatabase db)
    {
        var app = await fixture.For(db);
        var admin = await app.AdminClientAsync();

        var bad = PartnerBody(with: b =>
        {
            b["country"] = "XX";
            b["agreementSignedOn"] = "2025-06-01";
            b["agreementEndsOn"] = "2025-05-31";
            b["code"] = "Not Kebab";
            b["status"] = "paused";
        });
        var problem = await (await admin.PostAsJsonAsync("/api/v1/partners", bad)).AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("XX", problem.FieldErrors("country")[0]);
        Assert.Contains("2025-06-01", problem.FieldErrors("agreementEndsOn")[0]);
        Assert.NotEmpty(problem.FieldErrors("code"));
        Assert.Contains("active, suspended, ended", problem.FieldErrors("status")[0]);

        var unknownSector = PartnerBody(with: b => b["sectors"] = new[] { "cinema", "space-travel" });
        problem = await (await admin.PostAsJsonAsync("/api/v1/partners", unknownSector)).AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("space-travel", problem.FieldErrors("sectors")[0]);
        Assert.DoesNotContain("cinema", problem.FieldErrors("sectors")[0].Split(':')[1]);

        problem = await (await admin.PostAsJsonAsync("/api/v1/partners", PartnerBody(with: b => b["sectors"] = Array.Empty<string>())))
            .AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.NotEmpty(problem.FieldErrors("sectors"));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Updating_needs_the_current_etag(TestDatabase db)
    {
        var app = await fixture.For(db);
        var admin = await app.AdminClientAsync();
        var (partner, etag) = await admin.CreatePartnerAsync(PartnerBody());
        var url = $"/api/v1/partners/{partner.Id()}";
        var change = new
        {
            nameEn = "Cinema Organization of Iran", nameFa = "سازمان سینمایی ایران", country = "IR",
            sectors = new[] { "cinema", "ai" }, status = "suspended", note = (string?)null,
        };

        await (await admin.SendAsync(WithIfMatch(HttpMethod.Put, url, change, null))).AssertProblemAsync(HttpStatusCode.PreconditionRequired);
        await (await admin.SendAsync(WithIfMatch(HttpMethod.Put, url, change, "\"v99\""))).AssertProblemAsync(HttpStatusCode.PreconditionFailed);

        var response = await admin.SendAsync(WithIfMatch(HttpMethod.Put, url, change, etag));
        var updated = await response.ReadJsonAsync();
        Assert.Equal("\"v2\"", response.Headers.ETag?.Tag);
        Assert.Equal("suspended", updated.GetProperty("status").GetString());
        Assert.False(updated.GetProperty("agreementInForce").GetBoolean()); // suspended agreements are not in force
        Assert.Equal(["ai", "cinema"], updated.GetProperty("sectors").EnumerateArray().Select(s => s.GetString()!).ToArray());
        Assert.Equal(JsonValueKind.Null, updated.GetProperty("note").ValueKind);

        // The first ETag is now stale: a second writer who read before the change is refused.
        await (await admin.SendAsync(WithIfMatch(HttpMethod.Put, url, change, etag))).AssertProblemAsync(HttpStatusCode.PreconditionFailed);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Extending_an_ended_agreement_puts_it_back_in_force_and_keeps_the_history(TestDatabase db)
    {
        var app = await fixture.For(db);
        var admin = await app.AdminClientAsync();
        var (partner, etag) = await admin.CreatePartnerAsync(PartnerBody(with: b =>
        {
            b["agreementSignedOn"] = "2020-01-01";
            b["agreementEndsOn"] = "2021-12-31";
        }));
        Assert.False(partner.GetProperty("agreementInForce").GetBoolean());
        var url = $"/api/v1/partners/{partner.Id()}/agreement-extensions";
        var extension = new { newEndsOn = "2099-12-31", reason = "Renewed MoU, letter 1403/1234" };

        await (await admin.SendAsync(WithIfMatch(HttpMethod.Post, url, extension, null))).AssertProblemAsync(HttpStatusCode.PreconditionRequired);
        var response = await admin.SendAsync(WithIfMatch(HttpMethod.Post, url, extension, etag));
        var extended = await response.ReadJsonAsync();
        Assert.Equal("\"v2\"", response.Headers.ETag?.Tag);
        Assert.True(extended.GetProperty("agreementInForce").GetBoolean());
        Assert.Equal("2099-12-31", extended.GetProperty("agreementEndsOn").GetString());

        var fetched = await (await admin.GetAsync($"/api/v1/partners/{partner.Id()}")).ReadJsonAsync();
        var history = fetched.GetProperty("extensions").EnumerateArray().ToList();
        var only = Assert.Single(history);
        Assert.Equal("2021-12-31", only.GetProperty("previousEndsOn").GetString());
        Assert.Equal("2099-12-31", only.GetProperty("newEndsOn").GetString());
        Assert.Equal("Renewed MoU, letter 1403/1234", only.GetProperty("reason").GetString());
        Assert.True(fetched.GetProperty("agreementInForce").GetBoolean());

        // Open-ended is a valid extension, recorded as a second entry.
        response = await admin.SendAsync(WithIfMatch(HttpMethod.Post, url, new { newEndsOn = (string?)null, reason = "Made permanent" }, "\"v2\""));
        var permanent = await response.ReadJsonAsync();
        Assert.Equal(JsonValueKind.Null, permanent.GetProperty("agreementEndsOn").ValueKind);
        Assert.Equal(2, permanent.GetProperty("extensions").GetArrayLength());
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task An_extension_cannot_shorten_the_agreement_and_needs_a_reason(TestDatabase db)
    {
        var app = await fixture.For(db);
        var admin = await app.AdminClientAsync();
        var (partner, etag) = await admin.CreatePartnerAsync(PartnerBody(with: b => b["agreementEndsOn"] = "2030-06-30"));
        var url = $"/api/v1/partners/{partner.Id()}/agreement-extensions";

        var problem = await (await admin.SendAsync(WithIfMatch(HttpMethod.Post, url, new { newEndsOn = "2030-06-30", reason = "same" }, etag)))
            .AssertProblemAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Contains("2030-06-30", problem.FieldErrors("newEndsOn")[0]);
        problem = await (await admin.SendAsync(WithIfMatch(HttpMethod.Post, url, new { newEndsOn = "2031-01-01" }, etag)))
            .AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.NotEmpty(problem.FieldErrors("reason"));

        var fetched = await admin.GetAsync($"/api/v1/partners/{partner.Id()}");
        Assert.Equal("2030-06-30", (await fetched.ReadJsonAsync()).GetProperty("agreementEndsOn").GetString());
        Assert.Equal(etag, fetched.Headers.ETag?.Tag); // nothing changed
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task A_partner_key_reads_only_its_own_agency_and_cannot_write(TestDatabase db)
    {
        var app = await fixture.For(db);
        var admin = await app.AdminClientAsync();
        var (mine, etag) = await admin.CreatePartnerAsync(PartnerBody());
        var (theirs, _) = await admin.CreatePartnerAsync(PartnerBody());
        var partner = app.ClientWithKey(await app.CreateKeyAsync(ApiKeyRole.Partner, partnerId: mine.Id()));

        Assert.Equal(mine.Id(), (await (await partner.GetAsync($"/api/v1/partners/{mine.Id()}")).ReadJsonAsync()).Id());
        await (await partner.GetAsync($"/api/v1/partners/{theirs.Id()}")).AssertProblemAsync(HttpStatusCode.Forbidden);

        var list = await (await partner.GetAsync("/api/v1/partners?pageSize=200")).ReadJsonAsync();
        Assert.Equal(mine.Id(), Assert.Single(list.GetProperty("items").EnumerateArray()).Id());
        Assert.Equal(1, list.GetProperty("total").GetInt64());
        var adminList = await (await admin.GetAsync("/api/v1/partners?pageSize=200")).ReadJsonAsync();
        Assert.True(adminList.GetProperty("total").GetInt64() >= 2);

        var update = new { nameEn = "Mine", nameFa = "مال من", country = "IR", sectors = new[] { "cinema" }, status = "active" };
        await (await partner.SendAsync(WithIfMatch(HttpMethod.Put, $"/api/v1/partners/{mine.Id()}", update, etag)))
            .AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await partner.SendAsync(WithIfMatch(HttpMethod.Post, $"/api/v1/partners/{mine.Id()}/agreement-extensions",
            new { newEndsOn = "2099-01-01", reason = "self-service" }, etag))).AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await partner.PostAsJsonAsync("/api/v1/partners", PartnerBody())).AssertProblemAsync(HttpStatusCode.Forbidden);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task A_center_key_cannot_see_partners(TestDatabase db)
    {
        var app = await fixture.For(db);
        var center = app.ClientWithKey(await app.CreateKeyAsync(ApiKeyRole.Center, centerId: await app.InsertCenterAsync()));
        await (await center.GetAsync("/api/v1/partners")).AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await center.GetAsync($"/api/v1/partners/{await app.InsertPartnerAsync()}")).AssertProblemAsync(HttpStatusCode.Forbidden);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Search_ignores_arabic_letter_variants_and_zwnj(TestDatabase db)
    {
        var app = await fixture.For(db);
        var admin = await app.AdminClientAsync();
        var marker = Guid.NewGuid().ToString("N")[..6];
        // Stored with Persian ی (U+06CC) and ک (U+06A9) and a ZWNJ between فیلم and سازی.
        var (partner, _) = await admin.CreatePartnerAsync(PartnerBody(with: b => b["nameFa"] = $"کانون فیلم\u200Cسازی {marker}"));

        async Task<bool> Found(string q)
        {
            var page = await (await admin.GetAsync($"/api/v1/partners?pageSize=200&q={Uri.EscapeDataString(q)}")).ReadJsonAsync();
            return page.GetProperty("items").EnumerateArray().Any(p => p.Id() == partner.Id());
        }

        Assert.True(await Found($"كانون فيلمسازي {marker}"));   // Arabic ك and ي, no ZWNJ
        Assert.True(await Found("فيلم\u200Cسازي"));              // Arabic ي, with ZWNJ
        Assert.True(await Found(partner.GetProperty("code").GetString()!.ToUpperInvariant()));
        Assert.True(await Found("CINEMA organization"));
        Assert.False(await Found($"کانون عکاسی {marker}"));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Every_change_to_a_partner_is_audited(TestDatabase db)
    {
        var app = await fixture.For(db);
        var admin = await app.AdminClientAsync();
        var (partner, etag) = await admin.CreatePartnerAsync(PartnerBody(with: b => b["agreementEndsOn"] = "2026-01-01"));
        var id = partner.Id();
        var change = new { nameEn = "Renamed", nameFa = "تغییر نام", country = "DE", sectors = new[] { "ai" }, status = "active" };
        var updated = await admin.SendAsync(WithIfMatch(HttpMethod.Put, $"/api/v1/partners/{id}", change, etag));
        await admin.SendAsync(WithIfMatch(HttpMethod.Post, $"/api/v1/partners/{id}/agreement-extensions",
            new { newEndsOn = "2027-01-01", reason = "Extended" }, updated.Headers.ETag!.Tag));

        var actions = await app.Db.ReadAsync(s => s.QueryAsync<string>(
            "SELECT action FROM audit_log WHERE entity = 'partner-agency' AND entity_id = @id ORDER BY seq", new { id = id.ToString() }));
        Assert.Equal(["create", "update", "extend-agreement"], actions.ToArray());
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Unknown_partners_and_bad_list_filters_are_reported(TestDatabase db)
    {
        var app = await fixture.For(db);
        var admin = await app.AdminClientAsync();
        await (await admin.GetAsync($"/api/v1/partners/{Guid.CreateVersion7()}")).AssertProblemAsync(HttpStatusCode.NotFound);
        var change = new { nameEn = "N", nameFa = "ن", country = "IR", sectors = new[] { "cinema" }, status = "active" };
        await (await admin.SendAsync(WithIfMatch(HttpMethod.Put, $"/api/v1/partners/{Guid.CreateVersion7()}", change, "\"v1\"")))
            .AssertProblemAsync(HttpStatusCode.NotFound);
        var problem = await (await admin.GetAsync("/api/v1/partners?status=paused&country=ZZ&pageSize=0")).AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.NotEmpty(problem.FieldErrors("status"));
        Assert.NotEmpty(problem.FieldErrors("country"));
        Assert.NotEmpty(problem.FieldErrors("pageSize"));
    }
}
