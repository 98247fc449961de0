using SkillsRegistry.Api.Infrastructure;

namespace SkillsRegistry.Tests.Support;

/// <summary>Rows the centers tests need from other features, inserted directly.</summary>
public static class CentersTestData
{
    /// <summary>A minimal active competency standard (version 1) with this code.</summary>
    public static async Task<Guid> InsertStandardAsync(this RegistryApp app, string code, string sector = "handicrafts")
    {
        var id = Guid.CreateVersion7();
        var now = app.Clock.GetUtcNow();
        await app.Db.WriteAsync(s => s.ExecuteAsync("""
            INSERT INTO standards (id, code, version, status, isco_code, sector_code, title_fa, title_en, theory_hours, practical_hours,
                                   theory_pass_mark, practical_pass_mark, effective_from, search_text, created_at, updated_at)
            VALUES (@id, @code, 1, 'active', '7318', @sector, 'قالی‌بافی', 'Carpet weaving', 40, 120, 50, 60, @effectiveFrom, @search, @now, @now)
            """, new { id, code, sector, effectiveFrom = new DateOnly(2024, 1, 1), search = PersianText.SearchText(code, "قالی‌بافی", "Carpet weaving"), now }));
        return id;
    }
}
