-- What the reporting tools' aggregates need beyond 001 (additive only: every new column is nullable or
-- has a default, so rows written before this migration stay valid and old code keeps working).

-- The screening register knows, per young person, whether a youth education is completed (the national
-- 90 % goal at 25) and whether a children's social case is open (the handover from children's to
-- adults' services at 16½, 17 and 18 concerns only them).
ALTER TABLE youth_screening
  ADD COLUMN completed_youth_education boolean NOT NULL DEFAULT false,
  ADD COLUMN childrens_case            boolean NOT NULL DEFAULT false;
CREATE INDEX youth_screening_childrens_case ON youth_screening (birth_date) WHERE childrens_case;

-- A plan action may name the handover transition it fulfils, with the date the transition falls due
-- (computed from the birth date when the action is added). Both or neither.
ALTER TABLE plan_actions
  ADD COLUMN transition     text CONSTRAINT plan_actions_transition_known
                                 CHECK (transition IN ('COORDINATING_MEETING_16_5', 'JOBCENTER_ADVISOR_17', 'TRANSFER_18')),
  ADD COLUMN transition_due date,
  ADD CONSTRAINT plan_actions_transition_due_with_transition CHECK ((transition IS NULL) = (transition_due IS NULL));
CREATE INDEX plan_actions_by_transition ON plan_actions (transition, youth_id) WHERE transition IS NOT NULL;

-- An ended assignment records where the young person went: the social-fund project's categories
-- (80 % ordinary education, 10 % preparatory or upskilling, 10 % other). Assignments ended before
-- this migration have none.
ALTER TABLE contact_person_assignments
  ADD COLUMN outcome text CONSTRAINT contact_person_assignments_outcome_known
                          CHECK (outcome IN ('ORDINARY_EDUCATION', 'PREPARATORY_OR_UPSKILLING', 'OTHER')),
  ADD CONSTRAINT contact_person_assignments_outcome_only_when_ended CHECK (outcome IS NULL OR ended_at IS NOT NULL);
CREATE INDEX contact_person_assignments_ended ON contact_person_assignments (ended_at) WHERE ended_at IS NOT NULL;
