import { describe, expect, it } from 'vitest';
import { generatePopulation, MAX_SCALE, NATIONAL_SCALE } from '../../systems/population/generate.js';
import { areaCount, buildAreas } from '../../systems/population/areas.js';
import { isCprFormat, satisfiesModulus11 } from '../../systems/population/cpr.js';
import { loadSystemsConfig } from '../../systems/config.js';

/**
 * Above scale 1 the population is several areas of Aalborg's size (systems/population/areas.ts): more
 * people in proportion, staff and schools growing with them, every CPR number unique. The national run
 * itself (about a million people) is the graph benchmark's `--national` mode, not a test.
 */
describe('population above scale 1', () => {
  it('maps scales to areas: one up to 1, one per started Aalborg above', () => {
    expect(areaCount(0.01)).toBe(1);
    expect(areaCount(1)).toBe(1);
    expect(areaCount(1.5)).toBe(2);
    expect(areaCount(NATIONAL_SCALE)).toBe(17);
    expect(areaCount(MAX_SCALE)).toBe(MAX_SCALE);
  });

  it('gives every area its own schools, institutions and staff, Aalborg first and unchanged', () => {
    const [aalborg, second] = buildAreas(2);
    expect(aalborg!.schools[0]).toEqual({ id: 'S-0001', name: 'Vestbjerg Skole' });
    expect(aalborg!.counsellors[0]!.email).toMatch(/@aalborg\.dk$/);
    expect(aalborg!.advisors[0]!.id).toBe('JC-001');
    expect(second!.name).toBe('København');
    expect(second!.tenthGradeCentre.name).toBe('København 10. klasse-center');
    const ids = (pick: (area: NonNullable<typeof aalborg>) => string[]) => [...pick(aalborg!), ...pick(second!)];
    for (const list of [
      ids((a) => a.schools.map((s) => s.id)),
      ids((a) => a.institutions.map((i) => i.id)),
      ids((a) => a.counsellors.map((c) => c.initials)),
      ids((a) => a.advisors.map((s) => s.id)),
      ids((a) => a.caseworkers.map((s) => s.id)),
    ]) {
      expect(new Set(list).size).toBe(list.length);
    }
  });

  it('at scale 1.5 has half as many people again, unique valid CPR numbers and staff from both areas', () => {
    const aalborg = generatePopulation({ scale: 1 });
    const larger = generatePopulation({ scale: 1.5 });
    expect(larger.people.length / aalborg.people.length).toBeGreaterThan(1.49);
    expect(larger.people.length / aalborg.people.length).toBeLessThan(1.51);
    expect(larger.byCpr.size).toBe(larger.people.length);
    expect(larger.byUuId.size).toBe(larger.people.length);
    expect(larger.people.every((p) => isCprFormat(p.cpr) && !satisfiesModulus11(p.cpr))).toBe(true);
    const counsellors = new Set(larger.people.map((p) => p.guidance.counsellor.initials));
    expect(counsellors.size).toBeGreaterThan(new Set(aalborg.people.map((p) => p.guidance.counsellor.initials)).size);
    expect(larger.schools).toHaveLength(2 * aalborg.schools.length);
    // Each area about as many people: every counsellor's caseload stays Aalborg's size.
    const perArea = new Map<string, number>();
    for (const p of larger.people) {
      const area = p.guidance.counsellor.email.split('@')[1]!;
      perArea.set(area, (perArea.get(area) ?? 0) + 1);
    }
    expect([...perArea.keys()].sort()).toEqual(['aalborg.dk', 'koebenhavn.dk']);
    for (const count of perArea.values()) expect(count / larger.people.length).toBeGreaterThan(0.45);
  });

  it('reads POPULATION_SCALE above 1 and `national`, and refuses beyond the largest', () => {
    expect(loadSystemsConfig({ POPULATION_SCALE: 'national' }).population.scale).toBe(NATIONAL_SCALE);
    expect(loadSystemsConfig({ POPULATION_SCALE: '4' }).population.scale).toBe(4);
    expect(() => loadSystemsConfig({ POPULATION_SCALE: String(MAX_SCALE + 1) })).toThrow(/POPULATION_SCALE/);
    expect(() => loadSystemsConfig({ POPULATION_SCALE: 'nation' })).toThrow(/POPULATION_SCALE/);
  });
});
