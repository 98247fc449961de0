-- Holders: the person a certificate belongs to reads their own record with a short-lived access code exchanged for a
-- session, and shares certificates by link. Codes, session tokens and share tokens are stored only as hashes.

-- A one-time code a center (or admin) hands to a person. code_hash is a keyed hash (the look-up key), never the code.
CREATE TABLE holder_access_codes (
    id TEXT PRIMARY KEY,
    trainee_id TEXT NOT NULL REFERENCES trainees (id),
    code_hash TEXT NOT NULL UNIQUE,
    issued_by_key_id TEXT NULL,
    issued_by_center_id TEXT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    wrong_birth_dates INTEGER NOT NULL DEFAULT 0 CHECK (wrong_birth_dates >= 0),
    -- used (exchanged for a session), replaced (a newer code pushed it out), burned (too many wrong birth dates)
    retired_at TEXT NULL,
    retired_reason TEXT NULL CHECK (retired_reason IN ('used', 'replaced', 'burned')),
    CHECK ((retired_at IS NULL) = (retired_reason IS NULL))
);
CREATE INDEX ix_holder_access_codes_trainee ON holder_access_codes (trainee_id, created_at);

-- A holder's session: a bearer token (SHA-256 stored) with an idle and an absolute end.
CREATE TABLE holder_sessions (
    id TEXT PRIMARY KEY,
    trainee_id TEXT NOT NULL REFERENCES trainees (id),
    token_hash TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    last_seen_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    ended_at TEXT NULL
);
CREATE INDEX ix_holder_sessions_trainee ON holder_sessions (trainee_id);

-- A share: what the holder chose to show (some certificates, or the whole transcript) behind a random link.
CREATE TABLE holder_shares (
    id TEXT PRIMARY KEY,
    trainee_id TEXT NOT NULL REFERENCES trainees (id),
    token_hash TEXT NOT NULL UNIQUE,
    whole_transcript INTEGER NOT NULL CHECK (whole_transcript IN (0, 1)),
    recipient_label TEXT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    revoked_at TEXT NULL
);
CREATE INDEX ix_holder_shares_trainee ON holder_shares (trainee_id, created_at);

CREATE TABLE holder_share_certificates (
    share_id TEXT NOT NULL REFERENCES holder_shares (id),
    certificate_id TEXT NOT NULL REFERENCES certificates (id),
    PRIMARY KEY (share_id, certificate_id)
);

-- Each view of a share: when, and the viewer's network only (an IPv4 /16 or IPv6 /32), never the address.
CREATE TABLE holder_share_views (
    id TEXT PRIMARY KEY,
    share_id TEXT NOT NULL REFERENCES holder_shares (id),
    viewed_at TEXT NOT NULL,
    origin TEXT NOT NULL
);
CREATE INDEX ix_holder_share_views_share ON holder_share_views (share_id, viewed_at);
