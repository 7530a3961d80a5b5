-- The seed's success measures over time (issue 15, sections 2-3). Additive only: new columns have
-- defaults, the new table is read by nothing older, so a replica of the previous version keeps working.

-- What the register must hold for two of the measures, filled by every screening run (0/false until the
-- first run after this migration):
-- * the open social cases, and of them the ones whose goal points to education or work (a track other
--   than OTHER): "den fælles målsætning ... ses tydeligt beskrevet i alle ungesager" (seeds/000);
-- * whether a young person without a completed youth education is under way: enrolled in education, or
--   in full-time work ("godt på vej ... eller have en fast tilknytning til arbejdsmarkedet").
ALTER TABLE youth_screening
  ADD COLUMN open_social_cases                 integer NOT NULL DEFAULT 0
                                               CONSTRAINT youth_screening_open_social_cases_range CHECK (open_social_cases BETWEEN 0 AND 100),
  ADD COLUMN open_social_cases_education_goal  integer NOT NULL DEFAULT 0,
  ADD COLUMN education_under_way               boolean NOT NULL DEFAULT false,
  ADD CONSTRAINT youth_screening_education_goal_within_cases
    CHECK (open_social_cases_education_goal BETWEEN 0 AND open_social_cases);

-- One row per calendar month: the raw figures of every measure for that month (counts, never a young
-- person), as taken once the month was over (or back-filled on the first run from what the database
-- held). Suppression and rounding are applied when a row is read, exactly as for the live report, so a
-- stored figure is never published unsuppressed.
CREATE TABLE measure_snapshots (
  month      date        PRIMARY KEY CONSTRAINT measure_snapshots_first_of_month CHECK (extract(day FROM month) = 1),
  source     text        NOT NULL CONSTRAINT measure_snapshots_source_known CHECK (source IN ('SNAPSHOT', 'BACKFILLED')),
  taken_at   timestamptz NOT NULL DEFAULT now(),
  -- The figures' layout (reporting/measures.ts MonthFigures); a newer layout reads an older one.
  version    integer     NOT NULL DEFAULT 1,
  figures    jsonb       NOT NULL
);

-- The monthly snapshot claims its month through the daily jobs' lease (store/dailyJobs.ts), run_date
-- being the first of the month: one replica takes each month, a failed run is taken over.
ALTER TABLE daily_job_runs DROP CONSTRAINT daily_job_runs_job_known;
ALTER TABLE daily_job_runs ADD CONSTRAINT daily_job_runs_job_known CHECK (job IN ('assignment-review', 'measure-snapshot'));
