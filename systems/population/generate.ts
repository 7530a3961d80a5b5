import type {
  Activity,
  BenefitsFacts,
  BenefitType,
  EffortType,
  Gender,
  GuidanceFacts,
  InstitutionLink,
  JobcenterFacts,
  Person,
  PlanStep,
  ReadinessAssessment,
  SchoolFacts,
  SchoolYearAbsence,
  SocialCase,
  SocialFacts,
  SocialUnit,
  Track,
} from './model.js';
import { createRng, type Rng } from './prng.js';
import { generateCpr } from './cpr.js';
import { ageOn, isIsoDate } from '../../platform/dates.js';
import { addYears, dayNumber, isoOf, schoolYearLabel, schoolYearStartOf, teachingDays } from './calendar.js';
import { FEMALE_NAMES, LAST_NAMES, MALE_NAMES } from './names.js';
import { buildAreas, MAX_SCALE, type Area, type Institution, type School } from './areas.js';

export { MAX_SCALE, NATIONAL_SCALE, type Institution, type School } from './areas.js';

/**
 * The synthetic population behind the five simulated systems: Aalborg's young people aged 16-29
 * (53,674 at scale 1, as at the end of November 2018) plus the pupils of grades 7-10, each with the facts
 * every unit's system holds about them, consistent across the systems.
 *
 * A latent vulnerability level (none / some / high) drives the correlated facts: absence, readiness,
 * drop-out, social cases, the jobcenter, benefits. The prevalences below are tuned so that the rules in
 * docs/rules.md find about 3,300 young people in the target group and 50-100 contact-person candidates
 * with the default seed; most young people trigger no indicator at all.
 */

export interface GenerateOptions {
  seed?: number;
  /** The day the population describes (ISO). Absence, assessments, cases and payments lie on or before it. */
  asOf?: string;
  /**
   * 0 < scale <= MAX_SCALE: every cohort in proportion. Below 1 for fast tests (the same seed gives the same
   * people at every scale <= 1: a smaller population is a prefix of Aalborg's); above 1 more areas of
   * Aalborg's size, each with staff and schools of its own (areas.ts; NATIONAL_SCALE is Denmark).
   */
  scale?: number;
  /** Told the number of people up front and each chunk as it is made (platform/progress.ts fits). */
  progress?: GenerationProgress;
}

export interface GenerationProgress {
  setTotal(total: number): void;
  tick(n?: number): void;
}

/** People per progress tick: often enough for a steady estimate, rarely enough to cost nothing. */
const PROGRESS_CHUNK = 1000;

export interface Population {
  asOf: string;
  seed: number;
  scale: number;
  people: Person[];
  byCpr: Map<string, Person>;
  byUuId: Map<string, Person>;
  schools: School[];
  institutions: Institution[];
}

export const DEFAULT_SEED = 2019;
export const DEFAULT_AS_OF = '2026-11-01';

/** Young people per age, 16-29, at scale 1: 53,674 in all (DOMAIN.md); Aalborg's students swell the 20s. */
const COHORT_BY_AGE: Readonly<Record<number, number>> = {
  16: 2450,
  17: 2450,
  18: 2500,
  19: 3000,
  20: 3700,
  21: 4500,
  22: 4900,
  23: 5000,
  24: 4900,
  25: 4700,
  26: 4400,
  27: 4000,
  28: 3700,
  29: 3474,
};
/** Pupils per birth year in the compulsory school. */
const PUPIL_COHORT = 2400;
/** Share of those leaving grade 9 who take grade 10. */
const GRADE_10_SHARE = 0.5;

type Vulnerability = 0 | 1 | 2;
const VULNERABILITY_WEIGHTS = [0.855, 0.1, 0.045];

/** Probabilities by vulnerability level [none, some, high]. */
const P = {
  // pupils
  absenceOver20: [0.016, 0.24, 0.52],
  absenceOver20WithCase: [0.05, 0.35, 0.65],
  concerningAbsence: [0.004, 0.11, 0.4],
  notReady: [0.03, 0.22, 0.5],
  notReadyWithCase: [0.06, 0.3, 0.6],
  childCase: [0.012, 0.07, 0.3],
  ppr: [0.02, 0.12, 0.35],
  wellbeingForum: [0.01, 0.08, 0.25],
  // young people who have left compulsory school
  notInEducation15to17: [0.006, 0.09, 0.32],
  notInEducation18to24: [0.011, 0.135, 0.41],
  notInEducation25to29: [0.013, 0.155, 0.43],
  needsSupport: [0.02, 0.13, 0.3],
  aftercare18to22: [0.002, 0.018, 0.065],
  adultCase: [0.001, 0.009, 0.04],
  closedChildCase: [0.004, 0.15, 0.3],
  jobcenterIfNotInEducation: [0.6, 0.8, 0.9],
  activityReady: [0.15, 0.45, 0.75],
  mentor: [0.04, 0.12, 0.2],
  contactPersonMeasure: [0.05, 0.1, 0.15],
} as const;

/** Status of a young person who has left compulsory school, by age: [youth ed, higher ed, full-time work, other]. */
const STATUS_WEIGHTS: Readonly<Record<number, readonly number[]>> = {
  15: [99, 0, 1, 0],
  16: [98, 0, 2, 0],
  17: [96, 0, 4, 0],
  18: [80, 2, 10, 8],
  19: [45, 12, 20, 23],
  20: [18, 35, 27, 20],
  21: [12, 45, 30, 13],
  22: [9, 50, 33, 8],
  23: [7, 50, 36, 7],
  24: [6, 45, 42, 7],
  25: [5, 38, 51, 6],
  26: [4, 30, 60, 6],
  27: [3, 22, 69, 6],
  28: [3, 15, 76, 6],
  29: [3, 10, 81, 6],
};
type Status = 'YOUTH_ED' | 'HIGHER_ED' | 'FULL_TIME_WORK' | 'OTHER' | 'NOT_IN_EDUCATION';
const STATUSES: readonly Status[] = ['YOUTH_ED', 'HIGHER_ED', 'FULL_TIME_WORK', 'OTHER'];

const YOUTH_TRACKS = ['GYM', 'EUD', 'EUX', 'FGU', 'STU'] as const;
type YouthTrack = (typeof YOUTH_TRACKS)[number];

const GOAL_TEXTS: Readonly<Record<Track, readonly string[]>> = {
  EUD: [
    'Starte på en erhvervsuddannelse (grundforløb 1)',
    'Gennemføre grundforløb og finde en praktikplads',
    'Blive optaget på en erhvervsuddannelse efter sommerferien',
  ],
  EUX: ['Starte på EUX efter 9./10. klasse', 'Gennemføre EUX med studiekompetence'],
  GYM: ['Starte på en gymnasial uddannelse (STX/HHX/HTX/HF)', 'Gennemføre gymnasiet'],
  FGU: ['Starte på FGU for at styrke dansk og matematik', 'Afklaring af uddannelsesvalg på FGU'],
  STU: ['Særligt tilrettelagt ungdomsuddannelse (STU)'],
  HIGHER: ['Blive optaget på en videregående uddannelse', 'Gennemføre videregående uddannelse'],
  JOB: ['Ordinær beskæftigelse, evt. med løntilskud', 'Fast job inden for lager og logistik'],
  OTHER: ['Afklaring af helbred og arbejdsevne', 'Stabil bolig og hverdag før uddannelse'],
};
const STEP_TEXTS: Readonly<Record<Track, readonly string[]>> = {
  EUD: ['Deltage i brobygning på Tech College', 'Søge praktikplads', 'Besøge erhvervsskolen', 'Søge optagelse via optagelse.dk'],
  EUX: ['Deltage i brobygning på EUX', 'Søge optagelse via optagelse.dk'],
  GYM: ['Søge optagelse via optagelse.dk', 'Deltage i introduktionsdag på gymnasiet', 'Forbedre karaktergennemsnit i matematik'],
  FGU: ['Samtale med FGU-vejleder', 'Starte på AGU-spor', 'Stabilt fremmøde i fire uger'],
  STU: ['Visitation til STU', 'Besøg på STU-tilbud'],
  HIGHER: ['Søge optagelse (kvote 2)', 'Afklaringssamtale med studievejleder'],
  JOB: ['Virksomhedspraktik', 'Udarbejde CV', 'Jobsamtale'],
  OTHER: ['Lægeerklæring', 'Samtale med sagsbehandler', 'Afklaringsforløb'],
};
/** A different but plausible track when two units do not agree on the goal. */
const DISAGREEING_TRACK: Readonly<Record<Track, readonly Track[]>> = {
  EUD: ['JOB', 'FGU'],
  EUX: ['EUD', 'GYM'],
  GYM: ['EUD', 'FGU'],
  FGU: ['EUD', 'JOB', 'STU'],
  STU: ['FGU', 'OTHER'],
  HIGHER: ['JOB', 'EUD'],
  JOB: ['EUD', 'FGU'],
  OTHER: ['JOB', 'FGU'],
};
const CLASS_LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVXYZ';
const LAST_NAME_LIST = LAST_NAMES.map(([name]) => name);
const LAST_NAME_WEIGHTS = LAST_NAMES.map(([, weight]) => weight);

const ONE_OFF_TYPES: readonly (readonly [string, number])[] = [
  ['Tandbehandling', 1250],
  ['Flytning', 3400],
  ['Medicin', 450],
  ['Depositum', 8000],
  ['Briller', 1100],
  ['Vinterfrakke', 600],
];

export function generatePopulation(options: GenerateOptions = {}): Population {
  const seed = options.seed ?? DEFAULT_SEED;
  const asOf = options.asOf ?? DEFAULT_AS_OF;
  const scale = options.scale ?? 1;
  if (!Number.isInteger(seed)) throw new RangeError(`seed must be a whole number, got ${seed}`);
  if (!isIsoDate(asOf)) throw new RangeError(`asOf must be an ISO date, got "${asOf}"`);
  if (!(scale > 0 && scale <= MAX_SCALE)) throw new RangeError(`scale must be in (0, ${MAX_SCALE}], got ${scale}`);
  return new Generator(seed, asOf, scale, options.progress).run();
}

class Generator {
  private readonly rng: Rng;
  private readonly asOfDay: number;
  private readonly schoolYear: number;
  private readonly takenCprs = new Set<string>();
  private readonly takenUuIds = new Set<string>();
  private readonly areas: readonly Area[];
  /** The area of the person being made (areas.ts): their school, institutions and staff. */
  private area: Area;
  private readonly schools: School[];
  private readonly institutions: Institution[];
  private caseCounter = 0;
  private readonly previousYearDays: readonly number[];
  private readonly currentYearDays: readonly number[];

  constructor(
    private readonly seed: number,
    private readonly asOf: string,
    private readonly scale: number,
    private readonly progress?: GenerationProgress,
  ) {
    this.rng = createRng(seed);
    this.asOfDay = dayNumber(asOf);
    this.schoolYear = schoolYearStartOf(asOf);
    this.areas = buildAreas(scale);
    this.area = this.areas[0]!;
    this.schools = this.areas.flatMap((area) => area.schools);
    this.institutions = this.areas.flatMap((area) => area.institutions);
    this.previousYearDays = teachingDays(this.schoolYear - 1);
    this.currentYearDays = teachingDays(this.schoolYear).filter((d) => d <= this.asOfDay);
  }

  run(): Population {
    const people: Person[] = [];
    // The pupils' birth years and the 15-year-olds who have left school: everyone under 16.
    const youngestBirthYear = this.schoolYear - 13; // grade 7
    const under16From = dayNumber(addYears(this.asOf, -16)) + 1;
    const under16To = dayNumber(`${youngestBirthYear}-12-31`);
    const under16Count = Math.round(((PUPIL_COHORT * (under16To - under16From + 1)) / 365.25) * this.scale);
    const cohortCounts = new Map<number, number>();
    for (let age = 16; age <= 29; age++) cohortCounts.set(age, Math.round((COHORT_BY_AGE[age] ?? 0) * this.scale));
    this.progress?.setTotal(under16Count + [...cohortCounts.values()].reduce((sum, count) => sum + count, 0));
    const add = (person: Person): void => {
      people.push(person);
      if (people.length % PROGRESS_CHUNK === 0) this.progress?.tick(PROGRESS_CHUNK);
    };
    for (let i = 0; i < under16Count; i++) add(this.person(this.birthDateBetween(under16From, under16To)));
    for (let age = 16; age <= 29; age++) {
      const from = dayNumber(addYears(this.asOf, -(age + 1))) + 1;
      const to = dayNumber(addYears(this.asOf, -age));
      const count = cohortCounts.get(age) ?? 0;
      for (let i = 0; i < count; i++) add(this.person(this.birthDateBetween(from, to)));
    }
    this.progress?.tick(people.length % PROGRESS_CHUNK);
    return {
      asOf: this.asOf,
      seed: this.seed,
      scale: this.scale,
      people,
      byCpr: new Map(people.map((p) => [p.cpr, p])),
      byUuId: new Map(people.map((p) => [p.uuId, p])),
      schools: this.schools,
      institutions: this.institutions,
    };
  }

  // ---------- identity ----------

  private birthDateBetween(from: number, to: number): string {
    return isoOf(from + this.rng.int(to - from + 1));
  }

  private uuId(): string {
    const letters = 'abcdefghijkmnpqrstuvwxyz';
    const chars = 'abcdefghijkmnpqrstuvwxyz23456789';
    for (;;) {
      let id = letters[this.rng.int(letters.length)] ?? 'k';
      for (let i = 0; i < 7; i++) id += chars[this.rng.int(chars.length)] ?? '2';
      if (!this.takenUuIds.has(id)) {
        this.takenUuIds.add(id);
        return id;
      }
    }
  }

  private p(table: readonly number[], v: Vulnerability): boolean {
    return this.rng.chance(table[v] ?? 0);
  }

  private person(birthDate: string): Person {
    const rng = this.rng;
    // One area (Aalborg) draws nothing here, so every scale <= 1 gives the same people as before.
    if (this.areas.length > 1) this.area = this.areas[rng.int(this.areas.length)]!;
    const gender: Gender = rng.chance(0.5) ? 'F' : 'M';
    const v = rng.weighted([0, 1, 2] as const, VULNERABILITY_WEIGHTS);
    const cpr = generateCpr(birthDate, gender, rng, this.takenCprs);
    const uuId = this.uuId();
    const firstName = rng.pick(gender === 'F' ? FEMALE_NAMES : MALE_NAMES);
    const lastName = rng.weighted(LAST_NAME_LIST, LAST_NAME_WEIGHTS);
    const age = ageOn(birthDate, this.asOf);
    const grade = this.schoolYear - Number(birthDate.slice(0, 4)) - 6;
    const isPupil = grade >= 7 && grade <= 9 ? true : grade === 10 ? rng.chance(GRADE_10_SHARE) : false;
    const base = { cpr, uuId, firstName, lastName, birthDate, gender };
    return isPupil ? this.pupil(base, age, grade as 7 | 8 | 9 | 10, v) : this.youngPerson(base, age, v);
  }

  // ---------- pupils in grades 7-10 ----------

  private pupil(
    base: Omit<Person, 'school' | 'guidance' | 'jobcenter' | 'social' | 'benefits'>,
    age: number,
    grade: 7 | 8 | 9 | 10,
    v: Vulnerability,
  ): Person {
    const rng = this.rng;
    const { tenthGradeCentre } = this.area;
    const school = grade === 10 && rng.chance(0.6) ? tenthGradeCentre : rng.pick(this.area.ordinarySchools);
    const hasChildCase = this.p(P.childCase, v);
    // A family-group case goes with more absence and more not-ready assessments (figure 1 combines them).
    const absenceOver20 = this.p(hasChildCase ? P.absenceOver20WithCase : P.absenceOver20, v);
    const concerning = this.p(P.concerningAbsence, v);
    const notReady = this.p(hasChildCase ? P.notReadyWithCase : P.notReady, v);

    const schoolFacts: SchoolFacts = {
      schoolId: school.id,
      schoolName: school.name,
      grade,
      // About 25 pupils a class: three classes a grade at an ordinary school, many at the grade-10 centre.
      className: `${grade}.${school === tenthGradeCentre ? CLASS_LETTERS[rng.int(CLASS_LETTERS.length)] : CLASS_LETTERS[rng.int(3)]}`,
      absence: this.absenceHistory(absenceOver20, concerning, v),
      pprInvolvedSince: this.p(P.ppr, v) ? isoOf(this.asOfDay - rng.between(30, 1200)) : null,
      wellbeingForum: this.p(P.wellbeingForum, v),
    };
    const assessments = this.assessments(grade, notReady, v);
    const track: Track = notReady
      ? rng.weighted(['FGU', 'EUD', 'STU', 'GYM'] as const, [50, 30, v === 2 ? 15 : 3, 5])
      : rng.weighted(['GYM', 'EUD', 'EUX', 'FGU'] as const, [66, 20, 8, v > 0 ? 10 : 2]);
    const social = hasChildCase ? this.childCase(age, v) : null;
    const disagree = rng.chance(0.15);
    if (social) this.alignSocialGoal(social, track, disagree);
    const institutions: InstitutionLink[] = [];
    // Applications for youth education are due 1 March of the leaving year.
    if ((grade === 9 || grade === 10) && this.asOf >= `${this.schoolYear + 1}-03-01` && track !== 'STU') {
      const applied = this.institutionFor(track);
      institutions.push({ ...applied, status: 'APPLYING', start: `${this.schoolYear + 1}-08-01`, end: null, needsSupport: false });
    }
    const guidance: GuidanceFacts = {
      counsellor: this.area.counsellors[Number(school.id.slice(2)) % this.area.counsellors.length]!,
      assessments,
      plan: grade >= 8 ? this.plan(track) : null,
      institutions,
      completedYouthEducation: false,
      vocationalQualification: false,
      fguTargetGroup: notReady && assessments.length > 0 && rng.chance(0.3),
      activity: 'EDUCATION',
      educationDuty: age >= 15 && age <= 17 ? { fulfilled: true } : null,
    };
    return { ...base, school: schoolFacts, guidance, jobcenter: null, social, benefits: null };
  }

  private absenceHistory(over20: boolean, concerning: boolean, v: Vulnerability): SchoolYearAbsence[] {
    const rng = this.rng;
    const previousDays = this.previousYearDays;
    const currentDays = this.currentYearDays;
    const currentUsable = currentDays.length >= 20;
    const highYears = new Set<number>();
    if (over20) {
      // `over20` means over 20 % in the completed (previous) school year, the target-group indicator
      // (docs/rules.md); a minority is high only in the year in progress, which the indicator does not count yet.
      const which = currentUsable ? rng.weighted(['current', 'previous', 'both'] as const, [15, 45, 40]) : 'previous';
      if (which !== 'previous') highYears.add(this.schoolYear);
      if (which !== 'current') highYears.add(this.schoolYear - 1);
    }
    const concerningYear = concerning ? (currentUsable && rng.chance(0.5) ? this.schoolYear : this.schoolYear - 1) : null;
    const years: [number, readonly number[]][] = [
      [this.schoolYear - 1, previousDays],
      [this.schoolYear, currentDays],
    ];
    const records: SchoolYearAbsence[] = [];
    for (const [year, days] of years) {
      if (days.length === 0) continue;
      const unlawful = concerningYear === year ? this.concerningDates(days) : this.scatteredDates(days, v);
      const high = highYears.has(year);
      let ratio: number;
      if (high) ratio = 0.22 + rng.next() * 0.2;
      else if (concerningYear === year) ratio = 0.1 + rng.next() * 0.08;
      else ratio = this.ordinaryAbsenceRatio(v);
      let absentDays = Math.round(ratio * days.length * 2) / 2;
      if (high) absentDays = Math.max(absentDays, Math.floor(days.length * 0.4) / 2 + 0.5);
      absentDays = Math.max(absentDays, unlawful.length);
      records.push({
        schoolYear: schoolYearLabel(year),
        schoolDays: days.length,
        absentDays,
        unlawfulAbsenceDates: unlawful.map(isoOf),
      });
    }
    return records;
  }

  /** Most pupils are absent a few per cent of the days; kept below the 20 % line. */
  private ordinaryAbsenceRatio(v: Vulnerability): number {
    const mean = [0.04, 0.07, 0.09][v] ?? 0.04;
    for (;;) {
      const ratio = -Math.log(1 - this.rng.next()) * mean;
      if (ratio <= 0.18) return ratio;
    }
  }

  /** At most four unlawful days, scattered: never a concerning pattern. */
  private scatteredDates(days: readonly number[], v: Vulnerability): number[] {
    const rng = this.rng;
    const count = rng.weighted([0, 1, 2, 3, 4], v === 0 ? [78, 12, 6, 3, 1] : [35, 25, 20, 12, 8]);
    const chosen = new Set<number>();
    while (chosen.size < Math.min(count, days.length)) chosen.add(days[rng.int(days.length)]!);
    return [...chosen].sort((a, b) => a - b);
  }

  /** One of the schools' early-warning patterns, plus a few scattered days. */
  private concerningDates(days: readonly number[]): number[] {
    const rng = this.rng;
    const chosen = new Set<number>();
    const pattern = rng.weighted(['run', 'seven', 'fifteen'] as const, [40, 40, 20]);
    if (pattern === 'fifteen' && days.length >= 60) {
      const start = rng.int(days.length - 59);
      const count = rng.between(15, 18);
      while (chosen.size < count) chosen.add(days[start + rng.int(60)]!);
    } else if (pattern !== 'run' && days.length >= 20) {
      const start = rng.int(days.length - 19);
      const count = rng.between(7, 9);
      while (chosen.size < count) chosen.add(days[start + rng.int(20)]!);
    } else {
      const length = rng.between(5, 7);
      // A run of consecutive weekdays: no holiday inside it.
      for (let attempt = 0; attempt < 100; attempt++) {
        const start = rng.int(Math.max(1, days.length - length + 1));
        const run = days.slice(start, start + length);
        const consecutive = run.every((d, i) => i === 0 || d - run[i - 1]! === 1 || d - run[i - 1]! === 3);
        if (run.length === length && consecutive) {
          for (const d of run) chosen.add(d);
          break;
        }
      }
    }
    const extra = rng.int(3);
    for (let i = 0; i < extra; i++) chosen.add(days[rng.int(days.length)]!);
    return [...chosen].sort((a, b) => a - b);
  }

  /** UPV: preliminary in December of grade 8, final in January/February, reassessments in grades 9-10. */
  private assessments(grade: number, notReady: boolean, v: Vulnerability): ReadinessAssessment[] {
    const rng = this.rng;
    const planned: { date: string; kind: ReadinessAssessment['kind']; grade: 8 | 9 | 10 }[] = [];
    for (let g = 8; g <= grade; g++) {
      const start = this.schoolYear - (grade - g);
      const december = `${start}-12-${String(rng.between(1, 15)).padStart(2, '0')}`;
      if (g === 8) {
        planned.push({ date: december, kind: 'PRELIMINARY', grade: 8 });
        planned.push({ date: isoOf(dayNumber(`${start + 1}-01-15`) + rng.int(44)), kind: 'FINAL', grade: 8 });
      } else {
        planned.push({ date: december, kind: 'REASSESSMENT', grade: g as 9 | 10 });
      }
    }
    const due = planned.filter((a) => a.date <= this.asOf);
    const ordinaryGpa = (): number => Math.round(Math.min(12, Math.max(4, rng.normal(7.2, 1.8))) * 10) / 10;
    return due.map((a, i) => {
      const latest = i === due.length - 1;
      // Earlier assessments of a pupil who is now ready may have been "not ready" before.
      const bothNotReady = latest ? notReady : notReady || (v > 0 && rng.chance(0.4));
      if (bothNotReady) {
        const weakGrades = rng.chance(0.6);
        const gradeAverage = weakGrades ? Math.round((1.5 + rng.next() * 2.4) * 10) / 10 : ordinaryGpa();
        const personal = weakGrades ? rng.chance(0.5) : false;
        return {
          ...a,
          vocational: 'NOT_READY',
          upperSecondary: 'NOT_READY',
          gradeAverage,
          academic: gradeAverage >= 4,
          personal,
          social: weakGrades ? rng.chance(0.7) : rng.chance(0.4),
          practical: rng.chance(0.7),
        };
      }
      const gradeAverage = ordinaryGpa();
      return {
        ...a,
        vocational: 'READY',
        upperSecondary: gradeAverage >= 5 ? 'READY' : 'NOT_READY',
        gradeAverage,
        academic: true,
        personal: true,
        social: true,
        practical: true,
      };
    });
  }

  // ---------- young people who have left compulsory school ----------

  private youngPerson(
    base: Omit<Person, 'school' | 'guidance' | 'jobcenter' | 'social' | 'benefits'>,
    age: number,
    v: Vulnerability,
  ): Person {
    const rng = this.rng;
    const notInEducationP = age <= 17 ? P.notInEducation15to17 : age <= 24 ? P.notInEducation18to24 : P.notInEducation25to29;
    const status: Status = this.p(notInEducationP, v)
      ? 'NOT_IN_EDUCATION'
      : rng.weighted(STATUSES, STATUS_WEIGHTS[Math.min(29, Math.max(15, age))] ?? [1, 0, 0, 0]);

    let completedYouth: boolean;
    let vocational: boolean;
    let youthTrack: YouthTrack | null = null; // the current youth education, if any
    switch (status) {
      case 'YOUTH_ED':
        completedYouth = age >= 20 && rng.chance(0.35);
        vocational = false;
        youthTrack = this.youthTrackFor(age, v);
        break;
      case 'HIGHER_ED':
        completedYouth = true;
        vocational = rng.chance(age >= 24 ? 0.6 : 0.1);
        break;
      case 'FULL_TIME_WORK':
        completedYouth = rng.chance(age <= 19 ? 0.4 : age <= 24 ? 0.75 : 0.85);
        vocational = completedYouth && rng.chance(age <= 19 ? 0.3 : age <= 24 ? 0.5 : 0.75);
        break;
      case 'OTHER':
        completedYouth = true;
        vocational = age >= 25 || rng.chance(0.3);
        break;
      case 'NOT_IN_EDUCATION':
        completedYouth = age >= 25 && rng.chance(0.45);
        vocational = false;
        break;
    }

    const activity: Activity =
      status === 'YOUTH_ED' || status === 'HIGHER_ED'
        ? 'EDUCATION'
        : status === 'FULL_TIME_WORK'
          ? 'FULL_TIME_WORK'
          : status === 'OTHER'
            ? rng.weighted(['PART_TIME_WORK', 'UNEMPLOYED', 'OTHER'] as const, [45, 35, 20])
            : rng.weighted(['UNEMPLOYED', 'PART_TIME_WORK', 'OTHER'] as const, [50, 20, 30]);

    const links = this.linksFor(base.birthDate, age, v, status, completedYouth, vocational, youthTrack);

    // Social services: children's cases to 17, aftercare 18-22 (the family groups), adults' special group 18+.
    const cases: SocialCase[] = [];
    if (age <= 17 && this.p(P.childCase, v)) cases.push(...this.childCase(age, v).cases);
    if (age >= 18 && age <= 22 && this.p(P.aftercare18to22, v)) cases.push(this.aftercareCase(base.birthDate, v));
    if (age >= 18 && this.p(P.adultCase, v)) cases.push(this.adultCase(v));
    if (cases.length === 0 && this.p(P.closedChildCase, v)) cases.push(this.closedChildCase(base.birthDate));

    const notInEducation = status === 'NOT_IN_EDUCATION';
    let onJobcenter = false;
    if (notInEducation) onJobcenter = age >= 18 ? this.p(P.jobcenterIfNotInEducation, v) : v === 2 && rng.chance(0.15);
    else if (status === 'OTHER' && age >= 18 && !vocational) onJobcenter = rng.chance(0.5);
    else if (status === 'YOUTH_ED' && age >= 18 && v > 0) onJobcenter = rng.chance(0.08);

    const track = this.trackFor(status, age, v, youthTrack, vocational);
    const hasOpenCase = cases.some((c) => c.closed === null);
    const hasPlan = (age <= 25 && (!completedYouth || status === 'YOUTH_ED')) || onJobcenter || (hasOpenCase && age <= 29);
    const disagree = rng.chance(0.15);
    const jobcenter = onJobcenter ? this.jobcenterFacts(base.birthDate, age, v, status, track, disagree) : null;
    const social: SocialFacts | null = cases.length > 0 ? { cases } : null;
    // Where both the jobcenter and social services have a goal, one disagreeing unit is enough.
    if (social) this.alignSocialGoal(social, track, disagree && jobcenter === null);
    const benefits = this.benefitsFacts(age, v, status, vocational, jobcenter);

    const guidance: GuidanceFacts = {
      counsellor: rng.pick(this.area.counsellors),
      assessments: [],
      plan: hasPlan ? this.plan(track) : null,
      institutions: links,
      completedYouthEducation: completedYouth,
      vocationalQualification: vocational,
      fguTargetGroup: youthTrack === 'FGU' || (notInEducation && age < 25 && !completedYouth && rng.chance(0.55)),
      activity,
      educationDuty: age >= 15 && age <= 17 ? { fulfilled: !notInEducation } : null,
    };
    return { ...base, school: null, guidance, jobcenter, social, benefits };
  }

  private youthTrackFor(age: number, v: Vulnerability): YouthTrack {
    const weights = v === 2 ? [20, 35, 5, 30, 10] : age <= 17 ? [66, 18, 6, 8, 2] : age <= 19 ? [55, 28, 7, 8, 2] : [7, 65, 10, 15, 3];
    return this.rng.weighted(YOUTH_TRACKS, weights);
  }

  private trackFor(status: Status, age: number, v: Vulnerability, youthTrack: YouthTrack | null, vocational: boolean): Track {
    const rng = this.rng;
    switch (status) {
      case 'YOUTH_ED':
        return youthTrack ?? 'EUD';
      case 'HIGHER_ED':
        return 'HIGHER';
      case 'FULL_TIME_WORK':
        return vocational ? 'JOB' : rng.weighted(['JOB', 'EUD'] as const, [60, 40]);
      case 'OTHER':
        return rng.weighted(['HIGHER', 'EUD', 'JOB'] as const, [40, 35, 25]);
      case 'NOT_IN_EDUCATION':
        if (age >= 25) return rng.weighted(['EUD', 'JOB', 'HIGHER', 'OTHER'] as const, [45, 35, 5, 15]);
        return v === 2
          ? rng.weighted(['FGU', 'STU', 'EUD', 'JOB', 'OTHER'] as const, [30, 8, 25, 20, 17])
          : rng.weighted(['EUD', 'FGU', 'GYM', 'JOB', 'HIGHER', 'OTHER'] as const, [40, 15, 8, 25, 5, 7]);
    }
  }

  private institutionFor(track: YouthTrack | 'HIGHER'): { institutionId: string; institutionName: string; programme: string } {
    const { institution, programmes } = this.rng.pick(this.area.institutionsByTrack.get(track) ?? []);
    return { institutionId: institution.id, institutionName: institution.name, programme: this.rng.pick(programmes) };
  }

  /** The last 30 June on or before asOf, or of `year` if earlier. */
  private juneEnd(year: number): string {
    const lastJune = Number(this.asOf.slice(0, 4)) - (this.asOf.slice(5) >= '06-30' ? 0 : 1);
    return `${Math.min(year, lastJune)}-06-${String(this.rng.between(20, 28))}`;
  }

  /** 1 August (or a January intake) at most `yearsBack` school years ago, not in the future. */
  private intake(yearsBack: number): string {
    const year = this.schoolYear - this.rng.int(yearsBack + 1);
    const august = `${year}-08-${String(this.rng.between(1, 15)).padStart(2, '0')}`;
    if (this.rng.chance(0.15)) {
      const january = `${year + 1}-01-${String(this.rng.between(5, 12)).padStart(2, '0')}`;
      if (january <= this.asOf) return january;
    }
    return august <= this.asOf ? august : `${year - 1}-08-${august.slice(8)}`;
  }

  private linksFor(
    birthDate: string,
    age: number,
    v: Vulnerability,
    status: Status,
    completedYouth: boolean,
    vocational: boolean,
    youthTrack: YouthTrack | null,
  ): InstitutionLink[] {
    const rng = this.rng;
    const links: InstitutionLink[] = [];
    const birthYear = Number(birthDate.slice(0, 4));
    const link = (
      track: YouthTrack | 'HIGHER',
      status: InstitutionLink['status'],
      start: string,
      end: string | null,
      needsSupport = false,
    ): void => {
      const at = this.institutionFor(track);
      links.push({
        institutionId: at.institutionId,
        institutionName: at.institutionName,
        programme: at.programme,
        status,
        start,
        end,
        needsSupport,
      });
    };
    // A finished youth education first, where there is one.
    if (completedYouth) {
      const viaVocational = vocational && status !== 'HIGHER_ED' && rng.chance(0.7);
      const end = this.juneEnd(birthYear + (viaVocational ? 20 + rng.int(3) : 19));
      const years = viaVocational ? 4 : 3;
      link(
        viaVocational ? rng.weighted(['EUD', 'EUX'] as const, [80, 20]) : 'GYM',
        'COMPLETED',
        `${Number(end.slice(0, 4)) - years}-08-10`,
        end,
      );
      if (vocational && !viaVocational && status !== 'HIGHER_ED' && age >= 22) {
        const higherEnd = this.juneEnd(Number(end.slice(0, 4)) + 3 + rng.int(2));
        link('HIGHER', 'COMPLETED', `${Number(higherEnd.slice(0, 4)) - 3}-09-01`, higherEnd);
      }
    }
    // An earlier drop-out, more likely the more vulnerable.
    if ((age >= 17 && rng.chance([0.08, 0.35, 0.6][v] ?? 0.1)) || (status === 'NOT_IN_EDUCATION' && rng.chance(0.7))) {
      const start = `${Math.min(this.schoolYear, birthYear + 16 + rng.int(Math.max(1, age - 15)))}-08-10`;
      const startDay = Math.min(dayNumber(start), this.asOfDay - 60);
      const end = isoOf(Math.min(this.asOfDay - 30, startDay + rng.between(30, 400)));
      link(rng.weighted(['EUD', 'GYM', 'FGU', 'EUX'] as const, [50, 30, 15, 5]), 'DROPPED_OUT', isoOf(startDay), end);
    }
    switch (status) {
      case 'YOUTH_ED': {
        const needsSupport = this.p(P.needsSupport, v);
        link(youthTrack ?? 'EUD', 'ENROLLED', this.intake(Math.min(3, Math.max(0, age - 16))), null, needsSupport);
        break;
      }
      case 'HIGHER_ED':
        {
          const year = this.schoolYear - rng.int(Math.min(5, Math.max(1, age - 19)));
          // Higher education starts in September: not yet begun early in a school year.
          link('HIGHER', 'ENROLLED', `${`${year}-09-01` <= this.asOf ? year : year - 1}-09-01`, null);
        }
        break;
      case 'NOT_IN_EDUCATION':
        if (rng.chance(0.15)) {
          const next = this.asOf < `${this.schoolYear + 1}-01-01` ? `${this.schoolYear + 1}-01-08` : `${this.schoolYear + 1}-08-10`;
          link(age >= 25 ? 'EUD' : rng.weighted(['EUD', 'FGU', 'GYM'] as const, [55, 35, 10]), 'APPLYING', next, null);
        }
        break;
      default:
        break;
    }
    return links;
  }

  // ---------- plans and goals ----------

  private plan(track: Track): NonNullable<GuidanceFacts['plan']> {
    const rng = this.rng;
    const updated = isoOf(this.asOfDay - rng.between(3, 300));
    const texts = STEP_TEXTS[track];
    const stepCount = rng.between(1, Math.min(3, texts.length));
    const steps: PlanStep[] = [];
    const used = new Set<string>();
    for (let i = 0; i < stepCount; i++) {
      const text = rng.pick(texts);
      if (used.has(text)) continue;
      used.add(text);
      const due = isoOf(dayNumber(updated) + rng.between(14, 240));
      steps.push({ text, due, status: due < this.asOf && rng.chance(0.75) ? 'DONE' : 'OPEN' });
    }
    return { goal: rng.pick(GOAL_TEXTS[track]), track, steps, updated };
  }

  private goal(track: Track, disagree: boolean): { track: Track; text: string } {
    const actual = disagree ? this.rng.pick(DISAGREEING_TRACK[track]) : track;
    return { track: actual, text: this.rng.pick(GOAL_TEXTS[actual]) };
  }

  /** Open cases get the plan's goal (most of them), or a disagreeing one. */
  private alignSocialGoal(social: SocialFacts, track: Track, disagree: boolean): void {
    for (const c of social.cases) {
      if (c.closed !== null) continue;
      c.goal = this.rng.chance(0.7) ? this.goal(track, disagree) : null;
      if (disagree) return;
    }
  }

  // ---------- social services ----------

  private caseNumber(opened: string): string {
    this.caseCounter += 1;
    return `SAG-${opened.slice(0, 4)}-${String(this.caseCounter).padStart(5, '0')}`;
  }

  private caseworkerFor(unit: SocialUnit): { id: string; name: string } {
    // Each unit has its own six caseworkers (the special groups share the last ones).
    const offset = {
      FAMILY_GROUP_1: 0,
      FAMILY_GROUP_2: 4,
      FAMILY_GROUP_3: 8,
      FAMILY_GROUP_4: 12,
      SPECIAL_GROUP_CHILDREN: 16,
      SPECIAL_GROUP_ADULTS: 20,
    }[unit];
    const { caseworkers } = this.area;
    return caseworkers[(offset + this.rng.int(4)) % caseworkers.length]!;
  }

  private childBasis(opened: string, placement: boolean): string {
    if (opened >= '2024-01-01') return placement ? 'BL § 46' : 'BL § 32';
    return 'SEL § 52';
  }

  private childCase(age: number, v: Vulnerability): SocialFacts {
    const rng = this.rng;
    const unit: SocialUnit = rng.chance(0.15)
      ? 'SPECIAL_GROUP_CHILDREN'
      : rng.pick(['FAMILY_GROUP_1', 'FAMILY_GROUP_2', 'FAMILY_GROUP_3', 'FAMILY_GROUP_4'] as const);
    const opened = isoOf(this.asOfDay - rng.between(20, Math.max(60, Math.min(age - 6, 8) * 365)));
    const measures: SocialCase['measures'] = [];
    const from = (): string => isoOf(Math.min(this.asOfDay - 1, dayNumber(opened) + rng.between(7, 120)));
    const placement = rng.chance(v === 2 ? 0.3 : 0.1);
    if (placement) {
      measures.push({
        type: rng.weighted(['PLACEMENT_NETWORK', 'PLACEMENT_FOSTER_FAMILY', 'PLACEMENT_INSTITUTION'] as const, [25, 50, 25]),
        from: from(),
        to: null,
      });
    } else {
      measures.push({ type: 'FAMILY_TREATMENT', from: from(), to: rng.chance(0.3) ? isoOf(this.asOfDay - rng.between(1, 60)) : null });
    }
    if (this.p(P.contactPersonMeasure, v)) measures.push({ type: 'CONTACT_PERSON', from: from(), to: null });
    return {
      cases: [
        {
          caseNumber: this.caseNumber(opened),
          unit,
          caseworker: this.caseworkerFor(unit),
          opened,
          closed: null,
          legalBasis: this.childBasis(opened, placement),
          measures,
          goal: null,
        },
      ],
    };
  }

  private closedChildCase(birthDate: string): SocialCase {
    const rng = this.rng;
    const birth = dayNumber(birthDate);
    const opened = isoOf(Math.min(this.asOfDay - 400, birth + rng.between(6 * 365, 14 * 365)));
    const closed = isoOf(Math.min(this.asOfDay - 30, dayNumber(opened) + rng.between(120, 900)));
    const unit = rng.pick(['FAMILY_GROUP_1', 'FAMILY_GROUP_2', 'FAMILY_GROUP_3', 'FAMILY_GROUP_4'] as const);
    return {
      caseNumber: this.caseNumber(opened),
      unit,
      caseworker: this.caseworkerFor(unit),
      opened,
      closed,
      legalBasis: this.childBasis(opened, false),
      measures: [{ type: 'FAMILY_TREATMENT', from: opened, to: closed }],
      goal: null,
    };
  }

  /** Efterværn: a family group keeps the young person from 18 until 23. */
  private aftercareCase(birthDate: string, v: Vulnerability): SocialCase {
    const rng = this.rng;
    const eighteen = addYears(birthDate, 18);
    const opened = isoOf(dayNumber(eighteen) - rng.between(0, 60));
    const unit = rng.pick(['FAMILY_GROUP_1', 'FAMILY_GROUP_2', 'FAMILY_GROUP_3', 'FAMILY_GROUP_4'] as const);
    const measures: SocialCase['measures'] = [{ type: 'AFTERCARE', from: eighteen <= this.asOf ? eighteen : opened, to: null }];
    if (this.p(P.contactPersonMeasure, v)) measures.push({ type: 'CONTACT_PERSON', from: eighteen, to: null });
    if (rng.chance(0.3))
      measures.push({
        type: 'HOUSING_SUPPORT',
        from: isoOf(Math.min(this.asOfDay - 1, dayNumber(eighteen) + rng.between(30, 400))),
        to: null,
      });
    return {
      caseNumber: this.caseNumber(opened),
      unit,
      caseworker: this.caseworkerFor(unit),
      opened,
      closed: null,
      legalBasis: opened >= '2024-01-01' ? 'BL § 114' : 'SEL § 76',
      measures,
      goal: null,
    };
  }

  private adultCase(v: Vulnerability): SocialCase {
    const rng = this.rng;
    const opened = isoOf(this.asOfDay - rng.between(20, 1500));
    const measures: SocialCase['measures'] = [];
    const supported = rng.chance(0.2);
    measures.push({ type: supported ? 'SUPPORTED_HOUSING' : 'HOUSING_SUPPORT', from: opened, to: null });
    if (this.p(P.contactPersonMeasure, v)) measures.push({ type: 'CONTACT_PERSON', from: opened, to: null });
    return {
      caseNumber: this.caseNumber(opened),
      unit: 'SPECIAL_GROUP_ADULTS',
      caseworker: this.caseworkerFor('SPECIAL_GROUP_ADULTS'),
      opened,
      closed: null,
      legalBasis: supported ? 'SEL § 107' : 'SEL § 85',
      measures,
      goal: null,
    };
  }

  // ---------- jobcenter and benefits ----------

  private jobcenterFacts(
    birthDate: string,
    age: number,
    v: Vulnerability,
    status: Status,
    track: Track,
    disagree: boolean,
  ): JobcenterFacts {
    const rng = this.rng;
    const earliest = dayNumber(addYears(birthDate, age >= 18 ? 18 : 15));
    const referredDay = Math.max(earliest, this.asOfDay - rng.between(14, 3 * 365));
    const referred = isoOf(referredDay);
    const category = this.p(P.activityReady, v) ? 'ACTIVITY_READY' : 'EDUCATION_READY';
    const efforts: JobcenterFacts['efforts'] = [];
    const types: readonly EffortType[] =
      category === 'ACTIVITY_READY'
        ? ['PROJECT', 'COMPANY_INTERNSHIP', 'WAGE_SUBSIDY']
        : ['BRIDGE_BUILDING', 'COMPANY_INTERNSHIP', 'PROJECT'];
    const descriptions: Record<EffortType, string> = {
      COMPANY_INTERNSHIP: 'Virksomhedspraktik i detailhandel',
      WAGE_SUBSIDY: 'Løntilskud i kommunal virksomhed',
      PROJECT: 'Projektforløb i Uddannelseshuset',
      BRIDGE_BUILDING: 'Brobygning til erhvervsuddannelse',
      MENTOR: 'Mentorstøtte',
    };
    const count = rng.int(3);
    for (let i = 0; i < count; i++) {
      const type = rng.pick(types);
      const start = Math.min(this.asOfDay - 1, referredDay + rng.between(7, 200));
      const active = status !== 'YOUTH_ED' && rng.chance(0.4);
      const end = active ? null : isoOf(Math.min(this.asOfDay - 1, start + rng.between(14, 120)));
      efforts.push({ type, start: isoOf(start), end, description: descriptions[type] });
    }
    if (status !== 'YOUTH_ED' && this.p(P.mentor, v)) {
      efforts.push({
        type: 'MENTOR',
        start: isoOf(Math.min(this.asOfDay - 1, referredDay + rng.between(7, 120))),
        end: null,
        description: descriptions.MENTOR,
      });
    }
    efforts.sort((a, b) => a.start.localeCompare(b.start));
    return {
      advisor: rng.pick(this.area.advisors),
      category,
      referred,
      goal: this.goal(track, disagree),
      efforts,
    };
  }

  private benefitsFacts(
    age: number,
    v: Vulnerability,
    status: Status,
    vocational: boolean,
    jobcenter: JobcenterFacts | null,
  ): BenefitsFacts | null {
    const rng = this.rng;
    if (age < 18) return null;
    const payments: BenefitsFacts['payments'] = [];
    if (jobcenter) {
      let type: BenefitType = vocational ? 'CASH_BENEFIT' : 'EDUCATION_BENEFIT';
      if (jobcenter.category === 'ACTIVITY_READY' && v === 2 && age >= 20 && rng.chance(0.12)) type = 'RESOURCE_COURSE_BENEFIT';
      else if (rng.chance(0.02)) type = 'TRANSITION_BENEFIT';
      const from = jobcenter.referred.slice(0, 8) + '01';
      const ended = status === 'YOUTH_ED';
      payments.push({
        type,
        from,
        to: ended ? isoOf(this.asOfDay - rng.between(10, 200)) : null,
        monthlyAmountDkk: this.monthlyAmount(type, age),
      });
      if (rng.chance(0.2)) {
        const earlierTo = isoOf(dayNumber(from) - rng.between(30, 300));
        const earlierFrom = isoOf(dayNumber(earlierTo) - rng.between(60, 400));
        if (earlierFrom >= addYears(this.asOf, -(age - 18))) {
          payments.unshift({
            type: 'EDUCATION_BENEFIT',
            from: earlierFrom,
            to: earlierTo,
            monthlyAmountDkk: this.monthlyAmount('EDUCATION_BENEFIT', age),
          });
        }
      }
    } else if ((status === 'YOUTH_ED' || status === 'HIGHER_ED') && v > 0 && age >= 19 && rng.chance(0.15)) {
      const to = isoOf(this.asOfDay - rng.between(60, 700));
      payments.push({
        type: 'EDUCATION_BENEFIT',
        from: isoOf(dayNumber(to) - rng.between(60, 300)),
        to,
        monthlyAmountDkk: this.monthlyAmount('EDUCATION_BENEFIT', age),
      });
    }
    if (payments.length === 0) return null;
    const oneOff: BenefitsFacts['oneOff'] = [];
    if (rng.chance(0.2)) {
      const [type, amountDkk] = rng.pick(ONE_OFF_TYPES);
      oneOff.push({ type, date: isoOf(this.asOfDay - rng.between(5, 500)), amountDkk });
    }
    return { payments, oneOff };
  }

  private monthlyAmount(type: BenefitType, age: number): number {
    const rng = this.rng;
    switch (type) {
      case 'EDUCATION_BENEFIT':
        return age < 25 && rng.chance(0.4) ? 3172 : rng.chance(0.1) ? 11740 : 6118;
      case 'CASH_BENEFIT':
        return rng.chance(0.15) ? 16677 : 12550;
      case 'RESOURCE_COURSE_BENEFIT':
        return 12550;
      case 'TRANSITION_BENEFIT':
        return 6500;
    }
  }
}

/** How many people each system holds: for logs and quick sanity checks. */
export function summarizePopulation(population: Population): Record<string, number> {
  let pupils = 0,
    jobcenter = 0,
    social = 0,
    benefits = 0,
    aged16to29 = 0;
  for (const p of population.people) {
    if (p.school) pupils++;
    if (p.jobcenter) jobcenter++;
    if (p.social) social++;
    if (p.benefits) benefits++;
    const age = ageOn(p.birthDate, population.asOf);
    if (age >= 16 && age <= 29) aged16to29++;
  }
  return { people: population.people.length, aged16to29, pupils, guidance: population.people.length, jobcenter, social, benefits };
}
