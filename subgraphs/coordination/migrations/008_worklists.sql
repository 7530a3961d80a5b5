-- Worklists (issue 13, section 4): what falls due, for whom, in the register's own query.
-- Names, so `youths` filters (nameContains) and sorts (orderBy: NAME) by name without asking UU's system
-- per young person; the systems' own handover dates, so the handover report measures timeliness at
-- 17 and 18 from what the jobcenter and social services hold, not only from recorded plan actions.
-- Filled by every screening run; NULL until the first run after this migration.
ALTER TABLE youth_screening
  ADD COLUMN first_name          text,
  ADD COLUMN last_name           text,
  -- The jobcenter's visitation date (visitations_dato): the day it took the young person on with an advisor.
  ADD COLUMN jobcenter_referred  date,
  -- The earliest case on the adults' side: the special group for adults, or aftercare (efterværn) from 18.
  ADD COLUMN adults_case_opened  date;

-- orderBy: NAME pages by keyset over this index.
CREATE INDEX youth_screening_name ON youth_screening ((coalesce(lower(last_name), '')), (coalesce(lower(first_name), '')), youth_id);
-- The due windows of the 16½/17/18 handovers select young people with a children's case by birth date.
CREATE INDEX youth_screening_handover_birth ON youth_screening (birth_date, youth_id) WHERE childrens_case;
-- Leaving compulsory school: pupils in grades 9 and 10.
CREATE INDEX youth_screening_leaving_school ON youth_screening (youth_id) WHERE grade IN (9, 10);
-- Contact-person reviews due (the daily review's mark), for the worklist.
CREATE INDEX contact_person_assignments_review_due
  ON contact_person_assignments (youth_id) INCLUDE (review_due_since) WHERE review_due_since IS NOT NULL AND ended_at IS NULL;
