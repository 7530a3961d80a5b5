import { ApolloServer } from '@apollo/server';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '../../subgraphs/kit/resolverMap.js';
import DataLoader from 'dataloader';
import {
  getNamedType,
  isEnumType,
  isObjectType,
  Kind,
  parse,
  type FieldDefinitionNode,
  type GraphQLFormattedError,
  type GraphQLSchema,
  type ObjectTypeDefinitionNode,
} from 'graphql';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from '../../platform/db/database.js';
import { formatSubgraphError } from '../../subgraphs/kit/errors.js';
import { coordinationTypeDefs } from '../../subgraphs/coordination/server.js';
import { resolvers, type CoordinationContext } from '../../subgraphs/coordination/resolvers.js';
import type { CoordinationStore } from '../../subgraphs/coordination/store/coordinationStore.js';
import type { YouthFacts } from '../../subgraphs/coordination/rules/facts.js';
import { backends, METTE, openMigrated, resetData } from '../coordination-store/backends.js';
import { AS_OF, handoverAction, targetGroupRegister, youths } from './fixtures.js';

const REPORT = /* GraphQL */ `
  query Report($from: Date, $to: Date) {
    report {
      asOf
      screenedAt
      targetGroup {
        screened {
          value
          suppressed
        }
        inTargetGroup {
          value
          suppressed
        }
        notInTargetGroup {
          value
          suppressed
        }
        byIndicator {
          indicator
          count {
            value
            suppressed
          }
        }
        combinations {
          indicators
          count {
            value
            suppressed
          }
        }
        pairs {
          first
          second
          count {
            value
            suppressed
          }
        }
        byAgeBand {
          band
          count {
            value
            suppressed
          }
        }
        bySchool {
          pupils {
            value
            suppressed
          }
          notPupils {
            value
            suppressed
          }
          schools {
            schoolId
            count {
              value
              suppressed
            }
          }
        }
      }
      contactPersonCapacity {
        funded
        isOverCapacity
        active {
          value
          suppressed
        }
        overCapacity {
          value
          suppressed
        }
        available {
          value
          suppressed
        }
        contactPersons {
          contactPersonName
          caseloadLimit
          overLimit
          active
          caseload {
            value
            suppressed
          }
        }
      }
      handovers(from: $from, to: $to) {
        from
        to
        transitions {
          kind
          due {
            value
            suppressed
          }
          pastDue {
            value
            suppressed
          }
          onTime {
            value
            suppressed
          }
          late {
            value
            suppressed
          }
          missing {
            value
            suppressed
          }
          notYetDue {
            value
            suppressed
          }
          onTimeShare {
            value
            goal
            suppressed
          }
        }
        total {
          due {
            value
            suppressed
          }
          onTime {
            value
            suppressed
          }
          late {
            value
            suppressed
          }
          missing {
            value
            suppressed
          }
          onTimeShare {
            value
            goal
            suppressed
          }
        }
      }
      outcomes {
        endedAssignments {
          value
          suppressed
        }
        withOutcome {
          value
          suppressed
        }
        withoutOutcome {
          value
          suppressed
        }
        byOutcome {
          outcome
          count {
            value
            suppressed
          }
          share {
            value
            goal
            suppressed
          }
        }
        youthEducationAt25 {
          aged25 {
            value
            suppressed
          }
          completed {
            value
            suppressed
          }
          notCompleted {
            value
            suppressed
          }
          share {
            value
            goal
            suppressed
          }
        }
      }
    }
  }
`;

/** Names a field that identifies a young person (or any person's identity data) would have. */
const PERSONAL = /^(id|youthId|youth|youths|cpr|cprNumber|firstName|lastName|fullName|name|birthDate|email|address|phone)$/i;

const BIRTH_DATE = '2009-07-01';

interface Answer {
  data?: Record<string, unknown> | null;
  errors?: readonly GraphQLFormattedError[];
}

/** The parts of REPORT's answer the tests read. */
interface ReportAnswer {
  asOf: string;
  screenedAt: unknown;
  targetGroup: { screened: unknown; combinations: unknown[] };
  contactPersonCapacity: { contactPersons: { contactPersonName: string }[] };
  handovers: { transitions: unknown[] };
  outcomes: { endedAssignments: unknown; byOutcome: unknown[] };
}

describe('the report through the coordination subgraph', () => {
  const backend = backends[0]!; // PGlite; the aggregates are proven on PostgreSQL in reports.test.ts
  let db: Database;
  let store: CoordinationStore;
  let cleanup: () => Promise<void>;
  let apollo: ApolloServer<CoordinationContext>;
  let schema: GraphQLSchema;

  beforeAll(async () => {
    ({ db, store, cleanup } = await openMigrated(backend));
    schema = buildSubgraphSchema([{ typeDefs: parse(coordinationTypeDefs), resolvers: resolvers as GraphQLResolverMap<unknown> }]);
    apollo = new ApolloServer<CoordinationContext>({ schema, formatError: formatSubgraphError, includeStacktraceInErrorResponses: false });
    await apollo.start();
  });
  afterAll(async () => {
    await apollo.stop();
    await cleanup();
  });
  beforeEach(async () => resetData(db));

  function context(): CoordinationContext {
    // The systems are not asked for a report; the mutations' check gets a young person born BIRTH_DATE.
    const facts = {
      forYouth: async (youthId: string): Promise<YouthFacts | null> =>
        youthId === 'nobody' ? null : { birthDate: BIRTH_DATE, school: null, guidance: null, jobcenter: null, social: null },
    };
    return {
      requestId: 'test',
      authorization: undefined,
      // The mutations need a caller with a relation to the young person (need to know): UU, as the
      // young person's counsellor in the register below; the report itself reads no caller's claims.
      identity: {
        subject: 'report-test',
        role: 'uu-counsellor',
        organisation: 'aalborg/uu',
        institution: null,
        unit: 'UU',
        staffId: 'RT',
        scopes: new Set(['reporting:read']),
      },
      store,
      facts,
      fundedCapacity: 60,
      today: AS_OF,
      actor: 'report-test',
      activeAssignment: new DataLoader((ids: readonly string[]) => store.activeAssignments(ids)),
      planActions: new DataLoader((ids: readonly string[]) => store.planActions(ids)),
      jointDecisions: new DataLoader((ids: readonly string[]) => store.jointDecisions(ids)),
      contactPersonById: new DataLoader((ids: readonly string[]) => store.getContactPersons(ids)),
      register: new DataLoader(async (ids: readonly string[]) =>
        ids.map((id) =>
          id === 'nobody'
            ? null
            : {
                facts: {
                  birthDate: BIRTH_DATE,
                  counsellor: 'RT',
                  advisorId: null,
                  caseworkerIds: [],
                  socialUnits: [],
                  inEffort: false,
                  effortUnits: [],
                  contactPersonId: null,
                },
                institutionIds: [],
              },
        ),
      ),
      relations: new Map(),
    } as unknown as CoordinationContext;
  }

  async function execute(query: string, variables?: Record<string, unknown>): Promise<Answer> {
    const response = await apollo.executeOperation({ query, variables }, { contextValue: context() });
    if (response.body.kind !== 'single') throw new Error('expected a single result');
    return response.body.singleResult;
  }

  it('answers every section with suppressed counts and no personal identifier anywhere', async () => {
    const register = targetGroupRegister();
    await store.replaceScreening(register, { asOf: AS_OF, startedAt: '2026-06-15T02:00:00Z' });
    await store.assignContactPerson({
      youthId: register[0]!.youthId,
      contactPersonId: METTE,
      assignedBy: 't',
      fundedCapacity: 60,
      acceptOverCapacity: false,
    });
    await store.endAssignment({ youthId: register[0]!.youthId, reason: 'EUD', endedBy: 't', outcome: 'ORDINARY_EDUCATION' });

    const answer = await execute(REPORT);
    expect(answer.errors).toBeUndefined();
    const report = answer.data!.report as ReportAnswer;
    expect(report.asOf).toBe(AS_OF);
    expect(typeof report.screenedAt).toBe('string');
    expect(report.targetGroup.screened).toEqual({ value: 75, suppressed: false }); // 79, rounded down to a multiple of 5
    expect(report.targetGroup.combinations).toContainEqual({
      indicators: ['ABSENCE_OVER_20', 'NOT_EDUCATION_READY', 'SOCIAL_CASE'],
      count: { value: null, suppressed: true },
    });
    expect(report.contactPersonCapacity.contactPersons.map((p) => p.contactPersonName)).toEqual([
      'Jonas Brandt',
      'Mette Kjær',
      'Sara Holm',
    ]);
    expect(report.handovers).toMatchObject({ from: '2025-07-01', to: '2026-06-30' }); // the 12 whole months to AS_OF's
    expect(report.outcomes.endedAssignments).toEqual({ value: null, suppressed: true }); // 1 ended assignment
    expect(report.outcomes.byOutcome[0]).toEqual({
      outcome: 'ORDINARY_EDUCATION',
      count: { value: null, suppressed: true },
      // No goal: the 80/10/10 split was the 2016 social-fund project's, not the contact-person scheme's.
      share: { value: null, goal: null, suppressed: true },
    });

    // No key of the answer names a personal identifier, and no value is a young person's id or a CPR number.
    const ids = new Set(register.map((r) => r.youthId));
    const walk = (value: unknown, path: string): void => {
      if (Array.isArray(value)) return value.forEach((v, i) => walk(v, `${path}[${i}]`));
      if (value && typeof value === 'object') {
        for (const [key, inner] of Object.entries(value)) {
          expect(key, path).not.toMatch(PERSONAL);
          walk(inner, `${path}.${key}`);
        }
        return;
      }
      if (typeof value === 'string') {
        expect(ids.has(value), `${path} is a youth id`).toBe(false);
        expect(value, path).not.toMatch(/^\d{6}-?\d{4}$/);
      }
    };
    walk(answer.data, 'data');
  });

  it('no type reachable from Report has a personal-identifier field or leads to a Youth', () => {
    const seen = new Set<string>();
    const visit = (typeName: string): void => {
      if (seen.has(typeName)) return;
      seen.add(typeName);
      const type = schema.getType(typeName);
      expect(typeName).not.toBe('Youth');
      if (!isObjectType(type)) return;
      for (const field of Object.values(type.getFields())) {
        expect(field.name, `${typeName}.${field.name}`).not.toMatch(PERSONAL);
        expect(field.name, `${typeName}.${field.name}`).not.toMatch(/cpr|youthId/i);
        const named = getNamedType(field.type);
        if (isObjectType(named) || isEnumType(named)) visit(named.name);
      }
    };
    visit('Report');
    expect([...seen]).toEqual(
      expect.arrayContaining(['TargetGroupReport', 'CapacityReport', 'HandoverReport', 'OutcomeReport', 'Count', 'Share']),
    );
  });

  it('Query.report is behind @requiresScopes reporting:read in the SDL', () => {
    const query = parse(coordinationTypeDefs).definitions.find(
      (d): d is ObjectTypeDefinitionNode => d.kind === Kind.OBJECT_TYPE_DEFINITION && d.name.value === 'Query',
    );
    const field = query?.fields?.find((f: FieldDefinitionNode) => f.name.value === 'report');
    const directive = field?.directives?.find((d) => d.name.value === 'requiresScopes');
    expect(directive).toBeDefined();
    const scopes = directive!.arguments![0]!.value;
    expect(
      scopes.kind === Kind.LIST &&
        scopes.values[0]?.kind === Kind.LIST &&
        scopes.values[0].values.map((v) => (v.kind === Kind.STRING ? v.value : '')),
    ).toEqual(['reporting:read']);
  });

  it('refuses a bad period with BAD_USER_INPUT', async () => {
    const query = 'query ($from: Date, $to: Date) { report { handovers(from: $from, to: $to) { from to } } }';
    const notADate = await execute(query, { from: '2026-02-30' });
    expect(notADate.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(notADate.errors?.[0]?.message).toMatch(/from must be a date/);
    const reversed = await execute(query, { from: '2026-06-01', to: '2026-01-31' });
    expect(reversed.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    // Days inside months are refused (tests/security/reportDifferencing.test.ts plays the attack they allow).
    const days = await execute(query, { from: '2026-01-01', to: '2026-06-01' });
    expect(days.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'to' });
    expect(days.errors?.[0]?.message).toMatch(
      /to must be the last day of a month \(a period is whole calendar months: one month, a calendar quarter, or 12 or 24 consecutive months\)/,
    );
    const quarter = await execute(query, { from: '2026-04-01', to: '2026-06-30' });
    expect(quarter.data).toEqual({ report: { handovers: { from: '2026-04-01', to: '2026-06-30' } } });
    // One end alone means the 12 months from it, or up to it.
    const fromAlone = await execute(query, { from: '2025-11-01' });
    expect(fromAlone.data).toEqual({ report: { handovers: { from: '2025-11-01', to: '2026-10-31' } } });
    const toAlone = await execute(query, { to: '2026-03-31' });
    expect(toAlone.data).toEqual({ report: { handovers: { from: '2025-04-01', to: '2026-03-31' } } });
  });

  it('answers the success measures for a month and as a series, and every table as CSV; bad arguments are refused', async () => {
    const measures = await execute(
      'query ($month: Date) { report { measures(month: $month) { month source jointDecisions { value suppressed } contactPersons { funded endedByReason { reason } } } } }',
      { month: '2026-05-01' },
    );
    expect(measures.errors).toBeUndefined();
    expect(measures.data).toMatchObject({
      report: { measures: { month: '2026-05-01', source: 'COMPUTED', contactPersons: { funded: 60 } } },
    });
    const series = await execute('query ($months: Int) { report { measureSeries(months: $months) { month source } } }', { months: 24 });
    expect((series.data as { report: { measureSeries: unknown[] } }).report.measureSeries).toHaveLength(24);
    const csv = await execute('query ($locale: CsvLocale) { report { csv(locale: $locale) { table fileName columns content } } }', {
      locale: 'DA',
    });
    const tables = (csv.data as { report: { csv: { table: string; content: string }[] } }).report.csv;
    expect(tables.map((t) => t.table)).toContain('measure-series');
    expect(tables.find((t) => t.table === 'handovers')?.content.split('\r\n')[0]).toMatch(/^fra;til;overgang;/);
    for (const [query, variables, field] of [
      ['query ($months: Int) { report { measureSeries(months: $months) { month } } }', { months: 6 }, 'months'],
      ['query ($month: Date) { report { measures(month: $month) { month } } }', { month: '2026-05-02' }, 'month'],
      ['query ($month: Date) { report { measures(month: $month) { month } } }', { month: '2026-07-01' }, 'month'],
      ['query ($to: Date) { report { csv(to: $to) { table } } }', { to: '2026-06-01' }, 'to'],
    ] as const) {
      const refused = await execute(query, variables);
      expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
    }
  });

  it('addPlanAction stores the handover transition with its due date from the birth date; others are refused', async () => {
    const add = `mutation ($input: AddPlanActionInput!) { addPlanAction(input: $input) { title due transition transitionDue status } }`;
    const meeting = await execute(add, {
      input: { youthId: 'y-1', title: 'Coordinating meeting', ownerUnit: 'SOCIAL', transition: 'COORDINATING_MEETING_16_5' },
    });
    expect(meeting.errors).toBeUndefined();
    // Born 2009-07-01: 16½ on 2026-01-01; with no due given, the action is due then.
    expect(meeting.data).toEqual({
      addPlanAction: {
        title: 'Coordinating meeting',
        due: '2026-01-01',
        transition: 'COORDINATING_MEETING_16_5',
        transitionDue: '2026-01-01',
        status: 'OPEN',
      },
    });
    const transfer = await execute(add, {
      input: { youthId: 'y-1', title: 'Transfer', ownerUnit: 'SOCIAL', due: '2027-05-01', transition: 'TRANSFER_18' },
    });
    expect(transfer.data).toEqual({
      addPlanAction: { title: 'Transfer', due: '2027-05-01', transition: 'TRANSFER_18', transitionDue: '2027-07-01', status: 'OPEN' },
    });

    for (const transition of ['TURNING_25', 'LEAVING_COMPULSORY_SCHOOL']) {
      const refused = await execute(add, { input: { youthId: 'y-1', title: 'x', ownerUnit: 'SOCIAL', transition } });
      expect(refused.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      expect(refused.errors?.[0]?.extensions?.field).toBe('input.transition');
    }
    const unknownKind = await execute(add, { input: { youthId: 'y-1', title: 'x', ownerUnit: 'SOCIAL', transition: 'TRANSFER_21' } });
    expect(unknownKind.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect((await store.planActions(['y-1']))[0]).toHaveLength(2);
  });

  it('endContactPersonAssignment takes an optional outcome and stores it; no end code means OTHER, which needs words', async () => {
    await store.replaceScreening(youths(1, { birthDate: '2005-01-01', schoolId: null, grade: null, indicators: [] }), { asOf: AS_OF });
    const assign = () =>
      store.assignContactPerson({ youthId: 'y-9', contactPersonId: METTE, assignedBy: 't', fundedCapacity: 60, acceptOverCapacity: false });
    await assign();
    // No code and no words: OTHER without its reason is refused, with a code, and ends nothing.
    const bare = await execute('mutation { endContactPersonAssignment(input: { youthId: "y-9" }) { outcome } }');
    expect(bare.data ?? null).toBeNull();
    expect(bare.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(bare.errors?.[0]?.message).toMatch(/OTHER\) needs the reason in words/);
    // Not an outcome (MOVED is an end code) and not an end code: refused before anything runs.
    for (const input of ['reason: "done", outcome: MOVED', 'endReason: GRADUATED']) {
      const wrong = await execute(`mutation { endContactPersonAssignment(input: { youthId: "y-9", ${input} }) { outcome } }`);
      expect(wrong.errors?.[0]?.extensions?.code, input).toBe('GRAPHQL_VALIDATION_FAILED');
    }
    expect(await store.activeAssignment('y-9')).not.toBeNull();

    // Words without a code and without an outcome: ended as OTHER, no outcome recorded.
    const plain = await execute(
      'mutation { endContactPersonAssignment(input: { youthId: "y-9", reason: "done" }) { outcome endCode endReason } }',
    );
    expect(plain.errors).toBeUndefined();
    expect(plain.data).toEqual({ endContactPersonAssignment: { outcome: null, endCode: 'OTHER', endReason: 'done' } });
    expect(await store.activeAssignment('y-9')).toBeNull();

    // A code with an outcome: both stored, the code's words standing in for the reason.
    await assign();
    const ended = await execute(
      'mutation { endContactPersonAssignment(input: { youthId: "y-9", endReason: ANCHORED_IN_EDUCATION, outcome: PREPARATORY_OR_UPSKILLING }) { outcome endCode endReason } }',
    );
    expect(ended.errors).toBeUndefined();
    expect(ended.data).toMatchObject({
      endContactPersonAssignment: { outcome: 'PREPARATORY_OR_UPSKILLING', endCode: 'ANCHORED_IN_EDUCATION' },
    });
    expect((ended.data!.endContactPersonAssignment as { endReason: string }).endReason).not.toBe('');
    const history = await store.assignmentHistory('y-9');
    expect(history.map((a) => a.outcome).sort()).toEqual(['PREPARATORY_OR_UPSKILLING', null].sort());
  });

  it('the handover report counts an action added through the graph', async () => {
    const rows = youths(5, { birthDate: BIRTH_DATE, schoolId: null, grade: null, indicators: [], childrensCase: true });
    await store.replaceScreening(rows, { asOf: AS_OF });
    for (const row of rows) await handoverAction(store, db, row.youthId, 'COORDINATING_MEETING_16_5', '2026-01-01', '2025-12-20T10:00:00Z');
    const answer = await execute(
      '{ report { handovers { transitions { kind onTime { value suppressed } missing { value suppressed } } } } }',
    );
    expect((answer.data!.report as ReportAnswer).handovers.transitions[0]).toEqual({
      kind: 'COORDINATING_MEETING_16_5',
      onTime: { value: 5, suppressed: false },
      missing: { value: 0, suppressed: false },
    });
  });
});
