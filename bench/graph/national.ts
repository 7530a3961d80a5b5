/**
 * The graph at Denmark's size (`npx tsx bench/graph/main.ts --national`, or `npm run bench -- --only national`):
 * the population generator at POPULATION_SCALE=national (about 1,000,000 young people aged 13-29,
 * systems/population/areas.ts), the systems in a process of their own with a large heap (they are
 * simulations: the population lives in their memory), the coordination alone in another process over
 * PostgreSQL, the other five subgraphs in a third, the gateway in a fourth. Measured:
 *
 * - the screening register rebuilt from the systems' extracts, streamed (store/screeningStaging.ts): at start
 *   into an empty register, then again over the full one. Targets: < 5 min, the coordination's memory
 *   < 512 MiB (resident memory sampled every 250 ms during the run, and the kernel's high-water mark VmHWM);
 * - `youths` pages at a million rows through the gateway: the first page, a deep keyset page (half-way
 *   down the register), filtered pages, the NAME order (p50/p95 of repeated asks);
 * - the target-group extract through the gateway (bench/graph/extract.ts), its throughput and the
 *   coordination's memory while it streams.
 *
 * Needs PostgreSQL (BENCH_DATABASE_URL, else DATABASE_URL, else a private server when its binaries are
 * installed: bench/lib/database.ts); the coordination works in a schema of its own, dropped afterwards
 * (BENCH_KEEP_DATA=1 keeps it and the logs, for EXPLAIN). Settings: POPULATION_SCALE (national),
 * BENCH_LATENCY_MS (5: a million young people's extract at 20 ms per call measures the wait, not the graph),
 * BENCH_SYSTEMS_HEAP_MIB (8192), BENCH_COORDINATION_HEAP_MIB (256, see below), BENCH_NATIONAL_EXTRACT_PAGES (all).
 * Takes 8 minutes on two quiet cores (2026-12-03), up to 25 on a busy or slow machine.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { benchCredentials } from '../lib/credentials.js';
import { chooseBenchDatabase } from '../lib/database.js';
import { ensurePeers, deployedGatewayNodeArgs } from '../lib/peers.js';
import { percentile } from '../lib/autocannon.js';
import { readInt } from '../../platform/env.js';
import { createProgress } from '../../platform/progress.js';
import type { BenchCheck, BenchRow, BenchSection, SuiteOptions } from '../lib/types.js';
import { benchEnvironment, dropRunSchemas, runSchemas, SYSTEM_CONCURRENCY_DEFAULT } from './run.js';
import { MAX_PAGE_SIZE, runExtract } from './extract.js';
import { delay, memoryOf, memorySampler, startChild, startGatewayProcess, type Child } from './processes.js';
import type { ChildMessage, PartsMessage, SystemsMessage } from './protocol.js';
import { explainYouths } from './explainYouths.js';
import { DEFAULT_AS_OF } from '../../systems/population/generate.js';
import { SUBGRAPH_NAMES } from '../../subgraphs/registry.js';

/** The issue's targets: the rebuild within 5 minutes, the coordination within 512 MiB throughout. */
export const REBUILD_SECONDS_MAX = 300;
export const COORDINATION_MIB_MAX = 512;
/**
 * The coordination's heap ceiling in the benchmark: half its container's memory limit (512Mi in
 * deploy/k8s/subgraphs.yaml), the rest for code, buffers and the connection pool. Without a ceiling V8
 * sizes the heap for this 24 GiB machine and lets garbage pile up long before it collects, so resident
 * memory would measure V8's leisure, not what the process needs. BENCH_COORDINATION_HEAP_MIB=0: none.
 */
const COORDINATION_HEAP_MIB = 256;

const OTHER_SUBGRAPHS = SUBGRAPH_NAMES.filter((name) => name !== 'coordination');

type Env = Record<string, string | undefined>;
type Screened = Extract<PartsMessage, { type: 'screened' }>;

function screenedOf(answer: ChildMessage): NonNullable<Screened['result']> {
  if (answer.type !== 'screened') throw new Error('the coordination answered a screening request with something else');
  if (!answer.result) throw new Error(`screening failed: ${answer.error ?? 'no result'}`);
  return answer.result;
}

interface PageLatency {
  name: string;
  p50Ms: number;
  p95Ms: number;
  rows: number;
  totalCount: number;
}

const PAGE_QUERY = /* GraphQL */ `
  query NationalPage($filter: YouthFilter, $first: Int!, $after: String, $orderBy: YouthOrder) {
    youths(filter: $filter, first: $first, after: $after, orderBy: $orderBy) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          id
        }
      }
    }
  }
`;

interface PageAnswer {
  data?: { youths: { totalCount: number; pageInfo: { hasNextPage: boolean; endCursor: string | null }; edges: unknown[] } };
  errors?: { message: string; extensions?: { code?: string } }[];
}

async function askPage(
  url: string,
  authorization: string,
  variables: Record<string, unknown>,
): Promise<{ ms: number; answer: PageAnswer }> {
  const started = performance.now();
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization },
    body: JSON.stringify({ query: PAGE_QUERY, variables }),
  });
  const answer = (await response.json()) as PageAnswer;
  const ms = performance.now() - started;
  if (!response.ok || !answer.data) {
    throw new Error(`youths page: HTTP ${response.status} ${answer.errors?.map((e) => e.extensions?.code ?? e.message).join(', ') ?? ''}`);
  }
  return { ms, answer };
}

/** The same page asked `times` times (after one unmeasured ask): its p50 and p95. */
async function pageLatency(
  url: string,
  authorization: string,
  name: string,
  variables: Record<string, unknown>,
  times: number,
): Promise<PageLatency> {
  const first = await askPage(url, authorization, variables);
  const samples: number[] = [];
  for (let i = 0; i < times; i++) samples.push((await askPage(url, authorization, variables)).ms);
  samples.sort((a, b) => a - b);
  return {
    name,
    p50Ms: percentile(samples, 0.5),
    p95Ms: percentile(samples, 0.95),
    rows: first.answer.data!.youths.edges.length,
    totalCount: first.answer.data!.youths.totalCount,
  };
}

/** The cursor `pages` pages of `first` down the register (each page's cursor starts the next), and how long the walk took. */
async function cursorAfter(
  url: string,
  authorization: string,
  pages: number,
  first: number,
): Promise<{ after: string | null; seconds: number }> {
  const started = performance.now();
  let after: string | null = null;
  for (let page = 0; page < pages; page++) {
    const { answer } = await askPage(url, authorization, { first, after });
    const info: { hasNextPage: boolean; endCursor: string | null } = answer.data!.youths.pageInfo;
    if (!info.hasNextPage || !info.endCursor) break;
    after = info.endCursor;
  }
  return { after, seconds: (performance.now() - started) / 1000 };
}

export async function runNationalBench(opts: SuiteOptions): Promise<BenchSection> {
  const env: Env = process.env;
  const latencyMs = readInt(env, 'BENCH_LATENCY_MS', 5);
  const systemsHeapMiB = readInt(env, 'BENCH_SYSTEMS_HEAP_MIB', 8192, 1024);
  const coordinationHeapMiB = readInt(env, 'BENCH_COORDINATION_HEAP_MIB', COORDINATION_HEAP_MIB, 0);
  const coordinationArgs = coordinationHeapMiB > 0 ? [`--max-old-space-size=${coordinationHeapMiB}`] : [];
  const systemConcurrency = readInt(env, 'BENCH_SYSTEM_CONCURRENCY', SYSTEM_CONCURRENCY_DEFAULT);
  const scale = env.POPULATION_SCALE ?? 'national';
  const database = await chooseBenchDatabase(env);
  if (!database.url) {
    database.stop();
    throw new Error(
      'the national benchmark needs PostgreSQL (BENCH_DATABASE_URL or DATABASE_URL): embedded PGlite would live in the coordination’s memory',
    );
  }
  const nodeVersion = await ensurePeers(opts.log);
  const dataDir = mkdtempSync(join(tmpdir(), 'ungegraf-bench-national-'));
  const credentials = await benchCredentials(dataDir);
  const schemas = runSchemas(`bench_national_${process.pid}`);
  const childEnv: Env = {
    ...benchEnvironment(
      { ...env, DATABASE_URL: database.url, POPULATION_SCALE: scale },
      dataDir,
      latencyMs,
      systemConcurrency,
      credentials.env,
    ),
    // A schema of its own in the given database, dropped afterwards: nothing else is disturbed.
    COORDINATION_DB_SCHEMA: schemas.coordination,
    AUDIT_DB_SCHEMA: schemas.audit,
    // An extract page of a million-person system is answered within the default 3 s; a loaded machine is given room.
    ...Object.fromEntries(['SCHOOL', 'GUIDANCE', 'JOBCENTER', 'SOCIAL', 'BENEFITS'].map((s) => [`${s}_TIMEOUT_MS`, '30000'])),
  };
  const children: { stop(): Promise<void> }[] = [];
  try {
    // ---------- Systems ----------
    opts.log(`national: generating the population (POPULATION_SCALE=${scale}) and starting the systems (heap ${systemsHeapMiB} MiB)`);
    const systemsStarted = performance.now();
    const systems = await startChild<Extract<SystemsMessage, { type: 'ready' }>>(
      'bench/graph/systemsChild.ts',
      { ...childEnv, BENCH_DOSSIER_IDS: '10' },
      join(dataDir, 'systems.log'),
      900_000,
      [`--max-old-space-size=${systemsHeapMiB}`],
    );
    children.push(systems);
    const systemsSeconds = (performance.now() - systemsStarted) / 1000;
    const systemsMemory = memoryOf(systems.pid);
    opts.log(`national: systems ready in ${systemsSeconds.toFixed(0)} s, ${systemsMemory.rssMiB.toFixed(0)} MiB resident`);
    const partsEnv = { ...childEnv, BENCH_SYSTEM_URLS: JSON.stringify(systems.ready.systemUrls) };

    // ---------- The rebuild at start, into an empty register ----------
    opts.log('national: starting the coordination alone; its first screening run rebuilds the register');
    const coordination: Child<Extract<PartsMessage, { type: 'ready' }>> = await startChild<Extract<PartsMessage, { type: 'ready' }>>(
      'bench/graph/partsChild.ts',
      { ...partsEnv, BENCH_PARTS: 'coordination' },
      join(dataDir, 'coordination.log'),
      120_000,
      coordinationArgs,
      'build',
    );
    children.push(coordination);
    let nextId = 1;
    const firstMemory = memorySampler(coordination.pid);
    const first = screenedOf(await coordination.ask({ type: 'firstScreening', id: nextId++ }));
    const firstMem = firstMemory.stop();
    opts.log(
      `national: first rebuild ${first.youths} young people in ${(first.durationMs / 1000).toFixed(1)} s, coordination max RSS ${firstMem.maxRssMiB.toFixed(0)} MiB, VmHWM ${firstMem.peakRssMiB.toFixed(0)} MiB`,
    );

    // ---------- Again, over the full register ----------
    await delay(2000);
    const secondMemory = memorySampler(coordination.pid);
    const secondStarted = performance.now();
    const second = screenedOf(await coordination.ask({ type: 'screen', id: nextId++ }));
    const secondSeconds = (performance.now() - secondStarted) / 1000;
    const secondMem = secondMemory.stop();
    opts.log(
      `national: second rebuild ${second.youths} young people in ${secondSeconds.toFixed(1)} s (${second.inTargetGroup} in the target group), coordination max RSS ${secondMem.maxRssMiB.toFixed(0)} MiB, VmHWM ${secondMem.peakRssMiB.toFixed(0)} MiB`,
    );

    // ---------- The other subgraphs and the gateway ----------
    const others = await startChild<Extract<PartsMessage, { type: 'ready' }>>(
      'bench/graph/partsChild.ts',
      { ...partsEnv, BENCH_PARTS: OTHER_SUBGRAPHS.join(',') },
      join(dataDir, 'subgraphs.log'),
      120_000,
      [],
      'build',
    );
    children.push(others);
    const subgraphUrls = { ...others.ready.subgraphUrls, ...coordination.ready.subgraphUrls };
    const gateway = await startGatewayProcess(childEnv, subgraphUrls, join(dataDir, 'gateway.log'));
    children.push(gateway);
    // A UU counsellor of the whole UU unit: need to know lets them list everyone under 25 and every young
    // person in the coordinated effort (the target group), so the lists below are national in size.
    const authorization = await credentials.authorization('uu-counsellor', 'bench-national', { unit: 'UU' });

    // ---------- youths pages ----------
    opts.log('national: youths pages (first, deep keyset, filtered, by name)');
    const pagesMemory = memorySampler(coordination.pid);
    const times = opts.quick ? 5 : 20;
    const pageSize = 100;
    const walk = await cursorAfter(gateway.url, authorization, opts.quick ? 50 : 500, MAX_PAGE_SIZE);
    const pages: PageLatency[] = [];
    const measure = async (name: string, variables: Record<string, unknown>) =>
      pages.push(await pageLatency(gateway.url, authorization, name, { first: pageSize, ...variables }, times));
    await measure('first page, register order', {});
    await measure(`deep keyset page (after ${opts.quick ? 50 : 500} pages of ${MAX_PAGE_SIZE})`, { after: walk.after });
    await measure('filter inTargetGroup', { filter: { inTargetGroup: true } });
    await measure('filter indicator NOT_IN_EDUCATION', { filter: { indicator: 'NOT_IN_EDUCATION' } });
    await measure('filter ageMin 18, ageMax 24', { filter: { ageMin: 18, ageMax: 24 } });
    await measure('filter schoolId S-0001', { filter: { schoolId: 'S-0001' } });
    await measure('orderBy NAME', { orderBy: 'NAME' });
    await measure('orderBy NAME, filter inTargetGroup', { orderBy: 'NAME', filter: { inTargetGroup: true } });
    const pagesMem = pagesMemory.stop();

    // ---------- The target-group extract ----------
    opts.log('national: the target-group extract through the gateway, 3 pages at once');
    const extractMemory = memorySampler(coordination.pid);
    const extract = await runExtract({
      url: gateway.url,
      authorization,
      filter: { inTargetGroup: true },
      pageSize: MAX_PAGE_SIZE,
      systemStats: async () => ({}),
      progress: createProgress({ label: 'national target-group extract' }),
      maxPages: opts.quick ? 10 : env.BENCH_NATIONAL_EXTRACT_PAGES ? readInt(env, 'BENCH_NATIONAL_EXTRACT_PAGES', 0, 1) : undefined,
      parallelPages: 3,
    });
    const extractMem = extractMemory.stop();
    const coordinationPeak = memoryOf(coordination.pid).peakRssMiB;

    // ---------- The list's plans ----------
    opts.log('national: EXPLAIN ANALYZE of the youths list queries');
    const explained = await explainYouths(database.url, childEnv.COORDINATION_DB_SCHEMA!, env.POPULATION_AS_OF || DEFAULT_AS_OF);
    const plansFile = join(env.BENCH_KEEP_DATA ? dataDir : tmpdir(), `national-plans-${process.pid}.txt`);
    writeFileSync(
      plansFile,
      explained
        .map((query) => [`## ${query.name}`, ...query.statements.flatMap((statement) => ['', ...statement.plan])].join('\n'))
        .join('\n\n'),
    );

    // ---------- The section ----------
    const rebuildRow = (name: string, youths: number, seconds: number, mem: { maxRssMiB: number; peakRssMiB: number }): BenchRow => ({
      name,
      throughput: youths / seconds,
      p50Ms: seconds * 1000,
      p95Ms: seconds * 1000,
      p99Ms: seconds * 1000,
      peakRssMiB: mem.maxRssMiB,
      errors: 0,
      extra: { youths, seconds: Number(seconds.toFixed(1)), 'coordination VmHWM MiB': Math.round(mem.peakRssMiB) },
    });
    const firstSeconds = first.durationMs / 1000;
    const rows: BenchRow[] = [
      rebuildRow('rebuild at start (empty register)', first.youths, firstSeconds, firstMem),
      rebuildRow('rebuild over the full register', second.youths, secondSeconds, secondMem),
      ...pages.map((page): BenchRow => ({
        name: `youths(first: ${pageSize}): ${page.name}`,
        throughput: 1000 / Math.max(0.001, page.p50Ms),
        p50Ms: page.p50Ms,
        p95Ms: page.p95Ms,
        p99Ms: page.p95Ms,
        peakRssMiB: pagesMem.maxRssMiB,
        errors: 0,
        extra: { rows: page.rows, totalCount: page.totalCount },
      })),
      {
        name: 'target-group extract, 3 pages at once',
        throughput: extract.youths / extract.seconds,
        p50Ms: extract.pageP50Ms,
        p95Ms: extract.pageP95Ms,
        p99Ms: extract.pageP99Ms,
        peakRssMiB: extractMem.maxRssMiB,
        errors: extract.errors,
        extra: {
          youths: extract.youths,
          pages: extract.pages,
          seconds: Number(extract.seconds.toFixed(1)),
          totalCount: extract.totalCount,
        },
      },
    ];
    const coordinationMax = Math.max(firstMem.maxRssMiB, secondMem.maxRssMiB, pagesMem.maxRssMiB, extractMem.maxRssMiB, coordinationPeak);
    const checks: BenchCheck[] = [
      {
        name: 'rebuild at start, a million young people',
        value: Number(firstSeconds.toFixed(1)),
        bound: REBUILD_SECONDS_MAX,
        kind: 'atMost',
        unit: 's',
      },
      {
        name: 'rebuild over the full register',
        value: Number(secondSeconds.toFixed(1)),
        bound: REBUILD_SECONDS_MAX,
        kind: 'atMost',
        unit: 's',
      },
      {
        name: 'coordination memory during the rebuilds (VmHWM, the kernel’s high-water mark)',
        value: Math.round(Math.max(firstMem.peakRssMiB, secondMem.peakRssMiB)),
        bound: COORDINATION_MIB_MAX,
        kind: 'atMost',
        unit: 'MiB',
      },
      {
        name: 'coordination memory throughout (pages and extract included)',
        value: Math.round(coordinationMax),
        bound: COORDINATION_MIB_MAX,
        kind: 'atMost',
        unit: 'MiB',
      },
      { name: 'register size (about a million)', value: second.youths, bound: 900_000, kind: 'atLeast', unit: 'young people' },
      {
        name: 'target-group extract: pages that failed, young people without a status',
        value: extract.errors,
        bound: 0,
        kind: 'atMost',
        unit: '',
      },
    ];
    return {
      title: `National scale: ${second.youths.toLocaleString('en')} young people (POPULATION_SCALE=${scale}, L = ${latencyMs} ms per system call)`,
      setup: [
        `systems: ${systemsSeconds.toFixed(0)} s to generate and start, ${systemsMemory.rssMiB.toFixed(0)} MiB resident (heap limit ${systemsHeapMiB} MiB), a process of their own`,
        `coordination alone in a process (the registry's build, as deployed; ${coordinationArgs.join(' ') || 'no heap ceiling'}), over ${database.kind}, schema ${childEnv.COORDINATION_DB_SCHEMA}; extract pages of 1000 (SCREENING_EXTRACT_PAGE_SIZE)`,
        `the other five subgraphs in a third process, the gateway (${deployedGatewayNodeArgs().join(' ') || 'no options'}) in a fourth; ${cpus().length} cores shared with PostgreSQL and the load`,
        `pages: a UU counsellor's token (unit UU: everyone under 25 and the coordinated effort), youths(first: ${pageSize}) asking ids only (the coordination's part), ${times} asks each after one unmeasured; the deep cursor took a walk of ${walk.seconds.toFixed(1)} s`,
        `extract: youths(filter: {inTargetGroup: true}, first: ${MAX_PAGE_SIZE}) with every indicator's facts (bench/graph/extract.ts), cursors listed first, 3 pages at once`,
        `Node ${nodeVersion}; load average at the end: ${loadavg()
          .map((n) => n.toFixed(2))
          .join(' ')}`,
      ],
      rows,
      checks,
      notes: [
        `first rebuild: ${first.youths} young people in ${firstSeconds.toFixed(1)} s; second: ${second.youths} in ${secondSeconds.toFixed(1)} s, ${second.inTargetGroup} in the target group`,
        `coordination resident memory: rebuild at start max ${firstMem.maxRssMiB.toFixed(0)} MiB, second rebuild max ${secondMem.maxRssMiB.toFixed(0)} MiB, pages max ${pagesMem.maxRssMiB.toFixed(0)} MiB, extract max ${extractMem.maxRssMiB.toFixed(0)} MiB, VmHWM ${coordinationPeak.toFixed(0)} MiB`,
        ...extract.errorSamples.map((sample) => `extract: ${sample}`),
        `EXPLAIN ANALYZE of the store's youths statements (page ms / count ms; plans in ${plansFile}):`,
        ...explained.map(
          (query) =>
            `  ${query.name}: ${query.statements.map((statement) => `${statement.executionMs.toFixed(1)} ms (${statement.plan[0]?.trim().split('  ')[0] ?? ''})`).join(' / ')}`,
        ),
      ],
    };
  } finally {
    for (const child of children.reverse())
      await child.stop().catch((error: unknown) => opts.log(`national: stopping failed: ${String(error)}`));
    await dropRunSchemas(database, opts.log, schemas);
    if (!env.BENCH_KEEP_DATA) rmSync(dataDir, { recursive: true, force: true });
    else opts.log(`national: kept ${dataDir} and the schemas ${schemas.coordination}, ${schemas.audit}`);
    database.stop();
  }
}
