-- Idempotency keys are scoped per caller (issue 11). Until now each table kept its keys in a column
-- unique across all callers, so user B sending user A's key got A's result (and could learn that A
-- had used it). One table now records every idempotent write under (caller, operation, key), the
-- caller being the subject the write is recorded under (assigned_by, created_by, ...).

CREATE TABLE idempotent_requests (
  caller     text        NOT NULL CONSTRAINT idempotent_requests_caller_length CHECK (length(caller) BETWEEN 1 AND 200),
  operation  text        NOT NULL CONSTRAINT idempotent_requests_operation_known CHECK (operation IN (
                           'assignContactPerson', 'endContactPersonAssignment', 'addPlanAction',
                           'completePlanAction', 'recordJointDecision')),
  key        text        NOT NULL CONSTRAINT idempotent_requests_key_length CHECK (length(key) BETWEEN 1 AND 200),
  -- The row the first request wrote (an assignment, plan action or joint decision). Null only inside
  -- the transaction that claimed the key and has not written yet: a committed claim always has one.
  result_id  uuid,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (caller, operation, key)
);

-- The keys written so far keep working for the caller who wrote them.
INSERT INTO idempotent_requests (caller, operation, key, result_id, created_at)
SELECT assigned_by, 'assignContactPerson', idempotency_key, id, started_at
  FROM contact_person_assignments WHERE idempotency_key IS NOT NULL
UNION ALL
SELECT ended_by, 'endContactPersonAssignment', end_idempotency_key, id, ended_at
  FROM contact_person_assignments WHERE end_idempotency_key IS NOT NULL AND length(ended_by) BETWEEN 1 AND 200
UNION ALL
SELECT created_by, 'addPlanAction', idempotency_key, id, created_at
  FROM plan_actions WHERE idempotency_key IS NOT NULL
UNION ALL
SELECT completed_by, 'completePlanAction', complete_idempotency_key, id, completed_at
  FROM plan_actions WHERE complete_idempotency_key IS NOT NULL AND length(completed_by) BETWEEN 1 AND 200
UNION ALL
SELECT recorded_by, 'recordJointDecision', idempotency_key, id, recorded_at
  FROM joint_decisions WHERE idempotency_key IS NOT NULL
ON CONFLICT DO NOTHING;

-- The old columns are no longer written (their uniqueness across callers was the flaw). They stay,
-- with their constraints, while a replica of the previous version may still run; a later migration
-- drops them.
COMMENT ON COLUMN contact_person_assignments.idempotency_key IS 'Deprecated by 003: see idempotent_requests';
COMMENT ON COLUMN contact_person_assignments.end_idempotency_key IS 'Deprecated by 003: see idempotent_requests';
COMMENT ON COLUMN plan_actions.idempotency_key IS 'Deprecated by 003: see idempotent_requests';
COMMENT ON COLUMN plan_actions.complete_idempotency_key IS 'Deprecated by 003: see idempotent_requests';
COMMENT ON COLUMN joint_decisions.idempotency_key IS 'Deprecated by 003: see idempotent_requests';
