-- Identity protection (issue 11).
-- 1. National IDs and passport numbers are kept encrypted (AES-GCM, key outside the database) in *_enc, and looked up by
--    a keyed hash (HMAC-SHA256) of the normalised identifier. The former clear columns become the hash columns, so the
--    unique constraints and the identity check keep working; they still hold clear values until the application's
--    startup step has protected them (it runs right after migrations, before any request is served).
ALTER TABLE trainees RENAME COLUMN national_id TO national_id_hash;
ALTER TABLE trainees RENAME COLUMN passport_number TO passport_number_hash;
ALTER TABLE trainees ADD COLUMN national_id_enc TEXT NULL;
ALTER TABLE trainees ADD COLUMN passport_number_enc TEXT NULL;

-- 2. Contact details are kept per center: the phone and e-mail a center supplied live on its link to the person.
--    trainees.phone/email keep only what the registry (admin) supplied.
ALTER TABLE center_trainees ADD COLUMN phone TEXT NULL;
ALTER TABLE center_trainees ADD COLUMN email TEXT NULL;
UPDATE center_trainees SET
    phone = (SELECT t.phone FROM trainees t WHERE t.id = center_trainees.trainee_id),
    email = (SELECT t.email FROM trainees t WHERE t.id = center_trainees.trainee_id)
WHERE center_id = (SELECT t.created_by_center_id FROM trainees t WHERE t.id = center_trainees.trainee_id);
UPDATE trainees SET phone = NULL, email = NULL WHERE created_by_center_id IS NOT NULL;

-- 3. Which persons an audit record is about (reads of personal data name many at once).
CREATE TABLE audit_subjects (
    person_id TEXT NOT NULL,
    seq INTEGER NOT NULL REFERENCES audit_log (seq),
    PRIMARY KEY (person_id, seq)
);
