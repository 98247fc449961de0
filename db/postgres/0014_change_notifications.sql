-- Cached verification answers must follow the registry at once on every instance. Any change to a certificate row, and to
-- the parts of a standard or center that its answer shows, sends NOTIFY registry_changes inside the changing transaction,
-- so it is delivered on commit (and never for a rollback), whichever code path (or person at a psql prompt) made it.
-- Payload: the certificate number, or '*' (drop everything) for shared data and for statements touching many certificates.
CREATE FUNCTION notify_certificates_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF (SELECT COUNT(*) FROM changed_rows) <= 100 THEN
        PERFORM pg_notify('registry_changes', number) FROM changed_rows;
    ELSE
        PERFORM pg_notify('registry_changes', '*');
    END IF;
    RETURN NULL;
END
$$;

CREATE FUNCTION notify_shared_data_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('registry_changes', '*');
    RETURN NULL;
END
$$;

CREATE TRIGGER certificates_changed AFTER UPDATE ON certificates
    REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION notify_certificates_changed();
CREATE TRIGGER certificates_deleted AFTER DELETE ON certificates
    REFERENCING OLD TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION notify_certificates_changed();
CREATE TRIGGER standards_changed AFTER UPDATE ON standards FOR EACH ROW
    WHEN ((OLD.code, OLD.version, OLD.title_fa, OLD.title_en, OLD.isco_code, OLD.theory_hours, OLD.practical_hours,
           OLD.superseded_by_id, OLD.supersession_equivalent)
          IS DISTINCT FROM (NEW.code, NEW.version, NEW.title_fa, NEW.title_en, NEW.isco_code, NEW.theory_hours, NEW.practical_hours,
           NEW.superseded_by_id, NEW.supersession_equivalent))
    EXECUTE FUNCTION notify_shared_data_changed();
CREATE TRIGGER training_centers_changed AFTER UPDATE ON training_centers FOR EACH ROW
    WHEN ((OLD.code, OLD.name_fa, OLD.name_en, OLD.province_code, OLD.country)
          IS DISTINCT FROM (NEW.code, NEW.name_fa, NEW.name_en, NEW.province_code, NEW.country))
    EXECUTE FUNCTION notify_shared_data_changed();
