-- Need to know (docs/access.md): who the systems name for each young person, so that the relation
-- rule (platform/access/relation.ts) is one indexed look-up in the register, for one young person or a
-- whole list, never a call to a system per young person. Filled by every screening run.
ALTER TABLE youth_screening
  ADD COLUMN counsellor     text,
  ADD COLUMN advisor_id     text,
  ADD COLUMN caseworker_ids text[]  NOT NULL DEFAULT '{}',
  ADD COLUMN social_units   text[]  NOT NULL DEFAULT '{}',
  -- The systems that hold a record of the young person and so take part in a coordinated effort:
  -- SCHOOL, UU, JOBCENTER and the social units with an open case.
  ADD COLUMN record_units   text[]  NOT NULL DEFAULT '{}';

CREATE INDEX youth_screening_counsellor ON youth_screening (counsellor, youth_id);
CREATE INDEX youth_screening_advisor ON youth_screening (advisor_id, youth_id) WHERE advisor_id IS NOT NULL;
CREATE INDEX youth_screening_caseworkers ON youth_screening USING gin (caseworker_ids);
CREATE INDEX youth_screening_social_units ON youth_screening USING gin (social_units);
CREATE INDEX youth_screening_record_units ON youth_screening USING gin (record_units);
CREATE INDEX contact_person_assignments_active_by_person
  ON contact_person_assignments (contact_person_id, youth_id) WHERE ended_at IS NULL;
