-- Issue 24: verifier keys (employers and agencies verifying certificates in bulk). SQLite cannot change a CHECK constraint,
-- so the table is rebuilt with the same columns; nothing refers to api_keys by foreign key.
CREATE TABLE api_keys_new (
    id TEXT PRIMARY KEY,
    prefix TEXT NOT NULL UNIQUE,
    hash TEXT NOT NULL,
    name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('admin', 'center', 'partner', 'verifier')),
    center_id TEXT NULL,
    partner_id TEXT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NULL,
    revoked_at TEXT NULL,
    created_by_key_id TEXT NULL,
    CHECK ((role = 'center') = (center_id IS NOT NULL)),
    CHECK ((role = 'partner') = (partner_id IS NOT NULL))
);
INSERT INTO api_keys_new (id, prefix, hash, name, role, center_id, partner_id, created_at, expires_at, revoked_at, created_by_key_id)
SELECT id, prefix, hash, name, role, center_id, partner_id, created_at, expires_at, revoked_at, created_by_key_id FROM api_keys;
DROP TABLE api_keys;
ALTER TABLE api_keys_new RENAME TO api_keys;
