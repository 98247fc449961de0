using System.Net;

namespace SkillsRegistry.Api.Features.Webhooks;

/// <summary>What happens to a delivery after one attempt.</summary>
public enum AttemptOutcome { Succeeded, Retry, Dead }

/// <summary>Pure retry rules: which answers are worth retrying, and when (exponential backoff with jitter).</summary>
public static class WebhookRetry
{
    /// <summary>2xx succeeds; 408, 429 and 5xx are retried; any other answer (4xx, 3xx: redirects are not followed) is final.</summary>
    public static AttemptOutcome Classify(HttpStatusCode status) => (int)status switch
    {
        >= 200 and < 300 => AttemptOutcome.Succeeded,
        408 or 429 or >= 500 => AttemptOutcome.Retry,
        _ => AttemptOutcome.Dead,
    };

    /// <summary>
    /// Delay after failed attempt number <paramref name="attempt"/> (1-based): BaseDelay·2^(attempt−1) capped at MaxDelay,
    /// then "equal jitter" (a random point in the upper half) so receivers recovering from an outage are not hit in step.
    /// A Retry-After the receiver sent is honoured when longer, still capped at MaxDelay.
    /// </summary>
    public static TimeSpan Delay(int attempt, TimeSpan baseDelay, TimeSpan maxDelay, double random01, TimeSpan? retryAfter = null)
    {
        var exponent = Math.Min(Math.Max(attempt - 1, 0), 30);
        var ceiling = Math.Min(baseDelay.Ticks * Math.Pow(2, exponent), maxDelay.Ticks);
        var jittered = TimeSpan.FromTicks((long)(ceiling / 2 + ceiling / 2 * random01));
        if (retryAfter is { } after && after > jittered) jittered = after < maxDelay ? after : maxDelay;
        return jittered;
    }
}
