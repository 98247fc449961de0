using SkillsRegistry.Api.Infrastructure.OpenApi;
using System.ComponentModel.DataAnnotations;
using SkillsRegistry.Api.Infrastructure.Text;
using SkillsRegistry.Api.Infrastructure.Auth;

namespace SkillsRegistry.Api.Features.Webhooks;

/// <summary>The event types a webhook may subscribe to (dotted names, as sent in the <c>type</c> field).</summary>
public static class WebhookEventTypes
{
    public const string CertificateIssued = "certificate.issued";
    public const string CertificateRevoked = "certificate.revoked";
    public const string CertificateSuperseded = "certificate.superseded";
    public const string StandardActivated = "standard.activated";
    public const string StandardSuperseded = "standard.superseded";

    public static readonly IReadOnlyList<string> All =
        [CertificateIssued, CertificateRevoked, CertificateSuperseded, StandardActivated, StandardSuperseded];

    public static bool IsCertificateEvent(string type) => type.StartsWith("certificate.", StringComparison.Ordinal);
}

public enum WebhookDeliveryStatus { Pending, Succeeded, Dead }

/// <summary>Why an attempt got no HTTP answer (an attempt that got one records its status code instead).</summary>
/// <summary>Why an attempt got no HTTP status. Network failures of every kind are one class, so the log cannot be used to map a network.</summary>
public enum WebhookAttemptFailure { Timeout, ConnectionFailed, BlockedTarget }

public sealed record CreateWebhookRequest(
    [property: Required, MaxLength(WebhookValidation.MaxUrlLength)] string? Url,
    [property: Required, MinLength(1), OneOf(WebhookEventTypes.CertificateIssued, WebhookEventTypes.CertificateRevoked, WebhookEventTypes.CertificateSuperseded,
        WebhookEventTypes.StandardActivated, WebhookEventTypes.StandardSuperseded)] string[]? Events);

/// <summary>A webhook subscription as listed: never its secret.</summary>
public sealed record WebhookDto(
    Guid Id, string Url,
    [property: OneOf(WebhookEventTypes.CertificateIssued, WebhookEventTypes.CertificateRevoked, WebhookEventTypes.CertificateSuperseded,
        WebhookEventTypes.StandardActivated, WebhookEventTypes.StandardSuperseded)] IReadOnlyList<string> Events, bool Active, ApiKeyRole OwnerRole, Guid? CenterId, Guid? PartnerId,
    DateTimeOffset CreatedAt, DateTimeOffset? DeactivatedAt);

/// <summary>
/// Returned once, at creation (and by a secret rotation). <c>Secret</c> is a Standard Webhooks secret: <c>whsec_</c> +
/// base64 of 32 random bytes; pass it as it is to a Standard Webhooks library. It is not shown again.
/// </summary>
public sealed record CreatedWebhookDto(WebhookDto Webhook, string Secret);

/// <summary>A new signing secret; the previous one keeps signing deliveries (a second signature) until <c>PreviousSecretExpiresAt</c>.</summary>
public sealed record RotatedWebhookSecretDto(WebhookDto Webhook, string Secret, DateTimeOffset PreviousSecretExpiresAt);

/// <summary>One attempt to deliver: when, how long it took, and the receiver's status code or why there was no answer.</summary>
public sealed record WebhookDeliveryAttemptDto(
    int Number, DateTimeOffset AttemptedAt, int DurationMs, int? StatusCode, WebhookAttemptFailure? Failure, string? Error);

/// <summary>
/// One event's delivery to one webhook: its state, the outcome of the latest attempt, and every attempt ever made
/// (a redelivery adds attempts; it never erases them). <c>Attempts</c> counts them all.
/// </summary>
public sealed record WebhookDeliveryDto(
    Guid Id, Guid EventId,
    [property: OneOf(WebhookEventTypes.CertificateIssued, WebhookEventTypes.CertificateRevoked, WebhookEventTypes.CertificateSuperseded,
        WebhookEventTypes.StandardActivated, WebhookEventTypes.StandardSuperseded)] string EventType,
    DateTimeOffset OccurredAt, WebhookDeliveryStatus Status, int Attempts,
    DateTimeOffset? NextAttemptAt, DateTimeOffset? LastAttemptAt, int? LastStatusCode, string? LastError,
    DateTimeOffset CreatedAt, DateTimeOffset? CompletedAt, IReadOnlyList<WebhookDeliveryAttemptDto> AttemptLog);

/// <summary>
/// The webhooks a caller may see and manage: the registry (admin) every one; a training center or a partner agency
/// only its organisation's. Decided by the endpoint from the caller; repositories only apply it.
/// </summary>
public sealed record WebhookScope(bool All, Guid? CenterId, Guid? PartnerId)
{
    public static WebhookScope Of(Caller caller) =>
        new(caller.IsAdmin, caller.IsCenter ? caller.CenterId : null, caller.IsPartner ? caller.PartnerId : null);

    internal bool Contains(WebhookRow row) =>
        All || (CenterId is not null && row.CenterId == CenterId) || (PartnerId is not null && row.PartnerId == PartnerId);
}

internal sealed class WebhookRow
{
    public Guid Id { get; init; }
    public string Url { get; init; } = "";
    public string Events { get; init; } = "";
    public string Secret { get; init; } = "";
    public string OwnerRole { get; init; } = "";
    public Guid? CenterId { get; init; }
    public Guid? PartnerId { get; init; }
    public bool Active { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? DeactivatedAt { get; init; }

    public IReadOnlyList<string> EventList => Events.Split(',', StringSplitOptions.RemoveEmptyEntries);

    public WebhookDto ToDto() => new(Id, Url, EventList, Active, EnumText.Parse<ApiKeyRole>(OwnerRole), CenterId, PartnerId, CreatedAt, DeactivatedAt);
}

internal sealed class WebhookDeliveryRow
{
    public Guid Id { get; init; }
    public Guid EventId { get; init; }
    public string EventType { get; init; } = "";
    public DateTimeOffset OccurredAt { get; init; }
    public string Status { get; init; } = "";
    public int Attempts { get; init; }
    public DateTimeOffset NextAttemptAt { get; init; }
    public DateTimeOffset? LastAttemptAt { get; init; }
    public int? LastStatusCode { get; init; }
    public string? LastError { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? CompletedAt { get; init; }

    public WebhookDeliveryDto ToDto(IReadOnlyList<WebhookDeliveryAttemptDto> attemptLog)
    {
        var status = EnumText.Parse<WebhookDeliveryStatus>(Status);
        return new(Id, EventId, EventType, OccurredAt, status, Attempts, status == WebhookDeliveryStatus.Pending ? NextAttemptAt : null,
            LastAttemptAt, LastStatusCode, LastError, CreatedAt, CompletedAt, attemptLog);
    }
}

internal sealed class WebhookAttemptRow
{
    public Guid DeliveryId { get; init; }
    public int Number { get; init; }
    public DateTimeOffset AttemptedAt { get; init; }
    public int DurationMs { get; init; }
    public int? StatusCode { get; init; }
    public string? Failure { get; init; }
    public string? Error { get; init; }

    public WebhookDeliveryAttemptDto ToDto() =>
        new(Number, AttemptedAt, DurationMs, StatusCode, Failure is null ? null : EnumText.Parse<WebhookAttemptFailure>(Failure), Error);
}
