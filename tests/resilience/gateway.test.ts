/**
 * The gateway's policies over two tiny fixture subgraphs on loopback: a circuit breaker per subgraph,
 * the request's deadline over every subgraph call, errors at the paths of the fields a failed call
 * was to deliver, and no retries (a mutation is sent once).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadGatewayConfig } from '../../gateway/config.js';
import { createGateway, type Gateway } from '../../gateway/server.js';
import { SubgraphDataSource } from '../../gateway/subgraphDataSource.js';
import {
  breakerStates,
  loadGatewayResilienceConfig,
  onBreakerStateChange,
  onCall,
  type BreakerState,
  type CallOutcome,
} from '../../gateway/resilience.js';
import { listen, type Listening } from '../../platform/graphqlHttp.js';
import { createLogger } from '../../platform/logger.js';
import { composeSupergraph } from '../../schema/compose.js';
import { fixtureEntry, startGrades, startPeople, type FixtureSubgraph, type GradesBehaviour } from '../gateway/fixtures/subgraphs.js';

const logger = createLogger('resilience-gateway-test');
const { supergraphSdl } = composeSupergraph([fixtureEntry('people'), fixtureEntry('grades')]);

interface Body {
  data?: { people?: { id: string; name: string; grade: number | null }[] } | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[];
}

const behaviour: GradesBehaviour = { delayMs: 0, fail: 'none' };
let people: FixtureSubgraph;
let grades: FixtureSubgraph;

async function startGateway(
  env: Record<string, string>,
): Promise<{ gateway: Gateway; server: Listening; ask: (query: string) => Promise<{ body: Body; ms: number }> }> {
  const config = loadGatewayConfig({ GATEWAY_PORT: '0', SUBGRAPH_PEOPLE_URL: people.url, SUBGRAPH_GRADES_URL: grades.url, ...env });
  const gateway = await createGateway({ config, logger, supergraphSdl });
  await gateway.start();
  const server = await listen(gateway.handler, { port: 0, host: '127.0.0.1' });
  return {
    gateway,
    server,
    async ask(query) {
      const started = performance.now();
      const response = await fetch(`${server.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query }),
      });
      return { body: (await response.json()) as Body, ms: performance.now() - started };
    },
  };
}

beforeAll(async () => {
  people = await startPeople();
  grades = await startGrades(behaviour);
});
afterAll(async () => {
  await grades?.close();
  await people?.close();
});
beforeEach(() => {
  behaviour.delayMs = 0;
  behaviour.fail = 'none';
});

const PEOPLE = '{ people { id name grade } }';
const TIMEOUT_MS = 600;

describe('a circuit breaker per subgraph', () => {
  let running: Awaited<ReturnType<typeof startGateway>>;
  beforeAll(async () => {
    running = await startGateway({
      SUBGRAPH_TIMEOUT_MS: String(TIMEOUT_MS),
      SUBGRAPH_BREAKER_THRESHOLD: '2',
      SUBGRAPH_BREAKER_HALF_OPEN_MS: '400',
    });
  });
  afterAll(async () => {
    await running?.gateway.stop();
    await running?.server.close();
  });

  it('opens after consecutive failures, fails fast with SUBGRAPH_UNAVAILABLE at the fields, half-opens and recovers', async () => {
    const changes: BreakerState[] = [];
    const outcomes: CallOutcome[] = [];
    const stopChanges = onBreakerStateChange((service, state) => service === 'grades' && changes.push(state));
    const stopCalls = onCall((service, route, _ms, outcome) => {
      if (service !== 'grades') return;
      expect(route).toBe('query');
      outcomes.push(outcome);
    });
    try {
      behaviour.delayMs = TIMEOUT_MS * 3;
      for (let i = 0; i < 2; i++) {
        const { body } = await running.ask(PEOPLE);
        expect(body.data?.people?.map((p) => p.name)).toEqual(['Asta', 'Bo', 'Carl']);
        expect(body.errors?.every((e) => e.extensions?.['code'] === 'SUBGRAPH_UNAVAILABLE' && e.extensions?.['service'] === 'grades')).toBe(
          true,
        );
      }
      expect(breakerStates()['grades']).toBe('open');

      // Open: no call is sent, the answer is at once, and still partial with the errors at the fields.
      const { body, ms } = await running.ask(PEOPLE);
      expect(ms).toBeLessThan(TIMEOUT_MS / 2);
      expect(body.data?.people).toEqual([
        { id: 'p1', name: 'Asta', grade: null },
        { id: 'p2', name: 'Bo', grade: null },
        { id: 'p3', name: 'Carl', grade: null },
      ]);
      expect(body.errors).toEqual(
        [0, 1, 2].map((i) => ({
          message: 'Subgraph "grades" is unavailable',
          path: ['people', i, 'grade'],
          extensions: { code: 'SUBGRAPH_UNAVAILABLE', service: 'grades' },
        })),
      );

      behaviour.delayMs = 0;
      await new Promise((resolve) => setTimeout(resolve, 450));
      const recovered = await running.ask(PEOPLE);
      expect(recovered.body.errors).toBeUndefined();
      expect(recovered.body.data?.people?.every((p) => p.grade === 6)).toBe(true);
      expect(breakerStates()['grades']).toBe('closed');
      expect(changes).toEqual(['open', 'half-open', 'closed']);
      expect(outcomes).toEqual(['timeout', 'timeout', 'open', 'ok']);
    } finally {
      stopChanges();
      stopCalls();
    }
  });

  it('does not count a subgraph that answers with GraphQL errors: it is up', async () => {
    // A breaker of its own (other settings), whatever the test above left behind.
    const own = await startGateway({ SUBGRAPH_BREAKER_THRESHOLD: '2', SUBGRAPH_BREAKER_HALF_OPEN_MS: '401' });
    try {
      await expectCodedErrorsDoNotCount(own.ask);
    } finally {
      await own.gateway.stop();
      await own.server.close();
    }
  });
});

async function expectCodedErrorsDoNotCount(ask: (query: string) => Promise<{ body: Body }>): Promise<void> {
  behaviour.fail = 'coded';
  for (let i = 0; i < 4; i++) {
    const { body } = await ask('{ person(id: "p1") { name grade } }');
    expect(body.errors?.[0]?.extensions?.['code']).toBe('NOT_FOUND');
  }
  expect(breakerStates()['grades']).toBe('closed');
}

describe("the request's deadline", () => {
  let running: Awaited<ReturnType<typeof startGateway>>;
  beforeAll(async () => {
    running = await startGateway({ SUBGRAPH_TIMEOUT_MS: '5000', REQUEST_DEADLINE_MS: '300', SUBGRAPH_BREAKER_THRESHOLD: '2' });
  });
  afterAll(async () => {
    await running?.gateway.stop();
    await running?.server.close();
  });

  it('bounds every subgraph call by the time left, and answers partially within it', async () => {
    behaviour.delayMs = 2000;
    for (let i = 0; i < 3; i++) {
      const { body, ms } = await running.ask(PEOPLE);
      expect(ms).toBeLessThan(300 + 250);
      expect(body.data?.people?.map((p) => p.name)).toEqual(['Asta', 'Bo', 'Carl']);
      expect(body.errors?.[0]).toMatchObject({
        path: ['people', 0, 'grade'],
        extensions: { code: 'SUBGRAPH_UNAVAILABLE', service: 'grades' },
      });
      expect(body.errors?.[0]?.message).toMatch(/the request's deadline/);
    }
    // Cut short by the request's deadline, not by its own timeout: not the subgraph's failure.
    expect(breakerStates()['grades']).toBe('closed');
  });

  it('is read from REQUEST_DEADLINE_MS, with the breaker settings, defaults 10 s, 5 failures, 10 s', () => {
    expect(loadGatewayResilienceConfig({})).toEqual({ requestDeadlineMs: 10_000, breakerThreshold: 5, breakerHalfOpenMs: 10_000 });
    expect(
      loadGatewayResilienceConfig({ REQUEST_DEADLINE_MS: '2500', SUBGRAPH_BREAKER_THRESHOLD: '3', SUBGRAPH_BREAKER_HALF_OPEN_MS: '500' }),
    ).toEqual({
      requestDeadlineMs: 2500,
      breakerThreshold: 3,
      breakerHalfOpenMs: 500,
    });
    expect(() => loadGatewayResilienceConfig({ REQUEST_DEADLINE_MS: '0' })).toThrow(/REQUEST_DEADLINE_MS/);
  });
});

describe('no retries at the gateway', () => {
  it('sends a mutation once, even when the subgraph fails, and answers an error at the mutation field', async () => {
    let sent = 0;
    const failing: typeof fetch = async () => {
      sent += 1;
      throw Object.assign(new TypeError('fetch failed'), { cause: Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }) });
    };
    const source = new SubgraphDataSource({ name: 'writes', url: 'http://127.0.0.1:9/graphql', timeoutMs: 500, logger, fetch: failing });
    const incomingRequestContext = {
      operation: { operation: 'mutation' },
      document: { kind: 'Document', definitions: [] },
      request: { http: { headers: new Map([['idempotency-key', 'abc-123']]) } },
    };
    const result = await source.process({
      kind: 'incoming operation',
      request: {
        query: 'mutation { save(input: { title: "x" }) { id } }',
        variables: {},
        http: { method: 'POST', url: '', headers: new Headers() },
      },
      context: { requestId: 'r-1' },
      incomingRequestContext,
    } as unknown as Parameters<SubgraphDataSource['process']>[0]);
    expect(sent).toBe(1);
    expect(result.errors).toEqual([
      { message: 'Subgraph "writes" is unavailable', path: ['save'], extensions: { code: 'SUBGRAPH_UNAVAILABLE', service: 'writes' } },
    ]);
  });

  it("passes a client's Idempotency-Key on with a mutation, and refuses one that is not visible ASCII", async () => {
    const seen: (string | null)[] = [];
    const answering: typeof fetch = async (_url, init) => {
      seen.push(new Headers(init?.headers).get('idempotency-key'));
      return new Response(JSON.stringify({ data: { save: { id: '1' } } }), { headers: { 'content-type': 'application/json' } });
    };
    const source = new SubgraphDataSource({
      name: 'writes-key',
      url: 'http://127.0.0.1:9/graphql',
      timeoutMs: 500,
      logger,
      fetch: answering,
    });
    const call = (operation: string, key: string) =>
      source.process({
        kind: 'incoming operation',
        request: { query: `${operation} { save { id } }`, variables: {}, http: { method: 'POST', url: '', headers: new Headers() } },
        context: { requestId: 'r-2' },
        incomingRequestContext: { operation: { operation }, request: { http: { headers: new Map([['idempotency-key', key]]) } } },
      } as unknown as Parameters<SubgraphDataSource['process']>[0]);
    await call('mutation', 'key-1');
    await call('query', 'key-2');
    expect(seen).toEqual(['key-1', null]);
    const refused = await call('mutation', 'two words');
    expect(seen).toHaveLength(2);
    expect(refused.errors?.[0]?.extensions?.['code']).toBe('BAD_USER_INPUT');
  });
});
