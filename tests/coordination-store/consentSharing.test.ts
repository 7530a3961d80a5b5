/**
 * A list's filter on derived facts never says what the field itself withholds (issue 14, section 2):
 * `youths(filter: {inTargetGroup: true, ageMin: 25})` lists a 25-29-year-old only where their consent
 * covers the units the target group is derived from. The SQL condition (store/consents.ts
 * `sharingCondition`) is checked against the rule itself (platform/authorization/legalBasis.ts
 * `legalBasisFor`) for every row: under and over 25 by a day, no consent, a consent covering some or all
 * units, a withdrawn one.
 */
import { describe, expect, it } from 'vitest';
import { legalBasisFor, type SourceUnit } from '../../platform/authorization/legalBasis.js';
import { ageOn } from '../../platform/dates.js';
import type { CoordinationStore, ScreeningRow } from '../../subgraphs/coordination/store/coordinationStore.js';
import { backends, useMigratedStore } from './backends.js';

const TODAY = '2026-11-01';
const TARGET_GROUP_UNITS: SourceUnit[] = ['SCHOOL', 'GUIDANCE', 'SOCIAL'];

/** Ages around the statutory limit (24 and a day short of 25, 25 today, 29) with every consent state. */
const BIRTH_DATES = ['2001-11-02', '2001-11-01', '1997-06-15', '2008-03-01'];
const CONSENTS: (readonly SourceUnit[] | 'withdrawn' | null)[] = [
  null,
  ['SCHOOL', 'GUIDANCE', 'SOCIAL'],
  ['SCHOOL', 'GUIDANCE'],
  'withdrawn',
  ['SCHOOL', 'GUIDANCE', 'JOBCENTER', 'SOCIAL', 'BENEFITS'],
];

interface Fixture {
  row: ScreeningRow;
  consent: readonly SourceUnit[] | 'withdrawn' | null;
}

const FIXTURES: Fixture[] = BIRTH_DATES.flatMap((birthDate, b) =>
  CONSENTS.map((consent, c) => ({
    consent,
    row: {
      youthId: `c-${b}-${c}`,
      birthDate,
      schoolId: null,
      grade: null,
      indicators: ['NOT_IN_EDUCATION'],
      inTargetGroup: true,
      contactPersonStatus: 'NOT_CANDIDATE',
      institutionIds: [],
      childrensCase: false,
      counsellor: 'ABC',
      advisorId: null,
      caseworkerIds: [],
      socialUnits: [],
      recordUnits: ['UU'],
      firstName: 'Test',
      lastName: `Person ${b}${c}`,
    },
  })),
);

describe.each(backends)('consent in list filters on $name', (backend) => {
  let store: CoordinationStore;
  useMigratedStore(backend, (opened) => ({ store } = opened));

  async function load(): Promise<void> {
    await store.replaceScreening(
      FIXTURES.map((f) => f.row),
      { startedAt: '2026-11-01T02:00:00Z', asOf: TODAY },
    );
    for (const { row, consent } of FIXTURES) {
      if (consent === null) continue;
      const units = consent === 'withdrawn' ? TARGET_GROUP_UNITS : consent;
      await store.recordConsent({ youthId: row.youthId, units, givenOn: '2026-01-05', recordedBy: 'UU/ABC', today: TODAY });
      if (consent === 'withdrawn') await store.withdrawConsent({ youthId: row.youthId, withdrawnBy: 'UU/ABC', today: TODAY });
    }
  }

  /** What the field rule would release: every needed unit has a legal basis for a caller with `own` units. */
  function released(fixture: Fixture, needed: readonly SourceUnit[]): boolean {
    const consentUnits = fixture.consent === null || fixture.consent === 'withdrawn' ? [] : fixture.consent;
    const facts = { ownUnits: new Set<string>(), subjectAccess: false, age: ageOn(fixture.row.birthDate, TODAY), consentUnits };
    return needed.every((unit) => legalBasisFor(unit, facts) !== null);
  }

  it.each<[string, SourceUnit[]]>([
    ['the target group (school, guidance, social)', TARGET_GROUP_UNITS],
    ['a UU caller: school and social, its own guidance left out', ['SCHOOL', 'SOCIAL']],
    ['the plan (four units)', ['SCHOOL', 'GUIDANCE', 'JOBCENTER', 'SOCIAL']],
  ])('lists exactly the young people whose derived facts the rule releases: %s', async (_name, units) => {
    await load();
    const page = await store.queryScreening({ inTargetGroup: true, asOf: TODAY, first: 100, sharing: { units } });
    const expected = FIXTURES.filter((f) => released(f, units))
      .map((f) => f.row.youthId)
      .sort();
    expect(page.rows.map((r) => r.youthId).sort()).toEqual(expected);
    expect(page.totalCount).toBe(expected.length);
    // Both sides of the rule are present: some over-25s are withheld, some listed on their consent.
    expect(expected.length).toBeGreaterThan(BIRTH_DATES.length);
    expect(expected.length).toBeLessThan(FIXTURES.length);
  });

  it('without a derived filter every row is listed (the condition is only for filters that read other units)', async () => {
    await load();
    const page = await store.queryScreening({ asOf: TODAY, first: 100 });
    expect(page.totalCount).toBe(FIXTURES.length);
  });

  it('a withdrawal takes effect on the next list', async () => {
    await load();
    const id = FIXTURES.find((f) => Array.isArray(f.consent) && f.consent.length === 5 && f.row.birthDate === '1997-06-15')!.row.youthId;
    const before = await store.queryScreening({ inTargetGroup: true, asOf: TODAY, first: 100, sharing: { units: TARGET_GROUP_UNITS } });
    expect(before.rows.map((r) => r.youthId)).toContain(id);
    await store.withdrawConsent({ youthId: id, withdrawnBy: 'UU/ABC', today: TODAY });
    const after = await store.queryScreening({ inTargetGroup: true, asOf: TODAY, first: 100, sharing: { units: TARGET_GROUP_UNITS } });
    expect(after.rows.map((r) => r.youthId)).not.toContain(id);
    expect(after.totalCount).toBe(before.totalCount! - 1);
  });
});
