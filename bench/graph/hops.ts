/**
 * The dossier's sequential hops at one client (issue 16): starts the benchmark's processes (as
 * serve.ts) with bench/graph/hopTrace.ts in the gateway and the subgraphs, sends dossiers one after the
 * other, and prints, per subgraph call of the plan and per system call, when it started and ended
 * relative to the dossier's arrival at the gateway (medians over the dossiers): which calls wait for
 * which, and where the time between them goes.
 *
 * `npx tsx bench/graph/hops.ts [--dossiers=60]` (DATABASE_URL as for main.ts; BENCH_LATENCY_MS, 20).
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { benchCredentials } from '../lib/credentials.js';
import { commandLine } from '../../platform/cli.js';
import { readInt } from '../../platform/env.js';
import { SYSTEMS_DOSSIER } from '../../tests/e2e/dossierQueries.js';
import { chooseBenchDatabase } from '../lib/database.js';
import { benchEnvironment, dropRunSchemas, SYSTEM_CONCURRENCY_DEFAULT } from './run.js';
import { ensurePeers } from '../lib/peers.js';
import { delay, startBackendProcess, startGatewayProcess, type BackendProcess, type GatewayProcess } from './processes.js';
import type { HopEvent } from './hopTrace.js';

const { values } = commandLine(
  process.argv.slice(2),
  { dossiers: { type: 'string' } },
  'usage: npx tsx bench/graph/hops.ts [--dossiers=60]',
);
const dossiers = Number(values.dossiers ?? 60);
if (!Number.isInteger(dossiers) || dossiers < 1 || dossiers > 10_000) throw new Error('--dossiers: a whole number from 1 to 10000');

const env = process.env;
const dataDir = mkdtempSync(join(tmpdir(), 'ungegraf-bench-hops-'));
const traceDir = join(dataDir, 'trace');
// Node 24 as in the other suites: the subgraphs' child runs the build with Node's own type stripping.
await ensurePeers((line) => process.stdout.write(`hops: ${line}\n`));
const database = await chooseBenchDatabase(env);
const tracer = ['--import', fileURLToPath(new URL('./hopTrace.ts', import.meta.url))];
let backend: BackendProcess | undefined;
let gateway: GatewayProcess | undefined;

/** Writes every traced process's events so far and answers them (the files are removed). */
async function collect(pids: number[]): Promise<HopEvent[]> {
  for (const pid of pids) process.kill(pid, 'SIGUSR2');
  await delay(1_000);
  const events: HopEvent[] = [];
  for (const file of readdirSync(traceDir)) {
    events.push(...(JSON.parse(readFileSync(join(traceDir, file), 'utf8')) as HopEvent[]));
    rmSync(join(traceDir, file));
  }
  return events.sort((a, b) => a[0] - b[0]);
}

/**
 * PostgreSQL's count of committed and rolled-back transactions in the database (each statement of the
 * coordination's reads and of the access log is one). Backends report it when idle, at most every 10 s
 * (PostgreSQL 15+), so the count is read after that long.
 */
async function transactionsSoFar(url: string | undefined): Promise<number | undefined> {
  if (!url) return undefined;
  await delay(11_000);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: string }>(
      'SELECT (xact_commit + xact_rollback)::text AS n FROM pg_stat_database WHERE datname = current_database()',
    );
    return Number(rows[0]?.n);
  } finally {
    await client.end();
  }
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
};

try {
  mkdirSync(traceDir, { recursive: true });
  const credentials = await benchCredentials(dataDir);
  const latencyMs = readInt(env, 'BENCH_LATENCY_MS', 20);
  const childEnv = {
    ...benchEnvironment(
      { ...env, DATABASE_URL: database.url },
      dataDir,
      latencyMs,
      readInt(env, 'BENCH_SYSTEM_CONCURRENCY', SYSTEM_CONCURRENCY_DEFAULT),
      credentials.env,
    ),
    BENCH_HOP_TRACE_DIR: traceDir,
  };
  process.stderr.write('hops: starting the systems, the subgraphs (screening the population) and the gateway\n');
  backend = await startBackendProcess(childEnv, dataDir, 600_000, tracer);
  gateway = await startGatewayProcess(childEnv, backend.subgraphUrls, join(dataDir, 'gateway.log'), tracer);
  const subgraphByPort = new Map(Object.entries(backend.subgraphUrls).map(([name, url]) => [new URL(url).port, name]));
  const callers = backend.dossierCallers.slice(0, Math.max(dossiers, 30));
  const tokens = new Map<string, string>();
  for (const caller of callers) {
    const key = `${caller.unit}/${caller.staffId}`;
    if (!tokens.has(key))
      tokens.set(
        key,
        await credentials.authorization('social-caseworker', `bench-${caller.staffId}`, { unit: caller.unit, staffId: caller.staffId }),
      );
  }
  const ask = async (index: number) => {
    const caller = callers[index % callers.length]!;
    const response = await fetch(gateway!.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: tokens.get(`${caller.unit}/${caller.staffId}`)! },
      body: JSON.stringify({ query: SYSTEMS_DOSSIER, operationName: 'Dossier', variables: { id: caller.id } }),
    });
    const answer = (await response.json()) as { errors?: unknown[] };
    if (answer.errors?.length) throw new Error(`a dossier answered with errors: ${JSON.stringify(answer.errors).slice(0, 300)}`);
  };
  // Warm-up (plans, JIT, connections), then what the processes recorded so far is dropped.
  for (let i = 0; i < 30; i++) await ask(i + 1);
  const pids = [gateway.pid, backend.pid];
  await collect(pids);
  const transactionsBefore = await transactionsSoFar(database.url);
  const windows: [number, number][] = [];
  for (let i = 0; i < dossiers; i++) {
    const started = performance.timeOrigin + performance.now();
    await ask(i);
    windows.push([started, performance.timeOrigin + performance.now()]);
    await delay(10); // apart, so that each dossier's events are its own
  }
  const events = await collect(pids);
  const transactionsAfter = await transactionsSoFar(database.url);

  // Per dossier: the gateway's request, its calls to the subgraphs, the subgraphs' calls to the systems.
  const rows = new Map<string, { start: number[]; end: number[] }>();
  const add = (name: string, start: number, end: number) => {
    const row = rows.get(name) ?? { start: [], end: [] };
    row.start.push(start);
    row.end.push(end);
    rows.set(name, row);
  };
  const totals: number[] = [];
  /** Per dossier: the gateway's calls to the subgraphs and the bytes of their request bodies. */
  const calls: number[] = [];
  const bytes: number[] = [];
  for (const [from, to] of windows) {
    const inWindow = events.filter((event) => event[0] >= from && event[0] <= to);
    const arrival = inWindow.find(
      (event) => event[1] === 'in' && event[3].endsWith('/graphql') && !subgraphByPort.has(event[3].split(' ')[0]!),
    );
    if (!arrival) continue;
    const t0 = arrival[0];
    totals.push(to - from);
    const toSubgraphs = inWindow.filter((event) => event[1] === 'start' && subgraphByPort.has(/:(\d+)\//.exec(event[3])?.[1] ?? ''));
    calls.push(toSubgraphs.length);
    bytes.push(toSubgraphs.reduce((sum, event) => sum + (event[4] ?? 0), 0));
    const starts = new Map<number, HopEvent>();
    const seen = new Map<string, number>();
    for (const event of inWindow) {
      if (event[1] === 'start') starts.set(event[2], event);
      if (event[1] !== 'end') continue;
      const start = starts.get(event[2]);
      if (!start) continue;
      const [address, operation] = start[3].split(' ');
      const port = /:(\d+)\//.exec(address ?? '')?.[1];
      const target = subgraphByPort.get(port ?? '') ?? (address ?? '').replace(/^https?:\/\/[^/]+/, '').replace(/\d{4,}[-\d]*/g, ':id');
      const base = operation ? `${target} ${operation.replace(/^Dossier__/, '')}` : target;
      // The n-th call of the same name in this dossier (a system asked twice).
      const n = (seen.get(base) ?? 0) + 1;
      seen.set(base, n);
      add(n > 1 ? `${base} #${n}` : base, start[0] - t0, event[0] - t0);
    }
    const answered = inWindow.find((event) => event[1] === 'out' && event[2] === arrival[2]);
    if (answered) add('gateway: the answer sent', answered[0] - t0, answered[0] - t0);
  }
  const lines = [...rows]
    .map(([name, row]) => ({ name, start: median(row.start), end: median(row.end), n: row.start.length }))
    .sort((a, b) => a.start - b.start);
  process.stdout.write(
    `dossier at one client, L = ${latencyMs} ms: ${totals.length} dossiers, client p50 ${median(totals).toFixed(1)} ms ` +
      `(medians, ms after the request reached the gateway)\n` +
      `  the gateway's calls to the subgraphs per dossier: ${median(calls)}, request bodies ${median(bytes)} bytes (medians)` +
      (transactionsBefore !== undefined && transactionsAfter !== undefined
        ? `; PostgreSQL transactions per dossier ${((transactionsAfter - transactionsBefore) / dossiers).toFixed(2)} (the leader's lease renewals included)`
        : '') +
      '\n' +
      lines
        .map(
          (line) =>
            `  ${line.start.toFixed(1).padStart(6)} → ${line.end.toFixed(1).padStart(6)}  ${(line.end - line.start).toFixed(1).padStart(5)}  ${line.name}${line.n < totals.length ? ` (in ${line.n} dossiers)` : ''}`,
        )
        .join('\n') +
      '\n',
  );
} finally {
  await gateway?.stop();
  await backend?.stop();
  await dropRunSchemas(database, (line) => process.stderr.write(`hops: ${line}\n`));
  database.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
