-- Meetings and the plan's history (issue 15, section 1). Additive only: new tables, nullable columns and
-- a widened status, so a replica of the previous version keeps working while the new one rolls out.

-- A meeting about and with a young person: when, what kind, where, which units and which roles took
-- part (roles only: nothing about the parents beyond that a parent or guardian was there), and who
-- recorded it. `place` is a code so the reports can count meetings held in Uddannelseshuset (a success
-- measure of the handover, seeds/000); `place_note` says more in words, and is required for OTHER.
CREATE TABLE meetings (
  id           uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
  youth_id     text        NOT NULL CONSTRAINT meetings_youth_id_length CHECK (length(youth_id) BETWEEN 1 AND 128),
  held_on      date        NOT NULL,
  kind         text        NOT NULL CONSTRAINT meetings_kind_known
                           CHECK (kind IN ('COORDINATING_MEETING_16_5', 'HANDOVER', 'WELL_BEING_FORUM', 'OTHER')),
  place        text        NOT NULL CONSTRAINT meetings_place_known
                           CHECK (place IN ('UDDANNELSESHUSET', 'SCHOOL', 'JOBCENTER', 'SOCIAL_SERVICES', 'HOME', 'OTHER')),
  place_note   text        CONSTRAINT meetings_place_note_length CHECK (length(btrim(place_note)) BETWEEN 1 AND 200),
  units        text[]      NOT NULL CONSTRAINT meetings_units_known CHECK (
                             cardinality(units) BETWEEN 1 AND 6
                             AND distinct_non_null(units)
                             AND units <@ ARRAY['SCHOOL', 'GUIDANCE', 'JOBCENTER', 'SOCIAL', 'BENEFITS', 'CONTACT_PERSON']::text[]),
  -- One entry per person present, by role (two parents are two entries).
  participants text[]      NOT NULL CONSTRAINT meetings_participants_known CHECK (
                             cardinality(participants) BETWEEN 1 AND 30
                             AND array_position(participants, NULL) IS NULL
                             AND participants <@ ARRAY['YOUNG_PERSON', 'PARENT_OR_GUARDIAN', 'UU_COUNSELLOR', 'SOCIAL_CASEWORKER',
                                                       'JOBCENTER_ADVISOR', 'CONTACT_PERSON', 'SCHOOL']::text[]),
  recorded_by  text        NOT NULL CONSTRAINT meetings_recorded_by_length CHECK (length(recorded_by) BETWEEN 1 AND 200),
  recorded_at  timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT meetings_other_place_described CHECK (place <> 'OTHER' OR place_note IS NOT NULL)
);
CREATE INDEX meetings_by_youth ON meetings (youth_id, held_on DESC, recorded_at DESC);
-- The reports count meetings by month and place.
CREATE INDEX meetings_by_day ON meetings (held_on, place);

-- The meeting a joint decision or plan action was made at (set once; never cleared).
ALTER TABLE joint_decisions ADD COLUMN meeting_id uuid REFERENCES meetings (id);
ALTER TABLE plan_actions ADD COLUMN meeting_id uuid REFERENCES meetings (id);
CREATE INDEX joint_decisions_by_meeting ON joint_decisions (meeting_id) WHERE meeting_id IS NOT NULL;
CREATE INDEX plan_actions_by_meeting ON plan_actions (meeting_id) WHERE meeting_id IS NOT NULL;

-- A plan action can be cancelled with a reason; it stays, with its status, and is never deleted.
ALTER TABLE plan_actions DROP CONSTRAINT plan_actions_status_known;
ALTER TABLE plan_actions ADD CONSTRAINT plan_actions_status_known CHECK (status IN ('OPEN', 'DONE', 'CANCELLED'));
ALTER TABLE plan_actions
  ADD COLUMN cancelled_at     timestamptz,
  ADD COLUMN cancelled_by     text CONSTRAINT plan_actions_cancelled_by_length CHECK (length(cancelled_by) BETWEEN 1 AND 200),
  ADD COLUMN cancelled_reason text CONSTRAINT plan_actions_cancelled_reason_length CHECK (length(btrim(cancelled_reason)) BETWEEN 1 AND 500),
  ADD CONSTRAINT plan_actions_cancellation_consistent CHECK (
    (status = 'CANCELLED') = (cancelled_at IS NOT NULL)
    AND (cancelled_at IS NULL) = (cancelled_by IS NULL)
    AND (cancelled_at IS NULL) = (cancelled_reason IS NULL)
  );

-- Every change of a plan action: who (subject, role, unit), when, what (the changed fields before and
-- after, as JSON objects keyed by the graph's field names) and why. Append-only: rows are never
-- updated or deleted. `seq` orders changes made within one transaction (same `changed_at`).
CREATE TABLE plan_action_changes (
  id              uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
  seq             bigint      GENERATED ALWAYS AS IDENTITY,
  action_id       uuid        NOT NULL REFERENCES plan_actions (id),
  change          text        NOT NULL CONSTRAINT plan_action_changes_change_known
                              CHECK (change IN ('CREATED', 'EDITED', 'COMPLETED', 'CANCELLED', 'LINKED_TO_MEETING')),
  changed_at      timestamptz NOT NULL DEFAULT now(),
  changed_by      text        NOT NULL CONSTRAINT plan_action_changes_changed_by_length CHECK (length(changed_by) BETWEEN 1 AND 200),
  changed_by_role text        CONSTRAINT plan_action_changes_changed_by_role_length CHECK (length(changed_by_role) BETWEEN 1 AND 100),
  changed_by_unit text        CONSTRAINT plan_action_changes_changed_by_unit_length CHECK (length(changed_by_unit) BETWEEN 1 AND 100),
  before          jsonb       CONSTRAINT plan_action_changes_before_object CHECK (before IS NULL OR jsonb_typeof(before) = 'object'),
  after           jsonb       NOT NULL CONSTRAINT plan_action_changes_after_object CHECK (jsonb_typeof(after) = 'object'),
  reason          text        CONSTRAINT plan_action_changes_reason_length CHECK (length(btrim(reason)) BETWEEN 1 AND 500),
  -- An edit and a cancellation say why.
  CONSTRAINT plan_action_changes_reason_given CHECK (change NOT IN ('EDITED', 'CANCELLED') OR reason IS NOT NULL)
);
CREATE INDEX plan_action_changes_by_action ON plan_action_changes (action_id, changed_at, seq);

-- The actions written before this migration get their history as far as the table knows it.
INSERT INTO plan_action_changes (action_id, change, changed_at, changed_by, after)
SELECT id, 'CREATED', created_at, created_by,
       jsonb_strip_nulls(jsonb_build_object('title', title, 'description', description, 'ownerUnit', owner_unit,
                                            'due', due::text, 'transition', transition, 'status', 'OPEN'))
  FROM plan_actions ORDER BY created_at, id;
INSERT INTO plan_action_changes (action_id, change, changed_at, changed_by, before, after)
SELECT id, 'COMPLETED', completed_at, completed_by, '{"status": "OPEN"}'::jsonb, '{"status": "DONE"}'::jsonb
  FROM plan_actions WHERE status = 'DONE' AND length(completed_by) BETWEEN 1 AND 200 ORDER BY completed_at, id;
