/**
 * Fresh, not rebuilt: how long a change in a system takes to reach the screening register, and what one
 * change costs, with the register following the systems' change feeds (subgraphs/coordination/screening/
 * changeFeed.ts) at the default poll settings.
 *
 *   npx tsx bench/graph/changeFeed.ts
 *
 * The five systems run at Aalborg size in a child process (changeFeedSystems.ts: in reality other
 * machines), answering after BENCH_LATENCY_MS per call; the follower runs here over the coordination
 * store on PostgreSQL (BENCH_DATABASE_URL, else DATABASE_URL, else postgresql://postgres@127.0.0.1:5432/test),
 * in a schema of its own that is dropped afterwards. After the first full rebuild, the systems make
 * BENCH_CHANGES changes at BENCH_CHANGE_RATE per second over the four systems the register reads (absence,
 * UPV, an enrolment ending, a jobcenter effort, a new social case). Measured:
 * - the delay from each change (the event's time in its system) to its row's commit in the register;
 * - CPU of this process (the follower, its system clients and the database client) per change, and the
 *   calls the systems answered per change (feed reads and look-ups), counted by the systems;
 * - for comparison, the time and CPU of one full rebuild.
 * Target: every change within 60 s (p100) with the default poll settings.
 */
import { fork } from 'node:child_process';
import { join } from 'node:path';
import pg from 'pg';
import { REPO_ROOT } from '../../gateway/config.js';
import { createLogger } from '../../platform/logger.js';
import { benchNode } from '../lib/peers.js';
import { loadCoordinationConfig } from '../../subgraphs/coordination/config.js';
import { openCoordinationStore } from '../../subgraphs/coordination/store/index.js';
import { runScreening, type ScreeningResult } from '../../subgraphs/coordination/screening/screeningJob.js';
import { followChangeFeeds, registerChangeFeeds, type AppliedBatch } from '../../subgraphs/coordination/screening/changeFeed.js';
import { createGuidanceClient } from '../../subgraphs/kit/systems/guidanceClient.js';
import { createSchoolClient } from '../../subgraphs/kit/systems/schoolClient.js';
import { createJobcenterClient } from '../../subgraphs/kit/systems/jobcenterClient.js';
import { createSocialClient } from '../../subgraphs/kit/systems/socialClient.js';
import type { ChangeParentMessage, ChangeSystemsMessage } from './changeFeedSystems.js';

const env = process.env;
const say = (line: string): void => void process.stdout.write(`${line}\n`);
const changes = Number(env.BENCH_CHANGES ?? 600);
const rate = Number(env.BENCH_CHANGE_RATE ?? 10);
const latencyMs = env.BENCH_LATENCY_MS ?? '20';
const databaseUrl = env.BENCH_DATABASE_URL ?? env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/test';
const schema = `bench_change_feed_${process.pid}`;
const logger = createLogger('bench-change-feed', env.LOG_LEVEL ?? 'warn');

const percentile = (sorted: number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
const cpuMs = (since: NodeJS.CpuUsage): number => {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1000;
};

// ---------- the systems, in a child ----------
const systemsEnv: Record<string, string | undefined> = {
  ...env,
  LOG_LEVEL: 'warn',
  CHANGE_RATE: '0',
  ...Object.fromEntries(
    ['SCHOOL', 'GUIDANCE', 'JOBCENTER', 'SOCIAL', 'BENEFITS'].flatMap((p) => [
      [`${p}_PORT`, '0'],
      [`${p}_LATENCY_MS`, latencyMs],
    ]),
  ),
};
const child = fork(join(REPO_ROOT, 'bench/graph/changeFeedSystems.ts'), [], {
  cwd: REPO_ROOT,
  env: systemsEnv,
  execPath: benchNode(),
  execArgv: ['--import', 'tsx'],
  stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
});
const waiters: ((message: ChangeSystemsMessage) => void)[] = [];
child.on('message', (message: ChangeSystemsMessage) => {
  for (const waiter of waiters.splice(0)) waiter(message);
});
const next = <T extends ChangeSystemsMessage['type']>(type: T): Promise<Extract<ChangeSystemsMessage, { type: T }>> =>
  new Promise((resolve) => {
    const wait = (message: ChangeSystemsMessage): void => {
      if (message.type === type) resolve(message as Extract<ChangeSystemsMessage, { type: T }>);
      else waiters.push(wait);
    };
    waiters.push(wait);
  });
const ask = (message: ChangeParentMessage) => child.send(message);

const started = performance.now();
say(`systems: generating the population (POPULATION_SCALE=${env.POPULATION_SCALE ?? 1}), ${latencyMs} ms per call ...`);
const { systemUrls } = await next('ready');
say(`systems ready in ${((performance.now() - started) / 1000).toFixed(1)} s`);

const totalCalls = async (): Promise<number> => {
  ask({ type: 'stats' });
  const { calls } = await next('stats');
  return Object.values(calls).reduce((sum, s) => sum + s.calls, 0);
};

// ---------- the coordination's side, here ----------
const config = loadCoordinationConfig({
  SCHOOL_URL: systemUrls.school,
  GUIDANCE_URL: systemUrls.guidance,
  JOBCENTER_URL: systemUrls.jobcenter,
  SOCIAL_URL: systemUrls.social,
});
const { db, store } = await openCoordinationStore({ url: databaseUrl, dataDir: 'memory://', schema, logger });
const sources = {
  school: createSchoolClient(config.systems.school, logger),
  guidance: createGuidanceClient(config.systems.guidance, logger),
  jobcenter: createJobcenterClient(config.systems.jobcenter, logger),
  social: createSocialClient(config.systems.social, logger),
};

let rebuildCost: { ms: number; cpuMs: number; calls: number; result: ScreeningResult } | null = null;
const rebuild = async (): Promise<ScreeningResult> => {
  const calls = await totalCalls();
  const cpu = process.cpuUsage();
  const t0 = performance.now();
  const today = new Date().toISOString().slice(0, 10);
  const result = await runScreening(sources, store, { pageSize: config.extractPageSize, today, logger });
  rebuildCost = { ms: performance.now() - t0, cpuMs: cpuMs(cpu), calls: (await totalCalls()) - calls, result };
  return result;
};

const delays: number[] = [];
let measuring = false;
let batches = 0;
const onApplied = (batch: AppliedBatch): void => {
  if (!measuring) return;
  batches += 1;
  for (const event of batch.events) delays.push((batch.committedAt - Date.parse(event.at)) / 1000);
};
const follower = followChangeFeeds(
  {
    feeds: registerChangeFeeds(config.systems),
    sources,
    store,
    rebuild,
    today: () => new Date().toISOString().slice(0, 10),
    logger,
  },
  { ...config.changeFeeds, onApplied },
);

let exitCode = 0;
try {
  await follower.ready;
  if (!rebuildCost) throw new Error('the follower did not start with a full rebuild');
  const first = rebuildCost as { ms: number; cpuMs: number; calls: number; result: ScreeningResult };
  say(
    `full rebuild: ${first.result.youths} young people in ${(first.ms / 1000).toFixed(1)} s, ${Math.round(first.cpuMs)} ms CPU here, ${first.calls} system calls`,
  );
  say(
    `following with the defaults: long-poll ${config.changeFeeds.waitSeconds} s, poll ${config.changeFeeds.pollSeconds} s, batch ${config.changeFeeds.batchSize}`,
  );

  // Idle for a moment: what following costs when nothing changes (long-polls only).
  const idleCalls = await totalCalls();
  const idleCpu = process.cpuUsage();
  await new Promise((resolve) => setTimeout(resolve, 10_000));
  const idle = { cpuMs: cpuMs(idleCpu), calls: (await totalCalls()) - idleCalls };

  const callsBefore = await totalCalls();
  const cpuBefore = process.cpuUsage();
  measuring = true;
  const t0 = performance.now();
  ask({ type: 'changes', rate, count: changes });
  const { made } = await next('changed');
  const deadline = performance.now() + 120_000;
  while (delays.length < made && performance.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
  const seconds = (performance.now() - t0) / 1000;
  const cpu = cpuMs(cpuBefore);
  const calls = (await totalCalls()) - callsBefore;
  measuring = false;

  const sorted = [...delays].sort((a, b) => a - b);
  const p100 = sorted.at(-1) ?? NaN;
  const result = {
    changes: made,
    applied: delays.length,
    ratePerSecond: rate,
    seconds: Number(seconds.toFixed(1)),
    batches,
    delaySeconds: { p50: percentile(sorted, 50), p95: percentile(sorted, 95), max: p100 },
    cpuMsPerChange: Number((cpu / Math.max(1, delays.length)).toFixed(2)),
    systemCallsPerChange: Number((calls / Math.max(1, delays.length)).toFixed(2)),
    idle10s: { cpuMs: Math.round(idle.cpuMs), systemCalls: idle.calls },
    fullRebuild: {
      youths: first.result.youths,
      seconds: Number((first.ms / 1000).toFixed(1)),
      cpuMs: Math.round(first.cpuMs),
      systemCalls: first.calls,
    },
  };
  const ok = delays.length === made && p100 < 60;
  say(
    `${made} changes at ${rate}/s: ${delays.length} applied in ${batches} batches; change → register p50 ${result.delaySeconds.p50.toFixed(2)} s, ` +
      `p95 ${result.delaySeconds.p95.toFixed(2)} s, max ${p100.toFixed(2)} s (target < 60 s: ${ok ? 'met' : 'NOT met'}); ` +
      `${result.cpuMsPerChange} ms CPU and ${result.systemCallsPerChange} system calls per change; ` +
      `idle 10 s: ${result.idle10s.cpuMs} ms CPU, ${idle.calls} calls`,
  );
  say(JSON.stringify(result));
  if (!ok) exitCode = 1;
} catch (error) {
  say(error instanceof Error ? (error.stack ?? error.message) : String(error));
  exitCode = 1;
} finally {
  await follower.stop();
  await db.close();
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await client.end();
  ask({ type: 'stop' });
}
process.exit(exitCode);
