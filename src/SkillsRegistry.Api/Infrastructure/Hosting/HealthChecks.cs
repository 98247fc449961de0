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

/// <summary>
/// The change listener (PostgreSQL): while it is disconnected, verification answers bypass the cache and read the database
/// (still correct, slower). SQLite is one process and needs none.
/// </summary>
public sealed class ChangeListenerCheck(Db db, Caching.RegistryChanges changes) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default) =>
        Task.FromResult(!db.Dialect.SupportsNotify
            ? HealthCheckResult.Healthy("Not needed on SQLite: every change is made in this process.")
            : changes.HeardEverywhere
                ? HealthCheckResult.Healthy("Listening for other instances' changes.")
                : HealthCheckResult.Degraded("Not connected to PostgreSQL's change notifications: verification answers skip the cache and " +
                    "read the database until it reconnects (correct, but slower)."));
}

/// <summary>The transactional outbox: degraded when its oldest event has waited longer than Telemetry:OutboxBacklogDegradedSeconds.</summary>
public sealed class OutboxBacklogCheck(Outbox.OutboxBacklog backlog, Microsoft.Extensions.Options.IOptions<Telemetry.TelemetryOptions> options) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
    {
        var limit = TimeSpan.FromSeconds(options.Value.OutboxBacklogDegradedSeconds);
        var age = await backlog.ReadAgeAsync(ct);
        var data = new Dictionary<string, object> { ["oldestUndeliveredSeconds"] = Math.Round(age.TotalSeconds, 1) };
        return age <= limit
            ? HealthCheckResult.Healthy(age == TimeSpan.Zero ? "No event is waiting." : $"Oldest waiting event: {age.TotalSeconds:0} s.", data)
            : HealthCheckResult.Degraded($"The oldest outbox event has waited {age.TotalSeconds:0} s (more than {limit.TotalSeconds:0} s): webhooks " +
                "are late. Check that an instance runs the dispatcher (Webhooks:Enabled) and its log.", data: data);
    }
}

/// <summary>The framework's health report as JSON: overall status, then each entry's status, description and duration.</summary>
public static class HealthReportJson
{
    public static async Task WriteAsync(HttpContext context, HealthReport report)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var json = new System.Text.Json.Utf8JsonWriter(buffer, new System.Text.Json.JsonWriterOptions { Indented = true }))
            Write(json, report);
        context.Response.ContentType = "application/json; charset=utf-8";
        await context.Response.Body.WriteAsync(buffer.WrittenMemory, context.RequestAborted);
    }

    private static void Write(System.Text.Json.Utf8JsonWriter json, HealthReport report)
    {
        json.WriteStartObject();
        json.WriteString("status", report.Status.ToString());
        json.WriteString("totalDuration", report.TotalDuration.ToString("c", System.Globalization.CultureInfo.InvariantCulture));
        json.WriteStartObject("entries");
        foreach (var (name, entry) in report.Entries)
        {
            json.WriteStartObject(name);
            json.WriteString("status", entry.Status.ToString());
            json.WriteString("description", entry.Description);
            json.WriteString("duration", entry.Duration.ToString("c", System.Globalization.CultureInfo.InvariantCulture));
            if (entry.Data.Count > 0)
            {
                json.WritePropertyName("data");
                System.Text.Json.JsonSerializer.Serialize(json, entry.Data);
            }
            json.WriteEndObject();
        }
        json.WriteEndObject();
        json.WriteEndObject();
    }
}
