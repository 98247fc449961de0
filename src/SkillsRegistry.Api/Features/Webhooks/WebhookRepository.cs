using SkillsRegistry.Api.Infrastructure.Text;
using SkillsRegistry.Api.Infrastructure.Audit;
using SkillsRegistry.Api.Infrastructure.Auth;
using SkillsRegistry.Api.Infrastructure.Data;
using SkillsRegistry.Api.Infrastructure.Http;
using SkillsRegistry.Api.Infrastructure.Outcomes;
using SkillsRegistry.Api.Infrastructure.Protection;

namespace SkillsRegistry.Api.Features.Webhooks;

/// <summary>
/// Webhook subscriptions and their delivery log. A subscription belongs to the caller's organisation: the registry
/// (admin keys), a training center or a partner agency. Reads and changes are limited to the <see cref="WebhookScope"/>
/// the endpoint grants the caller; a subscription outside it is reported as not found.
/// </summary>
public sealed class WebhookRepository(Db db, TimeProvider clock, FieldProtector protector)
{
    /// <summary>The secret is stored encrypted (AES-GCM, see FieldProtector) under this purpose.</summary>
    public const string SecretPurpose = "webhook_subscriptions.secret";

    private const string Columns = """
        id AS Id, url AS Url, events AS Events, secret AS Secret, owner_role AS OwnerRole, center_id AS CenterId,
        partner_id AS PartnerId, active AS Active, created_at AS CreatedAt, deactivated_at AS DeactivatedAt
        """;

    // The scope is fixed SQL with optional parameters: the registry's scope passes @All = true, others their own center or partner.
    private const string OwnerFilter = """
        (@All OR (@CenterId IS NOT NULL AND center_id = @CenterId) OR (@PartnerId IS NOT NULL AND partner_id = @PartnerId))
        """;

    private const string InsertWebhook = """
        INSERT INTO webhook_subscriptions (id, url, events, secret, owner_role, center_id, partner_id, active, created_at, created_by_key_id)
        VALUES (@Id, @Url, @Events, @Secret, @OwnerRole, @CenterId, @PartnerId, @Active, @CreatedAt, @CreatedByKeyId)
        """;

    private const string SelectById = $"SELECT {Columns} FROM webhook_subscriptions WHERE id = @id";
    private const string SelectPage = $"SELECT {Columns} FROM webhook_subscriptions WHERE {OwnerFilter} ORDER BY created_at DESC, id DESC LIMIT @Limit OFFSET @Offset";
    private const string SelectCount = $"SELECT COUNT(*) FROM webhook_subscriptions WHERE {OwnerFilter}";

    private const string UpdateDeactivate = """
        UPDATE webhook_subscriptions SET active = @inactive, deactivated_at = @now WHERE id = @id AND active = @active
        """;

    private const string DeliveryColumns = """
        d.id AS Id, d.event_id AS EventId, e.type AS EventType, e.occurred_at AS OccurredAt, d.status AS Status,
        d.attempts AS Attempts, d.next_attempt_at AS NextAttemptAt, d.last_attempt_at AS LastAttemptAt,
        d.last_status_code AS LastStatusCode, d.last_error AS LastError, d.created_at AS CreatedAt, d.completed_at AS CompletedAt
        """;

    private const string DeliveryFilter = "d.subscription_id = @subscriptionId AND (@Status IS NULL OR d.status = @Status)";

    private const string SelectDeliveryPage = $"""
        SELECT {DeliveryColumns} FROM webhook_deliveries d JOIN outbox_events e ON e.id = d.event_id
        WHERE {DeliveryFilter} ORDER BY d.created_at DESC, d.id DESC LIMIT @Limit OFFSET @Offset
        """;

    private const string SelectDeliveryCount = $"SELECT COUNT(*) FROM webhook_deliveries d WHERE {DeliveryFilter}";

    private const string SelectDelivery = $"""
        SELECT {DeliveryColumns} FROM webhook_deliveries d JOIN outbox_events e ON e.id = d.event_id
        WHERE d.id = @deliveryId AND d.subscription_id = @subscriptionId
        """;

    // The count of attempts stays: the new retry budget starts from it, and the attempt log keeps every earlier attempt.
    private const string UpdateRedeliver = """
        UPDATE webhook_deliveries SET status = 'pending', attempts_at_redelivery = attempts, next_attempt_at = @now,
               locked_until = NULL, lock_token = NULL, completed_at = NULL
        WHERE id = @deliveryId AND status = 'dead'
        """;

    private const string AttemptColumns = """
        a.delivery_id AS DeliveryId, a.number AS Number, a.attempted_at AS AttemptedAt, a.duration_ms AS DurationMs,
        a.status_code AS StatusCode, a.failure AS Failure, a.error AS Error
        """;

    private const string SelectPageAttempts = $"""
        SELECT {AttemptColumns} FROM webhook_delivery_attempts a
        WHERE a.delivery_id IN (SELECT d.id FROM webhook_deliveries d WHERE {DeliveryFilter}
                                ORDER BY d.created_at DESC, d.id DESC LIMIT @Limit OFFSET @Offset)
        ORDER BY a.number
        """;

    private const string SelectDeliveryAttempts = $"""
        SELECT {AttemptColumns} FROM webhook_delivery_attempts a WHERE a.delivery_id = @deliveryId ORDER BY a.number
        """;

    private const string UpdateRotateSecret = """
        UPDATE webhook_subscriptions SET previous_secret = secret, previous_secret_expires_at = @expires, secret = @secret
        WHERE id = @id AND active = @active
        """;

    public Task<CreatedWebhookDto> CreateAsync(NewWebhook webhook, Caller caller, CancellationToken ct) =>
        db.WriteAsync(async s =>
        {
            var owner = caller.Role ?? ApiKeyRole.Admin; // the system itself (CLI) acts as the registry
            var secret = WebhookSignature.NewSecret();
            var row = new
            {
                Id = Guid.CreateVersion7(), Url = webhook.Url.AbsoluteUri, Events = string.Join(',', webhook.Events),
                Secret = protector.Encrypt(secret, SecretPurpose), OwnerRole = EnumText.ToText(owner),
                CenterId = owner == ApiKeyRole.Center ? caller.CenterId : null,
                PartnerId = owner == ApiKeyRole.Partner ? caller.PartnerId : null,
                Active = true, CreatedAt = clock.GetUtcNow(), CreatedByKeyId = caller.KeyId,
            };
            await s.ExecuteAsync(InsertWebhook, row);
            s.Audit(new AuditEntry(caller, "create", "webhook", row.Id.ToString(), new { row.Url, webhook.Events, row.OwnerRole, row.CenterId, row.PartnerId }));
            var dto = new WebhookDto(row.Id, row.Url, webhook.Events, true, owner, row.CenterId, row.PartnerId, row.CreatedAt, null);
            return new CreatedWebhookDto(dto, secret);
        }, ct);

    public Task<Page<WebhookDto>> ListAsync(WebhookScope scope, int page, int size, int offset, CancellationToken ct) =>
        db.ReadAsync(async s =>
        {
            var args = new OwnerArgs(scope.All, scope.CenterId, scope.PartnerId, size, offset);
            var rows = await s.QueryAsync<WebhookRow>(SelectPage, args);
            var total = await s.ExecuteScalarAsync<long>(SelectCount, args);
            return new Page<WebhookDto>(rows.Select(r => r.ToDto()).ToList(), page, size, total);
        }, ct);

    /// <summary>The subscription when it is in <paramref name="scope"/>; null otherwise (the caller is told "not found" either way).</summary>
    public Task<WebhookDto?> GetAsync(Guid id, WebhookScope scope, CancellationToken ct) =>
        db.ReadAsync(async s => (await FindInScopeAsync(s, id, scope))?.ToDto(), ct);

    /// <summary>Deactivates a subscription (pending deliveries stop); deactivating twice changes nothing.</summary>
    public Task<Outcome> DeactivateAsync(Guid id, WebhookScope scope, Caller actor, CancellationToken ct) =>
        db.TryWriteAsync(async s =>
        {
            if (await FindInScopeAsync(s, id, scope) is null) return NotInScope(id);
            var changed = await s.ExecuteAsync(UpdateDeactivate, new { id, now = clock.GetUtcNow(), active = true, inactive = false });
            if (changed == 1) s.Audit(new AuditEntry(actor, "deactivate", "webhook", id.ToString()));
            return Outcome.Done;
        }, ct);

    /// <summary>The delivery log of a subscription in <paramref name="scope"/>, newest first.</summary>
    public Task<Outcome<Page<WebhookDeliveryDto>>> ListDeliveriesAsync(Guid id, WebhookDeliveryStatus? status, WebhookScope scope,
        int page, int size, int offset, CancellationToken ct) =>
        db.ReadAsync<Outcome<Page<WebhookDeliveryDto>>>(async s =>
        {
            if (await FindInScopeAsync(s, id, scope) is null) return NotInScope(id);
            var args = new { subscriptionId = id, Status = status is { } st ? EnumText.ToText(st) : null, Limit = size, Offset = offset };
            var rows = (await s.QueryAsync<WebhookDeliveryRow>(SelectDeliveryPage, args)).ToList();
            var total = await s.ExecuteScalarAsync<long>(SelectDeliveryCount, args);
            var log = (await s.QueryAsync<WebhookAttemptRow>(SelectPageAttempts, args)).ToLookup(a => a.DeliveryId, a => a.ToDto());
            return new Page<WebhookDeliveryDto>(rows.Select(r => r.ToDto(log[r.Id].ToList())).ToList(), page, size, total);
        }, ct);

    /// <summary>Puts a dead-lettered delivery back in the queue with a fresh set of attempts.</summary>
    public Task<Outcome<WebhookDeliveryDto>> RedeliverAsync(Guid id, Guid deliveryId, WebhookScope scope, Caller actor, CancellationToken ct) =>
        db.TryWriteAsync<WebhookDeliveryDto>(async s =>
        {
            var webhook = await FindInScopeAsync(s, id, scope);
            if (webhook is null) return NotInScope(id);
            var delivery = await s.QuerySingleOrDefaultAsync<WebhookDeliveryRow>(SelectDelivery + s.Dialect.ForUpdate, new { deliveryId, subscriptionId = id });
            if (delivery is null) return Rejection.NotFound($"Webhook {id} has no delivery {deliveryId}.");
            if (!webhook.Active) return Deactivated(id);
            if (delivery.Status != "dead")
                return Rejection.Conflict($"Delivery {deliveryId} is {delivery.Status}; only a dead-lettered delivery can be redelivered.");
            await s.ExecuteAsync(UpdateRedeliver, new { deliveryId, now = clock.GetUtcNow() });
            s.Audit(new AuditEntry(actor, "redeliver", "webhook-delivery", deliveryId.ToString(),
                new { webhookId = id, delivery.EventId, delivery.EventType, previousAttempts = delivery.Attempts, delivery.LastStatusCode }));
            var requeued = await s.QuerySingleAsync<WebhookDeliveryRow>(SelectDelivery, new { deliveryId, subscriptionId = id });
            var log = await s.QueryAsync<WebhookAttemptRow>(SelectDeliveryAttempts, new { deliveryId });
            return requeued.ToDto(log.Select(a => a.ToDto()).ToList());
        }, ct);

    /// <summary>
    /// Replaces the signing secret. The previous secret keeps signing (a second signature in webhook-signature) for
    /// <paramref name="grace"/>, so a receiver can deploy the new secret without rejecting deliveries meanwhile.
    /// </summary>
    public Task<Outcome<RotatedWebhookSecretDto>> RotateSecretAsync(Guid id, WebhookScope scope, Caller actor, TimeSpan grace, CancellationToken ct) =>
        db.TryWriteAsync<RotatedWebhookSecretDto>(async s =>
        {
            var webhook = await FindInScopeAsync(s, id, scope);
            if (webhook is null) return NotInScope(id);
            if (!webhook.Active) return Deactivated(id);
            var secret = WebhookSignature.NewSecret();
            var expires = clock.GetUtcNow() + grace;
            await s.ExecuteAsync(UpdateRotateSecret, new { id, secret = protector.Encrypt(secret, SecretPurpose), expires, active = true });
            s.Audit(new AuditEntry(actor, "rotate-secret", "webhook", id.ToString(), new { previousSecretExpiresAt = expires }));
            return new RotatedWebhookSecretDto(webhook.ToDto(), secret, expires);
        }, ct);

    private static async Task<WebhookRow?> FindInScopeAsync(DbSession s, Guid id, WebhookScope scope) =>
        await s.QuerySingleOrDefaultAsync<WebhookRow>(SelectById, new { id }) is { } row && scope.Contains(row) ? row : null;

    private static Rejection NotInScope(Guid id) => Rejection.NotFound($"No webhook {id} is visible to this key.");

    private static Rejection Deactivated(Guid id) =>
        Rejection.Conflict($"Webhook {id} is deactivated; create a new webhook to receive events again.");

    private sealed record OwnerArgs(bool All, Guid? CenterId, Guid? PartnerId, int Limit, int Offset);
}
