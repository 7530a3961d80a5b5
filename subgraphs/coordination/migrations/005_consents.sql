-- The young person's consent to share data across units (issue 14). The statutory youth effort covers
-- young people under 25; for Aalborg's extension to 25-29 another unit's data reaches a caller only with
-- a recorded consent (platform/access/legalBasis.ts). One row per consent given; withdrawing sets
-- withdrawn_at and takes effect at once. At most one consent per young person is active at a time.

CREATE TABLE consents (
  id                      uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
  youth_id                text        NOT NULL CONSTRAINT consents_youth_id_length CHECK (length(youth_id) BETWEEN 1 AND 128),
  -- The units whose data the consent lets the coordinated effort share (SCHOOL, GUIDANCE, ...).
  units                   text[]      NOT NULL CONSTRAINT consents_units_known CHECK (
                                        cardinality(units) BETWEEN 1 AND 5
                                        AND units <@ ARRAY['SCHOOL', 'GUIDANCE', 'JOBCENTER', 'SOCIAL', 'BENEFITS']::text[]),
  given_on                date        NOT NULL,
  recorded_by             text        NOT NULL CONSTRAINT consents_recorded_by_length CHECK (length(recorded_by) BETWEEN 1 AND 200),
  recorded_at             timestamptz NOT NULL DEFAULT now(),
  note                    text        CONSTRAINT consents_note_length CHECK (note IS NULL OR length(note) <= 2000),
  withdrawn_on            date,
  withdrawn_by            text        CONSTRAINT consents_withdrawn_by_length CHECK (withdrawn_by IS NULL OR length(withdrawn_by) BETWEEN 1 AND 200),
  withdrawn_at            timestamptz,
  CONSTRAINT consents_withdrawal_whole CHECK ((withdrawn_at IS NULL) = (withdrawn_by IS NULL) AND (withdrawn_at IS NULL) = (withdrawn_on IS NULL)),
  CONSTRAINT consents_withdrawn_after_given CHECK (withdrawn_on IS NULL OR withdrawn_on >= given_on)
);

CREATE UNIQUE INDEX consents_one_active ON consents (youth_id) WHERE withdrawn_at IS NULL;
CREATE INDEX consents_youth ON consents (youth_id, recorded_at);

-- The idempotent writes' operations are the store's list (store/idempotency.ts): the database keeps
-- only the form, so a new operation needs no migration of this constraint.
ALTER TABLE idempotent_requests DROP CONSTRAINT IF EXISTS idempotent_requests_operation_known;
ALTER TABLE idempotent_requests ADD CONSTRAINT idempotent_requests_operation_form CHECK (operation ~ '^[A-Za-z]{1,64}$');
