using SkillsRegistry.Api.Infrastructure.Outcomes;

namespace SkillsRegistry.Api.Infrastructure.Http;

/// <summary>Optimistic concurrency: every mutable row has a row_version; its ETag is "v{row_version}".</summary>
public static class Preconditions
{
    public static string ETagFor(long rowVersion) => $"\"v{rowVersion}\"";

    public static void SetETag(HttpContext context, long rowVersion) => context.Response.Headers.ETag = ETagFor(rowVersion);

    /// <summary>Reads If-Match. Updates without it are refused (428), so nobody overwrites a change they never saw.</summary>
    public static bool TryGetExpectedVersion(HttpContext context, out long expected, out Rejection? refusal)
    {
        expected = 0;
        refusal = null;
        var header = context.Request.Headers.IfMatch.ToString().Trim();
        if (header.Length == 0)
        {
            refusal = Rejection.VersionRequired("Send If-Match with the ETag from your last GET of this resource, so a concurrent change is not overwritten.");
            return false;
        }
        if (header.StartsWith("W/", StringComparison.Ordinal)) header = header[2..];
        if (header.Length < 4 || header[0] != '"' || header[1] != 'v' || header[^1] != '"' || !long.TryParse(header[2..^1], out expected))
        {
            refusal = new Rejection(RejectionKind.Stale, $"If-Match {header} is not an ETag this registry issued; GET the resource for its current ETag.");
            return false;
        }
        return true;
    }
}
