/**
 * What the gateway tells a caller without a token (issue 11): `/readyz` showed the supergraph's file
 * path, and a failing check's error text (which may name a host or a path) went out as is. `/healthz`
 * and `/readyz` now say ready or not and name the checks, nothing more; the details reach the log.
 * Every other route answered without a token is checked for the same: no file paths, URLs, host names,
 * versions or stack traces.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AccessLogStore } from '../../gateway/accessLog/store.js';
import type { GatewaySecurity } from '../../gateway/authentication.js';
import { loadGatewayConfig } from '../../gateway/config.js';
import { createGateway, type Gateway } from '../../gateway/server.js';
import { createTokenVerifier } from '../../platform/authentication/verifier.js';
import type { QueryResult } from '../../platform/db/database.js';
import { listen, type Listening } from '../../platform/graphqlHttp.js';
import { authConfig, makeKey, silentLogger, writeJwks } from '../authentication/helpers.js';
import { startGrades, startPeople, type FixtureSubgraph } from '../gateway/fixtures/subgraphs.js';
import { captureLogger, fixtureSupergraph } from '../operations/helpers.js';

/** What a failing database driver may well say: a host, a port, a socket path. */
const DRIVER_ERROR = 'connect ECONNREFUSED db-primary.internal.aalborg.dk:5432 (/var/run/postgresql/.s.PGSQL.5432)';

/** The access log's database, up or failing with DRIVER_ERROR on demand. */
class SteerableDatabase {
  down = false;
  readonly kind = 'pglite';
  readonly schema = 'audit';
  async query<T>(): Promise<QueryResult<T>> {
    if (this.down) throw new Error(DRIVER_ERROR);
    return { rows: [] };
  }
  async transaction<T>(): Promise<T> {
    throw new Error('not used');
  }
  async close(): Promise<void> {}
}

const tmp = mkdtempSync(join(tmpdir(), 'ungegraf-leaks-'));
const supergraphPath = join(tmp, 'secret-dir', 'supergraph.graphql');
const db = new SteerableDatabase();
const { logger, lines } = captureLogger('info');
let people: FixtureSubgraph;
let grades: FixtureSubgraph;
let gateway: Gateway;
let server: Listening;

beforeAll(async () => {
  people = await startPeople();
  grades = await startGrades({ delayMs: 0, fail: 'none' });
  mkdirSync(join(tmp, 'secret-dir'));
  writeFileSync(supergraphPath, fixtureSupergraph(tmp, 'v1'));
  const key = await makeKey('k1');
  await writeJwks(join(tmp, 'jwks.json'), key);
  const verifier = await createTokenVerifier(authConfig({ jwksFile: join(tmp, 'jwks.json') }), silentLogger);
  const access: GatewaySecurity = {
    verify: (authorization) => verifier.verify(authorization),
    accessLog: new AccessLogStore(db),
    writeTimeoutMs: 500,
    close: async () => undefined,
  };
  const config = loadGatewayConfig({
    SUPERGRAPH_PATH: supergraphPath,
    SUPERGRAPH_POLL_MS: '0',
    SUBGRAPH_PEOPLE_URL: people.url,
    SUBGRAPH_GRADES_URL: grades.url,
  });
  gateway = await createGateway({ config, logger, access });
  await gateway.start();
  server = await listen(gateway.handler, { port: 0, host: '127.0.0.1' });
});

afterAll(async () => {
  await server?.close();
  await gateway?.stop();
  await grades?.close();
  await people?.close();
  rmSync(tmp, { recursive: true, force: true });
});

/** Anything a stranger could use to map the inside. */
function expectNothingInternal(text: string): void {
  const leaks = [
    tmp,
    'secret-dir',
    'supergraph.graphql',
    '/var/run',
    'db-primary',
    'ECONNREFUSED',
    people.url,
    grades.url,
    new URL(people.url).host,
    process.version,
    process.version.slice(1),
    process.cwd(),
    '    at ',
  ];
  for (const leak of leaks) expect(text, `leaks ${leak}`).not.toContain(leak);
  expect(text).not.toMatch(/\bhttps?:\/\//);
}

async function fetchText(path: string): Promise<{ status: number; text: string }> {
  const response = await fetch(`${server.url}${path}`);
  return { status: response.status, text: await response.text() };
}

describe('/readyz and /healthz to a caller without a token', () => {
  it('when ready: the state and the check names, no file path or detail', async () => {
    const { status, text } = await fetchText('/readyz');
    expect(status).toBe(200);
    expect(JSON.parse(text)).toEqual({
      status: 'ready',
      state: 'ok',
      notReady: [],
      checks: { supergraph: { ok: true }, accessLog: { ok: true }, breakers: { ok: true }, sharedState: { ok: true } },
    });
    expectNothingInternal(text);
    // The detail is still there for operators, in process.
    expect((await gateway.health.readiness()).checks.supergraph?.detail).toMatchObject({ loaded: { path: supergraphPath } });
  });

  it('when a check fails: the check’s name as the reason, its error only in the log', async () => {
    db.down = true;
    try {
      const ready = await fetchText('/readyz');
      expect(ready.status).toBe(503);
      expect(JSON.parse(ready.text)).toMatchObject({ status: 'not ready', notReady: ['accessLog'], checks: { accessLog: { ok: false } } });
      expectNothingInternal(ready.text);
      await fetchText('/readyz');
      const logged = lines.filter((line) => line.msg === 'readiness check failing');
      expect(logged).toEqual([expect.objectContaining({ check: 'accessLog', detail: DRIVER_ERROR })]);
      const alive = await fetchText('/healthz');
      expect(alive).toEqual({ status: 200, text: '{"status":"ok"}' });
    } finally {
      db.down = false;
    }
    expect((await fetchText('/readyz')).status).toBe(200);
    expect(lines.some((line) => line.msg === 'readiness check passing again' && line.check === 'accessLog')).toBe(true);
  });
});

describe('every other route answered without a token', () => {
  it('says nothing internal', async () => {
    for (const path of ['/healthz', '/metrics', '/', '/nope', '/graphql', '/graphql?query=%7B__typename%7D', '/ide/', '/screen/']) {
      const { text } = await fetchText(path);
      expectNothingInternal(text);
    }
    const refused = await fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer x.y.z' },
      body: '{"query":"{ people { id } }"}',
    });
    expect(refused.status).toBe(401);
    expectNothingInternal(await refused.text());
  });
});
