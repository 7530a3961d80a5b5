/**
 * Graceful shutdown of separately started processes (gateway/main.ts, subgraphs/kit/run.ts): SIGTERM
 * during a bounded load → unready first, requests accepted before the signal all answered, the access
 * log closed, exit code 0. (The grace period's end is tested in process: lifecycle.test.ts.)
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../gateway/config.js';
import { devTokenFor } from '../../platform/authentication/mint.js';
import { openAccessLog } from '../../gateway/accessLog/store.js';
import { createLogger } from '../../platform/logger.js';
import { deadUrl, startGrades, startPeople, type FixtureSubgraph, type GradesBehaviour } from '../gateway/fixtures/subgraphs.js';
import { fixtureSupergraph, loadLoop, sleep } from './helpers.js';

const tmp = mkdtempSync(join(tmpdir(), 'ungegraf-shutdown-'));
const behaviour: GradesBehaviour = { delayMs: 150, fail: 'none' };
let people: FixtureSubgraph;
let grades: FixtureSubgraph;
let token: string;
const baseEnv = { AUTH_DEV_KEY_DIR: join(tmp, 'keys') };

beforeAll(async () => {
  people = await startPeople();
  grades = await startGrades(behaviour);
  // Minted before any child starts, so the key pair exists when the child reads it.
  token = await devTokenFor('uu-counsellor', { subject: 'ops-test', env: { ...process.env, ...baseEnv } });
  // A fresh embedded database takes seconds to initialise: once here, then copied for each process.
  const template = await openAccessLog({ dataDir: join(tmp, 'audit-template'), logger: createLogger('ops-test') });
  await template.close();
});

afterAll(async () => {
  await grades?.close();
  await people?.close();
  rmSync(tmp, { recursive: true, force: true });
});

interface Child {
  child: ChildProcess;
  /** The base URL (no path) once it listens. */
  url: string;
  messages: string[];
  exited: Promise<number | null>;
}

/** Starts `script` with `env` and waits for the log line `readyMessage` carrying its URL. */
async function startProcess(script: string, env: Record<string, string>, readyMessage: string): Promise<Child> {
  const child = spawn(process.execPath, ['--import', 'tsx', script], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...baseEnv, LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const messages: string[] = [];
  const url = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout }).on('line', (line) => {
      let entry: { msg?: string; url?: string };
      try {
        entry = JSON.parse(line) as { msg?: string; url?: string };
      } catch {
        return;
      }
      messages.push(entry.msg ?? '');
      if (entry.msg === readyMessage && entry.url) resolve(entry.url.replace(/\/graphql$/, ''));
    });
    void exited.then((code) => reject(new Error(`${script} exited early with ${code}: ${messages.join(' | ')}`)));
  });
  return { child, url, messages, exited };
}

async function startGatewayProcess(name: string, env: Record<string, string>): Promise<Child> {
  const dir = join(tmp, name);
  const supergraphPath = join(tmp, `${name}.graphql`);
  writeFileSync(supergraphPath, fixtureSupergraph(tmp, 'v2'));
  cpSync(join(tmp, 'audit-template'), join(dir, 'audit'), { recursive: true });
  return startProcess(
    'gateway/main.ts',
    {
      GATEWAY_PORT: '0',
      SUPERGRAPH_PATH: supergraphPath,
      SUPERGRAPH_POLL_MS: '0',
      SUBGRAPH_PEOPLE_URL: people.url,
      SUBGRAPH_GRADES_URL: grades.url,
      AUDIT_DATA_DIR: join(dir, 'audit'),
      // The embedded log in AUDIT_DATA_DIR, also under CI's DATABASE_URL: the test reads it back there.
      DATABASE_URL: '',
      ...env,
    },
    'gateway listening',
  );
}

async function query(url: string): Promise<{ ok: boolean; status?: number; error?: string }> {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query: '{ people { id name grade } }' }),
  });
  const text = await response.text();
  let body: { data?: { people?: unknown[] }; errors?: unknown[] } = {};
  try {
    body = JSON.parse(text) as typeof body;
  } catch {
    // Reported below as not ok.
  }
  const ok = response.status === 200 && body.errors === undefined && body.data?.people?.length === 3;
  return { ok, status: response.status, ...(ok ? {} : { error: text.slice(0, 300) }) };
}

describe('gateway/main.ts on SIGTERM', () => {
  it('answers every request accepted before the signal, turns unready first, closes the access log and exits 0', async () => {
    const gateway = await startGatewayProcess('drain', { SHUTDOWN_DELAY_MS: '400', SHUTDOWN_GRACE_MS: '5000' });
    expect((await fetch(`${gateway.url}/readyz`)).status).toBe(200);
    // Warm: the first requests compile and plan.
    for (let i = 0; i < 5; i += 1) expect((await query(gateway.url)).ok).toBe(true);
    // A refused token is recorded (DENIED) before the answer: the record must survive the shutdown.
    expect(
      (
        await fetch(`${gateway.url}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: 'Bearer nope', 'x-request-id': 'ops-denied-1' },
          body: '{"query":"{ people { id } }"}',
        })
      ).status,
    ).toBe(401);

    const load = loadLoop(() => query(gateway.url), { concurrency: 8, maxRequests: 3000 });
    let exitedAt = Number.POSITIVE_INFINITY;
    void gateway.exited.then(() => (exitedAt = performance.now()));
    await sleep(1000);

    const signalledAt = performance.now();
    gateway.child.kill('SIGTERM');
    await sleep(100);
    // Unready at once, while what still arrives is served until the listener closes.
    const [ready, alive] = await Promise.all([fetch(`${gateway.url}/readyz`), fetch(`${gateway.url}/healthz`)]);
    expect(ready.status).toBe(503);
    expect(((await ready.json()) as { notReady: string[] }).notReady).toContain('state');
    expect(alive.status).toBe(503);

    const code = await gateway.exited;
    const results = await load.stop();

    const before = results.filter((r) => r.startedAt < signalledAt);
    const after = results.filter((r) => r.startedAt >= signalledAt);
    // eslint-disable-next-line no-console -- the figures of the run, for the README and the issue
    console.info('SIGTERM under load', {
      requests: results.length,
      beforeSignal: before.length,
      afterSignal: after.length,
      answeredAfterSignal: after.filter((r) => r.ok).length,
      exitMsAfterSignal: Math.round(exitedAt - signalledAt),
    });
    expect(before.length).toBeGreaterThanOrEqual(16);
    expect(before.filter((r) => !r.ok)).toEqual([]);
    // After the signal: answered, or refused at the door (connection refused or closed), never a 5xx answer.
    expect(after.filter((r) => r.status !== undefined && r.status !== 200)).toEqual([]);
    // Requests sent during the delay were still answered.
    expect(after.some((r) => r.ok)).toBe(true);
    expect(code).toBe(0);
    expect(gateway.messages).toEqual(expect.arrayContaining(['shutting down', 'listener closed; requests drained', 'stopped']));
    expect(gateway.messages.indexOf('listener closed; requests drained')).toBeLessThan(gateway.messages.indexOf('access log closed'));
    expect(gateway.messages.indexOf('access log closed')).toBeLessThan(gateway.messages.indexOf('stopped'));

    // The access log was closed cleanly, with what was written before the signal in it.
    const log = await openAccessLog({ dataDir: join(tmp, 'drain', 'audit'), logger: createLogger('ops-test') });
    try {
      const { rows } = await log.db.query<{ outcome: string }>(`SELECT outcome FROM access_log WHERE request_id = 'ops-denied-1'`);
      expect(rows).toEqual([{ outcome: 'DENIED' }]);
    } finally {
      await log.close();
    }
  });
});

describe('a subgraph process (subgraphs/kit/run.ts)', () => {
  it('serves /readyz and /metrics, and on SIGTERM turns unready, stops and exits 0', async () => {
    const subgraph = await startProcess(
      'subgraphs/school/index.ts',
      { SCHOOL_SUBGRAPH_PORT: '0', SCHOOL_URL: (await deadUrl()).replace(/\/graphql$/, '') },
      'school subgraph ready',
    );
    const ready = await fetch(`${subgraph.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ready', checks: { breakers: { ok: true } } });
    const metrics = await fetch(`${subgraph.url}/metrics`);
    expect(metrics.status).toBe(200);
    expect(await metrics.text()).toMatch(/# TYPE ungegraf_subgraph_request_duration_seconds histogram/);

    subgraph.child.kill('SIGTERM');
    expect(await subgraph.exited).toBe(0);
    expect(subgraph.messages).toEqual(expect.arrayContaining(['shutting down', 'stopped']));
  });
});
