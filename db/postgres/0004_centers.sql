-- Why a center's scope entry was ended (the reason it was added stays in center_scopes.reason).
ALTER TABLE center_scopes ADD COLUMN end_reason text NULL;
