-- migration: no-transaction
-- Results by registered assessor (for-cause reviews, per-assessor integrity signals): WHERE assessor_practitioner_id = ?
-- [AND exam_date range], and the same for the second assessor. Partial: legacy and unregistered results name none.
-- Built CONCURRENTLY, so verification and ingest go on while a large assessments table is read (see db/README.md).
CREATE INDEX CONCURRENTLY IF NOT EXISTS ix_assessments_assessor_exam
    ON assessments (assessor_practitioner_id, exam_date) WHERE assessor_practitioner_id IS NOT NULL;
CREATE INDEX CONCURRENTLY IF NOT EXISTS ix_assessments_second_assessor_exam
    ON assessments (second_assessor_practitioner_id, exam_date) WHERE second_assessor_practitioner_id IS NOT NULL;
