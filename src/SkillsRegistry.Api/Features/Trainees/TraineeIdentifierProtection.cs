using SkillsRegistry.Api.Infrastructure.Data;
using SkillsRegistry.Api.Infrastructure.Hosting;
using SkillsRegistry.Api.Infrastructure.Protection;

namespace SkillsRegistry.Api.Features.Trainees;

/// <summary>
/// Startup step after the migrations (before any request): national IDs and passport numbers still stored in clear —
/// rows written before migration 0009 — are encrypted and replaced by their keyed hash; values encrypted under a key
/// that is no longer the active one are re-encrypted under the active key (key rotation). Works in chunks, each its
/// own transaction, so an interrupted start resumes where it stopped. The statements are the repository's.
/// </summary>
public sealed class TraineeIdentifierProtection(TraineeRepository trainees, FieldProtector protector, ILogger<TraineeIdentifierProtection> logger)
    : IDataSeeder
{
    private const int Chunk = 500;

    public async Task SeedAsync(Db db, DatabaseOptions options, CancellationToken ct)
    {
        var (cleared, rotated) = (0, 0);
        while (true)
        {
            var chunk = await db.WriteAsync(s => trainees.ProtectIdentifiersAsync(s, Chunk), ct);
            cleared += chunk.Cleared;
            rotated += chunk.Rotated;
            if (chunk.Finished) break;
        }
        if (cleared + rotated == 0) return;
        logger.LogInformation("Protected trainee identifiers: {Cleared} encrypted from clear values, {Rotated} re-encrypted under key {Kid}.",
            cleared, rotated, protector.ActiveKid);
        if (cleared > 0) await trainees.RewriteTableAsync(ct);
    }
}
