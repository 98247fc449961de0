-- Assessment results submitted by training centers. (center, external_ref) is the center's own identity for a
-- result: a row sent twice, in any batch, in parallel, is recorded once.
CREATE TABLE assessments (
    id TEXT PRIMARY KEY,
    center_id TEXT NOT NULL REFERENCES training_centers (id),
    external_ref TEXT NOT NULL,
    trainee_id TEXT NOT NULL REFERENCES trainees (id),
    standard_id TEXT NOT NULL REFERENCES standards (id),
    exam_date TEXT NOT NULL,
    theory_score REAL NOT NULL CHECK (theory_score BETWEEN 0 AND 100),
    practical_score REAL NOT NULL CHECK (practical_score BETWEEN 0 AND 100),
    outcome TEXT NOT NULL CHECK (outcome IN ('passed', 'failed')),
    assessor_name TEXT NOT NULL,
    assessor_id TEXT NULL,
    status TEXT NOT NULL CHECK (status IN ('recorded', 'voided')),
    batch_id TEXT NOT NULL,
    submitted_by_key_id TEXT NULL,
    submitted_on_behalf INTEGER NOT NULL,
    recorded_at TEXT NOT NULL,
    voided_at TEXT NULL,
    void_reason TEXT NULL,
    voided_by_key_id TEXT NULL,
    UNIQUE (center_id, external_ref)
);
CREATE INDEX ix_assessments_trainee ON assessments (trainee_id);
CREATE INDEX ix_assessments_standard_exam ON assessments (standard_id, exam_date);
CREATE INDEX ix_assessments_center_exam ON assessments (center_id, exam_date);

-- Certificates. token is the ES256-signed compact JWS made at issue (stable: the QR never changes).
-- Content is a snapshot taken at issue and never edited: a correction issues a new certificate
-- that replaces the old one (which becomes superseded).
CREATE TABLE certificates (
    id TEXT PRIMARY KEY,
    number TEXT NOT NULL UNIQUE,
    assessment_id TEXT NOT NULL REFERENCES assessments (id),
    trainee_id TEXT NOT NULL REFERENCES trainees (id),
    standard_id TEXT NOT NULL REFERENCES standards (id),
    center_id TEXT NOT NULL REFERENCES training_centers (id),
    holder_given_name_fa TEXT NOT NULL,
    holder_family_name_fa TEXT NOT NULL,
    holder_given_name_latin TEXT NOT NULL,
    holder_family_name_latin TEXT NOT NULL,
    theory_score REAL NOT NULL,
    practical_score REAL NOT NULL,
    exam_date TEXT NOT NULL,
    issued_on TEXT NOT NULL,
    issued_at TEXT NOT NULL,
    expires_on TEXT NULL,
    status TEXT NOT NULL CHECK (status IN ('valid', 'revoked', 'superseded')),
    revoked_at TEXT NULL,
    revocation_reason_code TEXT NULL CHECK (revocation_reason_code IS NULL OR revocation_reason_code IN
        ('issued-in-error', 'fraud', 'assessment-annulled', 'holder-request', 'other')),
    revocation_reason TEXT NULL,
    revoked_by_key_id TEXT NULL,
    replaces_certificate_id TEXT NULL UNIQUE REFERENCES certificates (id),
    superseded_by_id TEXT NULL REFERENCES certificates (id),
    superseded_at TEXT NULL,
    correction_reason TEXT NULL,
    token TEXT NULL,
    issued_by_key_id TEXT NULL,
    CHECK ((status = 'revoked') = (revoked_at IS NOT NULL)),
    CHECK ((status = 'superseded') = (superseded_by_id IS NOT NULL))
);
-- Exactly one original certificate per passing assessment; corrections chain through replaces_certificate_id.
CREATE UNIQUE INDEX ux_certificates_original_per_assessment ON certificates (assessment_id) WHERE replaces_certificate_id IS NULL;
CREATE INDEX ix_certificates_trainee ON certificates (trainee_id, issued_at);
CREATE INDEX ix_certificates_center ON certificates (center_id, issued_at);
CREATE INDEX ix_certificates_standard ON certificates (standard_id);

-- Sequence of certificate numbers per Solar Hijri year and region ("1405-10").
CREATE TABLE certificate_number_counters (
    scope TEXT PRIMARY KEY,
    last_value INTEGER NOT NULL
);

-- Idempotency-Key records: the first response to a (caller, key) is stored with the hash of its request, in the
-- same transaction as the work it describes, and replayed for retries.
CREATE TABLE idempotency_records (
    scope TEXT NOT NULL,
    idempotency_key TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    status_code INTEGER NOT NULL,
    response_body TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    PRIMARY KEY (scope, idempotency_key)
);
CREATE INDEX ix_idempotency_records_expires ON idempotency_records (expires_at);
