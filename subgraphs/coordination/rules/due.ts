/**
 * Worklists (issue 13, section 4): what falls due for a young person within a window of days. The
 * transitions are those of the coordinated plan (rules/transitions.ts: the 16½ meeting, the advisor at
 * 17, the transfer at 18, leaving compulsory school, turning 25), read from the screening register's
 * facts (birth date, children's case, grade), plus a contact person's assignment marked due for review
 * (screening/assignmentReview.ts). The same dates exist as SQL over the register
 * (store/worklist.ts) so a list filters and sorts in its own query; tests/coordination-rules/due.test.ts
 * checks that both agree with `nextTransitions`.
 */
import { addMonths, endOfSchoolYear } from './dates.js';
import type { TransitionKind } from './transitions.js';

export type DueKind = TransitionKind | 'CONTACT_PERSON_REVIEW';

/** The SDL enum's order: on the same day, items follow it. */
export const DUE_KINDS: readonly DueKind[] = [
  'COORDINATING_MEETING_16_5',
  'JOBCENTER_ADVISOR_17',
  'TRANSFER_18',
  'LEAVING_COMPULSORY_SCHOOL',
  'TURNING_25',
  'CONTACT_PERSON_REVIEW',
];

/** Months from birth to the transitions counted from the birth date (as rules/transitions.ts). */
export const DUE_MONTHS = {
  COORDINATING_MEETING_16_5: 16 * 12 + 6,
  JOBCENTER_ADVISOR_17: 17 * 12,
  TRANSFER_18: 18 * 12,
  TURNING_25: 25 * 12,
} as const satisfies Partial<Record<DueKind, number>>;

/** The handover transitions: only for a young person with a children's case. */
export const HANDOVER_KINDS = ['COORDINATING_MEETING_16_5', 'JOBCENTER_ADVISOR_17', 'TRANSFER_18'] as const;

/** The window: from 1 day (today and tomorrow) to a year ahead. */
export const DUE_WITHIN_DAYS = { min: 1, max: 366 } as const;

/** What the register (and the live assignment) knows of a young person that makes things due. */
export interface DueFacts {
  birthDate: string;
  /** An open case in a family group or the special group for children (the handover 16½-18). */
  childrensCase: boolean;
  /** School grade, null out of school: grades 9 and 10 leave compulsory school on 30 June. */
  grade: number | null;
  /** The active contact-person assignment is due for review since this day; null when it is not. */
  reviewDueSince: string | null;
}

export interface DueItem {
  kind: DueKind;
  date: string;
}

const DAY_MS = 86_400_000;

/** `date` plus whole days (negative: minus). */
export function addDays(date: string, days: number): string {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(year, month - 1, day) + days * DAY_MS).toISOString().slice(0, 10);
}

/** The last day of the window that starts today: `asOf` plus `withinDays`. */
export function windowEnd(asOf: string, withinDays: number): string {
  return addDays(asOf, withinDays);
}

/** Every kind's date for these facts (whatever the window), or null where the kind does not apply. */
export function dueDates(facts: DueFacts, asOf: string): Record<DueKind, string | null> {
  const handover = (kind: (typeof HANDOVER_KINDS)[number]) => (facts.childrensCase ? addMonths(facts.birthDate, DUE_MONTHS[kind]) : null);
  return {
    COORDINATING_MEETING_16_5: handover('COORDINATING_MEETING_16_5'),
    JOBCENTER_ADVISOR_17: handover('JOBCENTER_ADVISOR_17'),
    TRANSFER_18: handover('TRANSFER_18'),
    LEAVING_COMPULSORY_SCHOOL: facts.grade === 9 || facts.grade === 10 ? endOfSchoolYear(asOf) : null,
    TURNING_25: addMonths(facts.birthDate, DUE_MONTHS.TURNING_25),
    CONTACT_PERSON_REVIEW: facts.reviewDueSince,
  };
}

/**
 * What is due from `asOf` (today counts) to `asOf + withinDays` (inclusive), soonest first, the SDL
 * order on the same day. A review stays due from the day it was marked until it is cleared, so it is on
 * every window once marked (its date is the day it became due, possibly before today).
 */
export function dueItems(facts: DueFacts, asOf: string, withinDays: number, kinds: readonly DueKind[] = DUE_KINDS): DueItem[] {
  const end = windowEnd(asOf, withinDays);
  const dates = dueDates(facts, asOf);
  return DUE_KINDS.filter((kind) => kinds.includes(kind))
    .flatMap((kind): DueItem[] => {
      const date = dates[kind];
      if (date === null || date > end) return [];
      if (kind !== 'CONTACT_PERSON_REVIEW' && date < asOf) return [];
      return [{ kind, date }];
    })
    .sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : DUE_KINDS.indexOf(a.kind) - DUE_KINDS.indexOf(b.kind)));
}
