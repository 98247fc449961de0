-- Holders: the person a certificate belongs to reads their own record with a short-lived access code exchanged for a
-- session, and shares certificates by link. Codes, session tokens and share tokens are stored only as hashes.

-- A one-time code a center (or admin) hands to a person. code_hash is a keyed hash (the look-up key), never the code.
CREATE TABLE holder_access_codes (
    id uuid PRIMARY KEY,
    trainee_id uuid NOT NULL REFERENCES trainees (id),
    code_hash text NOT NULL UNIQUE,
    issued_by_key_id uuid NULL,
    issued_by_center_id uuid NULL,
    created_at timestamptz NOT NULL,
    expires_at timestamptz NOT NULL,
    wrong_birth_dates integer NOT NULL DEFAULT 0 CHECK (wrong_birth_dates >= 0),
    -- used (exchanged for a session), replaced (a newer code pushed it out), burned (too many wrong birth dates)
    retired_at timestamptz NULL,
    retired_reason text NULL CHECK (retired_reason IN ('used', 'replaced', 'burned')),
    CHECK ((retired_at IS NULL) = (retired_reason IS NULL))
);
CREATE INDEX ix_holder_access_codes_trainee ON holder_access_codes (trainee_id, created_at);

-- A holder's session: a bearer token (SHA-256 stored) with an idle and an absolute end.
CREATE TABLE holder_sessions (
    id uuid PRIMARY KEY,
    trainee_id uuid NOT NULL REFERENCES trainees (id),
    token_hash text NOT NULL UNIQUE,
    created_at timestamptz NOT NULL,
    last_seen_at timestamptz NOT NULL,
    expires_at timestamptz NOT NULL,
    ended_at timestamptz NULL
);
CREATE INDEX ix_holder_sessions_trainee ON holder_sessions (trainee_id);

-- A share: what the holder chose to show (some certificates, or the whole transcript) behind a random link.
CREATE TABLE holder_shares (
    id uuid PRIMARY KEY,
    trainee_id uuid NOT NULL REFERENCES trainees (id),
    token_hash text NOT NULL UNIQUE,
    whole_transcript boolean NOT NULL,
    recipient_label text NULL,
    created_at timestamptz NOT NULL,
    expires_at timestamptz NOT NULL,
    revoked_at timestamptz NULL
);
CREATE INDEX ix_holder_shares_trainee ON holder_shares (trainee_id, created_at);

CREATE TABLE holder_share_certificates (
    share_id uuid NOT NULL REFERENCES holder_shares (id),
    certificate_id uuid NOT NULL REFERENCES certificates (id),
    PRIMARY KEY (share_id, certificate_id)
);

-- Each view of a share: when, and the viewer's network only (an IPv4 /16 or IPv6 /32), never the address.
CREATE TABLE holder_share_views (
    id uuid PRIMARY KEY,
    share_id uuid NOT NULL REFERENCES holder_shares (id),
    viewed_at timestamptz NOT NULL,
    origin text NOT NULL
);
CREATE INDEX ix_holder_share_views_share ON holder_share_views (share_id, viewed_at);
