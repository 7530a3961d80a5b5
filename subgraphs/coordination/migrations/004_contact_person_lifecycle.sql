-- The continuous contact person as a professional judgement with a lifecycle (issue 13, sections 1-2).
-- Additive only: every new column is nullable or has a default, so rows written before this migration
-- stay valid and a replica of the previous version keeps working while the new one rolls out.

-- An assignment records on what basis it was made: by the municipality's candidate rules (RULE) or by a
-- professional's judgement outside them (JUDGEMENT, with a written justification), what the rules
-- advised at the time, and, for a young person who already has a mentor or a social-law contact
-- person, how the coordination with that person is arranged (the scheme replaces neither).
-- `started_on`/`ended_on` are the municipality's calendar dates of the start and the end (the rules'
-- "today"); `youth_birth_date` lets the daily job end the assignment at 25 without asking a system.
ALTER TABLE contact_person_assignments
  ADD COLUMN basis                text NOT NULL DEFAULT 'RULE'
                                  CONSTRAINT contact_person_assignments_basis_known CHECK (basis IN ('RULE', 'JUDGEMENT')),
  ADD COLUMN eligibility_status   text CONSTRAINT contact_person_assignments_eligibility_status_known
                                  CHECK (eligibility_status IN ('NOT_CANDIDATE', 'HAS_EXISTING_SUPPORT', 'ELIGIBLE')),
  ADD COLUMN candidate_rule       text CONSTRAINT contact_person_assignments_candidate_rule_known
                                  CHECK (candidate_rule IN ('PUPIL_NOT_READY_WITH_SOCIAL_CASE', 'YOUNG_ADULT_OUTSIDE_EDUCATION_WITH_SOCIAL_CASE')),
  ADD COLUMN justification        text CONSTRAINT contact_person_assignments_justification_length
                                  CHECK (length(btrim(justification)) BETWEEN 40 AND 4000),
  ADD COLUMN support_coordination text CONSTRAINT contact_person_assignments_support_coordination_length
                                  CHECK (length(btrim(support_coordination)) BETWEEN 20 AND 4000),
  ADD COLUMN youth_birth_date     date,
  ADD COLUMN started_on           date,
  ADD COLUMN end_code             text CONSTRAINT contact_person_assignments_end_code_known
                                  CHECK (end_code IN ('TURNED_25', 'ANCHORED_IN_EDUCATION', 'ANCHORED_IN_WORK', 'MOVED', 'DECLINED', 'OTHER')),
  ADD COLUMN ended_on             date,
  -- Set by the daily job while the systems show the young person anchored; cleared when they no longer do.
  ADD COLUMN review_reason        text CONSTRAINT contact_person_assignments_review_reason_known
                                  CHECK (review_reason IN ('ANCHORED_IN_EDUCATION', 'ANCHORED_IN_WORK')),
  ADD COLUMN review_due_since     date,
  ADD CONSTRAINT contact_person_assignments_judgement_justified CHECK (basis = 'RULE' OR justification IS NOT NULL),
  ADD CONSTRAINT contact_person_assignments_existing_support_coordinated
    CHECK (eligibility_status IS DISTINCT FROM 'HAS_EXISTING_SUPPORT' OR support_coordination IS NOT NULL),
  ADD CONSTRAINT contact_person_assignments_end_code_only_when_ended CHECK (end_code IS NULL OR ended_at IS NOT NULL),
  ADD CONSTRAINT contact_person_assignments_ended_on_only_when_ended CHECK (ended_on IS NULL OR ended_at IS NOT NULL),
  ADD CONSTRAINT contact_person_assignments_ended_on_after_start CHECK (ended_on IS NULL OR started_on IS NULL OR ended_on >= started_on),
  ADD CONSTRAINT contact_person_assignments_review_complete CHECK ((review_reason IS NULL) = (review_due_since IS NULL)),
  ADD CONSTRAINT contact_person_assignments_review_only_when_active CHECK (review_reason IS NULL OR ended_at IS NULL);
CREATE INDEX contact_person_assignments_active ON contact_person_assignments (youth_id) INCLUDE (basis) WHERE ended_at IS NULL;

-- Who created, deactivated or changed the caseload limit of a contact person, and when (the coordinator's
-- administration). Each change is a row, so an idempotent administrative write has a result to point at.
CREATE TABLE contact_person_changes (
  id                uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
  contact_person_id text        NOT NULL REFERENCES contact_persons (id),
  change            text        NOT NULL CONSTRAINT contact_person_changes_change_known
                                CHECK (change IN ('CREATED', 'DEACTIVATED', 'CASELOAD_LIMIT')),
  caseload_limit    integer     CONSTRAINT contact_person_changes_caseload_limit_range CHECK (caseload_limit BETWEEN 0 AND 1000),
  changed_by        text        NOT NULL CONSTRAINT contact_person_changes_changed_by_length CHECK (length(changed_by) BETWEEN 1 AND 200),
  changed_at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX contact_person_changes_by_person ON contact_person_changes (contact_person_id, changed_at);

-- Daily jobs: one row per job and calendar day. A replica claims the day under a transaction-scoped
-- advisory lock and holds it as a lease while it works (store/dailyJobs.ts), so however many replicas
-- tick, the day's run happens once; a failed or abandoned (lease expired) run may be taken over.
CREATE TABLE daily_job_runs (
  job         text        NOT NULL CONSTRAINT daily_job_runs_job_known CHECK (job IN ('assignment-review')),
  run_date    date        NOT NULL,
  status      text        NOT NULL CONSTRAINT daily_job_runs_status_known CHECK (status IN ('RUNNING', 'SUCCEEDED', 'FAILED')),
  holder      text        NOT NULL CONSTRAINT daily_job_runs_holder_length CHECK (length(holder) BETWEEN 1 AND 200),
  attempts    integer     NOT NULL DEFAULT 1,
  started_at  timestamptz NOT NULL DEFAULT now(),
  lease_until timestamptz NOT NULL,
  finished_at timestamptz,
  summary     text        CONSTRAINT daily_job_runs_summary_length CHECK (length(summary) <= 2000),
  PRIMARY KEY (job, run_date),
  CONSTRAINT daily_job_runs_finished_consistent CHECK ((status = 'RUNNING') = (finished_at IS NULL))
);

-- The administrative writes are idempotent too.
ALTER TABLE idempotent_requests DROP CONSTRAINT idempotent_requests_operation_known;
ALTER TABLE idempotent_requests ADD CONSTRAINT idempotent_requests_operation_known CHECK (operation IN (
  'assignContactPerson', 'endContactPersonAssignment', 'addPlanAction', 'completePlanAction', 'recordJointDecision',
  'createContactPerson', 'deactivateContactPerson', 'setContactPersonCaseloadLimit'));
