import { beforeAll, describe, expect, it } from 'vitest';
import { generatePopulation, MAX_SCALE, type Population } from '../../systems/population/generate.js';
import { ageOn } from '../../platform/dates.js';
import { dayNumber, schoolYearStartOf, weekday } from '../../systems/population/calendar.js';
import type { Person } from '../../systems/population/model.js';
import { hasExistingSupport, inTargetGroup, isCandidate, tally } from './rulesOracle.js';
import { screenAll, screenPerson } from './realScreening.js';

let full: Population;
let generationMs = 0;

beforeAll(() => {
  const started = performance.now();
  full = generatePopulation();
  generationMs = performance.now() - started;
});

const age = (p: Person): number => ageOn(p.birthDate, full.asOf);

describe('population generator', () => {
  it('generates the full population quickly', () => {
    // About 1.5 s on an idle two-core machine; loose so that a busy CI machine does not fail it.
    expect(generationMs).toBeLessThan(10_000);
  });

  it('is deterministic for a seed and differs between seeds', () => {
    const a = generatePopulation({ seed: 42, scale: 0.02 });
    const b = generatePopulation({ seed: 42, scale: 0.02 });
    const c = generatePopulation({ seed: 43, scale: 0.02 });
    expect(JSON.stringify(a.people.slice(0, 50))).toBe(JSON.stringify(b.people.slice(0, 50)));
    expect(a.people.map((p) => p.cpr)).toEqual(b.people.map((p) => p.cpr));
    expect(a.people.slice(0, 50).map((p) => p.cpr)).not.toEqual(c.people.slice(0, 50).map((p) => p.cpr));
    // The generator is sequential: a smaller run of the default seed starts with the same people.
    expect(JSON.stringify(generatePopulation({ scale: 0.01 }).people.slice(0, 20))).toBe(JSON.stringify(full.people.slice(0, 20)));
  });

  it('refuses bad options', () => {
    expect(() => generatePopulation({ scale: 0 })).toThrow(RangeError);
    expect(() => generatePopulation({ scale: MAX_SCALE + 1 })).toThrow(RangeError);
    expect(() => generatePopulation({ asOf: '2026-02-30' })).toThrow(RangeError);
  });

  it('has 53,674 young people aged 16-29 and about 2,400 pupils per grade', () => {
    const aged16to29 = full.people.filter((p) => age(p) >= 16 && age(p) <= 29).length;
    expect(aged16to29).toBe(53_674);
    expect(full.people.every((p) => age(p) <= 29 && age(p) >= 12)).toBe(true);
    const byGrade = new Map<number, number>();
    for (const p of full.people) if (p.school) byGrade.set(p.school.grade, (byGrade.get(p.school.grade) ?? 0) + 1);
    for (const grade of [7, 8, 9]) {
      expect(byGrade.get(grade)).toBeGreaterThan(2250);
      expect(byGrade.get(grade)).toBeLessThan(2550);
    }
    // grade 10: about half of those leaving grade 9
    expect(byGrade.get(10)).toBeGreaterThan(1050);
    expect(byGrade.get(10)).toBeLessThan(1350);
    expect(full.byCpr.size).toBe(full.people.length);
    expect(full.byUuId.size).toBe(full.people.length);
    expect(full.schools.length).toBeGreaterThanOrEqual(40);
    expect(full.institutions.length).toBeGreaterThanOrEqual(12);
  });

  it('shrinks proportionally with scale', () => {
    const tenth = generatePopulation({ scale: 0.1 });
    expect(tenth.people.length).toBeGreaterThan(full.people.length * 0.099);
    expect(tenth.people.length).toBeLessThan(full.people.length * 0.101);
  });

  // seeds/000_f9d4dc655f6ffb76.txt, "Målgruppen i tal": "vurderes at udgøre ca. 3300 unge" of "53.674 unge i
  // alderen 16-29 år"; "Målgruppen for den gennemgående kontaktperson": Aalborg's estimate of 50-100 candidates.
  it('reproduces the seed with the real screening rules over the whole population: about 3,300 in the target group, 50-100 candidates', () => {
    // The production rules (subgraphs/coordination/rules) on each system's own records read back through its
    // client, at the population's reference date: the date the stack's screening uses over these systems.
    const t = screenAll(full.people, full.asOf);
    expect(t.targetGroup).toBeGreaterThanOrEqual(2970);
    expect(t.targetGroup).toBeLessThanOrEqual(3630);
    expect(t.candidates).toBeGreaterThanOrEqual(50);
    expect(t.candidates).toBeLessThanOrEqual(100);
    const supportShare = t.withExistingSupport / t.candidates;
    expect(supportShare).toBeGreaterThanOrEqual(0.15);
    expect(supportShare).toBeLessThanOrEqual(0.4);
    // Every indicator of figure 1 occurs, in a believable share; concerning absence (note 2) is not one.
    expect(t.byIndicator.ABSENCE_OVER_20).toBeGreaterThan(250);
    expect(t.byIndicator.NOT_EDUCATION_READY).toBeGreaterThan(150);
    expect(t.byIndicator.NOT_IN_EDUCATION).toBeGreaterThan(1500);
    expect(t.byIndicator.NEEDS_SUPPORT_IN_EDUCATION).toBeGreaterThan(200);
    expect(t.byIndicator.SOCIAL_CASE).toBeGreaterThanOrEqual(10);
    expect(Object.keys(t.byIndicator)).not.toContain('CONCERNING_ABSENCE');
    // Most young people need no effort.
    expect(t.targetGroup / full.people.length).toBeLessThan(0.07);

    // The independent oracle (docs/rules.md read literally on the canonical records) agrees exactly.
    const o = tally(full.people, full.asOf);
    expect({ targetGroup: o.targetGroup, candidates: o.candidates, withExistingSupport: o.withExistingSupport }).toEqual({
      targetGroup: t.targetGroup,
      candidates: t.candidates,
      withExistingSupport: t.withExistingSupport,
    });
    expect(o.byIndicator).toEqual({ ...o.byIndicator, ...t.byIndicator });
    expect(o.multipleIndicators).toBeGreaterThan(50);
  });

  it('counts a pupil over 20 % only in the school year in progress outside the target group (note 2, "et helt skoleår")', () => {
    const onlyThisYear = full.people.filter((p) => {
      const [previous, current] = p.school?.absence ?? [];
      return previous && current && previous.absentDays * 5 <= previous.schoolDays && current.absentDays * 5 > current.schoolDays;
    });
    expect(onlyThisYear.length).toBeGreaterThan(10);
    for (const p of onlyThisYear) expect(screenPerson(p, full.asOf).indicators).not.toContain('ABSENCE_OVER_20');
  });

  it('keeps each system to its people', () => {
    const wrong: string[] = [];
    for (const p of full.people) {
      if (p.school) {
        if (![7, 8, 9, 10].includes(p.school.grade) || age(p) > 16) wrong.push(`${p.uuId}: pupil aged ${age(p)}`);
        if (!p.school.className.startsWith(`${p.school.grade}.`)) wrong.push(`${p.uuId}: class ${p.school.className}`);
        if (p.guidance.activity !== 'EDUCATION') wrong.push(`${p.uuId}: pupil not in education`);
      }
      if (p.jobcenter && (age(p) < 15 || p.jobcenter.referred > full.asOf)) wrong.push(`${p.uuId}: jobcenter`);
      if (p.benefits && age(p) < 18) wrong.push(`${p.uuId}: benefits under 18`);
      if ((p.guidance.educationDuty !== null) !== (age(p) >= 15 && age(p) <= 17)) wrong.push(`${p.uuId}: education duty`);
    }
    expect(wrong).toEqual([]);
    const jobcenter = full.people.filter((p) => p.jobcenter);
    const adults = jobcenter.filter((p) => age(p) >= 18).length;
    expect(adults / jobcenter.length).toBeGreaterThan(0.97);
    // Most of the jobcenter's young people have no vocational qualification and are neither in work nor education.
    const typical = jobcenter.filter((p) => !p.guidance.vocationalQualification && p.guidance.activity !== 'FULL_TIME_WORK').length;
    expect(typical / jobcenter.length).toBeGreaterThan(0.8);
    // Benefits follow the jobcenter caseload.
    const onCaseload = jobcenter.filter((p) => age(p) >= 18);
    expect(onCaseload.filter((p) => p.benefits).length / onCaseload.length).toBeGreaterThan(0.95);
  });

  it("gives 3-4 % of the pupils an open children's case and some adults aftercare or an adult case", () => {
    const pupils = full.people.filter((p) => p.school);
    const withCase = pupils.filter((p) => p.social?.cases.some((c) => c.closed === null));
    expect(withCase.length / pupils.length).toBeGreaterThan(0.025);
    expect(withCase.length / pupils.length).toBeLessThan(0.045);
    const aftercare = full.people.filter((p) => p.social?.cases.some((c) => c.measures.some((m) => m.type === 'AFTERCARE')));
    expect(aftercare.length).toBeGreaterThan(50);
    expect(aftercare.every((p) => age(p) >= 18 && age(p) <= 22)).toBe(true);
    expect(full.people.some((p) => p.social?.cases.some((c) => c.unit === 'SPECIAL_GROUP_ADULTS'))).toBe(true);
    const caseNumbers = full.people.flatMap((p) => p.social?.cases.map((c) => c.caseNumber) ?? []);
    expect(new Set(caseNumbers).size).toBe(caseNumbers.length);
  });

  it('places unlawful absence on school weekdays of the right school year, up to asOf', () => {
    const current = schoolYearStartOf(full.asOf);
    const wrong: string[] = [];
    for (const p of full.people) {
      if (!p.school) continue;
      if (p.school.absence.length === 0) wrong.push(`${p.uuId}: no absence record`);
      for (const year of p.school.absence) {
        const start = Number(year.schoolYear.slice(0, 4));
        if (start !== current && start !== current - 1) wrong.push(`${p.uuId}: school year ${year.schoolYear}`);
        if (year.absentDays < year.unlawfulAbsenceDates.length || year.absentDays > year.schoolDays || year.schoolDays > 205) {
          wrong.push(`${p.uuId}: ${year.absentDays} of ${year.schoolDays} days`);
        }
        for (const date of year.unlawfulAbsenceDates) {
          const w = weekday(dayNumber(date));
          if (w < 1 || w > 5) wrong.push(`${p.uuId}: ${date} is not a weekday`);
          if (date < `${start}-08-01` || date > `${start + 1}-06-30` || date > full.asOf)
            wrong.push(`${p.uuId}: ${date} outside ${year.schoolYear}`);
        }
      }
    }
    expect(wrong).toEqual([]);
    // A full school year has about 200 school days.
    const previous = full.people.find((p) => p.school)!.school!.absence[0]!;
    expect(previous.schoolDays).toBeGreaterThan(190);
  });

  it('gives pupils a realistic absence history: mostly low, some above 20 %', () => {
    const ratios = full.people.flatMap(
      (p) => p.school?.absence.filter((y) => y.schoolDays >= 20).map((y) => y.absentDays / y.schoolDays) ?? [],
    );
    const mean = ratios.reduce((a, b) => a + b, 0) / ratios.length;
    expect(mean).toBeGreaterThan(0.03);
    expect(mean).toBeLessThan(0.08);
    const over20 = ratios.filter((r) => r > 0.2).length / ratios.length;
    expect(over20).toBeGreaterThan(0.01);
    expect(over20).toBeLessThan(0.06);
  });

  it('assesses readiness from grade 8 on, never after asOf', () => {
    const wrong: string[] = [];
    for (const p of full.people) {
      for (const a of p.guidance.assessments) {
        if (a.date > full.asOf || !p.school || a.grade > p.school.grade || a.grade < 8) wrong.push(`${p.uuId}: ${a.kind} ${a.date}`);
      }
      if (p.school && p.school.grade >= 9 && p.guidance.assessments.length < 2) wrong.push(`${p.uuId}: grade 9+ without UPV`);
    }
    expect(wrong).toEqual([]);
  });

  it("lets the UU plan and another unit's goal disagree for some 15 % of those with both", () => {
    let both = 0;
    let differing = 0;
    for (const p of full.people) {
      const plan = p.guidance.plan;
      const others = [p.jobcenter?.goal, ...(p.social?.cases.map((c) => c.goal) ?? [])].filter((g) => g != null);
      if (!plan || others.length === 0) continue;
      both++;
      if (others.some((g) => g.track !== plan.track)) differing++;
    }
    expect(both).toBeGreaterThan(1000);
    expect(differing / both).toBeGreaterThan(0.1);
    expect(differing / both).toBeLessThan(0.2);
  });

  // seeds/003_1c3a5bb32b99f2ff.txt, "Projektpartnere": the youth effort's partners, so partners and reports read like Aalborg.
  it('links young people to the seed’s partner institutions, under ids that stay put', () => {
    const names = full.institutions.map((institution) => institution.name);
    for (const partner of [
      'TAMU',
      'UngAUC',
      'Aalborg Ungdomsskole',
      'Træningshøjskolen',
      'Lille Vildmose Produktionsskole',
      'Aalborg Produktionsskole',
      'AOF Daghøjskole',
      'Fokus',
      'Sind Daghøjskole',
      'Kvindedaghøjskolen',
      'Tech College',
      'SOSU Nord',
      'Aalborg Handelsskole',
      'AMU Nordjylland',
      'VUC Nordjylland',
    ]) {
      expect(
        names.filter((name) => name.includes(partner)),
        partner,
      ).toHaveLength(1);
    }
    // The ids existing tokens and tests name keep their institutions (new ones are appended).
    expect(full.institutions.slice(0, 4).map((i) => [i.id, i.name])).toEqual([
      ['I-101', 'Tech College Aalborg'],
      ['I-102', 'Aalborg Handelsskole'],
      ['I-103', 'SOSU Nord'],
      ['I-104', 'AMU Nordjylland'],
    ]);
    expect(new Set(full.institutions.map((i) => i.id)).size).toBe(full.institutions.length);
    // Every institution has young people linked to it: a partner's list is never empty by construction.
    const linked = new Set(full.people.flatMap((p) => p.guidance.institutions.map((link) => link.institutionId)));
    for (const institution of full.institutions) expect(linked.has(institution.id), institution.name).toBe(true);
  });

  it('keeps enrolment, activity and qualifications consistent', () => {
    const wrong: string[] = [];
    for (const p of full.people) {
      const g = p.guidance;
      const enrolled = g.institutions.filter((l) => l.status === 'ENROLLED');
      if (enrolled.length > 1) wrong.push(`${p.uuId}: enrolled twice`);
      if (enrolled.length === 1 && g.activity !== 'EDUCATION') wrong.push(`${p.uuId}: enrolled but ${g.activity}`);
      if (!p.school && g.activity === 'EDUCATION' && enrolled.length !== 1) wrong.push(`${p.uuId}: in education without enrolment`);
      for (const link of g.institutions) {
        if (link.start > full.asOf && link.status !== 'APPLYING') wrong.push(`${p.uuId}: ${link.status} starts ${link.start}`);
        if (link.end !== null && link.end < link.start) wrong.push(`${p.uuId}: ${link.status} ends before it starts`);
        if (link.needsSupport && link.status !== 'ENROLLED') wrong.push(`${p.uuId}: support need outside enrolment`);
      }
      if (g.vocationalQualification && !g.completedYouthEducation) wrong.push(`${p.uuId}: qualification without youth education`);
    }
    expect(wrong).toEqual([]);
  });

  it('gives the oracle consistent answers (target group, candidates, existing support)', () => {
    const candidates = full.people.filter((p) => isCandidate(p, full.asOf));
    for (const p of candidates) expect(inTargetGroup(p, full.asOf)).toBe(true);
    expect(candidates.some((p) => p.school)).toBe(true);
    expect(candidates.some((p) => !p.school)).toBe(true);
    expect(candidates.some((p) => hasExistingSupport(p, full.asOf))).toBe(true);
  });
});
