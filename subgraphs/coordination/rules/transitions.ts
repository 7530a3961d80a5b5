import { CHILDRENS_UNITS, openCases } from './conditions.js';
import { addMonths, addYears, endOfSchoolYear } from './dates.js';
import type { YouthFacts } from './facts.js';

export type TransitionKind =
  'COORDINATING_MEETING_16_5' | 'JOBCENTER_ADVISOR_17' | 'TRANSFER_18' | 'LEAVING_COMPULSORY_SCHOOL' | 'TURNING_25';

const KIND_ORDER: readonly TransitionKind[] = [
  'COORDINATING_MEETING_16_5',
  'JOBCENTER_ADVISOR_17',
  'TRANSFER_18',
  'LEAVING_COMPULSORY_SCHOOL',
  'TURNING_25',
];

export interface Transition {
  kind: TransitionKind;
  date: string;
  description: string;
}

/** The handover from children's to adults' services: only for young people with a children's case. */
function handoverTransitions(facts: YouthFacts): Transition[] {
  if (openCases(facts, CHILDRENS_UNITS).length === 0) return [];
  const birth = facts.birthDate;
  return [
    {
      kind: 'COORDINATING_MEETING_16_5',
      date: addMonths(birth, 16 * 12 + 6),
      description: "Coordinating meeting about and with the young person at 16½, before the handover to adults' services",
    },
    {
      kind: 'JOBCENTER_ADVISOR_17',
      date: addYears(birth, 17),
      description: 'The jobcenter assigns an advisor at 17',
    },
    {
      kind: 'TRANSFER_18',
      date: addYears(birth, 18),
      description: "Formal transfer of responsibility from children's to adults' services at 18",
    },
  ];
}

/** Compulsory school ends with grade 9 (grade 10 is optional): a pupil in either leaves on 30 June. */
function leavingSchool(facts: YouthFacts, asOf: string): Transition[] {
  const grade = facts.school?.grade;
  if (grade !== 9 && grade !== 10) return [];
  return [
    {
      kind: 'LEAVING_COMPULSORY_SCHOOL',
      date: endOfSchoolYear(asOf),
      description: `Leaves compulsory school at the end of grade ${grade}`,
    },
  ];
}

/** Everyone has it; the `asOf` filter drops it for those already past 25 (the birthday itself is still listed). */
function turning25(facts: YouthFacts): Transition[] {
  return [
    {
      kind: 'TURNING_25',
      date: addYears(facts.birthDate, 25),
      description: 'Turns 25: the end of the legal target group and of the continuous contact person',
    },
  ];
}

/**
 * The transitions on or after `asOf` (one falling on `asOf` is still ahead: it happens today), soonest
 * first; on the same day in the order of the SDL enum.
 */
export function nextTransitions(facts: YouthFacts, asOf: string): Transition[] {
  return [...handoverTransitions(facts), ...leavingSchool(facts, asOf), ...turning25(facts)]
    .filter((t) => t.date >= asOf)
    .sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind)));
}
