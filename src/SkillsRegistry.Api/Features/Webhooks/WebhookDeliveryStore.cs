using SkillsRegistry.Api.Features.Partners;
using SkillsRegistry.Api.Infrastructure.Text;
using SkillsRegistry.Api.Infrastructure.Data;
using SkillsRegistry.Api.Infrastructure.Protection;
using SkillsRegistry.Api.Infrastructure.Outbox;

namespace SkillsRegistry.Api.Features.Webhooks;

/// <summary>A delivery reserved for one dispatcher by its lease, with everything needed to send it.</summary>
public sealed record ClaimedDelivery
{
    public Guid Id { get; init; }
    public Guid LockToken { get; init; }
    public int Attempts { get; init; }
    public Guid EventId { get; init; }
    public string EventType { get; init; } = "";
    public DateTimeOffset OccurredAt { get; init; }
    public string Payload { get; init; } = "";
    public string Url { get; init; } = "";
    public string Secret { get; init; } = "";
    public string? PreviousSecret { get; init; }
    public DateTimeOffset? PreviousSecretExpiresAt { get; init; }

    /// <summary>Attempts before the latest redelivery; the retry budget counts from here.</summary>
    public int AttemptsAtRedelivery { get; init; }

    /// <summary>Attempts in the current retry budget, this one included (1-based).</summary>
    public int AttemptInRound => Attempts - AttemptsAtRedelivery;

    /// <summary>The secrets that sign this attempt: the current one, and the previous one during a rollover.</summary>
    public IReadOnlyList<string> SigningSecrets(DateTimeOffset now) =>
        PreviousSecret is { } previous && PreviousSecretExpiresAt > now ? [Secret, previous] : [Secret];
}

/// <summary>
/// The result of one attempt: the answer's status code, or the class of failure before an answer; both are recorded
/// as one row of the delivery's attempt log, and the outcome decides the delivery's state.
/// </summary>
public sealed record AttemptResult(
    AttemptOutcome Outcome, int? StatusCode, string? Error, DateTimeOffset? NextAttemptAt,
    WebhookAttemptFailure? Failure = null, DateTimeOffset AttemptedAt = default, TimeSpan Duration = default);

/// <summary>
/// The dispatcher's SQL. Fan-out turns undispatched outbox events into one pending delivery per matching subscription
/// (in one transaction: the event is marked dispatched with its deliveries). Claiming sets a lease so two instances
/// never send the same delivery at the same time; an expired lease (a crashed instance) makes it claimable again.
/// </summary>
public sealed class WebhookDeliveryStore(Db db, TimeProvider clock, FieldProtector protector)
{
    private sealed class Subscription
    {
        public Guid Id { get; init; }
        public string Events { get; init; } = "";
        public string OwnerRole { get; init; } = "";
        public Guid? CenterId { get; init; }
        public Guid? PartnerId { get; init; }
        public DateTimeOffset CreatedAt { get; init; }
    }

    private const string SelectActiveSubscriptions = """
        SELECT id AS Id, events AS Events, owner_role AS OwnerRole, center_id AS CenterId, partner_id AS PartnerId, created_at AS CreatedAt
        FROM webhook_subscriptions WHERE active = @active
        """;

    private const string InsertDelivery = """
        INSERT INTO webhook_deliveries (id, event_id, subscription_id, status, attempts, next_attempt_at, created_at)
        VALUES (@Id, @EventId, @SubscriptionId, 'pending', 0, @Now, @Now)
        ON CONFLICT (event_id, subscription_id) DO NOTHING
        """;

    private const string SelectDue = """
        SELECT d.id FROM webhook_deliveries d
        WHERE d.status = 'pending' AND d.next_attempt_at <= @now AND (d.locked_until IS NULL OR d.locked_until <= @now)
          AND EXISTS (SELECT 1 FROM webhook_subscriptions w WHERE w.id = d.subscription_id AND w.active = @active)
        ORDER BY d.next_attempt_at, d.id LIMIT @limit
        """;

    // Cheap reads first, so an idle dispatcher does not take SQLite's write lock on every poll.
    private const string SelectAnyUndispatched = "SELECT COUNT(*) FROM (SELECT 1 FROM outbox_events WHERE dispatched_at IS NULL LIMIT 1) AS pending";
    private const string SelectAnyDue = """
        SELECT COUNT(*) FROM (SELECT 1 FROM webhook_deliveries d
            WHERE d.status = 'pending' AND d.next_attempt_at <= @now AND (d.locked_until IS NULL OR d.locked_until <= @now)
              AND EXISTS (SELECT 1 FROM webhook_subscriptions w WHERE w.id = d.subscription_id AND w.active = @active) LIMIT 1) AS due
        """;

    private const string UpdateLease = """
        UPDATE webhook_deliveries SET locked_until = @until, lock_token = @token, attempts = attempts + 1
        WHERE id = @id
        """;

    private const string SelectClaimed = """
        SELECT d.id AS Id, d.lock_token AS LockToken, d.attempts AS Attempts, e.id AS EventId, e.type AS EventType,
               e.occurred_at AS OccurredAt, e.payload AS Payload, w.url AS Url, w.secret AS Secret,
               w.previous_secret AS PreviousSecret, w.previous_secret_expires_at AS PreviousSecretExpiresAt,
               d.attempts_at_redelivery AS AttemptsAtRedelivery
        FROM webhook_deliveries d
        JOIN outbox_events e ON e.id = d.event_id
        JOIN webhook_subscriptions w ON w.id = d.subscription_id
        WHERE d.lock_token = @token
        ORDER BY d.next_attempt_at, d.id
        """;

    private const string UpdateAttempt = """
        UPDATE webhook_deliveries
        SET status = @Status, next_attempt_at = @NextAttemptAt, locked_until = NULL, lock_token = NULL,
            last_attempt_at = @Now, last_status_code = @StatusCode, last_error = @Error, completed_at = @CompletedAt
        WHERE id = @Id AND lock_token = @LockToken
        """;

    private const string InsertAttempt = """
        INSERT INTO webhook_delivery_attempts (id, delivery_id, number, attempted_at, duration_ms, status_code, failure, error)
        VALUES (@Id, @DeliveryId, @Number, @AttemptedAt, @DurationMs, @StatusCode, @Failure, @Error)
        ON CONFLICT (delivery_id, number) DO NOTHING
        """;

    /// <summary>Fans out up to <paramref name="limit"/> undispatched events; returns how many events were handled.</summary>
    public async Task<int> FanOutAsync(int limit, CancellationToken ct)
    {
        if (await db.ReadAsync(s => s.ExecuteScalarAsync<long>(SelectAnyUndispatched), ct) == 0) return 0;
        return await db.WriteAsync(async s =>
        {
            var events = await Outbox.ClaimUndispatchedAsync(s, limit);
            if (events.Count == 0) return 0;
            var now = clock.GetUtcNow();
            var subscriptions = (await s.QueryAsync<Subscription>(SelectActiveSubscriptions, new { active = true })).ToList();
            var agreements = new Dictionary<Guid, (PartnerAgreement? Agreement, IReadOnlyList<AgreementExtensionStep> Extensions)>();
            foreach (var e in events)
            {
                foreach (var subscription in subscriptions)
                {
                    if (!await MayReceiveAsync(s, subscription, e, agreements)) continue;
                    await s.ExecuteAsync(InsertDelivery, new { Id = Guid.CreateVersion7(), EventId = e.Id, SubscriptionId = subscription.Id, Now = now });
                }
                await Outbox.MarkDispatchedAsync(s, e.Id, now);
            }
            return events.Count;
        }, ct);
    }

    /// <summary>
    /// A subscription receives an event it asked for, that happened after it was created, and that its owner may see:
    /// the registry (admin) everything; a center its own certificates and all standard events; a partner agency the
    /// events in its agreement's sectors that happened while the agreement was in force (judged at the event's time, so
    /// nothing that happened during a lapse is queued, even when the dispatcher runs after an extension).
    /// </summary>
    private static async Task<bool> MayReceiveAsync(DbSession s, Subscription subscription, OutboxEvent e,
        Dictionary<Guid, (PartnerAgreement? Agreement, IReadOnlyList<AgreementExtensionStep> Extensions)> agreements)
    {
        if (!subscription.Events.Split(',').Contains(e.Type, StringComparer.Ordinal)) return false;
        if (subscription.CreatedAt > e.OccurredAt) return false;
        switch (subscription.OwnerRole)
        {
            case "admin":
                return true;
            case "center":
                return !WebhookEventTypes.IsCertificateEvent(e.Type) || (e.CenterId is not null && e.CenterId == subscription.CenterId);
            case "partner" when subscription.PartnerId is { } partnerId && e.SectorCode is { } sector:
                if (!agreements.TryGetValue(partnerId, out var known))
                    agreements[partnerId] = known = (await PartnerAgreement.LoadAsync(s, partnerId), await PartnerAgreement.ExtensionsAsync(s, partnerId));
                return known.Agreement is { } agreement && agreement.InForceAt(e.OccurredAt, known.Extensions) && agreement.Covers(sector);
            default:
                return false;
        }
    }

    /// <summary>Leases up to <paramref name="limit"/> due deliveries to this caller; each claim counts as an attempt.</summary>
    public async Task<IReadOnlyList<ClaimedDelivery>> ClaimDueAsync(int limit, TimeSpan lease, CancellationToken ct)
    {
        if (await db.ReadAsync(s => s.ExecuteScalarAsync<long>(SelectAnyDue, new { now = clock.GetUtcNow(), active = true }), ct) == 0) return [];
        return await db.WriteAsync<IReadOnlyList<ClaimedDelivery>>(async s =>
        {
            var now = clock.GetUtcNow();
            var ids = (await s.QueryAsync<Guid>(SelectDue + s.Dialect.ForUpdateSkipLocked, new { now, limit, active = true })).ToList();
            if (ids.Count == 0) return [];
            var token = Guid.CreateVersion7();
            foreach (var id in ids) await s.ExecuteAsync(UpdateLease, new { id, token, until = now + lease });
            // The secret is stored encrypted; the signing code gets it decrypted.
            return (await s.QueryAsync<ClaimedDelivery>(SelectClaimed, new { token }))
                .Select(d => d with
                {
                    Secret = protector.Decrypt(d.Secret, WebhookRepository.SecretPurpose),
                    PreviousSecret = protector.DecryptOrNull(d.PreviousSecret, WebhookRepository.SecretPurpose),
                }).ToList();
        }, ct);
    }

    /// <summary>
    /// Records an attempt in the delivery's log and its outcome on the delivery, unless the lease was lost meanwhile
    /// (then the new holder owns the delivery, and this attempt is not recorded).
    /// </summary>
    public Task<bool> RecordAsync(ClaimedDelivery delivery, AttemptResult result, CancellationToken ct) =>
        db.WriteAsync(async s =>
        {
            var now = clock.GetUtcNow();
            var error = result.Error is { Length: > 500 } text ? text[..500] : result.Error;
            var changed = await s.ExecuteAsync(UpdateAttempt, new
            {
                delivery.Id, delivery.LockToken, Now = now,
                Status = EnumText.ToText(result.Outcome switch
                {
                    AttemptOutcome.Succeeded => WebhookDeliveryStatus.Succeeded,
                    AttemptOutcome.Retry => WebhookDeliveryStatus.Pending,
                    _ => WebhookDeliveryStatus.Dead,
                }),
                NextAttemptAt = result.NextAttemptAt ?? now,
                result.StatusCode,
                Error = error,
                CompletedAt = result.Outcome == AttemptOutcome.Retry ? (DateTimeOffset?)null : now,
            });
            if (changed != 1) return false;
            await s.ExecuteAsync(InsertAttempt, new
            {
                Id = Guid.CreateVersion7(), DeliveryId = delivery.Id, Number = delivery.Attempts,
                AttemptedAt = result.AttemptedAt == default ? now : result.AttemptedAt,
                DurationMs = (int)Math.Clamp(result.Duration.TotalMilliseconds, 0, int.MaxValue),
                result.StatusCode,
                Failure = result.Failure is { } failure ? EnumText.ToText(failure) : null,
                Error = error,
            });
            return true;
        }, ct);
}
