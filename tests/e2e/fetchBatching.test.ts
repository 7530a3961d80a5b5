/**
 * A dossier's last hop asks the coordination for three derived fields with different `@requires`
 * selections: three fetches in the plan, sent as one call (gateway/fetchBatching.ts). Through the whole
 * graph, counted where the coordination serves them, and compared with a gateway that sends them one
 * by one over the same subgraphs.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGateway, type Gateway } from '../../gateway/server.js';
import { loadGatewayConfig } from '../../gateway/config.js';
import { listen, type Listening } from '../../platform/graphqlHttp.js';
import { createLogger } from '../../platform/logger.js';
import { startTestStack, subgraphRequestsServed, type TestStack } from './testStack.js';

const DOSSIER = /* GraphQL */ `
  query Dossier($id: ID!) {
    youth(id: $id) {
      id
      firstName
      school {
        grade
      }
      jobcenter {
        category
      }
      targetGroup {
        inTargetGroup
        indicators
      }
      contactPersonEligibility {
        status
        reasons
      }
      coordinatedPlan {
        conflicts {
          description
        }
        nextTransitions {
          kind
          date
        }
        agreedActions {
          title
          status
        }
      }
      contactPerson {
        id
      }
    }
  }
`;

let stack: TestStack;
let unbatched: { gateway: Gateway; server: Listening };
let youthIds: string[];

beforeAll(async () => {
  stack = await startTestStack({ scale: 0.02 });
  const config = loadGatewayConfig({
    ...stack.env,
    GATEWAY_PORT: '0',
    SUPERGRAPH_RELOAD: 'false',
    BATCH_SUBGRAPH_FETCHES: 'false',
    COALESCE_OPERATIONS: 'false',
  });
  const gateway = await createGateway({
    config,
    logger: createLogger('fetch-batching-test'),
    subgraphUrls: stack.subgraphUrls,
    access: stack.access,
  });
  await gateway.start();
  unbatched = { gateway, server: await listen(gateway.handler, { port: 0, host: '127.0.0.1' }) };
  const page = await stack.gql<{ youths: { edges: { node: { id: string } }[] } }>(
    '{ youths(filter: { inTargetGroup: true, ageMax: 24 }, first: 500) { edges { node { id } } } }',
    {},
    { role: 'uu-counsellor' },
  );
  // Need to know: young people a social caseworker the systems name can read in full (an open case), under
  // 25 (from 25 other units' data needs consent, issue 14).
  const listed = page.data!.youths.edges.map((edge) => edge.node.id);
  const entries = await stack.store.registerEntries(listed);
  youthIds = listed.filter((_, i) => (entries[i]?.facts.caseworkerIds.length ?? 0) > 0).slice(0, 3);
  expect(youthIds.length).toBeGreaterThan(0);
}, 180_000);

afterAll(async () => {
  await unbatched?.server.close();
  await unbatched?.gateway.stop();
  await stack?.shutdown();
});

const coordinationRequests = () => subgraphRequestsServed('coordination');

async function askUnbatched(id: string, system?: string) {
  const response = await fetch(`${unbatched.server.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${await stack.tokenForYouth('social-caseworker', id)}` },
    body: JSON.stringify({ query: DOSSIER, variables: { id } }),
  });
  expect(response.status, system).toBe(200);
  return (await response.json()) as { data?: unknown; errors?: { path?: unknown[]; extensions?: { code?: string; service?: string } }[] };
}

describe('a dossier’s fetches to one subgraph', () => {
  it('go as one call per hop, with the answer they give one by one', async () => {
    for (const id of youthIds) {
      const before = await coordinationRequests();
      const batched = await stack.gql(DOSSIER, { id }, { role: 'social-caseworker', youth: id });
      const batchedCalls = (await coordinationRequests()) - before;
      const alone = await askUnbatched(id);
      const aloneCalls = (await coordinationRequests()) - before - batchedCalls;

      expect(batched.errors).toBeUndefined();
      expect(batched.data).toEqual(alone.data);
      expect((batched.data as { youth: { targetGroup: { inTargetGroup: boolean } } }).youth.targetGroup.inTargetGroup).toBe(true);
      // The coordination is asked at the root (youth(id), need to know), for the consent state the systems
      // and the access log read, and for the contact person; the last hop asks for target group,
      // eligibility and plan: one call instead of three.
      expect(aloneCalls - batchedCalls).toBe(2);
      expect(batchedCalls).toBeLessThanOrEqual(4);
    }
  });

  it('still fail one by one: a system that is down nulls only what needs it', async () => {
    const jobcenter = stack.systems.systems.jobcenter;
    jobcenter.options.failureRate = 1;
    try {
      const id = youthIds[0]!;
      const batched = await stack.gql<{ youth: Record<string, unknown> }>(DOSSIER, { id }, { role: 'social-caseworker', youth: id });
      const alone = await askUnbatched(id, 'jobcenter down');
      expect(batched.data).toEqual(alone.data);
      // The target group needs no jobcenter facts; eligibility and the plan do (their @requires).
      expect(batched.data!.youth['targetGroup']).not.toBeNull();
      expect(batched.data!.youth['jobcenter']).toBeNull();
      expect(batched.data!.youth['contactPersonEligibility']).toBeNull();
      expect(batched.data!.youth['coordinatedPlan']).toBeNull();
      const paths = (errors: { path?: unknown[] }[] | undefined) => (errors ?? []).map((error) => JSON.stringify(error.path)).sort();
      expect(paths(batched.errors)).toEqual(paths(alone.errors));
      expect(batched.errors!.some((error) => error.extensions?.service === 'jobcenter')).toBe(true);
    } finally {
      jobcenter.options.failureRate = 0;
    }
  });
});
