-- Revocation status lists (W3C Bitstring Status List v1.0, statusPurpose "revocation").
-- A list has `size` bits; certificates take positions 0, 1, 2 ... in issue order, and position p maps to bit index
-- StatusIndexPermutation(p, index_key): a keyed permutation, so neighbouring indexes do not reveal issue order.
-- A full list is followed by the next id. The bits are computed from certificates.status on request.
CREATE TABLE status_lists (
    id bigint PRIMARY KEY,
    purpose text NOT NULL CHECK (purpose = 'revocation'),
    size bigint NOT NULL CHECK (size > 0),
    next_position bigint NOT NULL CHECK (next_position >= 0 AND next_position <= size),
    index_key bigint NOT NULL,
    created_at timestamptz NOT NULL
);

ALTER TABLE certificates ADD COLUMN status_list_id bigint NULL REFERENCES status_lists (id);
ALTER TABLE certificates ADD COLUMN status_index bigint NULL;
CREATE UNIQUE INDEX ux_certificates_status_entry ON certificates (status_list_id, status_index) WHERE status_list_id IS NOT NULL;
