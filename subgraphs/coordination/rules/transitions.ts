import { CHILDRENS_UNITS, openCases } from './conditions.js';
import { addMonths, endOfSchoolYear } from './dates.js';
import type { YouthFacts } from './facts.js';
import { transitionText } from './texts.js';

export type TransitionKind =
  'COORDINATING_MEETING_16_5' | 'JOBCENTER_ADVISOR_17' | 'TRANSFER_18' | 'LEAVING_COMPULSORY_SCHOOL' | 'TURNING_25';

/** The SDL enum's order: transitions on the same day follow it. */
export const TRANSITION_KINDS: readonly TransitionKind[] = [
  'COORDINATING_MEETING_16_5',
  'JOBCENTER_ADVISOR_17',
  'TRANSFER_18',
  'LEAVING_COMPULSORY_SCHOOL',
  'TURNING_25',
];

/** Months from birth to each transition counted from the birth date (the plan, the worklist and the reports). */
export const TRANSITION_MONTHS = {
  COORDINATING_MEETING_16_5: 16 * 12 + 6,
  JOBCENTER_ADVISOR_17: 17 * 12,
  TRANSFER_18: 18 * 12,
  TURNING_25: 25 * 12,
} as const satisfies Partial<Record<TransitionKind, number>>;

/** The handover from children's to adults' services: only for young people with a children's case. */
export const HANDOVER_KINDS = ['COORDINATING_MEETING_16_5', 'JOBCENTER_ADVISOR_17', 'TRANSFER_18'] as const;

/** What the transition dates depend on: the coordinated plan reads it from the systems, the worklist from the register. */
export interface TransitionFacts {
  birthDate: string;
  /** An open case in a family group (1-4) or the special group for children. */
  childrensCase: boolean;
  /** School grade, null out of school. */
  grade: number | null;
}

/**
 * Every transition's date for these facts (whatever `asOf`), or null where it does not apply: the one
 * computation of the dates (rules/due.ts reads it too; store/worklist.ts states it in SQL, tested against it).
 * Compulsory school ends with grade 9 (grade 10 is optional): a pupil in either leaves on 30 June.
 */
export function transitionDates(facts: TransitionFacts, asOf: string): Record<TransitionKind, string | null> {
  const handover = (kind: (typeof HANDOVER_KINDS)[number]) =>
    facts.childrensCase ? addMonths(facts.birthDate, TRANSITION_MONTHS[kind]) : null;
  return {
    COORDINATING_MEETING_16_5: handover('COORDINATING_MEETING_16_5'),
    JOBCENTER_ADVISOR_17: handover('JOBCENTER_ADVISOR_17'),
    TRANSFER_18: handover('TRANSFER_18'),
    LEAVING_COMPULSORY_SCHOOL: facts.grade === 9 || facts.grade === 10 ? endOfSchoolYear(asOf) : null,
    TURNING_25: addMonths(facts.birthDate, TRANSITION_MONTHS.TURNING_25),
  };
}

/** Soonest first; on the same day in `order` (the SDL enum's). */
export function soonestFirst<K extends string>(
  order: readonly K[],
): (a: { kind: K; date: string }, b: { kind: K; date: string }) => number {
  return (a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : order.indexOf(a.kind) - order.indexOf(b.kind));
}

export interface Transition {
  kind: TransitionKind;
  date: string;
  /** In English, as `Transition.description` has always served it; `Transition.text` in either language. */
  description: string;
  /** The grade a pupil leaves compulsory school with (LEAVING_COMPULSORY_SCHOOL only): its text names it. */
  grade?: number | null;
}

/**
 * The transitions on or after `asOf` (one falling on `asOf` is still ahead: it happens today), soonest
 * first; on the same day in the order of the SDL enum. Everyone turns 25; the `asOf` filter drops it for
 * those already past 25 (the birthday itself is still listed).
 */
export function nextTransitions(facts: YouthFacts, asOf: string): Transition[] {
  const grade = facts.school?.grade ?? null;
  const dates = transitionDates({ birthDate: facts.birthDate, childrensCase: openCases(facts, CHILDRENS_UNITS).length > 0, grade }, asOf);
  return TRANSITION_KINDS.flatMap((kind): Transition[] => {
    const date = dates[kind];
    if (date === null || date < asOf) return [];
    const description = transitionText(kind, grade, 'EN');
    return [kind === 'LEAVING_COMPULSORY_SCHOOL' ? { kind, date, description, grade } : { kind, date, description }];
  }).sort(soonestFirst(TRANSITION_KINDS));
}
