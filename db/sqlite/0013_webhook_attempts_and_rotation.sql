-- Standard Webhooks key rotation: during a rollover the previous secret keeps signing (a second v1 signature in the
-- Webhook-Signature header) until previous_secret_expires_at, so receivers can switch secrets without losing events.
ALTER TABLE webhook_subscriptions ADD COLUMN previous_secret TEXT NULL;
ALTER TABLE webhook_subscriptions ADD COLUMN previous_secret_expires_at TEXT NULL;

-- attempts counts every attempt ever made; a redelivery starts a fresh retry budget at attempts_at_redelivery
-- instead of erasing the count.
ALTER TABLE webhook_deliveries ADD COLUMN attempts_at_redelivery INTEGER NOT NULL DEFAULT 0;

-- One row per attempt (never updated, never deleted): when, how long, and what came back (a status code) or what
-- failed before an answer (failure: a class such as timeout or connection-failed; error: the detail).
CREATE TABLE webhook_delivery_attempts (
    id TEXT PRIMARY KEY,
    delivery_id TEXT NOT NULL REFERENCES webhook_deliveries (id),
    number INTEGER NOT NULL CHECK (number >= 1),
    attempted_at TEXT NOT NULL,
    duration_ms INTEGER NOT NULL CHECK (duration_ms >= 0),
    status_code INTEGER NULL,
    failure TEXT NULL,
    error TEXT NULL,
    UNIQUE (delivery_id, number)
);
