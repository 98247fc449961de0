using Microsoft.Extensions.Diagnostics.HealthChecks;
using SkillsRegistry.Api.Infrastructure.Data;

namespace SkillsRegistry.Api.Infrastructure.Hosting;

/// <summary>Ready when the database answers and every migration this build knows has been applied.</summary>
public sealed class DatabaseReadyCheck(Migrator migrator) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
    {
        try
        {
            var pending = await migrator.PendingAsync(ct);
            return pending.Count == 0
                ? HealthCheckResult.Healthy("Database reachable; migrations applied.")
                : HealthCheckResult.Unhealthy($"Pending migrations: {string.Join(", ", pending)}");
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy("Database unreachable: " + e.GetType().Name);
        }
    }
}
