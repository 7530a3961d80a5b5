import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../e2e/testStack.js';
import { privatePostgresAvailable, startPrivatePostgres, type PrivatePostgres } from './privatePostgres.js';

/**
 * A fixed-rate load on loopback, with the database restarted in the middle: no request may fail with
 * a 5xx, and every mutation must take effect exactly once (clients retry with their idempotency key,
 * as a caseworker's screen would). Bounded: RATE requests a second for DURATION_MS, then it stops.
 */
const RATE = 20;
const DURATION_MS = 8_000;
const RESTART_AT_MS = 3_000;
const MUTATION_EVERY = 4;

let postgres: PrivatePostgres;
let stack: TestStack;

beforeAll(async () => {
  postgres = await startPrivatePostgres();
  // The access log waits for the database through the restart; its write timeout must outlast a
  // restart on a busy two-core machine (the default 2 s is for a server that stays up).
  stack = await startTestStack({ env: { DATABASE_URL: postgres.url, AUDIT_WRITE_TIMEOUT_MS: '6000' } });
}, 180_000);
afterAll(async () => {
  await stack?.shutdown().catch(() => undefined);
  postgres?.stop();
});

describe.skipIf(!privatePostgresAvailable)('fixed-rate load with a database restart', () => {
  it('answers every request without a 5xx and loses or doubles no mutation', async () => {
    const list = await stack.gql<{ youths: { edges: { node: { id: string } }[] } }>(
      // Under 25: no consent needed to read other units' data (issue 14).
      '{ youths(filter: { inTargetGroup: true, ageMax: 24 }, first: 50) { edges { node { id } } } }',
      {},
      { role: 'uu-counsellor' },
    );
    const ids = list.data!.youths.edges.map((e) => e.node.id);
    expect(ids.length).toBeGreaterThan(10);
    const counsellor = `Bearer ${await stack.tokenFor('uu-counsellor')}`;
    // Need to know: UU takes part in every coordinated effort, so a UU reader relates to the whole target group.
    const caseworker = `Bearer ${await stack.tokenFor('uu-counsellor', undefined, { staffId: 'load-reader' })}`;

    const post = (authorization: string, body: unknown) =>
      fetch(stack.gatewayUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization },
        body: JSON.stringify(body),
      });

    const statuses: number[] = [];
    const failedAnswers: string[] = [];
    const mutationKeys: string[] = [];
    const read = async (i: number) => {
      const response = await post(caseworker, {
        query:
          'query ($id: ID!) { youth(id: $id) { firstName school { grade } guidance { activity } targetGroup { indicators } coordinatedPlan { agreedActions { title } } } }',
        variables: { id: ids[i % ids.length] },
      });
      statuses.push(response.status);
      const body = (await response.json()) as { errors?: { extensions?: { code?: string } }[] };
      if (body.errors) failedAnswers.push(...body.errors.map((e) => e.extensions?.code ?? 'unknown'));
    };
    const mutate = async (i: number) => {
      const key = `load-${process.pid}-${i}`;
      mutationKeys.push(key);
      for (let attempt = 1; attempt <= 5; attempt++) {
        const response = await post(counsellor, {
          query: 'mutation ($input: AddPlanActionInput!) { addPlanAction(input: $input) { id } }',
          variables: { input: { youthId: ids[i % ids.length], title: `load action ${key}`, ownerUnit: 'GUIDANCE', idempotencyKey: key } },
        });
        statuses.push(response.status);
        const body = (await response.json()) as {
          data?: { addPlanAction?: { id: string } };
          errors?: { extensions?: { code?: string } }[];
        };
        if (body.errors) failedAnswers.push(...body.errors.map((e) => `mutation ${e.extensions?.code ?? 'unknown'}`));
        if (body.data?.addPlanAction?.id) return;
        await new Promise((resolve) => setTimeout(resolve, 200 * attempt));
      }
    };

    const started = Date.now();
    const inFlight: Promise<void>[] = [];
    let restarted: Promise<void> | undefined;
    const total = Math.round((RATE * DURATION_MS) / 1000);
    for (let i = 0; i < total; i++) {
      const due = started + (i * 1000) / RATE;
      const wait = due - Date.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      if (!restarted && Date.now() - started >= RESTART_AT_MS) restarted = postgres.restart();
      inFlight.push(i % MUTATION_EVERY === 0 ? mutate(i) : read(i));
    }
    await Promise.all(inFlight);
    await restarted;

    const serverErrors = statuses.filter((status) => status >= 500);
    // eslint-disable-next-line no-console -- the figures of the load run, for the README and the issue
    console.info('load run', {
      requests: statuses.length,
      serverErrors: serverErrors.length,
      failedAnswers: failedAnswers.length,
      mutations: mutationKeys.length,
      seconds: (Date.now() - started) / 1000,
    });
    expect(serverErrors).toEqual([]);
    expect(failedAnswers).toEqual([]);

    const client = new pg.Client({ connectionString: postgres.url });
    await client.connect();
    try {
      // Each mutation's title names its key: one row per title means one effect per key.
      const { rows } = await client.query<{ title: string; n: string }>(
        `SELECT title, count(*) AS n FROM "${stack.schema}".plan_actions WHERE title = ANY($1) GROUP BY title`,
        [mutationKeys.map((key) => `load action ${key}`)],
      );
      expect(rows.length).toBe(mutationKeys.length);
      expect(rows.every((row) => Number(row.n) === 1)).toBe(true);
    } finally {
      await client.end();
    }
  }, 120_000);
});
