-- Statistics read a daily roll-up instead of the base tables (issue 15): counts per day x center x standard x gender
-- (and x target group in a second table), with passes and the sums of the records' keys that disclosure control needs.
-- Triggers keep both tables exact in the same transaction as whatever writes assessments, certificates, trainees'
-- gender or their target groups. `dotnet run -- stats rebuild` recounts them from the base tables.

-- What the statistics count, one row per record: recorded (not voided) assessments by exam date, and original
-- certificates (corrections replace, they do not add) by issue date. record_key: the last byte of the record's id.
CREATE VIEW statistics_facts AS
SELECT 'assessments' AS measure, a.exam_date AS day, a.center_id AS center_id, a.standard_id AS standard_id, a.trainee_id AS trainee_id,
       CASE WHEN a.outcome = 'passed' THEN 1 ELSE 0 END AS passed,
       ((instr('0123456789abcdef', lower(substr(a.id, 35, 1))) - 1) * 16 + instr('0123456789abcdef', lower(substr(a.id, 36, 1))) - 1) AS record_key
FROM assessments a WHERE a.status = 'recorded'
UNION ALL
SELECT 'certificates', c.issued_on, c.center_id, c.standard_id, c.trainee_id, 1,
       ((instr('0123456789abcdef', lower(substr(c.id, 35, 1))) - 1) * 16 + instr('0123456789abcdef', lower(substr(c.id, 36, 1))) - 1)
-- Unary + keeps SQLite from reading every original through the unique index on replaces_certificate_id when a trigger
-- asks for one trainee's records (it must use ix_certificates_trainee).
FROM certificates c WHERE +c.replaces_certificate_id IS NULL;

CREATE TABLE statistics_daily (
    measure TEXT NOT NULL CHECK (measure IN ('assessments', 'certificates')),
    day TEXT NOT NULL,
    center_id TEXT NOT NULL,
    standard_id TEXT NOT NULL,
    gender TEXT NOT NULL,
    records INTEGER NOT NULL,
    passed INTEGER NOT NULL,
    record_key INTEGER NOT NULL,
    passed_key INTEGER NOT NULL,
    PRIMARY KEY (measure, day, center_id, standard_id, gender)
) WITHOUT ROWID;

-- A record counts once in each of its trainee's target groups; '' = the trainee is in none.
CREATE TABLE statistics_daily_target_groups (
    measure TEXT NOT NULL CHECK (measure IN ('assessments', 'certificates')),
    day TEXT NOT NULL,
    center_id TEXT NOT NULL,
    standard_id TEXT NOT NULL,
    gender TEXT NOT NULL,
    target_group_code TEXT NOT NULL,
    records INTEGER NOT NULL,
    passed INTEGER NOT NULL,
    record_key INTEGER NOT NULL,
    passed_key INTEGER NOT NULL,
    PRIMARY KEY (measure, day, center_id, standard_id, gender, target_group_code)
) WITHOUT ROWID;

-- SQLite has no functions: inserting into these empty views runs their INSTEAD OF triggers, so the roll-up arithmetic is
-- written once. statistics_fact_change: add (sign 1) or remove (sign -1) one record, counted under the given gender and
-- the trainee's current target groups.
CREATE VIEW statistics_fact_change AS
SELECT '' AS measure, '' AS day, '' AS center_id, '' AS standard_id, '' AS trainee_id, '' AS gender, 0 AS passed, 0 AS record_key, 0 AS sign
WHERE 0;

CREATE TRIGGER statistics_fact_change_apply INSTEAD OF INSERT ON statistics_fact_change
BEGIN
    INSERT INTO statistics_daily (measure, day, center_id, standard_id, gender, records, passed, record_key, passed_key)
    VALUES (NEW.measure, NEW.day, NEW.center_id, NEW.standard_id, NEW.gender, NEW.sign, NEW.sign * NEW.passed, NEW.sign * NEW.record_key,
            NEW.sign * NEW.passed * NEW.record_key)
    ON CONFLICT (measure, day, center_id, standard_id, gender) DO UPDATE SET
        records = records + excluded.records, passed = passed + excluded.passed,
        record_key = record_key + excluded.record_key, passed_key = passed_key + excluded.passed_key;
    INSERT INTO statistics_daily_target_groups (measure, day, center_id, standard_id, gender, target_group_code, records, passed, record_key, passed_key)
    SELECT NEW.measure, NEW.day, NEW.center_id, NEW.standard_id, NEW.gender, COALESCE(ttg.target_group_code, ''),
           NEW.sign, NEW.sign * NEW.passed, NEW.sign * NEW.record_key, NEW.sign * NEW.passed * NEW.record_key
    FROM (SELECT 1) one LEFT JOIN trainee_target_groups ttg ON ttg.trainee_id = NEW.trainee_id
    WHERE true
    ON CONFLICT (measure, day, center_id, standard_id, gender, target_group_code) DO UPDATE SET
        records = records + excluded.records, passed = passed + excluded.passed,
        record_key = record_key + excluded.record_key, passed_key = passed_key + excluded.passed_key;
    DELETE FROM statistics_daily
    WHERE NEW.sign < 0 AND records = 0 AND measure = NEW.measure AND day = NEW.day AND center_id = NEW.center_id
      AND standard_id = NEW.standard_id AND gender = NEW.gender;
    DELETE FROM statistics_daily_target_groups
    WHERE NEW.sign < 0 AND records = 0 AND measure = NEW.measure AND day = NEW.day AND center_id = NEW.center_id
      AND standard_id = NEW.standard_id AND gender = NEW.gender;
END;

-- statistics_target_group_change: add (1) or remove (-1) all of one trainee's records under one target group ('' = none).
CREATE VIEW statistics_target_group_change AS
SELECT '' AS trainee_id, '' AS target_group_code, 0 AS sign WHERE 0;

CREATE TRIGGER statistics_target_group_change_apply INSTEAD OF INSERT ON statistics_target_group_change
BEGIN
    INSERT INTO statistics_daily_target_groups (measure, day, center_id, standard_id, gender, target_group_code, records, passed, record_key, passed_key)
    SELECT f.measure, f.day, f.center_id, f.standard_id, t.gender, NEW.target_group_code,
           NEW.sign * COUNT(*), NEW.sign * SUM(f.passed), NEW.sign * SUM(f.record_key), NEW.sign * SUM(f.passed * f.record_key)
    FROM statistics_facts f JOIN trainees t ON t.id = f.trainee_id
    WHERE f.trainee_id = NEW.trainee_id
    GROUP BY f.measure, f.day, f.center_id, f.standard_id, t.gender
    ON CONFLICT (measure, day, center_id, standard_id, gender, target_group_code) DO UPDATE SET
        records = records + excluded.records, passed = passed + excluded.passed,
        record_key = record_key + excluded.record_key, passed_key = passed_key + excluded.passed_key;
    DELETE FROM statistics_daily_target_groups
    WHERE NEW.sign < 0 AND records = 0 AND target_group_code = NEW.target_group_code
      AND (measure, day, center_id, standard_id, gender) IN (
          SELECT f.measure, f.day, f.center_id, f.standard_id, t.gender
          FROM statistics_facts f JOIN trainees t ON t.id = f.trainee_id WHERE f.trainee_id = NEW.trainee_id);
END;

CREATE TRIGGER statistics_assessment_inserted AFTER INSERT ON assessments WHEN NEW.status = 'recorded'
BEGIN
    INSERT INTO statistics_fact_change
    SELECT 'assessments', NEW.exam_date, NEW.center_id, NEW.standard_id, NEW.trainee_id, t.gender,
           CASE WHEN NEW.outcome = 'passed' THEN 1 ELSE 0 END,
           ((instr('0123456789abcdef', lower(substr(NEW.id, 35, 1))) - 1) * 16 + instr('0123456789abcdef', lower(substr(NEW.id, 36, 1))) - 1), 1
    FROM trainees t WHERE t.id = NEW.trainee_id;
END;

CREATE TRIGGER statistics_assessment_deleted AFTER DELETE ON assessments WHEN OLD.status = 'recorded'
BEGIN
    INSERT INTO statistics_fact_change
    SELECT 'assessments', OLD.exam_date, OLD.center_id, OLD.standard_id, OLD.trainee_id, t.gender,
           CASE WHEN OLD.outcome = 'passed' THEN 1 ELSE 0 END,
           ((instr('0123456789abcdef', lower(substr(OLD.id, 35, 1))) - 1) * 16 + instr('0123456789abcdef', lower(substr(OLD.id, 36, 1))) - 1), -1
    FROM trainees t WHERE t.id = OLD.trainee_id;
END;

-- A void, a correction (exam date, standard) or any other change to what is counted: out with the old, in with the new.
CREATE TRIGGER statistics_assessment_updated AFTER UPDATE OF status, outcome, exam_date, center_id, standard_id, trainee_id ON assessments
BEGIN
    INSERT INTO statistics_fact_change
    SELECT 'assessments', OLD.exam_date, OLD.center_id, OLD.standard_id, OLD.trainee_id, t.gender,
           CASE WHEN OLD.outcome = 'passed' THEN 1 ELSE 0 END,
           ((instr('0123456789abcdef', lower(substr(OLD.id, 35, 1))) - 1) * 16 + instr('0123456789abcdef', lower(substr(OLD.id, 36, 1))) - 1), -1
    FROM trainees t WHERE t.id = OLD.trainee_id AND OLD.status = 'recorded';
    INSERT INTO statistics_fact_change
    SELECT 'assessments', NEW.exam_date, NEW.center_id, NEW.standard_id, NEW.trainee_id, t.gender,
           CASE WHEN NEW.outcome = 'passed' THEN 1 ELSE 0 END,
           ((instr('0123456789abcdef', lower(substr(NEW.id, 35, 1))) - 1) * 16 + instr('0123456789abcdef', lower(substr(NEW.id, 36, 1))) - 1), 1
    FROM trainees t WHERE t.id = NEW.trainee_id AND NEW.status = 'recorded';
END;

CREATE TRIGGER statistics_certificate_inserted AFTER INSERT ON certificates WHEN NEW.replaces_certificate_id IS NULL
BEGIN
    INSERT INTO statistics_fact_change
    SELECT 'certificates', NEW.issued_on, NEW.center_id, NEW.standard_id, NEW.trainee_id, t.gender, 1,
           ((instr('0123456789abcdef', lower(substr(NEW.id, 35, 1))) - 1) * 16 + instr('0123456789abcdef', lower(substr(NEW.id, 36, 1))) - 1), 1
    FROM trainees t WHERE t.id = NEW.trainee_id;
END;

CREATE TRIGGER statistics_certificate_deleted AFTER DELETE ON certificates WHEN OLD.replaces_certificate_id IS NULL
BEGIN
    INSERT INTO statistics_fact_change
    SELECT 'certificates', OLD.issued_on, OLD.center_id, OLD.standard_id, OLD.trainee_id, t.gender, 1,
           ((instr('0123456789abcdef', lower(substr(OLD.id, 35, 1))) - 1) * 16 + instr('0123456789abcdef', lower(substr(OLD.id, 36, 1))) - 1), -1
    FROM trainees t WHERE t.id = OLD.trainee_id;
END;

-- Revocation and supersession change status only and fire nothing: a revoked or corrected original still counts.
CREATE TRIGGER statistics_certificate_updated AFTER UPDATE OF issued_on, center_id, standard_id, trainee_id, replaces_certificate_id ON certificates
BEGIN
    INSERT INTO statistics_fact_change
    SELECT 'certificates', OLD.issued_on, OLD.center_id, OLD.standard_id, OLD.trainee_id, t.gender, 1,
           ((instr('0123456789abcdef', lower(substr(OLD.id, 35, 1))) - 1) * 16 + instr('0123456789abcdef', lower(substr(OLD.id, 36, 1))) - 1), -1
    FROM trainees t WHERE t.id = OLD.trainee_id AND OLD.replaces_certificate_id IS NULL;
    INSERT INTO statistics_fact_change
    SELECT 'certificates', NEW.issued_on, NEW.center_id, NEW.standard_id, NEW.trainee_id, t.gender, 1,
           ((instr('0123456789abcdef', lower(substr(NEW.id, 35, 1))) - 1) * 16 + instr('0123456789abcdef', lower(substr(NEW.id, 36, 1))) - 1), 1
    FROM trainees t WHERE t.id = NEW.trainee_id AND NEW.replaces_certificate_id IS NULL;
END;

-- A corrected gender moves all of the trainee's records (their target groups stay as they are).
CREATE TRIGGER statistics_trainee_gender_changed AFTER UPDATE OF gender ON trainees WHEN OLD.gender <> NEW.gender
BEGIN
    INSERT INTO statistics_fact_change
    SELECT f.measure, f.day, f.center_id, f.standard_id, f.trainee_id, OLD.gender, f.passed, f.record_key, -1
    FROM statistics_facts f WHERE f.trainee_id = NEW.id;
    INSERT INTO statistics_fact_change
    SELECT f.measure, f.day, f.center_id, f.standard_id, f.trainee_id, NEW.gender, f.passed, f.record_key, 1
    FROM statistics_facts f WHERE f.trainee_id = NEW.id;
END;

-- Joining a target group: counted there, and no longer under "none" if it is the trainee's first.
CREATE TRIGGER statistics_target_group_added AFTER INSERT ON trainee_target_groups
BEGIN
    INSERT INTO statistics_target_group_change
    SELECT NEW.trainee_id, '', -1 WHERE (SELECT COUNT(*) FROM trainee_target_groups WHERE trainee_id = NEW.trainee_id) = 1;
    INSERT INTO statistics_target_group_change VALUES (NEW.trainee_id, NEW.target_group_code, 1);
END;

CREATE TRIGGER statistics_target_group_removed AFTER DELETE ON trainee_target_groups
BEGIN
    INSERT INTO statistics_target_group_change VALUES (OLD.trainee_id, OLD.target_group_code, -1);
    INSERT INTO statistics_target_group_change
    SELECT OLD.trainee_id, '', 1 WHERE NOT EXISTS (SELECT 1 FROM trainee_target_groups WHERE trainee_id = OLD.trainee_id);
END;

-- What is already there.
INSERT INTO statistics_daily (measure, day, center_id, standard_id, gender, records, passed, record_key, passed_key)
SELECT f.measure, f.day, f.center_id, f.standard_id, t.gender, COUNT(*), SUM(f.passed), SUM(f.record_key), SUM(f.passed * f.record_key)
FROM statistics_facts f JOIN trainees t ON t.id = f.trainee_id
GROUP BY f.measure, f.day, f.center_id, f.standard_id, t.gender;

INSERT INTO statistics_daily_target_groups (measure, day, center_id, standard_id, gender, target_group_code, records, passed, record_key, passed_key)
SELECT f.measure, f.day, f.center_id, f.standard_id, t.gender, COALESCE(ttg.target_group_code, ''),
       COUNT(*), SUM(f.passed), SUM(f.record_key), SUM(f.passed * f.record_key)
FROM statistics_facts f JOIN trainees t ON t.id = f.trainee_id LEFT JOIN trainee_target_groups ttg ON ttg.trainee_id = f.trainee_id
GROUP BY f.measure, f.day, f.center_id, f.standard_id, t.gender, COALESCE(ttg.target_group_code, '');
