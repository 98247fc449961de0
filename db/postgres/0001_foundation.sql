-- API keys: only a SHA-256 hash of the secret is stored; prefix is the non-secret lookup handle.
CREATE TABLE api_keys (
    id uuid PRIMARY KEY,
    prefix text NOT NULL UNIQUE,
    hash text NOT NULL,
    name text NOT NULL,
    role text NOT NULL CHECK (role IN ('admin', 'center', 'partner')),
    center_id uuid NULL,
    partner_id uuid NULL,
    created_at timestamptz NOT NULL,
    expires_at timestamptz NULL,
    revoked_at timestamptz NULL,
    created_by_key_id uuid NULL,
    CHECK ((role = 'center') = (center_id IS NOT NULL)),
    CHECK ((role = 'partner') = (partner_id IS NOT NULL))
);

-- Append-only, hash-chained audit log. No code path updates or deletes these rows.
CREATE TABLE audit_log (
    seq bigint PRIMARY KEY,
    occurred_at timestamptz NOT NULL,
    actor_key_id uuid NULL,
    actor_role text NOT NULL,
    actor_center_id uuid NULL,
    actor_partner_id uuid NULL,
    action text NOT NULL,
    entity text NOT NULL,
    entity_id text NOT NULL,
    changes text NULL,
    prev_hash text NOT NULL,
    hash text NOT NULL
);
CREATE INDEX ix_audit_log_entity ON audit_log (entity, entity_id);
CREATE INDEX ix_audit_log_actor ON audit_log (actor_key_id);
CREATE INDEX ix_audit_log_time ON audit_log (occurred_at);

CREATE TABLE audit_chain_head (
    id integer PRIMARY KEY CHECK (id = 1),
    last_seq bigint NOT NULL,
    last_hash text NOT NULL
);
INSERT INTO audit_chain_head (id, last_seq, last_hash)
VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');
