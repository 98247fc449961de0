-- Statistics read a daily roll-up instead of the base tables (issue 15): counts per day x center x standard x gender
-- (and x target group in a second table), with passes and the sums of the records' keys that disclosure control needs.
-- Triggers keep both tables exact in the same transaction as whatever writes assessments, certificates, trainees'
-- gender or their target groups. `dotnet run -- stats rebuild` recounts them from the base tables.

-- What the statistics count, one row per record: recorded (not voided) assessments by exam date, and original
-- certificates (corrections replace, they do not add) by issue date. record_key: the last byte of the record's id.
CREATE VIEW statistics_facts AS
SELECT 'assessments'::text AS measure, a.exam_date AS day, a.center_id, a.standard_id, a.trainee_id,
       CASE WHEN a.outcome = 'passed' THEN 1 ELSE 0 END AS passed, get_byte(uuid_send(a.id), 15) AS record_key
FROM assessments a WHERE a.status = 'recorded'
UNION ALL
SELECT 'certificates'::text, c.issued_on, c.center_id, c.standard_id, c.trainee_id, 1, get_byte(uuid_send(c.id), 15)
FROM certificates c WHERE c.replaces_certificate_id IS NULL;

CREATE TABLE statistics_daily (
    measure text NOT NULL CHECK (measure IN ('assessments', 'certificates')),
    day date NOT NULL,
    center_id uuid NOT NULL,
    standard_id uuid NOT NULL,
    gender text NOT NULL,
    records bigint NOT NULL,
    passed bigint NOT NULL,
    record_key bigint NOT NULL,
    passed_key bigint NOT NULL,
    PRIMARY KEY (measure, day, center_id, standard_id, gender)
);

-- A record counts once in each of its trainee's target groups; '' = the trainee is in none.
CREATE TABLE statistics_daily_target_groups (
    measure text NOT NULL CHECK (measure IN ('assessments', 'certificates')),
    day date NOT NULL,
    center_id uuid NOT NULL,
    standard_id uuid NOT NULL,
    gender text NOT NULL,
    target_group_code text NOT NULL,
    records bigint NOT NULL,
    passed bigint NOT NULL,
    record_key bigint NOT NULL,
    passed_key bigint NOT NULL,
    PRIMARY KEY (measure, day, center_id, standard_id, gender, target_group_code)
);

-- Add (sign 1) or remove (sign -1) one record, counted under the given gender and the trainee's current target groups.
CREATE FUNCTION statistics_fact_change(p_measure text, p_day date, p_center_id uuid, p_standard_id uuid, p_trainee_id uuid,
                                       p_gender text, p_passed integer, p_record_key integer, p_sign integer) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO statistics_daily AS r (measure, day, center_id, standard_id, gender, records, passed, record_key, passed_key)
    VALUES (p_measure, p_day, p_center_id, p_standard_id, p_gender, p_sign, p_sign * p_passed, p_sign * p_record_key, p_sign * p_passed * p_record_key)
    ON CONFLICT (measure, day, center_id, standard_id, gender) DO UPDATE SET
        records = r.records + EXCLUDED.records, passed = r.passed + EXCLUDED.passed,
        record_key = r.record_key + EXCLUDED.record_key, passed_key = r.passed_key + EXCLUDED.passed_key;
    INSERT INTO statistics_daily_target_groups AS r (measure, day, center_id, standard_id, gender, target_group_code, records, passed, record_key, passed_key)
    SELECT p_measure, p_day, p_center_id, p_standard_id, p_gender, COALESCE(ttg.target_group_code, ''),
           p_sign, p_sign * p_passed, p_sign * p_record_key, p_sign * p_passed * p_record_key
    FROM (SELECT 1) one LEFT JOIN trainee_target_groups ttg ON ttg.trainee_id = p_trainee_id
    ON CONFLICT (measure, day, center_id, standard_id, gender, target_group_code) DO UPDATE SET
        records = r.records + EXCLUDED.records, passed = r.passed + EXCLUDED.passed,
        record_key = r.record_key + EXCLUDED.record_key, passed_key = r.passed_key + EXCLUDED.passed_key;
    IF p_sign < 0 THEN
        DELETE FROM statistics_daily
        WHERE records = 0 AND measure = p_measure AND day = p_day AND center_id = p_center_id AND standard_id = p_standard_id AND gender = p_gender;
        DELETE FROM statistics_daily_target_groups
        WHERE records = 0 AND measure = p_measure AND day = p_day AND center_id = p_center_id AND standard_id = p_standard_id AND gender = p_gender;
    END IF;
END
$$;

-- Add (1) or remove (-1) all of one trainee's records under one target group ('' = none).
CREATE FUNCTION statistics_target_group_change(p_trainee_id uuid, p_target_group_code text, p_sign integer) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO statistics_daily_target_groups AS r (measure, day, center_id, standard_id, gender, target_group_code, records, passed, record_key, passed_key)
    SELECT f.measure, f.day, f.center_id, f.standard_id, t.gender, p_target_group_code,
           p_sign * COUNT(*), p_sign * SUM(f.passed), p_sign * SUM(f.record_key), p_sign * SUM(f.passed * f.record_key)
    FROM statistics_facts f JOIN trainees t ON t.id = f.trainee_id
    WHERE f.trainee_id = p_trainee_id
    GROUP BY f.measure, f.day, f.center_id, f.standard_id, t.gender
    ON CONFLICT (measure, day, center_id, standard_id, gender, target_group_code) DO UPDATE SET
        records = r.records + EXCLUDED.records, passed = r.passed + EXCLUDED.passed,
        record_key = r.record_key + EXCLUDED.record_key, passed_key = r.passed_key + EXCLUDED.passed_key;
    IF p_sign < 0 THEN
        DELETE FROM statistics_daily_target_groups
        WHERE records = 0 AND target_group_code = p_target_group_code
          AND (measure, day, center_id, standard_id, gender) IN (
              SELECT f.measure, f.day, f.center_id, f.standard_id, t.gender
              FROM statistics_facts f JOIN trainees t ON t.id = f.trainee_id WHERE f.trainee_id = p_trainee_id);
    END IF;
END
$$;

-- A void, a correction (exam date, standard) or any other change to what is counted: out with the old, in with the new.
CREATE FUNCTION statistics_assessment_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.status = 'recorded' THEN
        PERFORM statistics_fact_change('assessments', OLD.exam_date, OLD.center_id, OLD.standard_id, OLD.trainee_id,
            (SELECT gender FROM trainees WHERE id = OLD.trainee_id), CASE WHEN OLD.outcome = 'passed' THEN 1 ELSE 0 END,
            get_byte(uuid_send(OLD.id), 15), -1);
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.status = 'recorded' THEN
        PERFORM statistics_fact_change('assessments', NEW.exam_date, NEW.center_id, NEW.standard_id, NEW.trainee_id,
            (SELECT gender FROM trainees WHERE id = NEW.trainee_id), CASE WHEN NEW.outcome = 'passed' THEN 1 ELSE 0 END,
            get_byte(uuid_send(NEW.id), 15), 1);
    END IF;
    RETURN NULL;
END
$$;

-- Revocation and supersession change status only and fire nothing: a revoked or corrected original still counts.
CREATE FUNCTION statistics_certificate_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.replaces_certificate_id IS NULL THEN
        PERFORM statistics_fact_change('certificates', OLD.issued_on, OLD.center_id, OLD.standard_id, OLD.trainee_id,
            (SELECT gender FROM trainees WHERE id = OLD.trainee_id), 1, get_byte(uuid_send(OLD.id), 15), -1);
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.replaces_certificate_id IS NULL THEN
        PERFORM statistics_fact_change('certificates', NEW.issued_on, NEW.center_id, NEW.standard_id, NEW.trainee_id,
            (SELECT gender FROM trainees WHERE id = NEW.trainee_id), 1, get_byte(uuid_send(NEW.id), 15), 1);
    END IF;
    RETURN NULL;
END
$$;

-- A corrected gender moves all of the trainee's records (their target groups stay as they are).
CREATE FUNCTION statistics_trainee_gender_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM statistics_fact_change(f.measure, f.day, f.center_id, f.standard_id, f.trainee_id, OLD.gender, f.passed, f.record_key, -1)
    FROM statistics_facts f WHERE f.trainee_id = NEW.id;
    PERFORM statistics_fact_change(f.measure, f.day, f.center_id, f.standard_id, f.trainee_id, NEW.gender, f.passed, f.record_key, 1)
    FROM statistics_facts f WHERE f.trainee_id = NEW.id;
    RETURN NULL;
END
$$;

-- Joining target groups: counted there, and no longer under "none" if they are the trainee's first. Leaving: the reverse.
-- Statement triggers: row triggers would all run after the statement and each see its final state (a trainee leaving two
-- groups in one DELETE would come back under "none" twice).
CREATE FUNCTION statistics_target_groups_added() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM statistics_target_group_change(n.trainee_id, '', -1)
    FROM (SELECT trainee_id, COUNT(*) AS added FROM added_rows GROUP BY trainee_id) n
    WHERE (SELECT COUNT(*) FROM trainee_target_groups t WHERE t.trainee_id = n.trainee_id) = n.added;
    PERFORM statistics_target_group_change(a.trainee_id, a.target_group_code, 1) FROM added_rows a;
    RETURN NULL;
END
$$;

CREATE FUNCTION statistics_target_groups_removed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM statistics_target_group_change(r.trainee_id, r.target_group_code, -1) FROM removed_rows r;
    PERFORM statistics_target_group_change(r.trainee_id, '', 1)
    FROM (SELECT DISTINCT trainee_id FROM removed_rows) r
    WHERE NOT EXISTS (SELECT 1 FROM trainee_target_groups t WHERE t.trainee_id = r.trainee_id);
    RETURN NULL;
END
$$;

CREATE TRIGGER statistics_assessments AFTER INSERT OR DELETE OR UPDATE OF status, outcome, exam_date, center_id, standard_id, trainee_id
    ON assessments FOR EACH ROW EXECUTE FUNCTION statistics_assessment_changed();
CREATE TRIGGER statistics_certificates AFTER INSERT OR DELETE OR UPDATE OF issued_on, center_id, standard_id, trainee_id, replaces_certificate_id
    ON certificates FOR EACH ROW EXECUTE FUNCTION statistics_certificate_changed();
CREATE TRIGGER statistics_trainee_gender AFTER UPDATE OF gender ON trainees FOR EACH ROW
    WHEN (OLD.gender IS DISTINCT FROM NEW.gender) EXECUTE FUNCTION statistics_trainee_gender_changed();
CREATE TRIGGER statistics_target_groups_added AFTER INSERT ON trainee_target_groups
    REFERENCING NEW TABLE AS added_rows FOR EACH STATEMENT EXECUTE FUNCTION statistics_target_groups_added();
CREATE TRIGGER statistics_target_groups_removed AFTER DELETE ON trainee_target_groups
    REFERENCING OLD TABLE AS removed_rows FOR EACH STATEMENT EXECUTE FUNCTION statistics_target_groups_removed();

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
