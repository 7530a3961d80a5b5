import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../platform/logger.js';
import { listen, type Listening } from '../../platform/graphqlHttp.js';
import { openDatabase, type Database } from '../../platform/db/database.js';
import { startSystems, SYSTEM_NAMES, type RunningSystems } from '../../systems/index.js';
import { createAuthenticate } from '../../subgraphs/kit/auth.js';
import type { Authenticate } from '../../subgraphs/kit/server.js';
import { SUBGRAPH_REGISTRY, type CoordinationPart } from '../../subgraphs/registry.js';
import { dropSchema, openFresh, uniqueSchema } from '../coordination-store/backends.js';
import { gatewayAuthorization } from '../e2e/gatewayCredential.js';

/**
 * The coordination scaled out (issue 12): replicas built as production builds them (the registry) over
 * one database and one set of systems. With DATABASE_URL each replica has its own PostgreSQL pool, as
 * two pods would; without it they share one embedded PGlite (one process, one connection: the lease is
 * a row, so it works the same). Exactly one leads and runs the screening; when it crashes (its renewals
 * stop, its run goes on as a hung replica's would) another takes over within the lease and runs it, and
 * the crashed one's late register write is refused; an orderly stop hands over at the next try; the
 * followers serve the register all along. Leases of 2 s; every wait is bounded.
 */

const LEASE_SECONDS = 2;
const LEASE_MS = LEASE_SECONDS * 1000;
const RENEW_MS = LEASE_MS / 3;
/** What a loaded two-core machine may add to a timer or a query. */
const SLACK_MS = 1_500;

const url = process.env.DATABASE_URL || undefined;
const variants = [{ name: 'one embedded PGlite', url: undefined }, ...(url ? [{ name: 'PostgreSQL, a pool per replica', url }] : [])];

interface LogLine {
  level: number;
  /** Unix milliseconds (pino's `time`). */
  time: number;
  msg: string;
  holder?: string;
  epoch?: number;
}

interface Replica {
  name: string;
  part: CoordinationPart;
  lines: LogLine[];
  /** Its /graphql, for the follower's answers. */
  http: Listening;
  said(msg: string): LogLine[];
  close(): Promise<void>;
}

let systems: RunningSystems;
let authenticate: Authenticate;
const quiet = createLogger('coordination-replicas-test', 'silent');

beforeAll(async () => {
  systems = await startSystems({
    population: { scale: 0.02 },
    ports: Object.fromEntries(SYSTEM_NAMES.map((name) => [name, 0])),
    env: {},
  });
  authenticate = await createAuthenticate(process.env, quiet);
});
afterAll(async () => {
  await systems?.close();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(condition: () => boolean | Promise<boolean>, withinMs: number, what: string): Promise<number> {
  const start = performance.now();
  while (!(await condition())) {
    if (performance.now() - start > withinMs) throw new Error(`${what}: not within ${withinMs} ms`);
    await sleep(25);
  }
  return performance.now() - start;
}

/** Every system answers each call this much later (a slow extract: the screening takes seconds). */
function slowSystems(latencyMs: number): void {
  for (const name of ['school', 'guidance', 'jobcenter', 'social'] as const) systems.systems[name].options.latencyMs = latencyMs;
}

describe.each(variants)('coordination replicas over $name', ({ url: databaseUrl }) => {
  const schema = uniqueSchema('coord_replicas');
  const dataDir = mkdtempSync(join(tmpdir(), 'ungegraf-coordination-replicas-'));
  /** The embedded database both replicas use (without DATABASE_URL). */
  let shared: Database | undefined;
  /** On PostgreSQL: the test's own pool, to read what the replicas wrote. */
  let reader: Database | undefined;
  const replicas: Replica[] = [];

  beforeAll(async () => {
    if (databaseUrl) reader = await openDatabase({ url: databaseUrl, dataDir: 'memory://', logger: quiet, schema, poolSize: 1 });
    else shared = await openFresh({ name: 'pglite', url: undefined }, schema);
  });
  afterAll(async () => {
    slowSystems(0);
    for (const replica of replicas) await replica.close().catch(() => undefined);
    await shared?.close();
    await reader?.close();
    if (databaseUrl) await dropSchema(databaseUrl, schema);
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function startReplica(name: string): Promise<Replica> {
    const lines: LogLine[] = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line) as LogLine) });
    const part = await SUBGRAPH_REGISTRY.coordination.build({
      env: {
        ...process.env,
        DATABASE_URL: databaseUrl ?? '',
        COORDINATION_DB_SCHEMA: schema,
        COORDINATION_DATA_DIR: dataDir,
        COORDINATION_LEADER_LEASE_SECONDS: String(LEASE_SECONDS),
        SCREENING_INTERVAL_MINUTES: '0',
        SCREENING_EXTRACT_PAGE_SIZE: '100',
        ASSIGNMENT_REVIEW_INTERVAL_MINUTES: '0',
        MEASURE_SNAPSHOT_INTERVAL_MINUTES: '0',
      },
      logger,
      authenticate,
      systemUrls: Object.fromEntries(Object.entries(systems.systems).map(([system, running]) => [system, running.url])),
      today: () => systems.population.asOf,
      database: shared,
    });
    const http = await listen(await part.subgraph.start(), { port: 0, host: '127.0.0.1' });
    let closed = false;
    const replica: Replica = {
      name,
      part,
      lines,
      http,
      said: (msg) => lines.filter((line) => line.msg === msg),
      async close() {
        if (closed) return;
        closed = true;
        await http.close();
        await part.subgraph.stop();
        await part.close();
      },
    };
    replicas.push(replica);
    return replica;
  }

  /** The register's state as a replica answers it over GraphQL (the reporting tool may read it). */
  async function screeningStatus(replica: Replica): Promise<{ status: string; youths: number } | null> {
    const response = await fetch(`${replica.http.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: await gatewayAuthorization('coordination', 'reporting-tool') },
      body: JSON.stringify({ query: '{ screeningStatus { status youths } }' }),
    });
    const body = (await response.json()) as { data?: { screeningStatus: { status: string; youths: number } | null }; errors?: unknown[] };
    expect(body.errors).toBeUndefined();
    return body.data!.screeningStatus;
  }

  /** The screening runs as recorded, oldest first. */
  const runs = async () =>
    (await (shared ?? reader!).query<{ status: string; error: string | null }>('SELECT status, error FROM screening_runs ORDER BY id'))
      .rows;

  let a: Replica;
  let b: Replica;

  it('lets exactly one of two replicas lead; the other runs no job and serves queries from the same database', async () => {
    // The leader's first screening takes about ten seconds (13 pages of UU's register, 600 ms each): the
    // next case crashes the leader mid-way, and takes over well before that run would have written.
    slowSystems(600);
    a = await startReplica('a');
    b = await startReplica('b');
    expect(a.part.leadership.isLeader()).toBe(true);
    expect(b.part.leadership.isLeader()).toBe(false);
    await sleep(2 * RENEW_MS); // renewals go on: nothing changes hands
    expect([a.part.leadership.isLeader(), b.part.leadership.isLeader()]).toEqual([true, false]);
    expect(await a.part.store.leaseState('coordination-jobs')).toMatchObject({ holder: a.part.leadership.holder, epoch: 1, live: true });
    expect(a.said("became the coordination's leader")).toEqual([expect.objectContaining({ holder: a.part.leadership.holder, epoch: 1 })]);
    expect(b.said("became the coordination's leader")).toEqual([]);
    expect(b.said("another replica leads the coordination's jobs; this one serves queries")).toHaveLength(1);
    expect(b.part.leadership.status()).toMatchObject({ role: 'follower', leader: a.part.leadership.holder });
    // The leader's screening is under way; the follower started none (its log has no screening at all).
    expect(b.lines.filter((line) => /screening/.test(line.msg))).toEqual([]);
    expect((await a.part.subgraph.health.readiness()).checks['leadership']).toMatchObject({ ok: true, detail: { role: 'leader' } });
    expect((await b.part.subgraph.health.readiness()).checks['leadership']).toMatchObject({ ok: true, detail: { role: 'follower' } });
    // Served by the follower from the shared database: the leader's run, under way (or not yet recorded).
    expect([null, 'RUNNING']).toContain((await screeningStatus(b))?.status ?? null);
  });

  it("replaces a crashed leader within the lease; the new leader runs the screening, and the crashed one's late write is refused", async () => {
    a.part.leadership.abandon(); // its renewals stop; its screening goes on, as a hung replica's would
    const tookMs = await until(() => b.part.leadership.isLeader(), LEASE_MS + RENEW_MS + SLACK_MS + 2_000, 'takeover');
    expect(tookMs).toBeLessThan(LEASE_MS + RENEW_MS + SLACK_MS);
    expect(b.said("became the coordination's leader")).toEqual([expect.objectContaining({ holder: b.part.leadership.holder, epoch: 2 })]);
    slowSystems(0); // both runs go on at full speed: the crashed one's write comes after the takeover all the same

    // The register had no successful run: the new leader screens at once. The crashed one's run ends
    // later or sooner, but its write is refused either way: its epoch is over.
    await until(() => b.said('screening register rebuilt').length === 1, 60_000, "the new leader's screening");
    await until(
      () =>
        a.said("screening not written: another replica took the lead over while it ran; the register keeps that leader's runs").length ===
        1,
      60_000,
      "the crashed leader's refused write",
    );
    expect(a.said('screening register rebuilt')).toEqual([]);
    const recorded = await runs();
    expect(recorded.filter((run) => run.status === 'SUCCEEDED')).toHaveLength(1);
    expect(recorded.filter((run) => run.status === 'FAILED')).toEqual([
      { status: 'FAILED', error: expect.stringContaining('no longer leads') as unknown },
    ]);
    const served = await screeningStatus(b);
    expect(served?.youths).toBe(systems.population.people.length);
    // The follower's start settled on the register the leader filled; the crashed replica, stopped at
    // last, cannot release the lease it lost.
    await b.part.firstScreening;
    await a.close();
    expect(await b.part.store.leaseState('coordination-jobs')).toMatchObject({ holder: b.part.leadership.holder, epoch: 2, live: true });
  });

  it('hands the lead to the next replica at its next try after an orderly stop; it serves, and reruns nothing fresh', async () => {
    const c = await startReplica('c');
    expect(c.part.leadership.isLeader()).toBe(false);
    await c.part.firstScreening; // at once: the register has a successful run
    expect((await screeningStatus(c))?.status).toBe('SUCCEEDED');
    const before = (await runs()).length;

    await b.close();
    expect(b.said("released the coordination's lead")).toHaveLength(1);
    await until(() => c.part.leadership.isLeader(), LEASE_MS + SLACK_MS, 'handover');
    expect(c.said("became the coordination's leader")).toEqual([expect.objectContaining({ holder: c.part.leadership.holder, epoch: 3 })]);
    // At C's next try after the release: nobody waited for the lease to run out, as after a crash.
    const handoverMs = c.said("became the coordination's leader")[0]!.time - b.said("released the coordination's lead")[0]!.time;
    expect(handoverMs).toBeLessThan(LEASE_MS);
    // The interval is 0 (at start only) and the register has its run: the new leader runs none.
    await sleep(RENEW_MS * 2);
    expect(c.said('screening register rebuilt')).toEqual([]);
    expect((await runs()).length).toBe(before);
  });
});
