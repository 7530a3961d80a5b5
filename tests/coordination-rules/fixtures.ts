/** Builders for the rules' input, with defaults that trigger nothing, so each test states what matters. */
import type {
  EffortFacts,
  GuidanceFacts,
  ReadinessFacts,
  SchoolFacts,
  SchoolYearAbsenceFacts,
  SocialCaseFacts,
  SocialUnit,
  YouthFacts,
} from '../../subgraphs/coordination/rules/facts.js';

/** A Monday in school year 2025/26. */
export const AS_OF = '2026-03-16';

/** Born 10 January, so exactly `age` on AS_OF. */
export function bornAged(age: number): string {
  return `${2026 - age}-01-10`;
}

/**
 * The weekdays at the given school-day offsets from `start` (a weekday): offset 0 is `start`, 1 the next
 * weekday, and so on. Computed with `Date`, independently of the rules' own school-day numbering.
 */
export function weekdaysAt(start: string, offsets: readonly number[]): string[] {
  const max = Math.max(...offsets);
  const days: string[] = [];
  const cursor = new Date(`${start}T00:00:00Z`);
  while (days.length <= max) {
    const weekday = cursor.getUTCDay();
    if (weekday !== 0 && weekday !== 6) days.push(cursor.toISOString().slice(0, 10));
    cursor.setUTCDate(cursor.getUTCDate() + 1);
  }
  return offsets.map((offset) => days[offset]!);
}

export function range(from: number, to: number, step = 1): number[] {
  const values: number[] = [];
  for (let v = from; v <= to; v += step) values.push(v);
  return values;
}

/** Enrolled in a youth education, without support needs. */
export function guidance(overrides: Partial<GuidanceFacts> = {}): GuidanceFacts {
  return {
    readiness: null,
    currentEnrolment: { needsSupport: false },
    completedYouthEducation: false,
    vocationalQualification: false,
    activity: 'EDUCATION',
    educationPlan: null,
    ...overrides,
  };
}

export const NOT_READY: ReadinessFacts = { grade: 9, vocational: 'NOT_READY', upperSecondary: 'NOT_READY' };
export const READY: ReadinessFacts = { grade: 9, vocational: 'READY', upperSecondary: 'READY' };

export function absenceYear(overrides: Partial<SchoolYearAbsenceFacts> = {}): SchoolYearAbsenceFacts {
  return { schoolYear: '2025/26', schoolDays: 130, absentDays: 2, ...overrides };
}

export function school(grade: number, absence: SchoolYearAbsenceFacts[] = [absenceYear()]): SchoolFacts {
  return { grade, absence };
}

export function socialCase(unit: SocialUnit, overrides: Partial<SocialCaseFacts> = {}): SocialCaseFacts {
  return { unit, open: true, caseworker: { name: 'Sofie Caseworker' }, goal: null, measures: [], ...overrides };
}

export function effort(overrides: Partial<EffortFacts> = {}): EffortFacts {
  return { type: 'PROJECT', start: '2026-01-05', end: null, active: true, description: 'Workshop course', ...overrides };
}

/** A young person enrolled in a youth education, known only to UU: nothing triggers a rule. */
export function youth(overrides: Partial<YouthFacts> = {}): YouthFacts {
  return { birthDate: bornAged(16), school: null, guidance: guidance(), jobcenter: null, social: null, ...overrides };
}

/** A pupil in `grade`, with a normal school year and (by default) no readiness assessment. */
export function pupil(grade: number, overrides: Partial<YouthFacts> = {}): YouthFacts {
  return youth({ birthDate: bornAged(grade + 6), school: school(grade), guidance: guidance({ currentEnrolment: null }), ...overrides });
}

/** Unemployed, not enrolled, without a completed youth education. */
export function outsideEducation(age: number, overrides: Partial<YouthFacts> = {}): YouthFacts {
  return youth({ birthDate: bornAged(age), guidance: guidance({ currentEnrolment: null, activity: 'UNEMPLOYED' }), ...overrides });
}
