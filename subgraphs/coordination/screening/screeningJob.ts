import type { Logger } from 'pino';
import type { SchoolClient, SchoolRecord } from '../../kit/systems/schoolClient.js';
import type { GuidanceClient } from '../../kit/systems/guidanceClient.js';
import type { JobcenterClient, JobcenterRecord } from '../../kit/systems/jobcenterClient.js';
import type { SocialClient, SocialRecord } from '../../kit/systems/socialClient.js';
import { evaluateTargetGroup } from '../rules/targetGroup.js';
import { evaluateEligibility } from '../rules/eligibility.js';
import { factsFromSystems, type SystemRecords } from './factsFromSystems.js';
import { isActiveOn } from '../../kit/dates.js';
import { CHILDRENS_UNITS, openCases } from '../rules/conditions.js';
import type { StagedRun, StagedSystem } from '../store/screeningStaging.js';

/**
 * The screening register (målgrupperegistret): the source's figure 1 made routine. Like the
 * municipality's own count, it combines the systems' extracts, applies the target-group and
 * contact-person rules to every young person in UU's register, and stores the result, so that lists
 * can be filtered and counted without asking five systems about 60,000 people.
 *
 * Streamed (issue: national scale, a million young people): the extracts go to the coordination's own
 * database page by page and UU's register is walked page by page against them (store/screeningStaging.ts),
 * so the process holds a page or two, never the extracts or the rows; measured at a million young people in
 * bench/graph/README.md ("National scale").
 */
export interface ScreeningRow {
  youthId: string;
  birthDate: string;
  schoolId: string | null;
  grade: number | null;
  indicators: string[];
  inTargetGroup: boolean;
  contactPersonStatus: 'NOT_CANDIDATE' | 'HAS_EXISTING_SUPPORT' | 'ELIGIBLE';
  /** Institutions the young person is enrolled at or applying to (what a partner may see). */
  institutionIds: string[];
  /** UU records a completed youth education (the national 90 % goal at 25). */
  completedYouthEducation: boolean;
  /** An open case in a family group (1-4) or the special group for children (the handover at 16½-18). */
  childrensCase: boolean; /** Need to know (platform/authorization/relation.ts): the UU counsellor's initials, the jobcenter advisor's id. */
  counsellor: string | null;
  advisorId: string | null;
  /** Caseworkers and units of the open social cases. */
  caseworkerIds: string[];
  socialUnits: string[];
  /** The systems holding a record of the young person (they take part in a coordinated effort). */
  recordUnits: string[];
  /** Worklists: the name in UU's register (`nameContains`, the NAME order). */
  firstName: string;
  lastName: string;
  /** The handover as the systems record it (reporting/reports.ts `handovers`): see `handoverRecords`. */
  jobcenterReferred: string | null;
  adultsCaseOpened: string | null;
  /** Migration 010: see `measureFacts`. */
  openSocialCases: number;
  openSocialCasesEducationGoal: number;
  educationUnderWay: boolean;
}

/**
 * The handover at 17 and 18 as the systems themselves record it: the jobcenter's visitation date (it takes
 * the young person on with an advisor), and the earliest case on the adults' side, a case in the special
 * group for adults or aftercare (efterværn) from 18, open or closed.
 */
export function handoverRecords(
  jobcenter: JobcenterRecord | null,
  social: SocialRecord | null,
): Pick<ScreeningRow, 'jobcenterReferred' | 'adultsCaseOpened'> {
  const adults = (social?.cases ?? [])
    .filter((c) => c.unit === 'SPECIAL_GROUP_ADULTS' || c.measures.some((m) => m.type === 'AFTERCARE'))
    .map((c) => c.opened)
    .sort();
  return { jobcenterReferred: jobcenter?.referred ?? null, adultsCaseOpened: adults[0] ?? null };
}

/**
 * What two of the seed's success measures need (reporting/measures.ts, migration 010): the open social
 * cases and those whose goal points to education or work (any track but OTHER), and whether a young
 * person is under way: enrolled in education or in full-time work.
 */
export function measureFacts(
  social: SocialRecord | null,
  guidance: { currentEnrolment?: unknown; activity?: string } | null | undefined,
  today: string,
): Pick<ScreeningRow, 'openSocialCases' | 'openSocialCasesEducationGoal' | 'educationUnderWay'> {
  const open = (social?.cases ?? []).filter((c) => isActiveOn(today, c.opened, c.closed));
  return {
    openSocialCases: Math.min(open.length, 100),
    openSocialCasesEducationGoal: Math.min(open.filter((c) => c.goal !== null && c.goal.track !== 'OTHER').length, 100),
    educationUnderWay:
      (guidance?.currentEnrolment ?? null) !== null || guidance?.activity === 'EDUCATION' || guidance?.activity === 'FULL_TIME_WORK',
  };
}

/**
 * Where a run writes (the coordination's store, store/screeningStaging.ts): the extracts and the rows
 * page by page, the register swapped in once at the end. Nothing of the run is held in memory.
 */
export interface ScreeningSink {
  beginScreeningRun(run: { startedAt: Date; asOf: string }): Promise<StagedRun>;
  stageRecords(runId: number, system: StagedSystem, records: readonly { cpr: string; record: unknown }[]): Promise<void>;
  /** Once every extract is staged: statistics, so that each page's look-up probes by CPR number. */
  analyzeStagedRecords(): Promise<void>;
  stagedRecords(runId: number, cprs: readonly string[]): Promise<Map<string, Partial<Record<StagedSystem, unknown>>>>;
  stageScreeningRows(runId: number, rows: readonly ScreeningRow[], offset: number): Promise<void>;
  finishScreeningRun(run: StagedRun): Promise<unknown>;
  failScreeningRun(run: StagedRun, error: string): Promise<unknown>;
  /** A run that failed before it was recorded (the database did not answer, say). */
  recordScreeningFailure(error: string, run: { startedAt: Date; asOf: string }): Promise<unknown>;
}

export interface ScreeningSources {
  guidance: GuidanceClient;
  school: SchoolClient;
  jobcenter: JobcenterClient;
  social: SocialClient;
}

export interface ScreeningResult {
  youths: number;
  inTargetGroup: number;
  candidates: number;
  durationMs: number;
}

/** Who the systems name for a young person, and which systems hold them (the need-to-know columns). */
function namedBySystems(
  counsellor: string,
  inSchool: boolean,
  jobcenter: JobcenterRecord | null,
  social: SocialRecord | null,
  today: string,
): Pick<ScreeningRow, 'counsellor' | 'advisorId' | 'caseworkerIds' | 'socialUnits' | 'recordUnits'> {
  const open = (social?.cases ?? []).filter((c) => isActiveOn(today, c.opened, c.closed));
  const socialUnits = [...new Set(open.map((c) => c.unit))];
  return {
    counsellor,
    advisorId: jobcenter?.advisor.id ?? null,
    caseworkerIds: [...new Set(open.map((c) => c.caseworker.id))],
    socialUnits,
    recordUnits: ['UU', ...(inSchool ? ['SCHOOL'] : []), ...(jobcenter ? ['JOBCENTER'] : []), ...socialUnits],
  };
}

/**
 * The pages of an extract one after the other, the next one asked while the caller works on the current
 * one (the system's time and the coordination's overlap), never more than one ahead: memory O(page).
 */
async function* pagesOf<Cursor, Page>(
  first: Cursor,
  fetchPage: (cursor: Cursor) => Promise<Page>,
  nextOf: (page: Page) => Cursor | null,
): AsyncGenerator<Page> {
  let pending: Promise<Page> | null = fetchPage(first);
  while (pending) {
    const page: Page = await pending;
    const next = nextOf(page);
    pending = next === null ? null : fetchPage(next);
    // A page that is never awaited (the caller stopped on an error) must not be an unhandled rejection.
    pending?.catch(() => undefined);
    yield page;
  }
}

/**
 * One young person's register row from the four systems' records (UU's, and the school's, the
 * jobcenter's and social services' where they hold one): the rules applied exactly as `Youth.targetGroup`
 * applies them. The full rebuild and the change feeds (a change in one system) both make rows here.
 */
export function screeningRowFor(records: SystemRecords, today: string): ScreeningRow {
  const { youth, school, jobcenter, social } = records;
  const facts = factsFromSystems(records, today);
  const target = evaluateTargetGroup(facts, today);
  const eligibility = evaluateEligibility(facts, today);
  return {
    youthId: youth.id,
    birthDate: youth.birthDate,
    schoolId: school?.school.id ?? null,
    grade: school?.grade ?? null,
    indicators: target.indicators,
    inTargetGroup: target.inTargetGroup,
    contactPersonStatus: eligibility.status,
    institutionIds: [
      ...new Set(
        youth.guidance.institutions
          .filter((link) => link.status === 'ENROLLED' || link.status === 'APPLYING')
          .map((link) => link.institution.id),
      ),
    ],
    completedYouthEducation: youth.guidance.completedYouthEducation,
    childrensCase: openCases(facts, CHILDRENS_UNITS).length > 0,
    firstName: youth.firstName,
    lastName: youth.lastName,
    ...handoverRecords(jobcenter, social),
    ...measureFacts(social, facts.guidance, today),
    ...namedBySystems(youth.guidance.counsellor.initials, school !== null, jobcenter, social, today),
  };
}

export async function runScreening(
  sources: ScreeningSources,
  sink: ScreeningSink,
  options: { pageSize: number; today: string; logger: Logger },
): Promise<ScreeningResult> {
  const startedAt = new Date();
  let run: StagedRun;
  try {
    run = await sink.beginScreeningRun({ startedAt, asOf: options.today });
  } catch (error) {
    await sink
      .recordScreeningFailure(error instanceof Error ? error.message : String(error), { startedAt, asOf: options.today })
      .catch(() => undefined);
    throw error;
  }
  try {
    return await screen(sources, sink, options, run);
  } catch (error) {
    await sink.failScreeningRun(run, error instanceof Error ? error.message : String(error)).catch(() => undefined);
    throw error;
  }
}

/** Set when one part of a run has failed: the others stop at their next page. */
interface RunHalt {
  failed: boolean;
}

/** One system's whole extract into the run's staging, page by page (until the run halts). */
async function stageExtract<Item extends { cpr: string; record: unknown }>(
  sink: ScreeningSink,
  run: StagedRun,
  halt: RunHalt,
  system: StagedSystem,
  first: number,
  fetchPage: (page: number) => Promise<{ items: Item[]; next: number | null }>,
): Promise<number> {
  let staged = 0;
  for await (const page of pagesOf(first, fetchPage, (p) => p.next)) {
    if (halt.failed) break;
    await sink.stageRecords(run.id, system, page.items);
    staged += page.items.length;
  }
  return staged;
}

/**
 * The extracts together; when one fails, the others stop at their next page, and the failure is thrown
 * only once none of them is still writing: the run's staging is deleted after its last write, never
 * before (a write landing after the clean-up left staged rows behind).
 */
async function stageTogether(halt: RunHalt, extracts: Promise<number>[]): Promise<number[]> {
  const settled = await Promise.allSettled(
    extracts.map((extract) =>
      extract.catch((error: unknown) => {
        halt.failed = true;
        throw error;
      }),
    ),
  );
  const failure = settled.find((result) => result.status === 'rejected');
  if (failure) throw failure.reason;
  return settled.map((result) => (result as PromiseFulfilledResult<number>).value);
}

async function screen(
  sources: ScreeningSources,
  sink: ScreeningSink,
  options: { pageSize: number; today: string; logger: Logger },
  run: StagedRun,
): Promise<ScreeningResult> {
  const { pageSize, today, logger } = options;
  const requestId = `screening-${run.startedAt.getTime()}`;

  // The three smaller extracts first, each written to the run's staging as its pages arrive.
  const halt: RunHalt = { failed: false };
  const [pupils, citizens, persons] = await stageTogether(halt, [
    stageExtract(sink, run, halt, 'SCHOOL', 1, async (page) => {
      const r = await sources.school.extract(page, pageSize, requestId);
      return { items: r.pupils, next: r.next };
    }),
    stageExtract(sink, run, halt, 'JOBCENTER', 0, async (page) => {
      const r = await sources.jobcenter.extract(page, pageSize, requestId);
      return { items: r.citizens, next: r.next };
    }),
    stageExtract(sink, run, halt, 'SOCIAL', 1, async (page) => {
      const r = await sources.social.extract(page, pageSize, requestId);
      return { items: r.persons, next: r.next };
    }),
  ]);
  await sink.analyzeStagedRecords();
  logger.info({ pupils, citizens, persons, ms: Date.now() - run.startedAt.getTime() }, 'screening: extracts staged');

  // Then UU's register, page by page: each page's records from the staging in one query, its rows
  // written to the next register while the next page is asked for.
  let youths = 0;
  let inTargetGroup = 0;
  let candidates = 0;
  let writing: Promise<void> = Promise.resolve();
  const fetchGuidance = (from: string | null) => sources.guidance.extract(from, pageSize, requestId);
  try {
    for await (const page of pagesOf<string | null, Awaited<ReturnType<typeof fetchGuidance>>>(null, fetchGuidance, (p) => p.next)) {
      const staged = await sink.stagedRecords(
        run.id,
        page.youths.map((youth) => youth.cpr),
      );
      const rows = page.youths.map((youth) => {
        const records = staged.get(youth.cpr);
        const row = screeningRowFor(
          {
            youth,
            school: (records?.SCHOOL as SchoolRecord | undefined) ?? null,
            jobcenter: (records?.JOBCENTER as JobcenterRecord | undefined) ?? null,
            social: (records?.SOCIAL as SocialRecord | undefined) ?? null,
          },
          today,
        );
        if (row.inTargetGroup) inTargetGroup++;
        if (row.contactPersonStatus !== 'NOT_CANDIDATE') candidates++;
        return row;
      });
      await writing;
      const offset = youths;
      writing = sink.stageScreeningRows(run.id, rows, offset);
      // Awaited at the next page or after the last; a failure must not be unhandled meanwhile.
      writing.catch(() => undefined);
      youths += rows.length;
    }
  } catch (error) {
    // The page still being written when a later one failed lands before the run's staging is deleted.
    await writing.catch(() => undefined);
    throw error;
  }
  await writing;
  logger.info({ youths, ms: Date.now() - run.startedAt.getTime() }, "screening: UU's register walked, swapping the register in");

  await sink.finishScreeningRun(run);
  const result = { youths, inTargetGroup, candidates, durationMs: Date.now() - run.startedAt.getTime() };
  logger.info(result, 'screening register rebuilt');
  return result;
}
