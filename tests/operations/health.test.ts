/**
 * `/healthz` (alive, cheap) and `/readyz` (ready: the supergraph loaded, the access log's database
 * answering, breakers reported but never a reason to be unready), with a JSON body naming what is not.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AccessLogStore } from '../../gateway/accessLog/store.js';
import type { GatewaySecurity } from '../../gateway/authentication.js';
import { loadGatewayConfig } from '../../gateway/config.js';
import { createGateway, type Gateway } from '../../gateway/server.js';
import type { QueryResult } from '../../platform/db/database.js';
import { listen, type Listening } from '../../platform/graphqlHttp.js';
import { breakersCheck, databaseCheck, Health, type ReadinessReport } from '../../platform/health.js';
import { registerBreakerSource } from '../../platform/metrics.js';
import { deadUrl, startPeople, type FixtureSubgraph } from '../gateway/fixtures/subgraphs.js';
import { captureLogger, fixtureSupergraph } from './helpers.js';

describe('Health', () => {
  it('is ready when serving and every check passes; names what fails or does not answer in time', async () => {
    const health = new Health(100);
    health.addCheck('fine', () => ({ ok: true, detail: { ms: 1 } }));
    expect(await health.readiness()).toEqual({
      status: 'not ready',
      state: 'starting',
      checks: { fine: { ok: true, detail: { ms: 1 } } },
      notReady: ['state'],
    });
    health.markReady();
    expect((await health.readiness()).status).toBe('ready');

    health.addCheck('broken', () => {
      throw new Error('connection refused');
    });
    health.addCheck('slow', () => new Promise(() => undefined));
    health.addCheck('says-no', async () => ({ ok: false, detail: 'no supergraph' }));
    const started = performance.now();
    const report = await health.readiness();
    expect(performance.now() - started).toBeLessThan(1000);
    expect(report.status).toBe('not ready');
    expect(report.notReady.sort()).toEqual(['broken', 'says-no', 'slow']);
    expect(report.checks.broken).toEqual({ ok: false, detail: 'connection refused' });
    expect(report.checks.slow).toEqual({ ok: false, detail: 'no answer within 100 ms' });
  });

  it('goes starting → ok → stopping (unready, still serving) → stopped (not serving)', () => {
    const health = new Health();
    expect([health.ready, health.serving]).toEqual([false, false]);
    health.markReady();
    expect([health.ready, health.serving]).toEqual([true, true]);
    health.markStopping();
    expect([health.state, health.ready, health.serving]).toEqual(['stopping', false, true]);
    health.markReady();
    expect(health.state).toBe('stopping');
    health.markStopped();
    health.markStopping();
    expect([health.state, health.serving]).toEqual(['stopped', false]);
  });

  it('checks a database with SELECT 1', async () => {
    const sql: string[] = [];
    const db = { query: async (text: string) => (sql.push(text), { rows: [] }) };
    expect(await databaseCheck(db)()).toEqual({ ok: true, detail: { ms: expect.any(Number) as unknown } });
    expect(sql).toEqual(['SELECT 1']);
  });

  it('reports open and half-open breakers without failing', async () => {
    const unregister = registerBreakerSource('health-test', () => ({ school: 'open', social: 'half-open', benefits: 'closed' }));
    try {
      expect(await breakersCheck('health-test')()).toEqual({ ok: true, detail: { open: ['school'], halfOpen: ['social'] } });
      expect(await breakersCheck()()).toMatchObject({
        ok: true,
        detail: { open: expect.arrayContaining(['health-test/school']) as unknown },
      });
    } finally {
      unregister();
    }
  });
});

/** A database that answers, hangs or fails on demand; the access log's store runs over it. */
class SteerableDatabase {
  mode: 'up' | 'hang' | 'down' = 'up';
  readonly kind = 'pglite';
  readonly schema = 'audit';
  async query<T>(): Promise<QueryResult<T>> {
    if (this.mode === 'hang') return new Promise(() => undefined);
    if (this.mode === 'down') throw new Error('connection terminated');
    return { rows: [] };
  }
  async transaction<T>(): Promise<T> {
    throw new Error('not used');
  }
  async close(): Promise<void> {}
}

describe('the gateway’s /readyz', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'ungegraf-health-'));
  const db = new SteerableDatabase();
  let people: FixtureSubgraph;
  let gateway: Gateway;
  let server: Listening;

  beforeAll(async () => {
    people = await startPeople();
    const path = join(tmp, 'supergraph.graphql');
    writeFileSync(path, fixtureSupergraph(tmp, 'v1'));
    const access: GatewaySecurity = {
      verify: async () => ({
        subject: 'ops-test',
        role: null,
        organisation: null,
        institution: null,
        scopes: new Set(),
        token: 't',
        expiresAt: Math.floor(Date.now() / 1000) + 3600,
      }),
      accessLog: new AccessLogStore(db),
      writeTimeoutMs: 500,
      close: async () => undefined,
    };
    const config = loadGatewayConfig({
      SUPERGRAPH_PATH: path,
      SUPERGRAPH_POLL_MS: '0',
      SUBGRAPH_PEOPLE_URL: people.url,
      // Nobody answers for `grades`: its breaker opens after two failed calls.
      SUBGRAPH_GRADES_URL: await deadUrl(),
      SUBGRAPH_BREAKER_THRESHOLD: '2',
      SUBGRAPH_BREAKER_HALF_OPEN_MS: '60000',
      READINESS_TIMEOUT_MS: '200',
    });
    gateway = await createGateway({ config, logger: captureLogger('silent').logger, access });
    await gateway.start();
    server = await listen(gateway.handler, { port: 0, host: '127.0.0.1' });
  });

  afterAll(async () => {
    await server?.close();
    await gateway?.stop();
    await people?.close();
    rmSync(tmp, { recursive: true, force: true });
  });

  /** The status of `/readyz` (whose body has no details: tests/security/healthLeaks.test.ts) and the report with them. */
  async function readyz(): Promise<{ status: number; body: ReadinessReport }> {
    const response = await fetch(`${server.url}/readyz`);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const { notReady } = (await response.json()) as ReadinessReport;
    const body = await gateway.health.readiness();
    expect(body.notReady).toEqual(notReady);
    return { status: response.status, body };
  }

  it('is 200 with the supergraph, the access log and the breakers when all is well', async () => {
    const { status, body } = await readyz();
    expect(status).toBe(200);
    expect(body).toMatchObject({
      status: 'ready',
      state: 'ok',
      notReady: [],
      checks: {
        supergraph: {
          ok: true,
          detail: {
            loaded: {
              hash: expect.stringMatching(/^[0-9a-f]{64}$/) as unknown,
              path: expect.stringContaining('supergraph.graphql') as unknown,
            },
          },
        },
        accessLog: { ok: true },
        breakers: { ok: true, detail: { open: [], halfOpen: [] } },
      },
    });
  });

  it('stays ready with an open subgraph breaker, and names it (partial answers are still answers)', async () => {
    for (let i = 0; i < 3; i += 1) {
      const response = await fetch(`${server.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: 'Bearer t' },
        body: JSON.stringify({ query: '{ people { name grade } }' }),
      });
      const body = (await response.json()) as { data?: { people: { name: string; grade: number | null }[] } };
      expect(body.data?.people.map((p) => p.grade)).toEqual([null, null, null]);
    }
    const { status, body } = await readyz();
    expect(status).toBe(200);
    expect(body.checks.breakers).toEqual({ ok: true, detail: { open: ['grades'], halfOpen: [] } });
    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    expect(metrics).toMatch(/ungegraf_breaker_state\{part="gateway",breaker="grades"\} 2/);
    expect(metrics).toMatch(/ungegraf_subgraph_call_duration_seconds_count\{subgraph="grades",outcome="open"\} [1-9]/);
  });

  it('is 503 naming the access log when its database fails or does not answer in time, while /healthz stays 200', async () => {
    try {
      db.mode = 'down';
      let { status, body } = await readyz();
      expect(status).toBe(503);
      expect(body.notReady).toEqual(['accessLog']);
      expect(body.checks.accessLog).toEqual({ ok: false, detail: 'connection terminated' });

      db.mode = 'hang';
      ({ status, body } = await readyz());
      expect(status).toBe(503);
      expect(body.checks.accessLog).toEqual({ ok: false, detail: 'no answer within 200 ms' });

      expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    } finally {
      db.mode = 'up';
    }
    expect((await readyz()).status).toBe(200);
  });
});
