import { readFileSync } from 'node:fs';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '../../subgraphs/kit/resolverMap.js';
import DataLoader from 'dataloader';
import { parse, type GraphQLFormattedError } from 'graphql';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from '../../platform/db/database.js';
import { formatSubgraphError } from '../../subgraphs/kit/errors.js';
import { resolvers, type CoordinationContext } from '../../subgraphs/coordination/resolvers.js';
import type { CoordinationStore } from '../../subgraphs/coordination/store/coordinationStore.js';
import type { YouthFacts } from '../../subgraphs/coordination/rules/facts.js';
import { backends, openMigrated, resetData, tableCounts } from '../coordination-store/backends.js';

/**
 * Issue 11: idempotency keys were global, so user B sending user A's key got A's result (A's plan
 * action with A's notes, "completed" for B although B completed nothing) and could learn which keys
 * A had used. Through the coordination subgraph's own schema and resolvers, over the real store,
 * with each caller's context built as the subgraph builds it (the actor is the token's subject).
 */

const ADD = /* GraphQL */ `
  mutation ($input: AddPlanActionInput!) {
    addPlanAction(input: $input) {
      id
      title
      description
      createdBy
    }
  }
`;
const COMPLETE = /* GraphQL */ `
  mutation ($input: CompletePlanActionInput!) {
    completePlanAction(input: $input) {
      id
      status
      completedBy
    }
  }
`;

interface Answer {
  data?: Record<string, Record<string, unknown> | null> | null;
  errors?: readonly GraphQLFormattedError[];
}

describe.each(backends)('idempotency keys are scoped per caller, through the coordination subgraph on $name', (backend) => {
  let db: Database;
  let store: CoordinationStore;
  let cleanup: () => Promise<void>;
  let apollo: ApolloServer<CoordinationContext>;

  beforeAll(async () => {
    ({ db, store, cleanup } = await openMigrated(backend));
    const sdl = readFileSync(new URL('../../subgraphs/coordination/schema.graphql', import.meta.url), 'utf8');
    const schema = buildSubgraphSchema([{ typeDefs: parse(sdl), resolvers: resolvers as GraphQLResolverMap<unknown> }]);
    apollo = new ApolloServer<CoordinationContext>({
      schema,
      formatError: formatSubgraphError,
      includeStacktraceInErrorResponses: false,
      plugins: [ApolloServerPluginInlineTraceDisabled()],
    });
    await apollo.start();
  });
  afterAll(async () => {
    await apollo?.stop();
    await cleanup?.();
  });
  beforeEach(async () => resetData(db));

  /** A caseworker's request context as subgraphs/coordination/server.ts builds it from the caller's claims. */
  function contextFor(subject: string, idempotencyKey?: string): CoordinationContext {
    const facts = {
      // Every young person exists for these mutations' check (the systems are not what is tested here).
      forYouth: async (): Promise<YouthFacts | null> => ({
        birthDate: '2008-03-01',
        school: null,
        guidance: null,
        jobcenter: null,
        social: null,
      }),
    };
    return {
      requestId: `test-${subject}`,
      authorization: undefined,
      // Need to know: the young people's own counsellor (their caseload), as the register below names them.
      identity: {
        subject,
        role: 'uu-counsellor',
        organisation: 'aalborg/uu',
        institution: null,
        unit: 'UU',
        staffId: 'ABN',
        scopes: new Set(['plan:write']),
      },
      ...(idempotencyKey ? { idempotencyKey } : {}),
      store,
      facts,
      fundedCapacity: 60,
      today: '2026-11-01',
      actor: subject,
      activeAssignment: new DataLoader((ids: readonly string[]) => store.activeAssignments(ids)),
      planActions: new DataLoader((ids: readonly string[]) => store.planActions(ids)),
      jointDecisions: new DataLoader((ids: readonly string[]) => store.jointDecisions(ids)),
      contactPersonById: new DataLoader((ids: readonly string[]) => store.getContactPersons(ids)),
      register: new DataLoader(async (ids: readonly string[]) =>
        ids.map(() => ({
          facts: {
            birthDate: '2008-03-01',
            counsellor: 'ABN',
            advisorId: null,
            caseworkerIds: [],
            socialUnits: [],
            inEffort: false,
            effortUnits: [],
            contactPersonId: null,
          },
          institutionIds: [],
        })),
      ),
      relations: new Map(),
    } as unknown as CoordinationContext;
  }

  async function as(subject: string, query: string, variables: Record<string, unknown>, header?: string): Promise<Answer> {
    const response = await apollo.executeOperation({ query, variables }, { contextValue: contextFor(subject, header) });
    if (response.body.kind !== 'single') throw new Error('expected a single result');
    return response.body.singleResult as Answer;
  }

  const plan = (description: string, idempotencyKey = 'meeting-1') => ({
    input: { youthId: 'youth-1', title: 'Meeting with the school', ownerUnit: 'GUIDANCE', description, idempotencyKey },
  });

  it("Bob replaying Alice's key gets his own plan action, not hers (nor her notes)", async () => {
    const alice = await as('alice', ADD, plan('Alice: mother asked us not to call the father'));
    expect(alice.errors).toBeUndefined();
    const bob = await as('bob', ADD, plan('Bob: follow-up'));
    expect(bob.errors).toBeUndefined();
    expect(bob.data!.addPlanAction).toMatchObject({ createdBy: 'bob', description: 'Bob: follow-up' });
    expect(bob.data!.addPlanAction!.id).not.toBe(alice.data!.addPlanAction!.id);
    expect(JSON.stringify(bob)).not.toContain('mother asked');
    expect((await tableCounts(db)).plan_actions).toBe(2);
  });

  it("Bob's key is not an oracle for Alice's: his different request with her key is not refused", async () => {
    await as('alice', ADD, plan('Alice', 'k-1'));
    const bob = await as('bob', ADD, {
      input: { youthId: 'youth-2', title: 'Another action', ownerUnit: 'SOCIAL', idempotencyKey: 'k-1' },
    });
    expect(bob.errors).toBeUndefined();
    expect(bob.data!.addPlanAction).toMatchObject({ title: 'Another action', createdBy: 'bob' });
  });

  it("Bob completing with the Idempotency-Key Alice used is not told Alice's completion is his", async () => {
    const action = await store.addPlanAction({ youthId: 'youth-3', title: 'Apply for FGU', ownerUnit: 'GUIDANCE', createdBy: 'alice' });
    const alice = await as('alice', COMPLETE, { input: { actionId: action.id } }, 'header-key');
    expect(alice.data!.completePlanAction).toMatchObject({ status: 'DONE', completedBy: 'alice' });
    const bob = await as('bob', COMPLETE, { input: { actionId: action.id } }, 'header-key');
    expect(bob.data?.completePlanAction ?? null).toBeNull();
    expect(bob.errors?.[0]?.extensions?.['code']).toBe('ALREADY_DONE');
    // Alice sending her request again is answered with her result, once.
    const again = await as('alice', COMPLETE, { input: { actionId: action.id } }, 'header-key');
    expect(again.data!.completePlanAction).toEqual(alice.data!.completePlanAction);
  });

  it('one caller: a replay answers the first result, concurrent sends take effect once, a reuse for something else is refused', async () => {
    const sends = await Promise.all(Array.from({ length: 5 }, () => as('alice', ADD, plan('Alice', 'k-2'))));
    const ids = new Set(sends.map((answer) => answer.data?.addPlanAction?.id));
    expect(ids.size).toBe(1);
    expect(ids.has(undefined)).toBe(false);
    expect((await tableCounts(db)).plan_actions).toBe(1);
    const reuse = await as('alice', ADD, {
      input: { youthId: 'youth-9', title: 'Something else', ownerUnit: 'SOCIAL', idempotencyKey: 'k-2' },
    });
    expect(reuse.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.idempotencyKey' });
    expect((await tableCounts(db)).plan_actions).toBe(1);
  });
});
