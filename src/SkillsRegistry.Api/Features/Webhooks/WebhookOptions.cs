namespace SkillsRegistry.Api.Features.Webhooks;

/// <summary>Bound from the "Webhooks" configuration section.</summary>
public sealed class WebhookOptions
{
    /// <summary>Run the dispatcher in this instance. Events are still recorded when off.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>How often an idle dispatcher looks for new events and due deliveries.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Attempts per delivery before it is dead-lettered.</summary>
    public int MaxAttempts { get; set; } = 8;

    /// <summary>Delay before the first retry; doubles per attempt (with jitter) up to <see cref="MaxDelay"/>.</summary>
    public TimeSpan BaseDelay { get; set; } = TimeSpan.FromSeconds(5);

    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Per-request timeout.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long a claimed delivery stays reserved for one dispatcher; longer than <see cref="RequestTimeout"/>.</summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How long the previous secret keeps signing deliveries after POST /webhooks/{id}/rotate-secret.</summary>
    public TimeSpan SecretRotationGrace { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Events fanned out and deliveries claimed per round.</summary>
    public int BatchSize { get; set; } = 10;

    /// <summary>
    /// Hosts (names or IP literals, as written in the URL) that may be non-public and may be called over plain http:
    /// development and tests list their loopback receivers here. Empty by default: every other target must be an https
    /// URL whose host resolves only to public unicast addresses, at registration and again at every connection.
    /// </summary>
    public List<string> AllowedPrivateHosts { get; set; } = [];
}
