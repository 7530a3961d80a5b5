/**
 * Supergraph hot reload (gateway/reload.ts): the gateway watches SUPERGRAPH_PATH, checks a new file in
 * full, switches schema and field rules together, keeps serving the old one when the new one does not
 * load (and says why in the log), and drops no request while it switches.
 */
import { mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadGatewayConfig } from '../../gateway/config.js';
import { prepareSupergraph, SupergraphSource } from '../../gateway/reload.js';
import { sha256Hex } from '../../platform/hash.js';
import { supergraphUrls } from '../../gateway/server.js';
import { createGateway, type Gateway } from '../../gateway/server.js';
import { listen, type Listening } from '../../platform/graphqlHttp.js';
import { registry } from '../../platform/metrics.js';
import { startGrades, startPeople, type FixtureSubgraph, type GradesBehaviour } from '../gateway/fixtures/subgraphs.js';
import { captureLogger, fixtureSupergraph, loadLoop, refusedByGateway, sleep, waitFor, type LogLine } from './helpers.js';

const tmp = mkdtempSync(join(tmpdir(), 'ungegraf-reload-'));
const V1 = fixtureSupergraph(tmp, 'v1');
const V2 = fixtureSupergraph(tmp, 'v2');
const V3 = fixtureSupergraph(tmp, 'v3');

interface Body {
  data?: { people?: { id: string; name: string; grade: number | null; seenHeaders?: { requestId: string | null } }[] } | null;
  errors?: { message: string; path?: unknown[]; extensions?: { code?: string } }[];
}

const behaviour: GradesBehaviour = { delayMs: 0, fail: 'none' };
let people: FixtureSubgraph;
let grades: FixtureSubgraph;

beforeAll(async () => {
  people = await startPeople();
  grades = await startGrades(behaviour);
});

afterAll(async () => {
  await grades?.close();
  await people?.close();
  rmSync(tmp, { recursive: true, force: true });
});

interface Running {
  gateway: Gateway;
  server: Listening;
  path: string;
  lines: LogLine[];
  query(query: string): Promise<{ status: number; body: Body }>;
  close(): Promise<void>;
}

async function startGateway(name: string, initial: string, env: Record<string, string> = {}): Promise<Running> {
  const path = join(tmp, `${name}.graphql`);
  writeFileSync(path, initial);
  const { logger, lines } = captureLogger('info');
  const config = loadGatewayConfig({
    SUPERGRAPH_PATH: path,
    SUBGRAPH_PEOPLE_URL: people.url,
    SUBGRAPH_GRADES_URL: grades.url,
    SUBGRAPH_TIMEOUT_MS: '2000',
    ...env,
  });
  const gateway = await createGateway({ config, logger });
  await gateway.start();
  const server = await listen(gateway.handler, { port: 0, host: '127.0.0.1' });
  return {
    gateway,
    server,
    path,
    lines,
    async query(query: string) {
      const response = await fetch(`${server.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query }),
      });
      return { status: response.status, body: (await response.json()) as Body };
    },
    async close() {
      gateway.health.markStopping();
      await server.close();
      await gateway.stop();
    },
  };
}

/** Writes the file the way a deployment tool does: to a temporary name, then renamed over it. */
function replaceFile(path: string, text: string): void {
  const next = `${path}.next`;
  writeFileSync(next, text);
  renameSync(next, path);
}

beforeEach(() => {
  behaviour.delayMs = 0;
});

describe('hot reload under load', () => {
  it('serves every request while the file goes valid → invalid → valid, and serves the new schema after', async () => {
    const run = await startGateway('load', V1, { SUPERGRAPH_POLL_MS: '0' });
    try {
      // Each request spends a little time in the subgraph, so some are in flight at every switch.
      behaviour.delayMs = 5;
      const load = loadLoop(
        async () => {
          const { status, body } = await run.query('{ people { id name grade } }');
          const ok =
            status === 200 &&
            body.errors === undefined &&
            body.data?.people?.length === 3 &&
            body.data.people.every((p) => p.grade !== null);
          return { ok, status, ...(ok ? {} : { error: JSON.stringify(body).slice(0, 300) }) };
        },
        { concurrency: 6, maxRequests: 5000 },
      );
      await sleep(300);

      // Invalid 1: not GraphQL at all (an editor's half-written file).
      writeFileSync(run.path, 'schema { query: Query\ntype Query {');
      await waitFor(
        () => run.gateway.supergraph.state.rejected?.hash === sha256Hex('schema { query: Query\ntype Query {'),
        5000,
        'rejection of the unparsable file',
      );
      await sleep(200);

      // Invalid 2: parses, rules read and stripped, but ApolloGateway refuses it (an unknown SECURITY feature).
      const refused = refusedByGateway(V2);
      expect(refused).not.toBe(V2);
      replaceFile(run.path, refused);
      await waitFor(() => run.gateway.supergraph.state.rejected?.hash === sha256Hex(refused), 5000, 'rejection of the refused supergraph');
      await sleep(200);
      // Still v1: the field v2 adds is unknown.
      expect((await run.query('{ people { seenHeaders { requestId } } }')).body.errors?.[0]?.extensions?.code).toBe(
        'GRAPHQL_VALIDATION_FAILED',
      );

      // Valid: v2.
      replaceFile(run.path, V2);
      await waitFor(() => run.gateway.supergraph.state.loaded?.hash === sha256Hex(V2), 5000, 'v2 to be loaded');
      await sleep(300);
      const results = await load.stop();

      const failures = results.filter((r) => !r.ok);
      // eslint-disable-next-line no-console -- the figures of the run, for the README and the issue
      console.info('hot reload under load', {
        requests: results.length,
        failures: failures.length,
        switches: 'v1 → unparsable → refused → v2',
      });
      expect(results.length).toBeGreaterThan(50);
      expect(failures).toEqual([]);

      // The new schema is served: the field v2 adds answers.
      const after = await run.query('{ people { id seenHeaders { requestId } } }');
      expect(after.status).toBe(200);
      expect(after.body.errors).toBeUndefined();
      expect(after.body.data?.people?.[0]?.seenHeaders?.requestId).toMatch(/.+/);

      // The log says why each bad file was refused, at error level, and that v2 was loaded.
      const rejected = run.lines.filter((line) => line.msg === 'supergraph rejected; the previous one keeps serving');
      expect(rejected.every((line) => line.level === 50)).toBe(true);
      expect(rejected.map((line) => line.hash)).toEqual(
        expect.arrayContaining([sha256Hex('schema { query: Query\ntype Query {'), sha256Hex(refused)]),
      );
      expect(rejected.find((line) => line.hash === sha256Hex(refused))?.reason).toMatch(/policy|SECURITY|not supported|unsupported/i);
      expect(rejected.find((line) => line.hash !== sha256Hex(refused))?.reason).toMatch(/Syntax Error/);
      expect(run.lines.some((line) => line.msg === 'supergraph reloaded' && line.hash === sha256Hex(V2))).toBe(true);
    } finally {
      await run.close();
    }
  });
});

describe('what a reload switches', () => {
  it('switches the field rules with the schema, even when the stripped supergraph is the same', async () => {
    const run = await startGateway('rules', V2, { SUPERGRAPH_POLL_MS: '0' });
    try {
      expect((await run.query('{ people { grade } }')).body.errors).toBeUndefined();
      replaceFile(run.path, V3);
      await waitFor(() => run.gateway.supergraph.state.loaded?.hash === sha256Hex(V3), 5000, 'v3 to be loaded');
      // No token, no scopes: the rule v3 adds removes `grade` before planning.
      const { body } = await run.query('{ people { id grade } }');
      expect(body.data?.people?.map((p) => p.grade)).toEqual([null, null, null]);
      expect(body.errors?.[0]?.extensions?.code).toBe('UNAUTHORIZED_FIELD_OR_TYPE');
      // And back.
      replaceFile(run.path, V2);
      await waitFor(() => run.gateway.supergraph.state.loaded?.hash === sha256Hex(V2), 5000, 'v2 to be loaded again');
      expect((await run.query('{ people { grade } }')).body.errors).toBeUndefined();
    } finally {
      await run.close();
    }
  });

  it('refuses a supergraph naming a subgraph it has no URL for, and reports it in /readyz and /metrics', async () => {
    const run = await startGateway('urls', V1, { SUPERGRAPH_POLL_MS: '0' });
    try {
      const extra = V1.replace(
        /(PEOPLE @join__graph\(name: "people", url: "[^"]*"\))/,
        '$1\n  ORPHAN @join__graph(name: "orphan", url: "")',
      );
      expect(extra).not.toBe(V1);
      expect(await run.gateway.supergraph.check()).toBe('unchanged');
      writeFileSync(run.path, extra);
      expect(await run.gateway.supergraph.check()).toBe('rejected');
      expect(run.gateway.supergraph.state.rejected?.reason).toMatch(/No URL for subgraph\(s\) "orphan" \(set SUBGRAPH_ORPHAN_URL\)/);
      // A file that stays bad is reported once.
      expect(await run.gateway.supergraph.check()).toBe('unchanged');
      expect(run.lines.filter((line) => line.msg.startsWith('supergraph rejected'))).toHaveLength(1);

      const ready = await fetch(`${run.server.url}/readyz`);
      expect(ready.status).toBe(200);
      // The details are for operators (in process and in the log), not in the public body.
      const report = (await run.gateway.health.readiness()) as unknown as {
        checks: { supergraph: { ok: boolean; detail: { loaded: { hash: string }; rejected: { reason: string } } } };
      };
      expect(report.checks.supergraph.ok).toBe(true);
      expect(report.checks.supergraph.detail.loaded.hash).toBe(sha256Hex(V1));
      expect(report.checks.supergraph.detail.rejected.reason).toMatch(/orphan/);
      const metrics = await (await fetch(`${run.server.url}/metrics`)).text();
      expect(metrics).toMatch(/ungegraf_supergraph_reloads_total\{outcome="rejected"\} [1-9]/);

      // Back to the served file: nothing to switch, nothing rejected any more.
      writeFileSync(run.path, V1);
      expect(await run.gateway.supergraph.check()).toBe('unchanged');
      expect(run.gateway.supergraph.state.rejected).toBeUndefined();
    } finally {
      await run.close();
    }
  });

  it('picks up a file written in place, and does nothing with SUPERGRAPH_RELOAD=false', async () => {
    const polled = await startGateway('poll', V1, { SUPERGRAPH_POLL_MS: '100' });
    const fixed = await startGateway('fixed', V1, { SUPERGRAPH_RELOAD: 'false' });
    try {
      // Written in place (no rename): the watch or the poll, whichever comes first, picks it up.
      writeFileSync(polled.path, V2);
      writeFileSync(fixed.path, V2);
      await waitFor(() => polled.gateway.supergraph.state.loaded?.hash === sha256Hex(V2), 5000, 'the polled gateway to load v2');
      await sleep(300);
      expect(fixed.gateway.supergraph.state.loaded?.hash).toBe(sha256Hex(V1));
      expect((await fixed.query('{ people { seenHeaders { requestId } } }')).body.errors?.[0]?.extensions?.code).toBe(
        'GRAPHQL_VALIDATION_FAILED',
      );
      const metrics = await registry.getSingleMetricAsString('ungegraf_supergraph_reloads_total');
      expect(metrics).toMatch(/outcome="loaded"\} [1-9]/);
    } finally {
      await polled.close();
      await fixed.close();
    }
  });
});

describe('SupergraphSource', () => {
  it('finds a change by the poll alone, and hands the gateway only what passed every check', async () => {
    const path = join(tmp, 'source.graphql');
    writeFileSync(path, V1);
    const prepare = { readUrls: supergraphUrls, resolveUrl: (_name: string, url: string) => url };
    const { logger } = captureLogger('silent');
    const source = new SupergraphSource({
      initial: prepareSupergraph(V1, prepare),
      prepare,
      logger,
      path,
      reload: true,
      pollMs: 50,
      watch: false,
    });
    const updates: string[] = [];
    const { supergraphSdl, cleanup } = await source.manager.initialize({
      update: (sdl) => updates.push(sdl),
      healthCheck: async () => undefined,
      getDataSource: () => {
        throw new Error('not used');
      },
    });
    try {
      expect(supergraphSdl).not.toMatch(/requiresScopes/);
      writeFileSync(path, refusedByGateway(V2));
      await waitFor(() => source.state.rejected !== undefined, 3000, 'the poll to reject the refused file');
      expect(updates).toEqual([]);
      writeFileSync(path, V3);
      await waitFor(() => updates.length === 1, 3000, 'the poll to load v3');
      expect(updates[0]).not.toMatch(/requiresScopes/);
      expect(source.currentRules().fields.get('Person.grade')).toEqual([['grades:read']]);
      expect(source.state).toEqual({ loaded: { hash: sha256Hex(V3), at: expect.any(String) as unknown, path } });
    } finally {
      await cleanup?.();
    }
    // Stopped: no more polling.
    writeFileSync(path, V1);
    await sleep(150);
    expect(updates).toHaveLength(1);
  });
});
