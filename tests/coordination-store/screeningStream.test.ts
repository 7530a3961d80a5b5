import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../platform/db/database.js';
import { createLogger } from '../../platform/logger.js';
import { startSystems, type RunningSystems } from '../../systems/index.js';
import { generatePopulation } from '../../systems/population/generate.js';
import { loadCoordinationConfig } from '../../subgraphs/coordination/config.js';
import { createGuidanceClient, type GuidanceYouth } from '../../subgraphs/kit/systems/guidanceClient.js';
import { createSchoolClient, type SchoolRecord } from '../../subgraphs/kit/systems/schoolClient.js';
import { createJobcenterClient, type JobcenterRecord } from '../../subgraphs/kit/systems/jobcenterClient.js';
import { createSocialClient, type SocialRecord } from '../../subgraphs/kit/systems/socialClient.js';
import {
  runScreening,
  screeningRowFor,
  type ScreeningSink,
  type ScreeningSources,
} from '../../subgraphs/coordination/screening/screeningJob.js';
import { checkScreeningRow } from '../../subgraphs/coordination/store/screening.js';
import type { CoordinationStore } from '../../subgraphs/coordination/store/coordinationStore.js';
import { backends, useMigratedStore } from './backends.js';

/**
 * The streamed rebuild (store/screeningStaging.ts, screening/screeningJob.ts) against the simulated systems
 * over HTTP, on both backends: the register it writes is the one the rules give over the systems' whole
 * extracts held in memory (what the rebuild did before it streamed), and a run that fails half-way leaves
 * the old register as it was. How little memory it needs at a million young people is the graph
 * benchmark's (`--national`), not a test's.
 */

const TODAY = '2026-11-01';
// Small pages: many pages of every extract, so the page-by-page joins are what is tested.
const PAGE_SIZE = 100;
const logger = createLogger('screening-stream-test');

let systems: RunningSystems;
let sources: ScreeningSources;

beforeAll(async () => {
  systems = await startSystems({
    population: generatePopulation({ scale: 0.03 }),
    ports: { school: 0, guidance: 0, jobcenter: 0, social: 0, benefits: 0 },
    host: '127.0.0.1',
    env: {},
  });
  const env = Object.fromEntries(
    (['school', 'guidance', 'jobcenter', 'social'] as const).map((name) => [`${name.toUpperCase()}_URL`, systems.systems[name].url]),
  );
  const config = loadCoordinationConfig(env).systems;
  sources = {
    guidance: createGuidanceClient(config.guidance, logger),
    school: createSchoolClient(config.school, logger),
    jobcenter: createJobcenterClient(config.jobcenter, logger),
    social: createSocialClient(config.social, logger),
  };
});

afterAll(async () => systems?.close());

/** Every page of an extract, held: the rebuild as it was before it streamed. */
async function whole<T>(first: number, page: (n: number) => Promise<{ items: T[]; next: number | null }>): Promise<T[]> {
  const all: T[] = [];
  for (let n: number | null = first; n !== null;) {
    const result = await page(n);
    all.push(...result.items);
    n = result.next;
  }
  return all;
}

/** The register the rules give over the whole extracts, as the store writes it (checked rows by youth id). */
async function expectedRegister(): Promise<Map<string, ReturnType<typeof checkScreeningRow>>> {
  const school = new Map(
    (await whole(1, async (n) => ((r) => ({ items: r.pupils, next: r.next }))(await sources.school.extract(n, 1000)))).map(
      (p): [string, SchoolRecord] => [p.cpr, p.record],
    ),
  );
  const jobcenter = new Map(
    (await whole(0, async (n) => ((r) => ({ items: r.citizens, next: r.next }))(await sources.jobcenter.extract(n, 1000)))).map(
      (c): [string, JobcenterRecord] => [c.cpr, c.record],
    ),
  );
  const social = new Map(
    (await whole(1, async (n) => ((r) => ({ items: r.persons, next: r.next }))(await sources.social.extract(n, 1000)))).map(
      (p): [string, SocialRecord] => [p.cpr, p.record],
    ),
  );
  const youths: GuidanceYouth[] = [];
  for (let from: string | null = null, first = true; first || from !== null; first = false) {
    const page = await sources.guidance.extract(from, 1000);
    youths.push(...page.youths);
    from = page.next;
  }
  const rows = youths.map((youth, index) =>
    checkScreeningRow(
      screeningRowFor(
        {
          youth,
          school: school.get(youth.cpr) ?? null,
          jobcenter: jobcenter.get(youth.cpr) ?? null,
          social: social.get(youth.cpr) ?? null,
        },
        TODAY,
      ),
      index,
    ),
  );
  return new Map(rows.map((row) => [row.youth_id, row]));
}

/** The register as stored, in the same shape (dates as text, the run's stamps left out). */
async function storedRegister(db: Database): Promise<Map<string, Record<string, unknown>>> {
  const { rows } = await db.query<Record<string, unknown> & { youth_id: string }>(
    `SELECT youth_id, birth_date::text AS birth_date, school_id, grade, indicators, in_target_group, contact_person_status,
            institution_ids, completed_youth_education, childrens_case, counsellor, advisor_id, caseworker_ids, social_units,
            record_units, first_name, last_name, jobcenter_referred::text AS jobcenter_referred,
            adults_case_opened::text AS adults_case_opened, open_social_cases, open_social_cases_education_goal, education_under_way
       FROM youth_screening`,
  );
  return new Map(rows.map((row) => [row.youth_id, row]));
}

async function stagedCount(db: Database): Promise<number> {
  const { rows } = await db.query<{ n: number }>(
    `SELECT (SELECT count(*) FROM screening_staged_records) + (SELECT count(*) FROM screening_staged_rows) AS n`,
  );
  return Number(rows[0]?.n ?? -1);
}

/** The systems, with UU's register answering 503 at page `failAt`; `pages()` counts the pages asked. */
function guidanceFailingAtPage(failAt: number): { failing: ScreeningSources; pages: () => number } {
  let pages = 0;
  const failing: ScreeningSources = {
    ...sources,
    guidance: {
      extract: async (from: string | null, size: number, requestId?: string) => {
        pages += 1;
        if (pages === failAt) throw new Error('guidance system answered 503');
        return sources.guidance.extract(from, size, requestId);
      },
    } as ScreeningSources['guidance'],
  };
  return { failing, pages: () => pages };
}

describe.each(backends)('streamed screening rebuild on $name', (backend) => {
  let db: Database;
  let store: CoordinationStore;
  useMigratedStore(backend, (opened) => ({ db, store } = opened));

  it('writes the register the rules give over the whole extracts, page by page, and leaves nothing staged', async () => {
    const expected = await expectedRegister();
    const result = await runScreening(sources, store, { pageSize: PAGE_SIZE, today: TODAY, logger });
    expect(result.youths).toBe(expected.size);
    expect(result.inTargetGroup).toBe([...expected.values()].filter((row) => row.in_target_group).length);
    expect(result.inTargetGroup).toBeGreaterThan(0);
    const stored = await storedRegister(db);
    expect(stored.size).toBe(expected.size);
    for (const [youthId, row] of expected) expect(stored.get(youthId), youthId).toEqual(row);
    // The facts from the three staged systems arrived (not just UU's): some rows carry each.
    const rows = [...stored.values()];
    expect(rows.some((row) => row.school_id !== null)).toBe(true);
    expect(rows.some((row) => row.advisor_id !== null)).toBe(true);
    expect(rows.some((row) => (row.social_units as string[]).length > 0)).toBe(true);
    expect(await stagedCount(db)).toBe(0);
    expect((await store.screeningStatus()).lastRun).toMatchObject({ status: 'SUCCEEDED', youths: expected.size });
  });

  it('a run that fails half-way through UU’s register leaves the old register as it was, recorded FAILED', async () => {
    const good = await runScreening(sources, store, { pageSize: PAGE_SIZE, today: TODAY, logger });
    const before = await storedRegister(db);
    const { failing, pages } = guidanceFailingAtPage(4);
    // A different day changes rows (ages), so a half-written register would show.
    await expect(runScreening(failing, store, { pageSize: PAGE_SIZE, today: '2027-06-01', logger })).rejects.toThrow(/503/);
    expect(pages()).toBeGreaterThanOrEqual(4);
    expect(await storedRegister(db)).toEqual(before);
    const status = await store.screeningStatus();
    expect(status.lastRun).toMatchObject({ status: 'FAILED', error: 'guidance system answered 503' });
    expect(status.lastSucceededRun?.youths).toBe(good.youths);
    expect(await stagedCount(db)).toBe(0);
  });

  it('a failed run deletes its staging only after its last write: a page still being written, another extract still paging', async () => {
    // The sink writes slowly, so that the failure comes while a write is in flight (the race a fast
    // machine hides): page 3's rows are being written when UU's page 4 fails; the school's extract
    // fails while the jobcenter's and social services' are still staging.
    const slowly = (delayMs: number): ScreeningSink => {
      const wait = () => new Promise((resolve) => setTimeout(resolve, delayMs));
      return Object.assign(Object.create(store) as CoordinationStore, {
        stageScreeningRows: async (...args: Parameters<CoordinationStore['stageScreeningRows']>) => {
          await wait();
          return store.stageScreeningRows(...args);
        },
        stageRecords: async (...args: Parameters<CoordinationStore['stageRecords']>) => {
          await wait();
          return store.stageRecords(...args);
        },
      });
    };
    const { failing: uuFails } = guidanceFailingAtPage(4);
    await expect(runScreening(uuFails, slowly(150), { pageSize: PAGE_SIZE, today: TODAY, logger })).rejects.toThrow(/503/);
    // Longer than a slow write: a write still in flight after the run failed would have landed by now.
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(await stagedCount(db)).toBe(0);

    const schoolFails: ScreeningSources = {
      ...sources,
      school: {
        extract: async () => {
          await new Promise((resolve) => setTimeout(resolve, 20));
          throw new Error('school system answered 503');
        },
      } as unknown as ScreeningSources['school'],
    };
    await expect(runScreening(schoolFails, slowly(100), { pageSize: PAGE_SIZE, today: TODAY, logger })).rejects.toThrow(/school/);
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(await stagedCount(db)).toBe(0);
    expect((await store.screeningStatus()).lastRun).toMatchObject({ status: 'FAILED', error: 'school system answered 503' });
  });

  it('a later run deletes the young people it did not see and keeps the rows it saw unchanged', async () => {
    await runScreening(sources, store, { pageSize: PAGE_SIZE, today: TODAY, logger });
    const before = await storedRegister(db);
    const { rows: stamps } = await db.query<{ youth_id: string; run_id: string }>(
      'SELECT youth_id, run_id::text AS run_id FROM youth_screening',
    );
    let dropped: string | undefined;
    const fewer: ScreeningSources = {
      ...sources,
      guidance: {
        extract: async (from: string | null, size: number, requestId?: string) => {
          const page = await sources.guidance.extract(from, size, requestId);
          if (from === null) dropped = page.youths[0]?.id;
          return from === null ? { ...page, youths: page.youths.slice(1) } : page;
        },
      } as ScreeningSources['guidance'],
    };
    const second = await runScreening(fewer, store, { pageSize: PAGE_SIZE, today: TODAY, logger });
    expect(second.youths).toBe(before.size - 1);
    const after = await storedRegister(db);
    expect(after.has(dropped!)).toBe(false);
    before.delete(dropped!);
    expect(after).toEqual(before);
    // Unchanged rows were not written again (the stamps say when a row's content was last written).
    const { rows: restamped } = await db.query<{ youth_id: string; run_id: string }>(
      'SELECT youth_id, run_id::text AS run_id FROM youth_screening',
    );
    const firstStamp = new Map(stamps.map((row) => [row.youth_id, row.run_id]));
    expect(restamped.every((row) => firstStamp.get(row.youth_id) === row.run_id)).toBe(true);
  });
});
