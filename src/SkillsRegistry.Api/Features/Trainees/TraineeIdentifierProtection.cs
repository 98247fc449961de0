using SkillsRegistry.Api.Infrastructure.Data;
using SkillsRegistry.Api.Infrastructure.Hosting;
using SkillsRegistry.Api.Infrastructure.Protection;

namespace SkillsRegistry.Api.Features.Trainees;

/// <summary>
/// Startup step after the migrations (before any request): national IDs and passport numbers still stored in clear —
/// rows written before migration 0009 — are encrypted and replaced by their keyed hash; values encrypted under a key
/// that is no longer the active one are re-encrypted under the active key (key rotation). Works in chunks, each its
/// own transaction, so an interrupted start resumes where it stopped; its progress (rows done, rate, time left) is
/// logged every few seconds. The statements are the repository's.
/// </summary>
public sealed class TraineeIdentifierProtection(
    TraineeRepository trainees, FieldProtector protector, TimeProvider clock, ILogger<TraineeIdentifierProtection> logger)
    : IDataSeeder
{
    private const int Chunk = 500;

    public async Task SeedAsync(Db db, DatabaseOptions options, CancellationToken ct)
    {
        var (cleared, rotated) = (0, 0);
        ProgressReporter? progress = null;
        while (true)
        {
            var chunk = await db.WriteAsync(s => trainees.ProtectIdentifiersAsync(s, Chunk), ct);
            cleared += chunk.Cleared;
            rotated += chunk.Rotated;
            if (chunk.Finished) break;
            // Counted only when there is more than one chunk: the count is a scan, and most starts have nothing to do.
            progress ??= new ProgressReporter($"Protecting trainee identifiers under key {protector.ActiveKid}",
                cleared + rotated + await trainees.CountUnprotectedAsync(ct), "rows", new LogLineWriter(logger), inPlace: false, clock);
            progress.Report(cleared + rotated);
        }
        if (cleared + rotated == 0) return;
        var summary = $"{cleared} encrypted from clear values, {rotated} re-encrypted";
        if (progress is null) logger.LogInformation("Protected trainee identifiers under key {Kid}: {Summary}.", protector.ActiveKid, summary);
        else progress.Complete(summary);
        if (cleared > 0) await trainees.RewriteTableAsync(ct);
    }
}
