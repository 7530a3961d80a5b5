-- National scale (about 1,000,000 young people): the screening register is rebuilt streamed, so the
-- coordination's memory stays O(page) however many young people the systems hold (store/screeningStaging.ts).
-- Additive only: a replica of the previous version reads none of it.

-- Each system's extract (school, jobcenter, social services), page by page as it arrives, kept here for the
-- run instead of in the process's memory; UU's register is then walked page by page and each page's records
-- are read back by CPR number in one query. The client's record as JSON text (the process both writes and
-- reads it). UNLOGGED: scratch for one run, rebuilt by the next if the server crashes; never replicated.
CREATE UNLOGGED TABLE screening_staged_records (
  run_id bigint NOT NULL,
  system text   NOT NULL CONSTRAINT screening_staged_records_system_known CHECK (system IN ('SCHOOL', 'JOBCENTER', 'SOCIAL')),
  cpr    text   COLLATE "C" NOT NULL,
  record text   NOT NULL,
  -- CPR first: a page's look-up (`cpr = ANY(<1000 numbers>) AND run_id = $1`) probes the index per number;
  -- with run_id first the planner read every staged record of the run and filtered (121 ms a page at a
  -- million young people, two of the rebuild's five minutes).
  PRIMARY KEY (cpr, run_id, system)
);

-- The next register: one checked row per young person the run evaluated (the row as JSON, so that a column
-- added to youth_screening later needs no change here). Swapped in by one transaction at the end of the run
-- (readers see the old register or the new, never half), then deleted.
CREATE UNLOGGED TABLE screening_staged_rows (
  run_id   bigint NOT NULL,
  youth_id text   COLLATE "C" NOT NULL,
  row      jsonb  NOT NULL,
  PRIMARY KEY (run_id, youth_id)
);

-- `youths` pages at a million rows (EXPLAIN ANALYZE in bench/graph/README.md, "National scale"): every page
-- shape the list has is answered from the existing indexes in 0.1-3.5 ms (the planner walks the primary key
-- or the name index and filters), but the target group in name order, a caseworker's worklist, would read
-- and sort all its ~53,000 matches for each page: this index gives them in order (0.5 ms a page).
CREATE INDEX youth_screening_target_group_name
  ON youth_screening ((coalesce(lower(last_name), '')), (coalesce(lower(first_name), '')), youth_id) WHERE in_target_group;
