-- Partners get only what they need (issue 14, section 4): a partner institution reads an education plan's
-- structured fields (track, goal category, steps done); its free text (the goal in the counsellor's
-- words, the steps' texts) only when UU has marked the plan shareable with that institution. The marking
-- is UU's judgement and no existing system holds it, so the coordination does. One row per institution;
-- unmarking deletes the row (the access log keeps the mutation on record).
CREATE TABLE education_plan_sharing (
  youth_id        text        NOT NULL CONSTRAINT education_plan_sharing_youth_id_length CHECK (length(youth_id) BETWEEN 1 AND 128),
  institution_id  text        NOT NULL CONSTRAINT education_plan_sharing_institution_form CHECK (institution_id ~ '^[A-Za-z0-9._-]{1,64}$'),
  marked_by       text        NOT NULL CONSTRAINT education_plan_sharing_marked_by_length CHECK (length(marked_by) BETWEEN 1 AND 200),
  marked_at       timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (youth_id, institution_id)
);
