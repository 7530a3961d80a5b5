import type { Population } from '../population/generate.js';
import { createRng } from '../population/prng.js';
import type { Person, SocialCase, SocialUnit } from '../population/model.js';
import type { SystemName } from './system.js';

/**
 * Changes that happen to young people's records while the systems run, as the municipality's systems
 * see them every day: absence days registered, a readiness assessment (UPV) revised, an enrolment that
 * ends, an effort at the jobcenter, a case opened in social services. Tests use the edits one by one
 * (`system.change(cpr, (p) => addAbsence(p, 30))`); `simulateChanges` makes them at a steady rate
 * (`CHANGE_RATE`). Each edits only its own system's part of the person.
 */

/** Someone who can make a change in a running system (systems/index.ts RunningSystem, kit/system.ts). */
export interface Changeable {
  change: (cpr: string, mutate: (person: Person) => void, kind?: string) => number;
}

/** `days` more absence (any reason) in `schoolYear` (default the latest year the record holds). */
export function addAbsence(person: Person, days: number, schoolYear?: string): void {
  const years = person.school?.absence ?? [];
  const year = schoolYear
    ? years.find((y) => y.schoolYear === schoolYear)
    : years.reduce<(typeof years)[number] | undefined>(
        (latest, y) => (latest === undefined || y.schoolYear > latest.schoolYear ? y : latest),
        undefined,
      );
  if (!year) throw new RangeError('the pupil has no absence record for that school year');
  year.absentDays = Math.min(year.schoolDays, year.absentDays + days);
}

/** A reassessment of education readiness (UPV) on `date`: ready for both tracks, or for neither. */
export function assessReadiness(person: Person, date: string, ready: boolean): void {
  const grade = Math.min(10, Math.max(8, person.school?.grade ?? 9)) as 8 | 9 | 10;
  const readiness = ready ? 'READY' : 'NOT_READY';
  person.guidance.assessments.push({
    date,
    kind: 'REASSESSMENT',
    grade,
    vocational: readiness,
    upperSecondary: readiness,
    gradeAverage: ready ? 6.5 : 3.1,
    academic: ready,
    personal: ready,
    social: ready,
    practical: ready,
  });
}

/** The current enrolment ends on `date` (the young person drops out); false when there was none. */
export function endEnrolment(person: Person, date: string): boolean {
  const link = person.guidance.institutions.find((l) => l.status === 'ENROLLED');
  if (!link) return false;
  link.status = 'DROPPED_OUT';
  link.end = date;
  if (person.guidance.activity === 'EDUCATION') person.guidance.activity = 'UNEMPLOYED';
  return true;
}

/** A new case opened on `date` in `unit`, with a first measure (family treatment or a contact person). */
export function openSocialCase(person: Person, date: string, unit: SocialUnit, caseworker: { id: string; name: string }): SocialCase {
  const opened: SocialCase = {
    caseNumber: `SAG-${date.slice(0, 4)}-${person.cpr.slice(7)}${String((person.social?.cases.length ?? 0) + 1).padStart(2, '0')}`,
    unit,
    caseworker,
    opened: date,
    closed: null,
    legalBasis: 'BL § 32',
    measures: [{ type: unit === 'SPECIAL_GROUP_ADULTS' ? 'CONTACT_PERSON' : 'FAMILY_TREATMENT', from: date, to: null }],
    goal: null,
  };
  person.social = { cases: [...(person.social?.cases ?? []), opened] };
  return opened;
}

/** A company internship starting on `date` for a citizen the jobcenter already serves; false otherwise. */
export function startJobcenterEffort(person: Person, date: string): boolean {
  if (!person.jobcenter) return false;
  person.jobcenter.efforts.push({ type: 'COMPANY_INTERNSHIP', start: date, end: null, description: 'Virksomhedspraktik' });
  return true;
}

/** A caseworker social services has in `unit` (the first one the population names), for a new case. */
export function caseworkerIn(population: Population, unit: SocialUnit): { id: string; name: string } {
  for (const person of population.people) {
    const found = person.social?.cases.find((c) => c.unit === unit);
    if (found) return found.caseworker;
  }
  return { id: 'SB-01', name: 'Sagsbehandler' };
}

export interface ChangeSimulationOptions {
  /** Changes per second, over the four systems the register reads. */
  ratePerSecond: number;
  seed?: number;
  /** Stop after this many changes (default: until stopped). */
  count?: number;
  /** The day the changes are dated (default the population's day). */
  date?: string;
  /** Told each change made (the bench times them). */
  onChange?: (change: { system: SystemName; cpr: string; sequence: number; at: number }) => void;
}

const FAMILY_GROUPS: readonly SocialUnit[] = ['FAMILY_GROUP_1', 'FAMILY_GROUP_2', 'FAMILY_GROUP_3', 'FAMILY_GROUP_4'];

/**
 * Makes realistic changes at a steady rate: school absence (40 %), a UPV reassessment or an enrolment
 * ending (30 %), an effort at the jobcenter (15 %), a new case in social services (15 %). Seeded, so a run
 * is repeatable; off unless started (the population stays as generated while nobody asks).
 */
export function simulateChanges(
  systems: Record<'school' | 'guidance' | 'jobcenter' | 'social', Changeable>,
  population: Population,
  options: ChangeSimulationOptions,
): { stop(): void; done: Promise<number> } {
  if (!(options.ratePerSecond > 0)) throw new RangeError('ratePerSecond must be > 0');
  const rng = createRng(options.seed ?? population.seed + 101);
  const date = options.date ?? population.asOf;
  const pupils = population.people.filter((p) => (p.school?.absence.length ?? 0) > 0);
  const assessed = pupils.filter((p) => (p.school?.grade ?? 0) >= 8);
  const enrolled = population.people.filter((p) => p.guidance.institutions.some((l) => l.status === 'ENROLLED'));
  const served = population.people.filter((p) => p.jobcenter !== null);
  const young = population.people.filter((p) => p.birthDate > `${Number(date.slice(0, 4)) - 23}${date.slice(4)}`);
  const caseworkers = new Map(FAMILY_GROUPS.map((unit) => [unit, caseworkerIn(population, unit)]));

  const changeOne = (): { system: SystemName; cpr: string; sequence: number } | null => {
    const draw = rng.next();
    if (draw < 0.4 && pupils.length > 0) {
      const person = rng.pick(pupils);
      const days = rng.chance(0.5) ? 1 : 0.5;
      return { system: 'school', cpr: person.cpr, sequence: systems.school.change(person.cpr, (p) => addAbsence(p, days), 'FRAVAER') };
    }
    if (draw < 0.7) {
      if (rng.chance(0.6) && assessed.length > 0) {
        const person = rng.pick(assessed);
        const ready = rng.chance(0.7);
        return {
          system: 'guidance',
          cpr: person.cpr,
          sequence: systems.guidance.change(person.cpr, (p) => assessReadiness(p, date, ready), 'UPV'),
        };
      }
      const person = enrolled.length > 0 ? rng.pick(enrolled) : null;
      if (!person) return null;
      return {
        system: 'guidance',
        cpr: person.cpr,
        sequence: systems.guidance.change(person.cpr, (p) => void endEnrolment(p, date), 'TILKNYTNING'),
      };
    }
    if (draw < 0.85 && served.length > 0) {
      const person = rng.pick(served);
      return {
        system: 'jobcenter',
        cpr: person.cpr,
        sequence: systems.jobcenter.change(person.cpr, (p) => void startJobcenterEffort(p, date), 'INDSATS'),
      };
    }
    if (young.length === 0) return null;
    const person = rng.pick(young);
    const unit = rng.pick(FAMILY_GROUPS);
    const caseworker = caseworkers.get(unit)!;
    return {
      system: 'social',
      cpr: person.cpr,
      sequence: systems.social.change(person.cpr, (p) => void openSocialCase(p, date, unit, caseworker), 'SAG'),
    };
  };

  const intervalMs = 1000 / options.ratePerSecond;
  const started = performance.now();
  let made = 0;
  let timer: NodeJS.Timeout | null = null;
  let finish: (made: number) => void = () => undefined;
  const done = new Promise<number>((resolve) => {
    finish = resolve;
  });
  const tick = (): void => {
    // Steady: the n-th change is due at start + n * interval, however long the one before took.
    while (performance.now() - started >= made * intervalMs && (options.count === undefined || made < options.count)) {
      const change = changeOne();
      made += 1;
      if (change) options.onChange?.({ ...change, at: Date.now() });
    }
    if (options.count !== undefined && made >= options.count) {
      finish(made);
      return;
    }
    timer = setTimeout(tick, Math.max(1, started + made * intervalMs - performance.now()));
    timer.unref();
  };
  tick();
  return {
    stop: () => {
      if (timer) clearTimeout(timer);
      finish(made);
    },
    done,
  };
}
