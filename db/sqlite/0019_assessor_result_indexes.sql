-- Results by registered assessor (for-cause reviews, per-assessor integrity signals): WHERE assessor_practitioner_id = ?
-- [AND exam_date range], and the same for the second assessor. Partial: legacy and unregistered results name none.
-- SQLite has no concurrent build: the migration holds the write lock while it reads the table (writers wait; readers,
-- in WAL mode, go on).
CREATE INDEX IF NOT EXISTS ix_assessments_assessor_exam
    ON assessments (assessor_practitioner_id, exam_date) WHERE assessor_practitioner_id IS NOT NULL;
CREATE INDEX IF NOT EXISTS ix_assessments_second_assessor_exam
    ON assessments (second_assessor_practitioner_id, exam_date) WHERE second_assessor_practitioner_id IS NOT NULL;
