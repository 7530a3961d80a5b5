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

/**
 * The screening register (målgrupperegistret): the source's figure 1 made routine. Like the
 * municipality's own count, it combines the systems' extracts, applies the target-group and
 * contact-person rules to every young person in UU's register, and stores the result, so that lists
 * can be filtered and counted without asking five systems about 60,000 people.
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

export interface ScreeningSink {
  replaceScreening(rows: ScreeningRow[], run: { startedAt: Date; asOf: string }): Promise<unknown>;
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

async function collect<T>(fetchPage: (page: number) => Promise<{ items: T[]; next: number | null }>, first: number): Promise<T[]> {
  const all: T[] = [];
  for (let page: number | null = first; page !== null;) {
    const result = await fetchPage(page);
    all.push(...result.items);
    page = result.next;
  }
  return all;
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
  try {
    return await screen(sources, sink, options, startedAt);
  } catch (error) {
    await sink
      .recordScreeningFailure(error instanceof Error ? error.message : String(error), { startedAt, asOf: options.today })
      .catch(() => undefined);
    throw error;
  }
}

async function screen(
  sources: ScreeningSources,
  sink: ScreeningSink,
  options: { pageSize: number; today: string; logger: Logger },
  startedAt: Date,
): Promise<ScreeningResult> {
  const { pageSize, today, logger } = options;
  const requestId = `screening-${startedAt.getTime()}`;

  // The three smaller extracts first, held by CPR number; then UU's register streams past them.
  const [pupils, citizens, persons] = await Promise.all([
    collect(async (page) => {
      const r = await sources.school.extract(page, pageSize, requestId);
      return { items: r.pupils, next: r.next };
    }, 1),
    collect(async (page) => {
      const r = await sources.jobcenter.extract(page, pageSize, requestId);
      return { items: r.citizens, next: r.next };
    }, 0),
    collect(async (page) => {
      const r = await sources.social.extract(page, pageSize, requestId);
      return { items: r.persons, next: r.next };
    }, 1),
  ]);
  const schoolByCpr = new Map<string, SchoolRecord>(pupils.map((p) => [p.cpr, p.record]));
  const jobcenterByCpr = new Map<string, JobcenterRecord>(citizens.map((c) => [c.cpr, c.record]));
  const socialByCpr = new Map<string, SocialRecord>(persons.map((p) => [p.cpr, p.record]));

  const rows: ScreeningRow[] = [];
  let inTargetGroup = 0;
  let candidates = 0;
  for (let from: string | null = null, first = true; first || from !== null; first = false) {
    const page = await sources.guidance.extract(from, pageSize, requestId);
    for (const youth of page.youths) {
      const row = screeningRowFor(
        {
          youth,
          school: schoolByCpr.get(youth.cpr) ?? null,
          jobcenter: jobcenterByCpr.get(youth.cpr) ?? null,
          social: socialByCpr.get(youth.cpr) ?? null,
        },
        today,
      );
      if (row.inTargetGroup) inTargetGroup++;
      if (row.contactPersonStatus !== 'NOT_CANDIDATE') candidates++;
      rows.push(row);
    }
    from = page.next;
  }

  await sink.replaceScreening(rows, { startedAt, asOf: today });
  const result = { youths: rows.length, inTargetGroup, candidates, durationMs: Date.now() - startedAt.getTime() };
  logger.info(result, 'screening register rebuilt');
  return result;
}
