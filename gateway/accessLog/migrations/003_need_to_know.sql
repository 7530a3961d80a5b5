-- Need to know (docs/access.md): every granted read records the relation it was released under
-- (CASELOAD, UNIT, CONTACT_PERSON, COORDINATED_EFFORT, STATUTORY) or BREAK_THE_GLASS with the reason the
-- caller stated; the auditors' review list reads them back. Null for refusals, partners, and entries
-- written before this migration.
ALTER TABLE access_log
  ADD COLUMN relation               text CONSTRAINT access_log_relation_known CHECK (relation IN (
                                      'CASELOAD', 'UNIT', 'CONTACT_PERSON', 'COORDINATED_EFFORT', 'STATUTORY', 'BREAK_THE_GLASS')),
  ADD COLUMN break_the_glass_reason text CONSTRAINT access_log_break_the_glass_reason_length CHECK (length(break_the_glass_reason) <= 500),
  ADD CONSTRAINT access_log_break_the_glass_reason_only_then CHECK (break_the_glass_reason IS NULL OR relation = 'BREAK_THE_GLASS');

CREATE INDEX access_log_break_the_glass ON access_log (at DESC) WHERE relation = 'BREAK_THE_GLASS';
CREATE INDEX access_log_by_subject_at ON access_log (subject, at) WHERE youth_id IS NOT NULL AND outcome <> 'DENIED';

-- Break-the-glass uses per user and day (Europe/Copenhagen), claimed atomically before a request runs,
-- so every gateway replica counts against the same limit.
CREATE TABLE break_the_glass_uses (
  subject text    NOT NULL,
  day     date    NOT NULL,
  uses    integer NOT NULL CONSTRAINT break_the_glass_uses_positive CHECK (uses > 0),
  PRIMARY KEY (subject, day)
);
