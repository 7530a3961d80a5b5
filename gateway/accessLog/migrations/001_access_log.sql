-- The access log (adgangslog): one row per young person whose data a request returned, plus one per
-- refused attempt. Runs with search_path set to the log's own schema (default `audit`), so names stay
-- unqualified and one file serves production and every test's private schema.

CREATE TABLE access_log (
  id              bigserial   PRIMARY KEY,
  at              timestamptz NOT NULL DEFAULT now(),
  request_id      text        NOT NULL CONSTRAINT access_log_request_id_length CHECK (length(request_id) BETWEEN 1 AND 128),
  -- Who: the token's sub, org and role; null only for a refused request that carried no valid token.
  subject         text        CONSTRAINT access_log_subject_length CHECK (length(subject) <= 200),
  organisation    text        CONSTRAINT access_log_organisation_length CHECK (length(organisation) <= 200),
  role            text        CONSTRAINT access_log_role_length CHECK (length(role) <= 100),
  -- Whose: null only for a denied request that named no young person.
  youth_id        text        CONSTRAINT access_log_youth_id_length CHECK (length(youth_id) BETWEEN 1 AND 128),
  categories      text[]      NOT NULL DEFAULT '{}',
  fields          text[]      NOT NULL DEFAULT '{}',
  operation_name  text        CONSTRAINT access_log_operation_name_length CHECK (length(operation_name) <= 200),
  operation_hash  text        CONSTRAINT access_log_operation_hash_length CHECK (length(operation_hash) <= 128),
  purpose         text        NOT NULL CONSTRAINT access_log_purpose_length CHECK (length(purpose) BETWEEN 1 AND 200),
  outcome         text        NOT NULL CONSTRAINT access_log_outcome_known CHECK (outcome IN ('ALLOWED', 'FILTERED', 'DENIED')),
  reason          text        CONSTRAINT access_log_reason_length CHECK (length(reason) <= 2000),
  CONSTRAINT access_log_youth_unless_denied CHECK (youth_id IS NOT NULL OR outcome = 'DENIED')
);

-- An auditor's question: one young person, newest first (keyset paging on (at, id)).
CREATE INDEX access_log_youth_at ON access_log (youth_id, at DESC, id DESC);
-- Retention deletes by age.
CREATE INDEX access_log_at ON access_log (at);

-- The log is evidence: rows are added and, past the retention period, deleted; never changed.
CREATE FUNCTION access_log_refuse_update() RETURNS trigger
  LANGUAGE plpgsql
  AS $$ BEGIN RAISE EXCEPTION 'the access log is append-only' USING ERRCODE = 'insufficient_privilege'; END $$;

CREATE TRIGGER access_log_append_only BEFORE UPDATE ON access_log
  FOR EACH ROW EXECUTE FUNCTION access_log_refuse_update();
