import type { Person, SocialUnit } from '../../systems/population/model.js';

/**
 * A test oracle: docs/rules.md evaluated as literally as possible on the canonical Person record, to
 * check that the population generator reproduces the expected numbers. It is deliberately plain and
 * independent of the production rules in subgraphs/coordination/rules.
 */
export type Indicator = 'ABSENCE_OVER_20' | 'NOT_EDUCATION_READY' | 'NOT_IN_EDUCATION' | 'NEEDS_SUPPORT_IN_EDUCATION' | 'SOCIAL_CASE';

export type Eligibility = 'NOT_CANDIDATE' | 'HAS_EXISTING_SUPPORT' | 'ELIGIBLE';

const FAMILY_GROUPS: readonly SocialUnit[] = ['FAMILY_GROUP_1', 'FAMILY_GROUP_2', 'FAMILY_GROUP_3', 'FAMILY_GROUP_4'];

/** Whole years at asOf. */
export function ageAt(birthDate: string, asOf: string): number {
  const years = Number(asOf.slice(0, 4)) - Number(birthDate.slice(0, 4));
  return asOf.slice(5) < birthDate.slice(5) ? years - 1 : years;
}

function isActive(from: string, to: string | null, asOf: string): boolean {
  return from <= asOf && (to === null || to >= asOf);
}

/**
 * Over 20 % absence, any reason, over a whole school year (seeds/000_f9d4dc655f6ffb76.txt, note 2: "her
 * vurderes over en længere periode, nemlig et helt skoleår"): the latest school year that ended (30 June)
 * before asOf.
 */
export function isAbsenceOver20(p: Person, asOf: string): boolean {
  const completed = (p.school?.absence ?? []).filter((y) => `${Number(y.schoolYear.slice(0, 4)) + 1}-06-30` < asOf);
  const latest = completed.sort((a, b) => b.schoolYear.localeCompare(a.schoolYear))[0];
  return latest !== undefined && latest.absentDays / latest.schoolDays > 0.2;
}

export function isCurrentlyEnrolled(p: Person, asOf: string): boolean {
  return p.guidance.institutions.some((l) => l.status === 'ENROLLED' && isActive(l.start, l.end, asOf));
}

export function isNotEducationReady(p: Person, asOf: string): boolean {
  if (!p.school || p.school.grade < 8) return false;
  const latest = p.guidance.assessments.filter((a) => a.date <= asOf).sort((a, b) => b.date.localeCompare(a.date))[0];
  return latest !== undefined && latest.vocational === 'NOT_READY' && latest.upperSecondary === 'NOT_READY';
}

function openCases(p: Person, asOf: string) {
  return (p.social?.cases ?? []).filter((c) => c.opened <= asOf && (c.closed === null || c.closed > asOf));
}

export function indicators(p: Person, asOf: string): Set<Indicator> {
  const found = new Set<Indicator>();
  const age = ageAt(p.birthDate, asOf);
  const absence = isAbsenceOver20(p, asOf);
  const notReady = isNotEducationReady(p, asOf);
  if (absence) found.add('ABSENCE_OVER_20');
  if (notReady) found.add('NOT_EDUCATION_READY');
  // Figure 1: "Indsats i familiegrupperne sammenkoblet med fravær og uddannelsesparathed".
  if (absence && notReady && openCases(p, asOf).some((c) => FAMILY_GROUPS.includes(c.unit))) found.add('SOCIAL_CASE');
  const enrolled = isCurrentlyEnrolled(p, asOf);
  if (
    age >= 15 &&
    age <= 29 &&
    !p.school &&
    !enrolled &&
    p.guidance.activity !== 'FULL_TIME_WORK' &&
    ((age < 25 && !p.guidance.completedYouthEducation) || (age >= 25 && !p.guidance.vocationalQualification))
  ) {
    found.add('NOT_IN_EDUCATION');
  }
  if (p.guidance.institutions.some((l) => l.status === 'ENROLLED' && isActive(l.start, l.end, asOf) && l.needsSupport)) {
    found.add('NEEDS_SUPPORT_IN_EDUCATION');
  }
  return found;
}

export function inTargetGroup(p: Person, asOf: string): boolean {
  const age = ageAt(p.birthDate, asOf);
  return age >= 13 && age <= 29 && indicators(p, asOf).size > 0;
}

export function isCandidate(p: Person, asOf: string): boolean {
  const cases = openCases(p, asOf);
  const age = ageAt(p.birthDate, asOf);
  const a =
    p.school !== null &&
    isNotEducationReady(p, asOf) &&
    cases.some((c) => FAMILY_GROUPS.includes(c.unit) || c.unit === 'SPECIAL_GROUP_CHILDREN');
  const b =
    age >= 18 &&
    age <= 24 &&
    !p.guidance.completedYouthEducation &&
    !isCurrentlyEnrolled(p, asOf) &&
    p.guidance.activity !== 'FULL_TIME_WORK' &&
    cases.some((c) => FAMILY_GROUPS.includes(c.unit) || c.unit === 'SPECIAL_GROUP_ADULTS');
  return a || b;
}

export function hasExistingSupport(p: Person, asOf: string): boolean {
  const mentor = (p.jobcenter?.efforts ?? []).some((e) => e.type === 'MENTOR' && isActive(e.start, e.end, asOf));
  const contactPerson = (p.social?.cases ?? []).some((c) =>
    c.measures.some((m) => m.type === 'CONTACT_PERSON' && isActive(m.from, m.to, asOf)),
  );
  return mentor || contactPerson;
}

export function eligibility(p: Person, asOf: string): Eligibility {
  if (!isCandidate(p, asOf)) return 'NOT_CANDIDATE';
  if (hasExistingSupport(p, asOf)) return 'HAS_EXISTING_SUPPORT';
  return ageAt(p.birthDate, asOf) < 25 ? 'ELIGIBLE' : 'NOT_CANDIDATE';
}

/** The numbers a report would show: everything the tests compare with docs/rules.md. */
export function tally(people: readonly Person[], asOf: string) {
  const byIndicator: Record<Indicator, number> = {
    ABSENCE_OVER_20: 0,
    NOT_EDUCATION_READY: 0,
    NOT_IN_EDUCATION: 0,
    NEEDS_SUPPORT_IN_EDUCATION: 0,
    SOCIAL_CASE: 0,
  };
  let targetGroup = 0,
    candidates = 0,
    withExistingSupport = 0,
    multipleIndicators = 0;
  for (const p of people) {
    const age = ageAt(p.birthDate, asOf);
    const found = indicators(p, asOf);
    if (age >= 13 && age <= 29 && found.size > 0) {
      targetGroup++;
      for (const i of found) byIndicator[i]++;
      if (found.size > 1) multipleIndicators++;
    }
    const e = eligibility(p, asOf);
    if (e !== 'NOT_CANDIDATE' || isCandidate(p, asOf)) candidates++;
    if (e === 'HAS_EXISTING_SUPPORT') withExistingSupport++;
  }
  return { targetGroup, byIndicator, multipleIndicators, candidates, withExistingSupport };
}
