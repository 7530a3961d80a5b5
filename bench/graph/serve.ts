/**
 * The benchmark's processes without the load, for profiling by hand:
 * `npx tsx bench/graph/serve.ts` starts the backend and the gateway as the benchmark does, prints the
 * gateway URL, the pids and a token, and keeps them up until Ctrl+C.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { devTokenFor } from '../../platform/auth/mint.js';
import { benchEnvironment, chooseDatabase, intFrom, SYSTEM_CONCURRENCY_DEFAULT } from './run.js';
import { startBackendProcess, startGatewayProcess } from './processes.js';

const env = process.env;
const dataDir = mkdtempSync(join(tmpdir(), 'ungegraf-bench-serve-'));
const database = await chooseDatabase(env);
const childEnv = benchEnvironment({ ...env, DATABASE_URL: database.url }, dataDir, intFrom(env, 'BENCH_LATENCY_MS', 20), intFrom(env, 'BENCH_SYSTEM_CONCURRENCY', SYSTEM_CONCURRENCY_DEFAULT));
const backendArgs = env.BENCH_BACKEND_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${env.BENCH_BACKEND_CPU_PROF}`] : [];
const backend = await startBackendProcess(childEnv, join(dataDir, 'backend.log'), 600_000, backendArgs);
const gatewayArgs = env.BENCH_GATEWAY_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${env.BENCH_GATEWAY_CPU_PROF}`] : [];
const gateway = await startGatewayProcess(childEnv, backend.subgraphUrls, join(dataDir, 'gateway.log'), gatewayArgs);
const token = await devTokenFor('social-caseworker', { env: childEnv, subject: 'bench-graph', ttlSeconds: 8 * 3600 });
process.stdout.write(`${JSON.stringify({ url: gateway.url, gatewayPid: gateway.pid, backendPid: backend.pid, dataDir, token, ids: backend.dossierIds.slice(0, 50), subgraphUrls: backend.subgraphUrls })}\n`);
const stop = () => void gateway.stop().then(() => backend.stop()).then(() => database.stop()).then(() => process.exit(0));
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
