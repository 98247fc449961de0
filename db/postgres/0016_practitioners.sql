-- Assessors and instructors (issue 23). A practitioner is a person of the registry (a trainees row: one identity,
-- looked up by its keyed hash) who trains or assesses, with a human-readable code and a home organisation (a training
-- center or a partner agency). Qualifications per standard code, refresher courses and visits to other centers decide
-- whether a result's assessor was qualified, current and attached to the center on the exam date.
CREATE TABLE practitioners (
    id uuid PRIMARY KEY,
    code text NOT NULL UNIQUE,
    person_id uuid NOT NULL UNIQUE REFERENCES trainees (id),
    home_center_id uuid NULL REFERENCES training_centers (id),
    home_partner_id uuid NULL REFERENCES partner_agencies (id),
    phone text NULL,
    email text NULL,
    row_version bigint NOT NULL DEFAULT 1,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    CHECK ((home_center_id IS NULL) <> (home_partner_id IS NULL))
);
CREATE INDEX ix_practitioners_home_center ON practitioners (home_center_id);
CREATE INDEX ix_practitioners_home_partner ON practitioners (home_partner_id);

CREATE TABLE practitioner_qualifications (
    id uuid PRIMARY KEY,
    practitioner_id uuid NOT NULL REFERENCES practitioners (id),
    standard_code text NOT NULL,
    kind text NOT NULL CHECK (kind IN ('instructor', 'assessor', 'lead-assessor')),
    source text NOT NULL CHECK (source IN ('certificate', 'partner-accreditation', 'admin-decision')),
    certificate_id uuid NULL REFERENCES certificates (id),
    partner_id uuid NULL REFERENCES partner_agencies (id),
    reason text NULL,
    valid_from date NOT NULL,
    valid_to date NULL,
    withdrawn_from date NULL,
    withdrawal_reason text NULL,
    withdrawn_for_cause boolean NOT NULL DEFAULT false,
    created_at timestamptz NOT NULL,
    CHECK (valid_to IS NULL OR valid_to >= valid_from),
    CHECK (source <> 'certificate' OR certificate_id IS NOT NULL),
    CHECK (source <> 'partner-accreditation' OR partner_id IS NOT NULL),
    CHECK (source <> 'admin-decision' OR reason IS NOT NULL)
);
CREATE INDEX ix_practitioner_qualifications ON practitioner_qualifications (practitioner_id, standard_code);

CREATE TABLE refresher_courses (
    id uuid PRIMARY KEY,
    practitioner_id uuid NOT NULL REFERENCES practitioners (id),
    course_code text NULL,
    title text NULL,
    hours numeric(6,1) NOT NULL CHECK (hours > 0),
    completed_on date NOT NULL,
    provider_center_id uuid NULL REFERENCES training_centers (id),
    provider_partner_id uuid NULL REFERENCES partner_agencies (id),
    created_at timestamptz NOT NULL,
    CHECK (course_code IS NOT NULL OR title IS NOT NULL),
    CHECK ((provider_center_id IS NULL) <> (provider_partner_id IS NULL))
);
CREATE INDEX ix_refresher_courses_practitioner ON refresher_courses (practitioner_id, completed_on);

CREATE TABLE practitioner_visits (
    id uuid PRIMARY KEY,
    practitioner_id uuid NOT NULL REFERENCES practitioners (id),
    center_id uuid NOT NULL REFERENCES training_centers (id),
    first_day date NOT NULL,
    last_day date NOT NULL,
    recorded_by_role text NOT NULL,
    created_at timestamptz NOT NULL,
    CHECK (last_day >= first_day)
);
CREATE INDEX ix_practitioner_visits ON practitioner_visits (practitioner_id, center_id);

-- A version may ask its assessors for refresher hours within a period (none by default) and for a second assessor
-- from a partner agency.
ALTER TABLE standards ADD COLUMN refresher_hours integer NULL CHECK (refresher_hours IS NULL OR refresher_hours > 0);
ALTER TABLE standards ADD COLUMN refresher_months integer NULL CHECK (refresher_months IS NULL OR refresher_months > 0);
ALTER TABLE standards ADD COLUMN requires_partner_assessor boolean NOT NULL DEFAULT false;

-- Results recorded before this script keep their free-text assessor and are marked 'legacy'; new results name a
-- registered practitioner ('registered'), or, where the setting allows it, a free-text one ('unregistered').
ALTER TABLE assessments ADD COLUMN assessor_record text NOT NULL DEFAULT 'legacy'
    CHECK (assessor_record IN ('legacy', 'registered', 'unregistered'));
ALTER TABLE assessments ADD COLUMN assessor_practitioner_id uuid NULL REFERENCES practitioners (id);
ALTER TABLE assessments ADD COLUMN second_assessor_practitioner_id uuid NULL REFERENCES practitioners (id);
