using System.Diagnostics;

namespace SkillsRegistry.Api.Infrastructure.Telemetry;

/// <summary>
/// The registry's own spans, beside the framework's (requests, outgoing HTTP) and Npgsql's (each PostgreSQL command):
/// a database operation (one <c>Db</c> read or transaction, on both engines), a webhook delivery and a PDF render.
/// StartActivity returns null while nothing listens (telemetry off), so the call sites cost nothing then.
/// </summary>
public static class RegistryActivities
{
    public const string SourceName = "SkillsRegistry";

    public static readonly ActivitySource Source = new(SourceName);
}
