-- Competency standards: at most one active version per code (the last line of defence behind activate/supersede),
-- and the reverse supersession link ("supersedes") is looked up by superseded_by_id.
CREATE UNIQUE INDEX ux_standards_one_active_per_code ON standards (code) WHERE status = 'active';
CREATE INDEX ix_standards_superseded_by ON standards (superseded_by_id);
