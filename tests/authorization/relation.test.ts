import { describe, expect, it } from 'vitest';
import { PGlite } from '@electric-sql/pglite';
import {
  DATA_CATEGORIES,
  relationOf,
  relationSql,
  releasedCategories,
  type RelationCaller,
  type RelationFacts,
} from '../../platform/authorization/relation.js';

const TODAY = '2026-11-01';
const youth = (over: Partial<RelationFacts> = {}): RelationFacts => ({
  birthDate: '2008-05-01',
  counsellor: 'ABN',
  advisorId: null,
  caseworkerIds: [],
  socialUnits: [],
  inEffort: false,
  effortUnits: ['UU'],
  contactPersonId: null,
  ...over,
});
const caller = (role: string, unit: string | null, staffId: string | null = null): RelationCaller => ({
  role,
  unit,
  staffId,
  institution: null,
});

describe('relationOf: need to know per role', () => {
  it('UU: caseload by initials, statutory under 25, nothing at 25 outside the caseload', () => {
    expect(relationOf(caller('uu-counsellor', 'UU', 'ABN'), youth(), TODAY)).toBe('CASELOAD');
    expect(relationOf(caller('uu-counsellor', 'UU', 'BT'), youth(), TODAY)).toBe('STATUTORY');
    expect(relationOf(caller('uu-counsellor', 'UU', 'BT'), youth({ birthDate: '2001-10-31' }), TODAY)).toBeNull();
    expect(relationOf(caller('uu-counsellor', 'UU', 'BT'), youth({ birthDate: '2001-11-02' }), TODAY)).toBe('STATUTORY');
  });
  it('jobcenter: own advisor id, or a coordinated effort the jobcenter takes part in', () => {
    expect(relationOf(caller('jobcenter-advisor', 'JOBCENTER', 'JC-001'), youth({ advisorId: 'JC-001' }), TODAY)).toBe('CASELOAD');
    expect(relationOf(caller('jobcenter-advisor', 'JOBCENTER', 'JC-002'), youth({ advisorId: 'JC-001' }), TODAY)).toBeNull();
    expect(
      relationOf(
        caller('jobcenter-advisor', 'JOBCENTER', 'JC-002'),
        youth({ advisorId: 'JC-001', inEffort: true, effortUnits: ['UU', 'JOBCENTER'] }),
        TODAY,
      ),
    ).toBe('COORDINATED_EFFORT');
    expect(
      relationOf(caller('jobcenter-advisor', 'JOBCENTER', 'JC-002'), youth({ inEffort: true, effortUnits: ['UU'] }), TODAY),
    ).toBeNull();
  });
  it('social: own case, own unit; another family group has none', () => {
    const facts = youth({ caseworkerIds: ['SB-01'], socialUnits: ['FAMILY_GROUP_1'] });
    expect(relationOf(caller('social-caseworker', 'FAMILY_GROUP_2', 'SB-01'), facts, TODAY)).toBe('CASELOAD');
    expect(relationOf(caller('social-caseworker', 'FAMILY_GROUP_1', 'SB-02'), facts, TODAY)).toBe('UNIT');
    expect(relationOf(caller('social-caseworker', 'FAMILY_GROUP_2', 'SB-05'), facts, TODAY)).toBeNull();
  });
  it('contact person: their own assignment, or the contact persons take part in the effort', () => {
    expect(relationOf(caller('contact-person', 'CONTACT_PERSON', 'gkp-a'), youth({ contactPersonId: 'gkp-a' }), TODAY)).toBe(
      'CONTACT_PERSON',
    );
    expect(relationOf(caller('contact-person', null, 'gkp-b'), youth({ contactPersonId: 'gkp-a' }), TODAY)).toBeNull();
  });
  it('a unit the role cannot hold counts as none; other roles have no relation', () => {
    expect(
      relationOf(
        caller('jobcenter-advisor', 'FAMILY_GROUP_1'),
        youth({ socialUnits: ['FAMILY_GROUP_1'], inEffort: true, effortUnits: ['FAMILY_GROUP_1'] }),
        TODAY,
      ),
    ).toBeNull();
    expect(relationOf(caller('reporting-tool', 'UU'), youth(), TODAY)).toBeNull();
    expect(relationOf(caller('uu-counsellor', null), youth(), TODAY)).toBeNull();
  });
});

describe('the coordinator and the categories a relation releases', () => {
  it('the coordinator relates to the whole coordinated effort, nothing outside it', () => {
    expect(relationOf(caller('coordinator', 'CONTACT_PERSON'), youth({ inEffort: true, effortUnits: ['UU'] }), TODAY)).toBe(
      'COORDINATED_EFFORT',
    );
    expect(relationOf(caller('coordinator', 'CONTACT_PERSON'), youth(), TODAY)).toBeNull();
    expect(relationOf(caller('coordinator', null), youth({ inEffort: true }), TODAY)).toBeNull();
  });

  it("UU's statutory relation releases identity and guidance only; others everything; none releases nothing", () => {
    expect(releasedCategories('STATUTORY')).toEqual(['identity', 'guidance (UU)']);
    expect(releasedCategories('UNIT')).toEqual([...DATA_CATEGORIES]);
    expect(releasedCategories('OTHER_RULE')).toEqual([...DATA_CATEGORIES]);
    expect(releasedCategories(null)).toEqual([]);
    expect(DATA_CATEGORIES).toEqual(
      expect.arrayContaining(['school', 'social in detail', 'benefits', 'target group', 'coordinated plan', 'contact person']),
    );
  });
});

describe('relationSql says what relationOf says', () => {
  it('for every role, unit and staff id over a set of young people, in PostgreSQL (PGlite)', async () => {
    const db = new PGlite();
    const people: RelationFacts[] = [
      youth(),
      youth({ birthDate: '1999-01-01' }),
      youth({ birthDate: '1999-01-01', counsellor: 'KL', advisorId: 'JC-001', inEffort: true, effortUnits: ['UU', 'JOBCENTER'] }),
      youth({ caseworkerIds: ['SB-01'], socialUnits: ['FAMILY_GROUP_2'], effortUnits: ['UU', 'FAMILY_GROUP_2'] }),
      youth({ birthDate: '1998-03-03', inEffort: true, effortUnits: ['UU', 'CONTACT_PERSON'], contactPersonId: 'gkp-a' }),
    ];
    const callers = [
      caller('uu-counsellor', 'UU', 'ABN'),
      caller('uu-counsellor', 'UU', 'ZZ'),
      caller('uu-counsellor', null, 'KL'),
      caller('jobcenter-advisor', 'JOBCENTER', 'JC-001'),
      caller('jobcenter-advisor', 'JOBCENTER', 'JC-002'),
      caller('social-caseworker', 'FAMILY_GROUP_2'),
      caller('social-caseworker', 'FAMILY_GROUP_1', 'SB-01'),
      caller('social-caseworker', 'FAMILY_GROUP_3'),
      caller('contact-person', 'CONTACT_PERSON', 'gkp-a'),
      caller('contact-person', null, 'gkp-b'),
      caller('coordinator', 'CONTACT_PERSON'),
      caller('reporting-tool', 'UU'),
    ];
    const columns = {
      birthDate: 'birth_date',
      counsellor: 'counsellor',
      advisorId: 'advisor_id',
      caseworkerIds: 'caseworker_ids',
      socialUnits: 'social_units',
      inEffort: 'in_effort',
      effortUnits: 'effort_units',
      contactPersonId: 'contact_person_id',
    };
    try {
      await db.exec(`CREATE TABLE y (n int, birth_date date, counsellor text, advisor_id text, caseworker_ids text[], social_units text[],
        in_effort boolean, effort_units text[], contact_person_id text)`);
      for (const [n, f] of people.entries()) {
        await db.query('INSERT INTO y VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)', [
          n,
          f.birthDate,
          f.counsellor,
          f.advisorId,
          f.caseworkerIds,
          f.socialUnits,
          f.inEffort,
          f.effortUnits,
          f.contactPersonId,
        ]);
      }
      const listed = new Set<number>();
      for (const c of callers) {
        const params: unknown[] = [];
        const where = relationSql(c, columns, TODAY, (value) => `$${params.push(value)}`);
        const { rows } = await db.query<{ n: number }>(`SELECT n FROM y WHERE ${where} ORDER BY n`, params);
        const expected = people.flatMap((f, n) => (relationOf(c, f, TODAY) !== null ? [n] : []));
        expect(
          rows.map((row) => row.n),
          `${c.role} ${c.unit} ${c.staffId}`,
        ).toEqual(expected);
        for (const n of expected) listed.add(n);
      }
      // Some caller reaches each young person of the table: no row is compared only as "nobody sees it".
      expect([...listed].sort()).toEqual(people.map((_, n) => n));
    } finally {
      await db.close();
    }
  });
});
