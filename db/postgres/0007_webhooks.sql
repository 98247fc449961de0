-- Transactional outbox: a row is written in the same transaction as the change it announces, so a rolled-back
-- change never produces an event and a committed one is never lost. center_id and sector_code are the subject
-- fields the dispatcher uses to decide who may receive it; payload is the event's "data" (JSON text).
CREATE TABLE outbox_events (
    id uuid PRIMARY KEY,
    type text NOT NULL,
    occurred_at timestamptz NOT NULL,
    center_id uuid NULL,
    sector_code text NULL,
    payload text NOT NULL,
    dispatched_at timestamptz NULL
);
CREATE INDEX ix_outbox_events_undispatched ON outbox_events (occurred_at) WHERE dispatched_at IS NULL;

-- Webhook subscriptions belong to an organisation (admin = the registry, a training center, or a partner agency),
-- not to the key that created them. secret signs deliveries (HMAC-SHA256); it is returned only at creation.
-- events is a comma-separated list of event types.
CREATE TABLE webhook_subscriptions (
    id uuid PRIMARY KEY,
    url text NOT NULL,
    events text NOT NULL,
    secret text NOT NULL,
    owner_role text NOT NULL CHECK (owner_role IN ('admin', 'center', 'partner')),
    center_id uuid NULL REFERENCES training_centers (id),
    partner_id uuid NULL REFERENCES partner_agencies (id),
    active boolean NOT NULL,
    created_at timestamptz NOT NULL,
    created_by_key_id uuid NULL,
    deactivated_at timestamptz NULL,
    CHECK ((owner_role = 'center') = (center_id IS NOT NULL)),
    CHECK ((owner_role = 'partner') = (partner_id IS NOT NULL))
);
CREATE INDEX ix_webhook_subscriptions_center ON webhook_subscriptions (center_id);
CREATE INDEX ix_webhook_subscriptions_partner ON webhook_subscriptions (partner_id);

-- One delivery per event and subscription, created when the dispatcher fans an event out. A dispatcher claims a
-- due delivery by setting a lease (locked_until, lock_token); an abandoned lease expires and another instance
-- takes it over. Retries are scheduled in next_attempt_at, so they survive restarts.
CREATE TABLE webhook_deliveries (
    id uuid PRIMARY KEY,
    event_id uuid NOT NULL REFERENCES outbox_events (id),
    subscription_id uuid NOT NULL REFERENCES webhook_subscriptions (id),
    status text NOT NULL CHECK (status IN ('pending', 'succeeded', 'dead')),
    attempts integer NOT NULL CHECK (attempts >= 0),
    next_attempt_at timestamptz NOT NULL,
    locked_until timestamptz NULL,
    lock_token uuid NULL,
    last_attempt_at timestamptz NULL,
    last_status_code integer NULL,
    last_error text NULL,
    created_at timestamptz NOT NULL,
    completed_at timestamptz NULL,
    UNIQUE (event_id, subscription_id)
);
CREATE INDEX ix_webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE status = 'pending';
CREATE INDEX ix_webhook_deliveries_subscription ON webhook_deliveries (subscription_id, created_at);
CREATE INDEX ix_webhook_deliveries_lock ON webhook_deliveries (lock_token);
