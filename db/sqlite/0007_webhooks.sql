-- Transactional outbox: a row is written in the same transaction as the change it announces, so a rolled-back
-- change never produces an event and a committed one is never lost. center_id and sector_code are the subject
-- fields the dispatcher uses to decide who may receive it; payload is the event's "data" (JSON text).
CREATE TABLE outbox_events (
    id TEXT PRIMARY KEY,
    type TEXT NOT NULL,
    occurred_at TEXT NOT NULL,
    center_id TEXT NULL,
    sector_code TEXT NULL,
    payload TEXT NOT NULL,
    dispatched_at TEXT NULL
);
CREATE INDEX ix_outbox_events_undispatched ON outbox_events (occurred_at) WHERE dispatched_at IS NULL;

-- Webhook subscriptions belong to an organisation (admin = the registry, a training center, or a partner agency),
-- not to the key that created them. secret signs deliveries (HMAC-SHA256); it is returned only at creation.
-- events is a comma-separated list of event types.
CREATE TABLE webhook_subscriptions (
    id TEXT PRIMARY KEY,
    url TEXT NOT NULL,
    events TEXT NOT NULL,
    secret TEXT NOT NULL,
    owner_role TEXT NOT NULL CHECK (owner_role IN ('admin', 'center', 'partner')),
    center_id TEXT NULL REFERENCES training_centers (id),
    partner_id TEXT NULL REFERENCES partner_agencies (id),
    active INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    created_by_key_id TEXT NULL,
    deactivated_at TEXT NULL,
    CHECK ((owner_role = 'center') = (center_id IS NOT NULL)),
    CHECK ((owner_role = 'partner') = (partner_id IS NOT NULL))
);
CREATE INDEX ix_webhook_subscriptions_center ON webhook_subscriptions (center_id);
CREATE INDEX ix_webhook_subscriptions_partner ON webhook_subscriptions (partner_id);

-- One delivery per event and subscription, created when the dispatcher fans an event out. A dispatcher claims a
-- due delivery by setting a lease (locked_until, lock_token); an abandoned lease expires and another instance
-- takes it over. Retries are scheduled in next_attempt_at, so they survive restarts.
CREATE TABLE webhook_deliveries (
    id TEXT PRIMARY KEY,
    event_id TEXT NOT NULL REFERENCES outbox_events (id),
    subscription_id TEXT NOT NULL REFERENCES webhook_subscriptions (id),
    status TEXT NOT NULL CHECK (status IN ('pending', 'succeeded', 'dead')),
    attempts INTEGER NOT NULL CHECK (attempts >= 0),
    next_attempt_at TEXT NOT NULL,
    locked_until TEXT NULL,
    lock_token TEXT NULL,
    last_attempt_at TEXT NULL,
    last_status_code INTEGER NULL,
    last_error TEXT NULL,
    created_at TEXT NOT NULL,
    completed_at TEXT NULL,
    UNIQUE (event_id, subscription_id)
);
CREATE INDEX ix_webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE status = 'pending';
CREATE INDEX ix_webhook_deliveries_subscription ON webhook_deliveries (subscription_id, created_at);
CREATE INDEX ix_webhook_deliveries_lock ON webhook_deliveries (lock_token);
