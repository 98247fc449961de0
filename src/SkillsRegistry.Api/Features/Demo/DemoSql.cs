using SkillsRegistry.Api.Infrastructure.Data;

namespace SkillsRegistry.Api.Features.Demo;

/// <summary>The demo's own SQL. Everything the demo writes goes through the features' repositories instead.</summary>
internal static class DemoSql
{
    private const string CountPartnerAgencies = "SELECT COUNT(*) FROM partner_agencies";

    /// <summary>The demo goes only into a registry without partner agencies (one that was seeded or is in use has some).</summary>
    public static async Task<bool> RegistryIsEmptyAsync(Db db, CancellationToken ct) =>
        await db.ReadAsync(s => s.ExecuteScalarAsync<long>(CountPartnerAgencies), ct) == 0;
}
