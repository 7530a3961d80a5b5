/**
 * Worklists (issue 13, section 4): what falls due for a young person within a window of days. The
 * transitions are those of the coordinated plan (rules/transitions.ts: the 16½ meeting, the advisor at
 * 17, the transfer at 18, leaving compulsory school, turning 25), read from the screening register's
 * facts (birth date, children's case, grade), plus a contact person's assignment marked due for review
 * (screening/assignmentReview.ts). The same dates exist as SQL over the register
 * (store/worklist.ts) so a list filters and sorts in its own query; tests/coordination-rules/due.test.ts
 * checks that both agree with `nextTransitions`.
 */
import { addDays } from './dates.js';
import { soonestFirst, TRANSITION_KINDS, transitionDates, type TransitionFacts, type TransitionKind } from './transitions.js';

export type DueKind = TransitionKind | 'CONTACT_PERSON_REVIEW';

/** The SDL enum's order: on the same day, items follow it. */
export const DUE_KINDS: readonly DueKind[] = [...TRANSITION_KINDS, 'CONTACT_PERSON_REVIEW'];

/** What the register (and the live assignment) knows of a young person that makes things due. */
export interface DueFacts extends TransitionFacts {
  /** The active contact-person assignment is due for review since this day; null when it is not. */
  reviewDueSince: string | null;
}

export interface DueItem {
  kind: DueKind;
  date: string;
}

/** The last day of the window that starts today: `asOf` plus `withinDays`. */
export function windowEnd(asOf: string, withinDays: number): string {
  return addDays(asOf, withinDays);
}

/** Every kind's date for these facts (whatever the window), or null where the kind does not apply. */
export function dueDates(facts: DueFacts, asOf: string): Record<DueKind, string | null> {
  return { ...transitionDates(facts, asOf), CONTACT_PERSON_REVIEW: facts.reviewDueSince };
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
    .sort(soonestFirst(DUE_KINDS));
}
