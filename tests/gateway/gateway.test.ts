/**
 * The gateway end to end over two tiny fixture subgraphs, everything on port 0.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadGatewayConfig } from '../../gateway/config.js';
import { listen, type Listening } from '../../platform/graphqlHttp.js';
import { createGateway, supergraphUrls, type Gateway } from '../../gateway/server.js';
import { createLogger } from '../../platform/logger.js';
import { composeSupergraph } from '../../schema/compose.js';
import {
  deadUrl,
  fixtureEntry,
  LEAKY_CPR,
  startGrades,
  startPeople,
  type FixtureSubgraph,
  type GradesBehaviour,
} from './fixtures/subgraphs.js';

const logger = createLogger('gateway-test');
const TIMEOUT_MS = 400;
const { supergraphSdl } = composeSupergraph([fixtureEntry('people'), fixtureEntry('grades')]);

interface GraphQLBody {
  data?: Record<string, unknown> | null;
  errors?: { message: string; path?: unknown[]; extensions?: Record<string, unknown> }[];
}

async function post(base: string, query: string, headers: Record<string, string> = {}) {
  const response = await fetch(`${base}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query }),
  });
  const text = await response.text();
  return { response, text, body: JSON.parse(text) as GraphQLBody };
}

const behaviour: GradesBehaviour = { delayMs: 0, fail: 'none' };
let people: FixtureSubgraph;
let grades: FixtureSubgraph;
let gateway: Gateway;
let server: Listening;
let healthBeforeStart: number;

beforeAll(async () => {
  people = await startPeople();
  grades = await startGrades(behaviour);
  // URLs through the environment, as in production.
  const config = loadGatewayConfig({
    GATEWAY_PORT: '0',
    SUBGRAPH_PEOPLE_URL: people.url,
    SUBGRAPH_GRADES_URL: grades.url,
    SUBGRAPH_TIMEOUT_MS: String(TIMEOUT_MS),
  });
  gateway = await createGateway({ config, logger, supergraphSdl });
  server = await listen(gateway.handler, { port: 0, host: '127.0.0.1' });
  healthBeforeStart = (await fetch(`${server.url}/healthz`)).status;
  await gateway.start();
});

afterAll(async () => {
  await gateway?.stop();
  await server?.close();
  await grades?.close();
  await people?.close();
});

beforeEach(() => {
  behaviour.delayMs = 0;
  behaviour.fail = 'none';
});

describe('gateway over two subgraphs', () => {
  it('disables Apollo telemetry', () => {
    expect(process.env.APOLLO_TELEMETRY_DISABLED).toBe('1');
  });

  it('takes subgraph URLs from SUBGRAPH_<NAME>_URL over the supergraph', () => {
    expect(supergraphUrls(supergraphSdl)).toEqual({
      people: 'http://127.0.0.1:9/people/graphql',
      grades: 'http://127.0.0.1:9/grades/graphql',
    });
    expect(gateway.subgraphUrls).toEqual({ people: people.url, grades: grades.url });
  });

  it('answers /healthz 503 before the supergraph is loaded and 200 after', async () => {
    expect(healthBeforeStart).toBe(503);
    const response = await fetch(`${server.url}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
  });

  it('joins fields across both subgraphs', async () => {
    const { response, body } = await post(server.url, '{ people { id name grade } person(id: "p2") { name grade } }');
    expect(response.status).toBe(200);
    expect(body).toEqual({
      data: {
        people: [
          { id: 'p1', name: 'Asta', grade: 6 },
          { id: 'p2', name: 'Bo', grade: 6 },
          { id: 'p3', name: 'Carl', grade: 6 },
        ],
        person: { name: 'Bo', grade: 6 },
      },
    });
  });

  it("never forwards the client's Authorization (subgraphs take the gateway's credential only), sends x-request-id and echoes it", async () => {
    const { response, body } = await post(server.url, '{ person(id: "p1") { seenHeaders { authorization requestId } } }', {
      authorization: 'Bearer test-token',
      'x-request-id': 'req-42.a_b',
    });
    expect(response.headers.get('x-request-id')).toBe('req-42.a_b');
    // No verified caller here (no access control): nothing to vouch for, so no credential at all.
    expect(body.data).toEqual({ person: { seenHeaders: { authorization: null, requestId: 'req-42.a_b' } } });
  });

  it('replaces an insane request id with a UUID, and sends no authorization when there is none', async () => {
    const { response, body } = await post(server.url, '{ person(id: "p1") { seenHeaders { authorization requestId } } }', {
      'x-request-id': 'x'.repeat(65),
    });
    const id = response.headers.get('x-request-id');
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(body.data).toEqual({ person: { seenHeaders: { authorization: null, requestId: id } } });
  });

  it('gives a clean SUBGRAPH_UNAVAILABLE error for a subgraph slower than the timeout, and still answers the rest', async () => {
    behaviour.delayMs = TIMEOUT_MS + 600;
    const started = Date.now();
    const { body, text } = await post(server.url, '{ people { id name grade } }');
    expect(Date.now() - started).toBeLessThan(TIMEOUT_MS + 500);
    expect(body.data).toEqual({
      people: [
        { id: 'p1', name: 'Asta', grade: null },
        { id: 'p2', name: 'Bo', grade: null },
        { id: 'p3', name: 'Carl', grade: null },
      ],
    });
    // One error per null field, at its path (gateway/subgraphDataSource.ts, failedResponse).
    expect(body.errors).toEqual(
      [0, 1, 2].map((i) => ({
        message: `Subgraph "grades" did not answer within ${TIMEOUT_MS} ms`,
        path: ['people', i, 'grade'],
        extensions: { code: 'SUBGRAPH_UNAVAILABLE', service: 'grades' },
      })),
    );
    expect(text).not.toMatch(/https?:\/\//);
    expect(text).not.toMatch(/stacktrace|"response"|127\.0\.0\.1/);
  });

  it('hides URL and CPR number of a subgraph error without a code behind a generic message', async () => {
    behaviour.fail = 'plain';
    const { body, text } = await post(server.url, '{ person(id: "p1") { name grade } }');
    expect(body.data).toEqual({ person: { name: 'Asta', grade: null } });
    expect(body.errors).toEqual([
      {
        message: 'Internal server error',
        path: ['person', 'grade'],
        extensions: { code: 'INTERNAL_SERVER_ERROR', service: 'grades' },
      },
    ]);
    expect(text).not.toContain('10.1.2.3');
    expect(text).not.toContain(LEAKY_CPR);
    expect(text).not.toMatch(/https?:\/\/|stacktrace|exception/);
  });

  it('keeps the stable code of a subgraph error but scrubs URL and CPR number from its message', async () => {
    behaviour.fail = 'coded';
    const { body, text } = await post(server.url, '{ person(id: "p3") { grade } }');
    expect(body.errors).toHaveLength(1);
    expect(body.errors?.[0]).toMatchObject({
      message: 'No grade for [redacted] at [url]',
      path: ['person', 'grade'],
      extensions: { code: 'NOT_FOUND', service: 'grades' },
    });
    expect(text).not.toContain(LEAKY_CPR.replace('-', ''));
    expect(text).not.toMatch(/https?:\/\/|stacktrace/);
  });

  it('reuses keep-alive connections to the subgraphs', async () => {
    await post(server.url, '{ people { id } }');
    let opened = 0;
    const count = () => void opened++;
    people.listening.server.on('connection', count);
    try {
      for (let i = 0; i < 5; i++) await post(server.url, '{ people { id } }');
    } finally {
      people.listening.server.off('connection', count);
    }
    expect(opened).toBeLessThanOrEqual(1);
  });

  it('answers GET /graphql with a query (with Apollo CSRF prevention)', async () => {
    const url = `${server.url}/graphql?query=${encodeURIComponent('{ person(id: "p2") { name grade } }')}`;
    const ok = await fetch(url, { headers: { 'apollo-require-preflight': 'true' } });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ data: { person: { name: 'Bo', grade: 6 } } });
    // A simple GET without a preflight-forcing header is refused: no CSRF through <img src>.
    expect((await fetch(url)).status).toBe(400);
  });

  it('refuses a body over 1 MB with 413, with or without content-length', async () => {
    const big = JSON.stringify({ query: '{ people { id } }', variables: { pad: 'x'.repeat(1024 * 1024) } });
    const declared = await fetch(`${server.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: big });
    expect(declared.status).toBe(413);
    expect(((await declared.json()) as GraphQLBody).errors?.[0]?.extensions?.['code']).toBe('PAYLOAD_TOO_LARGE');

    const chunks = new ReadableStream<Uint8Array>({
      start(controller) {
        const piece = new TextEncoder().encode('x'.repeat(64 * 1024));
        controller.enqueue(new TextEncoder().encode('{"query":"{ people { id } }","variables":{"pad":"'));
        for (let i = 0; i < 20; i++) controller.enqueue(piece);
        controller.enqueue(new TextEncoder().encode('"}}'));
        controller.close();
      },
    });
    const streamed = await fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: chunks,
      duplex: 'half',
    } as RequestInit);
    expect(streamed.status).toBe(413);

    // The gateway keeps serving.
    expect((await post(server.url, '{ people { id } }')).response.status).toBe(200);
  });

  it('accepts a body just under the cap', async () => {
    const body = JSON.stringify({ query: '{ people { id } }', variables: { pad: 'x'.repeat(1000 * 1000) } });
    const response = await fetch(`${server.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    expect(response.status).toBe(200);
  });

  it('answers bad JSON with 400 and unknown paths with 404', async () => {
    const bad = await fetch(`${server.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{nope' });
    expect(bad.status).toBe(400);
    expect((await fetch(`${server.url}/elsewhere`)).status).toBe(404);
    expect((await fetch(`${server.url}/graphql`, { method: 'PUT' })).status).toBe(405);
  });

  it('serves introspection outside production', async () => {
    const { body } = await post(server.url, '{ __schema { queryType { name } } }');
    expect(body.data).toEqual({ __schema: { queryType: { name: 'Query' } } });
  });

  it('serves no landing page', async () => {
    const response = await fetch(`${server.url}/graphql`, { headers: { accept: 'text/html' } });
    expect(await response.text()).not.toMatch(/cdn|<html/i);
  });
});

describe('gateway in production mode, with an unreachable subgraph', () => {
  let prod: Gateway;
  let prodServer: Listening;

  beforeAll(async () => {
    const config = loadGatewayConfig({ NODE_ENV: 'production', SUBGRAPH_TIMEOUT_MS: '2000' });
    prod = await createGateway({ config, logger, supergraphSdl, subgraphUrls: { people: people.url, grades: await deadUrl() } });
    await prod.start();
    prodServer = await listen(prod.handler, { port: 0, host: '127.0.0.1' });
  });

  afterAll(async () => {
    await prod?.stop();
    await prodServer?.close();
  });

  it('disables introspection', async () => {
    const { body } = await post(prodServer.url, '{ __schema { queryType { name } } }');
    expect(body.data).toBeUndefined();
    expect(body.errors?.[0]?.extensions?.['code']).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(body.errors?.[0]?.message).toMatch(/introspection/i);
  });

  it('reports an unreachable subgraph as SUBGRAPH_UNAVAILABLE without its URL', async () => {
    const { body, text } = await post(prodServer.url, '{ person(id: "p1") { name grade } }');
    expect(body.data).toEqual({ person: { name: 'Asta', grade: null } });
    expect(body.errors).toEqual([
      {
        message: 'Subgraph "grades" is unavailable',
        path: ['person', 'grade'],
        extensions: { code: 'SUBGRAPH_UNAVAILABLE', service: 'grades' },
      },
    ]);
    expect(text).not.toMatch(/127\.0\.0\.1|ECONNREFUSED|https?:\/\//);
  });

  it('turns /healthz to 503 once stopping, still answers what arrives while draining, and refuses once stopped', async () => {
    expect((await fetch(`${prodServer.url}/healthz`)).status).toBe(200);
    prod.health.markStopping();
    expect((await fetch(`${prodServer.url}/healthz`)).status).toBe(503);
    expect((await fetch(`${prodServer.url}/readyz`)).status).toBe(503);
    expect((await post(prodServer.url, '{ people { id } }')).response.status).toBe(200);
    prod.health.markStopped();
    expect((await post(prodServer.url, '{ people { id } }').catch(() => undefined))?.response.status ?? 503).toBe(503);
  });
});

describe('createGateway with a supergraph file', () => {
  it('fails clearly when the file is missing', async () => {
    const config = loadGatewayConfig({ SUPERGRAPH_PATH: '/nonexistent/supergraph.graphql' });
    await expect(createGateway({ config, logger })).rejects.toThrow(
      /Cannot read the supergraph at \/nonexistent\/supergraph\.graphql \(run `npm run compose`\)/,
    );
  });
});
