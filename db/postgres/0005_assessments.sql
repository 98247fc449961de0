-- Assessment results submitted by training centers. (center, external_ref) is the center's own identity for a
-- result: a row sent twice, in any batch, in parallel, is recorded once.
CREATE TABLE assessments (
    id uuid PRIMARY KEY,
    center_id uuid NOT NULL REFERENCES training_centers (id),
    external_ref text NOT NULL,
    trainee_id uuid NOT NULL REFERENCES trainees (id),
    standard_id uuid NOT NULL REFERENCES standards (id),
    exam_date date NOT NULL,
    theory_score numeric(4,1) NOT NULL CHECK (theory_score BETWEEN 0 AND 100),
    practical_score numeric(4,1) NOT NULL CHECK (practical_score BETWEEN 0 AND 100),
    outcome text NOT NULL CHECK (outcome IN ('passed', 'failed')),
    assessor_name text NOT NULL,
    assessor_id text NULL,
    status text NOT NULL CHECK (status IN ('recorded', 'voided')),
    batch_id uuid NOT NULL,
    submitted_by_key_id uuid NULL,
    submitted_on_behalf boolean NOT NULL,
    recorded_at timestamptz NOT NULL,
    voided_at timestamptz NULL,
    void_reason text NULL,
    voided_by_key_id uuid NULL,
    UNIQUE (center_id, external_ref)
);
CREATE INDEX ix_assessments_trainee ON assessments (trainee_id);
CREATE INDEX ix_assessments_standard_exam ON assessments (standard_id, exam_date);
CREATE INDEX ix_assessments_center_exam ON assessments (center_id, exam_date);

-- Certificates. token is the ES256-signed compact JWS made at issue (stable: the QR never changes).
-- Content is a snapshot taken at issue and never edited: a correction issues a new certificate
-- that replaces the old one (which becomes superseded).
CREATE TABLE certificates (
    id uuid PRIMARY KEY,
    number text NOT NULL UNIQUE,
    assessment_id uuid NOT NULL REFERENCES assessments (id),
    trainee_id uuid NOT NULL REFERENCES trainees (id),
    standard_id uuid NOT NULL REFERENCES standards (id),
    center_id uuid NOT NULL REFERENCES training_centers (id),
    holder_given_name_fa text NOT NULL,
    holder_family_name_fa text NOT NULL,
    holder_given_name_latin text NOT NULL,
    holder_family_name_latin text NOT NULL,
    theory_score numeric(4,1) NOT NULL,
    practical_score numeric(4,1) NOT NULL,
    exam_date date NOT NULL,
    issued_on date NOT NULL,
    issued_at timestamptz NOT NULL,
    expires_on date NULL,
    status text NOT NULL CHECK (status IN ('valid', 'revoked', 'superseded')),
    revoked_at timestamptz NULL,
    revocation_reason_code text NULL CHECK (revocation_reason_code IS NULL OR revocation_reason_code IN
        ('issued-in-error', 'fraud', 'assessment-annulled', 'holder-request', 'other')),
    revocation_reason text NULL,
    revoked_by_key_id uuid NULL,
    replaces_certificate_id uuid NULL UNIQUE REFERENCES certificates (id),
    superseded_by_id uuid NULL REFERENCES certificates (id),
    superseded_at timestamptz NULL,
    correction_reason text NULL,
    token text NULL,
    issued_by_key_id uuid NULL,
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
    scope text PRIMARY KEY,
    last_value bigint NOT NULL
);

-- Idempotency-Key records: the first response to a (caller, key) is stored with the hash of its request, in the
-- same transaction as the work it describes, and replayed for retries.
CREATE TABLE idempotency_records (
    scope text NOT NULL,
    idempotency_key text NOT NULL,
    request_hash text NOT NULL,
    status_code integer NOT NULL,
    response_body text NOT NULL,
    created_at timestamptz NOT NULL,
    expires_at timestamptz NOT NULL,
    PRIMARY KEY (scope, idempotency_key)
);
CREATE INDEX ix_idempotency_records_expires ON idempotency_records (expires_at);
