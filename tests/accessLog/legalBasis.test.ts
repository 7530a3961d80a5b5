import { buildSchema, parse, print } from 'graphql';
import { describe, expect, it } from 'vitest';
import { collectAccess, ReservedAliasError, withAuditSelections } from '../../gateway/accessLog/collect.js';
import { birthDateFromCpr, legalBasesOf, ownUnitsOf } from '../../platform/authorization/legalBasis.js';
import { releaseBasis } from '../../subgraphs/kit/consent.js';

/**
 * Issue 14: the access log's legal basis. The hidden selections that carry the facts the rule needs
 * (`__audit_sharing`, `__audit_owner`), a client's attempt to shape them, and the rule over categories.
 */
const schema = buildSchema(/* GraphQL */ `
  type Query {
    youth(id: ID!): Youth
  }
  type Mutation {
    recordConsent(youthId: ID!): Consent!
  }
  type Youth {
    id: ID!
    firstName: String
    school: School
    consent: ConsentState
  }
  type School {
    grade: Int
  }
  type ConsentState {
    required: Boolean!
    units: [String!]!
  }
  type Consent {
    id: ID!
    units: [String!]!
    youth: Youth!
  }
`);

describe('the hidden selections for the legal basis', () => {
  it('adds the sharing facts to every Youth only for a caller who may read them', () => {
    const document = parse('{ youth(id: "y1") { firstName } }');
    expect(print(withAuditSelections(document, schema, { sharing: true }))).toContain(
      '__audit_sharing: consent {\n      required\n      units\n    }',
    );
    expect(print(withAuditSelections(document, schema))).not.toContain('__audit_sharing');
  });

  it('makes a consent name its young person even when the answer selects none of their fields', () => {
    const document = withAuditSelections(parse('mutation { recordConsent(youthId: "y1") { id } }'), schema, { sharing: true });
    expect(print(document)).toContain('__audit_owner: youth');
    const collected = collectAccess(
      {
        data: {
          recordConsent: { id: 'c1', __audit_owner: { __audit_youth_id: 'y1', __audit_sharing: { required: true, units: ['SCHOOL'] } } },
        },
      },
      document,
      schema,
      { categoryOf: (coordinate) => (coordinate === 'Mutation.recordConsent' ? 'consent' : null) },
    );
    expect(collected.youthIds).toEqual(['y1']);
    expect([...collected.fieldsByYouth.get('y1')!]).toEqual(['Mutation.recordConsent', 'Consent.id']);
    expect([...collected.categoriesByYouth.get('y1')!]).toEqual(['consent']);
    expect(collected.sharingByYouth.get('y1')).toEqual({ required: true, units: ['SCHOOL'] });
    expect(collected.result).toEqual({ data: { recordConsent: { id: 'c1' } } });
  });

  it('refuses a client that uses the reserved aliases to shape the facts', () => {
    for (const query of [
      '{ youth(id: "y1") { __audit_sharing: firstName } }',
      '{ youth(id: "y1") { __audit_sharing: consent { required: required units: required } } }',
      '{ youth(id: "y1") { __audit_sharing: consent { required } } }',
      'mutation { recordConsent(youthId: "y1") { __audit_owner: youth { firstName } } }',
    ]) {
      expect(() => withAuditSelections(parse(query), schema, { sharing: true }), query).toThrow(ReservedAliasError);
    }
  });
});

describe('the legal basis of released categories', () => {
  const facts = (organisation: string, under25: boolean | undefined, consentUnits: string[] = []) => ({
    ownUnits: ownUnitsOf(organisation),
    subjectAccess: false,
    age: null,
    underStatutoryAge: under25,
    consentUnits,
  });

  it('own unit, youth effort under 25, consent from 25, and the weakest input for derived data', () => {
    expect(legalBasesOf(['jobcenter', 'school', 'identity'], facts('aalborg/jobcenter', true)).bases).toEqual({
      jobcenter: 'OWN_UNIT',
      school: 'YOUTH_EFFORT',
      identity: 'YOUTH_EFFORT',
    });
    const older = legalBasesOf(['jobcenter', 'guidance (UU)', 'identity', 'school'], facts('aalborg/jobcenter', false, ['GUIDANCE']));
    expect(older.bases).toEqual({ jobcenter: 'OWN_UNIT', 'guidance (UU)': 'CONSENT', identity: 'MUNICIPAL_EXTENSION' });
    expect(older.unexplained).toEqual(['school']);
    expect(legalBasesOf(['coordinated plan'], facts('aalborg/uu', false, ['SCHOOL', 'JOBCENTER', 'SOCIAL'])).bases).toEqual({
      'coordinated plan': 'CONSENT',
    });
  });

  it('unknown age counts as 25 or over: consent needed, never the youth effort', () => {
    expect(legalBasesOf(['school'], facts('aalborg/uu', undefined)).unexplained).toEqual(['school']);
  });
});

describe('the age a system subgraph reads from the CPR number', () => {
  it('reads the birth date by the century rule, and none from a day that does not exist', () => {
    expect(birthDateFromCpr('150310-9000')).toBe('2010-03-15');
    expect(birthDateFromCpr('2902084321')).toBe('2008-02-29');
    expect(birthDateFromCpr('310299-1234')).toBeNull(); // 31 February
    expect(birthDateFromCpr('290201-4321')).toBeNull(); // 2001 is no leap year
  });

  it('treats a CPR number naming no real day as unknown age: consent required, not an internal error', () => {
    const caller = {
      subject: 'jc-1',
      role: 'jobcenter-caseworker',
      organisation: 'aalborg/jobcenter',
      institution: null,
      scopes: new Set<string>(),
    };
    let thrown: unknown;
    try {
      releaseBasis('SCHOOL', { cpr: '310299-1234', consentUnits: [] }, caller, '2026-12-01');
    } catch (error) {
      thrown = error;
    }
    expect((thrown as { extensions?: { code?: unknown } } | undefined)?.extensions?.code).toBe('CONSENT_REQUIRED');
  });
});
