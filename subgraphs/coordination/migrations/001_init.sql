-- The coordination subgraph's own data: what no existing system holds.
-- Runs with search_path set to the subgraph's schema alone (see store/migrate.ts): names stay
-- unqualified so that one file serves the default schema and every test's private one, on PGlite
-- and on PostgreSQL alike. The constraints do the safety work; the store only reports what they refuse.

-- True when an array holds no NULL and no value twice (CHECK constraints cannot hold subqueries).
CREATE FUNCTION distinct_non_null(values_ text[]) RETURNS boolean
  LANGUAGE sql IMMUTABLE STRICT
  SET search_path = pg_catalog
  AS $$ SELECT count(DISTINCT v) = cardinality(values_) FROM unnest(values_) AS v $$;

-- Gennemgående kontaktperson (GKP): the continuous contact persons and their caseload limit.
CREATE TABLE contact_persons (
  id             text        PRIMARY KEY CONSTRAINT contact_persons_id_format CHECK (id ~ '^[A-Za-z0-9_-]{1,64}$'),
  name           text        NOT NULL CONSTRAINT contact_persons_name_length CHECK (length(btrim(name)) BETWEEN 1 AND 200),
  email          text        NOT NULL CONSTRAINT contact_persons_email_format CHECK (email ~ '^[^@[:space:]]+@[^@[:space:]]+$'),
  unit           text        NOT NULL DEFAULT 'UU',
  caseload_limit integer     NOT NULL CONSTRAINT contact_persons_caseload_limit_range CHECK (caseload_limit BETWEEN 0 AND 1000),
  active         boolean     NOT NULL DEFAULT true,
  created_at     timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT contact_persons_email_unique UNIQUE (email)
);

-- Development contact persons (fictitious). Production replaces them through the admin path.
INSERT INTO contact_persons (id, name, email, unit, caseload_limit) VALUES
  ('gkp-mette-kjaer',  'Mette Kjær',   'mette.kjaer@ungegraf.example',  'UU', 25),
  ('gkp-jonas-brandt', 'Jonas Brandt', 'jonas.brandt@ungegraf.example', 'UU', 25),
  ('gkp-sara-holm',    'Sara Holm',    'sara.holm@ungegraf.example',    'UU', 25);

CREATE TABLE contact_person_assignments (
  id                  uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
  youth_id            text        NOT NULL CONSTRAINT contact_person_assignments_youth_id_length CHECK (length(youth_id) BETWEEN 1 AND 128),
  contact_person_id   text        NOT NULL REFERENCES contact_persons (id),
  started_at          timestamptz NOT NULL DEFAULT now(),
  ended_at            timestamptz,
  end_reason          text,
  ended_by            text,
  assigned_by         text        NOT NULL CONSTRAINT contact_person_assignments_assigned_by_length CHECK (length(assigned_by) BETWEEN 1 AND 200),
  note                text        CONSTRAINT contact_person_assignments_note_length CHECK (length(note) <= 2000),
  -- Made while the municipality's funded capacity was already used up (an extra cost, monitored).
  over_capacity       boolean     NOT NULL DEFAULT false,
  idempotency_key     text        CONSTRAINT contact_person_assignments_idempotency_key_unique UNIQUE,
  end_idempotency_key text        CONSTRAINT contact_person_assignments_end_idempotency_key_unique UNIQUE,
  -- An ended assignment says when, why and by whom; an active one says none of it.
  CONSTRAINT contact_person_assignments_end_complete CHECK (
    (ended_at IS NULL) = (end_reason IS NULL) AND (ended_at IS NULL) = (ended_by IS NULL)
  ),
  CONSTRAINT contact_person_assignments_end_after_start CHECK (ended_at IS NULL OR ended_at >= started_at),
  CONSTRAINT contact_person_assignments_end_key_only_when_ended CHECK (end_idempotency_key IS NULL OR ended_at IS NOT NULL),
  CONSTRAINT contact_person_assignments_end_reason_length CHECK (length(end_reason) BETWEEN 1 AND 500)
);

-- A young person has at most one active assignment: the last line of defence behind the store's checks.
CREATE UNIQUE INDEX contact_person_assignments_one_active_per_youth
  ON contact_person_assignments (youth_id) WHERE ended_at IS NULL;
-- Caseload counts and a contact person's list.
CREATE INDEX contact_person_assignments_by_contact_person
  ON contact_person_assignments (contact_person_id, started_at DESC);
CREATE INDEX contact_person_assignments_by_youth
  ON contact_person_assignments (youth_id, started_at DESC);

-- The coordinated plan's actions: who does what by when, across units.
CREATE TABLE plan_actions (
  id                       uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
  youth_id                 text        NOT NULL CONSTRAINT plan_actions_youth_id_length CHECK (length(youth_id) BETWEEN 1 AND 128),
  title                    text        NOT NULL CONSTRAINT plan_actions_title_length CHECK (length(btrim(title)) BETWEEN 1 AND 200),
  description              text        CONSTRAINT plan_actions_description_length CHECK (length(description) <= 4000),
  owner_unit               text        NOT NULL CONSTRAINT plan_actions_owner_unit_known
                                       CHECK (owner_unit IN ('SCHOOL', 'GUIDANCE', 'JOBCENTER', 'SOCIAL', 'BENEFITS', 'CONTACT_PERSON')),
  due                      date,
  status                   text        NOT NULL DEFAULT 'OPEN' CONSTRAINT plan_actions_status_known CHECK (status IN ('OPEN', 'DONE')),
  created_by               text        NOT NULL CONSTRAINT plan_actions_created_by_length CHECK (length(created_by) BETWEEN 1 AND 200),
  created_at               timestamptz NOT NULL DEFAULT now(),
  completed_by             text,
  completed_at             timestamptz,
  idempotency_key          text        CONSTRAINT plan_actions_idempotency_key_unique UNIQUE,
  complete_idempotency_key text        CONSTRAINT plan_actions_complete_idempotency_key_unique UNIQUE,
  -- DONE exactly when completed, and then by whom and when.
  CONSTRAINT plan_actions_completion_consistent CHECK (
    (status = 'DONE') = (completed_at IS NOT NULL) AND (completed_at IS NULL) = (completed_by IS NULL)
  ),
  CONSTRAINT plan_actions_complete_key_only_when_done CHECK (complete_idempotency_key IS NULL OR status = 'DONE')
);
CREATE INDEX plan_actions_by_youth ON plan_actions (youth_id, created_at, id);

-- Joint decisions across units (a success measure of the handover: their number should rise).
CREATE TABLE joint_decisions (
  id              uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
  youth_id        text        NOT NULL CONSTRAINT joint_decisions_youth_id_length CHECK (length(youth_id) BETWEEN 1 AND 128),
  decided_at      timestamptz NOT NULL,
  summary         text        NOT NULL CONSTRAINT joint_decisions_summary_length CHECK (length(btrim(summary)) BETWEEN 1 AND 4000),
  -- Joint means at least two different units, each a known one.
  units           text[]      NOT NULL CONSTRAINT joint_decisions_units_joint CHECK (
                    cardinality(units) >= 2
                    AND distinct_non_null(units)
                    AND units <@ ARRAY['SCHOOL', 'GUIDANCE', 'JOBCENTER', 'SOCIAL', 'BENEFITS', 'CONTACT_PERSON']::text[]
                  ),
  recorded_by     text        NOT NULL CONSTRAINT joint_decisions_recorded_by_length CHECK (length(recorded_by) BETWEEN 1 AND 200),
  recorded_at     timestamptz NOT NULL DEFAULT now(),
  idempotency_key text        CONSTRAINT joint_decisions_idempotency_key_unique UNIQUE
);
CREATE INDEX joint_decisions_by_youth ON joint_decisions (youth_id, decided_at, id);

-- The screening register: every young person evaluated against the rules by the batch job, so that
-- `youths(filter)` and the reports read one indexed table instead of five systems.
CREATE TABLE screening_runs (
  id          bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  started_at  timestamptz NOT NULL,
  finished_at timestamptz,
  as_of       date,
  youths      integer     CONSTRAINT screening_runs_youths_non_negative CHECK (youths >= 0),
  status      text        NOT NULL CONSTRAINT screening_runs_status_known CHECK (status IN ('RUNNING', 'SUCCEEDED', 'FAILED')),
  error       text,
  CONSTRAINT screening_runs_finished_consistent CHECK ((status = 'RUNNING') = (finished_at IS NULL)),
  CONSTRAINT screening_runs_error_only_when_failed CHECK (error IS NULL OR status = 'FAILED')
);
CREATE INDEX screening_runs_latest ON screening_runs (started_at DESC, id DESC);

CREATE TABLE youth_screening (
  -- Byte order ("C"): the keyset pagination pages alike on every server, whatever its locale.
  youth_id              text        COLLATE "C" PRIMARY KEY CONSTRAINT youth_screening_youth_id_length CHECK (length(youth_id) BETWEEN 1 AND 128),
  birth_date            date        NOT NULL,
  school_id             text,
  grade                 integer     CONSTRAINT youth_screening_grade_range CHECK (grade BETWEEN 0 AND 10),
  indicators            text[]      NOT NULL CONSTRAINT youth_screening_indicators_known CHECK (
                          distinct_non_null(indicators)
                          AND indicators <@ ARRAY['ABSENCE_OVER_20', 'CONCERNING_ABSENCE', 'NOT_EDUCATION_READY',
                                                  'NOT_IN_EDUCATION', 'NEEDS_SUPPORT_IN_EDUCATION', 'SOCIAL_CASE']::text[]
                        ),
  in_target_group       boolean     NOT NULL,
  contact_person_status text        NOT NULL CONSTRAINT youth_screening_contact_person_status_known
                                    CHECK (contact_person_status IN ('NOT_CANDIDATE', 'HAS_EXISTING_SUPPORT', 'ELIGIBLE')),
  institution_ids       text[]      NOT NULL DEFAULT '{}' CONSTRAINT youth_screening_institution_ids_clean CHECK (distinct_non_null(institution_ids)),
  screened_at           timestamptz NOT NULL,
  -- The run that last saw this young person; rows an entire run did not see are deleted by it.
  run_id                bigint      NOT NULL,
  -- The target group is "at least one indicator applies".
  CONSTRAINT youth_screening_target_group_has_indicator CHECK (NOT in_target_group OR cardinality(indicators) > 0)
);
CREATE INDEX youth_screening_in_target_group ON youth_screening (in_target_group, youth_id);
CREATE INDEX youth_screening_contact_person_status ON youth_screening (contact_person_status, youth_id);
CREATE INDEX youth_screening_school ON youth_screening (school_id, youth_id) WHERE school_id IS NOT NULL;
CREATE INDEX youth_screening_birth_date ON youth_screening (birth_date);
CREATE INDEX youth_screening_run ON youth_screening (run_id);
CREATE INDEX youth_screening_indicators ON youth_screening USING gin (indicators);
CREATE INDEX youth_screening_institution_ids ON youth_screening USING gin (institution_ids);
