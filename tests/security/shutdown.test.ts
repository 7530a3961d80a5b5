/**
 * SIGTERM and kept-alive connections (issue 11): requests sent 10 ms after the signal over connections
 * a client keeps alive were reset, because the listener closed at once and took the idle connections
 * with it. Now the gateway process turns unready but keeps serving for SHUTDOWN_DELAY_MS (5 s by default
 * in production), each answer saying `Connection: close`, so the client moves to another connection (a
 * ready replica, behind a load balancer); only then does it stop accepting and drain.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openAccessLog } from '../../gateway/accessLog/store.js';
import { REPO_ROOT } from '../../gateway/config.js';
import { devTokenFor } from '../../platform/authentication/mint.js';
import { loadLifecycleConfig, PRODUCTION_SHUTDOWN_DELAY_MS } from '../../platform/lifecycle.js';
import { createLogger } from '../../platform/logger.js';
import { startGrades, startPeople, type FixtureSubgraph } from '../gateway/fixtures/subgraphs.js';
import { fixtureSupergraph, sleep } from '../operations/helpers.js';

const tmp = mkdtempSync(join(tmpdir(), 'ungegraf-sigterm-'));
const baseEnv = { AUTH_DEV_KEY_DIR: join(tmp, 'keys') };
let people: FixtureSubgraph;
let grades: FixtureSubgraph;
let token: string;

beforeAll(async () => {
  people = await startPeople();
  grades = await startGrades({ delayMs: 0, fail: 'none' });
  token = await devTokenFor('uu-counsellor', { subject: 'sigterm-test', env: { ...process.env, ...baseEnv } });
  const template = await openAccessLog({ dataDir: join(tmp, 'audit'), logger: createLogger('sigterm-test', 'silent') });
  await template.close();
});

afterAll(async () => {
  await grades?.close();
  await people?.close();
  rmSync(tmp, { recursive: true, force: true });
});

interface GatewayProcess {
  child: ChildProcess;
  url: string;
  exited: Promise<number | null>;
}

/** gateway/main.ts as a process of its own, as tests/operations/shutdown.test.ts starts it. */
async function startGateway(env: Record<string, string>): Promise<GatewayProcess> {
  const supergraphPath = join(tmp, 'supergraph.graphql');
  writeFileSync(supergraphPath, fixtureSupergraph(tmp, 'v1'));
  const auditDir = join(tmp, `audit-${Date.now()}`);
  cpSync(join(tmp, 'audit'), auditDir, { recursive: true });
  const child = spawn(process.execPath, ['--import', 'tsx', 'gateway/main.ts'], {
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      ...baseEnv,
      LOG_LEVEL: 'info',
      GATEWAY_PORT: '0',
      SUPERGRAPH_PATH: supergraphPath,
      SUPERGRAPH_POLL_MS: '0',
      SUBGRAPH_PEOPLE_URL: people.url,
      SUBGRAPH_GRADES_URL: grades.url,
      AUDIT_DATA_DIR: auditDir,
      DATABASE_URL: '',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout }).on('line', (line) => {
      try {
        const entry = JSON.parse(line) as { msg?: string; url?: string };
        if (entry.msg === 'gateway listening' && entry.url) resolve(entry.url.replace(/\/graphql$/, ''));
      } catch {
        // not a log line
      }
    });
    void exited.then((code) => reject(new Error(`gateway exited early with ${code}`)));
  });
  return { child, url, exited };
}

interface Sent {
  status?: number;
  connection?: string;
  /** Whether the request went over a connection kept alive from an earlier one. */
  reused?: boolean;
  people?: number;
  error?: string;
}

/** One query over `agent`'s connections. */
function query(url: string, agent: http.Agent): Promise<Sent> {
  return new Promise((resolve) => {
    const body = JSON.stringify({ query: '{ people { id name } }' });
    const req = http.request(
      `${url}/graphql`,
      {
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), authorization: `Bearer ${token}` },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => {
          let people: number | undefined;
          try {
            people = (JSON.parse(text) as { data?: { people?: unknown[] } }).data?.people?.length;
          } catch {
            // reported as no people
          }
          resolve({
            status: res.statusCode,
            connection: res.headers.connection,
            reused: req.reusedSocket,
            ...(people !== undefined ? { people } : {}),
          });
        });
      },
    );
    req.on('error', (error) => resolve({ error: (error as NodeJS.ErrnoException).code ?? error.message, reused: req.reusedSocket }));
    req.end(body);
  });
}

const CONNECTIONS = 4;

describe('SIGTERM with kept-alive connections', () => {
  it('answers requests sent 10 ms after the signal on those connections, with Connection: close, while unready; then drains and exits 0', async () => {
    const gateway = await startGateway({ SHUTDOWN_DELAY_MS: '2000', SHUTDOWN_GRACE_MS: '5000' });
    const agent = new http.Agent({ keepAlive: true, maxSockets: CONNECTIONS });
    try {
      // Four connections, kept alive and idle in the agent's pool.
      const warm = await Promise.all(Array.from({ length: CONNECTIONS }, () => query(gateway.url, agent)));
      expect(warm.map((r) => [r.status, r.people, r.connection])).toEqual(Array(CONNECTIONS).fill([200, 3, 'keep-alive']));

      gateway.child.kill('SIGTERM');
      await sleep(10);
      const after = await Promise.all(Array.from({ length: CONNECTIONS }, () => query(gateway.url, agent)));
      // Answered, not reset: on the kept-alive connections, each told to close afterwards.
      expect(after).toEqual(Array(CONNECTIONS).fill({ status: 200, people: 3, connection: 'close', reused: true }));

      // Meanwhile unready (a load balancer stops sending), saying why in a code.
      const ready = await fetch(`${gateway.url}/readyz`);
      expect(ready.status).toBe(503);
      expect(await ready.json()).toMatchObject({ status: 'not ready', notReady: ['state'] });
      // Still serving a new connection during the delay, and telling it to close too.
      expect(await query(gateway.url, new http.Agent())).toMatchObject({ status: 200, people: 3, connection: 'close', reused: false });

      expect(await gateway.exited).toBe(0);
      // Stopped accepting: nothing answers any more.
      expect((await query(gateway.url, new http.Agent())).error).toBe('ECONNREFUSED');
    } finally {
      agent.destroy();
      gateway.child.kill('SIGKILL');
    }
  });
});

describe('the shutdown delay', () => {
  it('is 5 s by default in production (behind a load balancer), 0 in development and tests, and configurable', () => {
    expect(PRODUCTION_SHUTDOWN_DELAY_MS).toBe(5000);
    expect(loadLifecycleConfig({ NODE_ENV: 'production' }).shutdownDelayMs).toBe(5000);
    expect(loadLifecycleConfig({}).shutdownDelayMs).toBe(0);
    expect(loadLifecycleConfig({ NODE_ENV: 'test' }).shutdownDelayMs).toBe(0);
    expect(loadLifecycleConfig({ NODE_ENV: 'production', SHUTDOWN_DELAY_MS: '0' }).shutdownDelayMs).toBe(0);
    expect(loadLifecycleConfig({ SHUTDOWN_DELAY_MS: '8000' }).shutdownDelayMs).toBe(8000);
    expect(() => loadLifecycleConfig({ SHUTDOWN_DELAY_MS: '-1' })).toThrow(/SHUTDOWN_DELAY_MS/);
  });
});
