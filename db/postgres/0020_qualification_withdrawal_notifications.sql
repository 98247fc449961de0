-- A verification answer shows whether the result's assessor still counts for the exam date (issue 23). Withdrawing a
-- qualification changes that for the results assessed under it, so it drops every instance's cached answers ('*'), as a
-- change to a standard or center does (0014). Withdrawals are rare; the payload does not list the certificates.
CREATE TRIGGER practitioner_qualifications_withdrawn AFTER UPDATE ON practitioner_qualifications FOR EACH ROW
    WHEN ((OLD.withdrawn_from, OLD.withdrawn_for_cause) IS DISTINCT FROM (NEW.withdrawn_from, NEW.withdrawn_for_cause))
    EXECUTE FUNCTION notify_shared_data_changed();
