using SkillsRegistry.Api.Infrastructure.Text;

namespace SkillsRegistry.Tests.Support;

/// <summary>Minimal rows inserted directly, for tests that need a center or partner to exist but test something else.</summary>
public static class TestData
{
    /// <summary>The one builder of <c>training_centers</c> rows, inserted directly (no licence, no scope).</summary>
    public static async Task<Guid> InsertCenterAsync(this RegistryApp app, string? code = null, string province = "IR-10", string kind = "public")
    {
        var id = Guid.CreateVersion7();
        code ??= "TC-" + id.ToString("N")[^8..];
        var now = app.Clock.GetUtcNow();
        await app.Db.WriteAsync(s => s.ExecuteAsync("""
            INSERT INTO training_centers (id, code, kind, name_fa, name_en, province_code, country, city, search_text, created_at, updated_at)
            VALUES (@id, @code, @kind, 'مرکز آزمایشی', 'Test center', @province, 'IR', 'Ahvaz', @search, @now, @now)
            """, new { id, code, kind, province, search = PersianText.SearchText(code, "مرکز آزمایشی", "Test center"), now }));
        return id;
    }

    public static async Task<Guid> InsertPartnerAsync(this RegistryApp app, string? code = null, string sector = "cinema",
        DateOnly? signedOn = null, DateOnly? endsOn = null)
    {
        var id = Guid.CreateVersion7();
        code ??= "p-" + id.ToString("N")[^8..];
        var now = app.Clock.GetUtcNow();
        await app.Db.WriteAsync(async s =>
        {
            await s.ExecuteAsync("""
                INSERT INTO partner_agencies (id, code, name_en, name_fa, country, status, agreement_signed_on, agreement_ends_on, search_text, created_at, updated_at)
                VALUES (@id, @code, 'Test partner', 'شریک آزمایشی', 'IR', 'active', @signedOn, @endsOn, @code, @now, @now)
                """, new { id, code, signedOn = signedOn ?? new DateOnly(2025, 1, 1), endsOn, now });
            await s.ExecuteAsync("INSERT INTO partner_sectors (partner_id, sector_code) VALUES (@id, @sector)", new { id, sector });
        });
        return id;
    }
}
