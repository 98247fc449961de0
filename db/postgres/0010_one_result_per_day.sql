-- One recorded result per center, person, standard code and exam date. The batch checks first and names the result
-- already recorded; this table is the last line of defence: each recorded assessment claims its day here in the same
-- transaction, and voiding the assessment releases the claim. Results recorded before this script keep the earliest
-- claim; later duplicates stay as they were (the `repeated-assessment` integrity signal lists them).
CREATE TABLE assessment_days (
    center_id uuid NOT NULL REFERENCES training_centers (id),
    trainee_id uuid NOT NULL REFERENCES trainees (id),
    standard_code text NOT NULL,
    exam_date date NOT NULL,
    assessment_id uuid NOT NULL UNIQUE REFERENCES assessments (id),
    PRIMARY KEY (center_id, trainee_id, standard_code, exam_date)
);

INSERT INTO assessment_days (center_id, trainee_id, standard_code, exam_date, assessment_id)
SELECT a.center_id, a.trainee_id, s.code, a.exam_date, a.id
FROM assessments a JOIN standards s ON s.id = a.standard_id
WHERE a.status = 'recorded'
ORDER BY a.recorded_at, a.id
ON CONFLICT DO NOTHING;

