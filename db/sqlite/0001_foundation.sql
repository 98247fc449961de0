-- API keys: only a SHA-256 hash of the secret is stored; prefix is the non-secret lookup handle.
CREATE TABLE api_keys (
    id TEXT PRIMARY KEY,
    prefix TEXT NOT NULL UNIQUE,
    hash TEXT NOT NULL,
    name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('admin', 'center', 'partner')),
    center_id TEXT NULL,
    partner_id TEXT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NULL,
    revoked_at TEXT NULL,
    created_by_key_id TEXT NULL,
    CHECK ((role = 'center') = (center_id IS NOT NULL)),
    CHECK ((role = 'partner') = (partner_id IS NOT NULL))
);

-- Append-only, hash-chained audit log. No code path updates or deletes these rows.
CREATE TABLE audit_log (
    seq INTEGER PRIMARY KEY,
    occurred_at TEXT NOT NULL,
    actor_key_id TEXT NULL,
    actor_role TEXT NOT NULL,
    actor_center_id TEXT NULL,
    actor_partner_id TEXT NULL,
    action TEXT NOT NULL,
    entity TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    changes TEXT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);
CREATE INDEX ix_audit_log_entity ON audit_log (entity, entity_id);
CREATE INDEX ix_audit_log_actor ON audit_log (actor_key_id);
CREATE INDEX ix_audit_log_time ON audit_log (occurred_at);

CREATE TABLE audit_chain_head (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    last_seq INTEGER NOT NULL,
    last_hash TEXT NOT NULL
);
INSERT INTO audit_chain_head (id, last_seq, last_hash)
VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');
