/**
 * The benchmark's processes without the load, for profiling by hand:
 * `npx tsx bench/graph/serve.ts` starts the database, the backend and the gateway as the benchmark
 * does, prints one JSON line (gateway URL, pids, a social caseworker's token, some young people's
 * ids) and keeps them up until SIGINT/SIGTERM. BENCH_GATEWAY_CPU_PROF / BENCH_SUBGRAPHS_CPU_PROF name a
 * directory for V8 CPU profiles of that process (written when it stops).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { benchCredentials } from '../lib/credentials.js';
import { readInt } from '../../platform/env.js';
import { chooseBenchDatabase } from '../lib/database.js';
import { benchEnvironment, dropRunSchemas, SYSTEM_CONCURRENCY_DEFAULT } from './run.js';
import { startBackendProcess, startGatewayProcess, type BackendProcess, type GatewayProcess } from './processes.js';

const env = process.env;
const profileArgs = (dir: string | undefined) => (dir ? ['--cpu-prof', `--cpu-prof-dir=${dir}`] : []);
const dataDir = mkdtempSync(join(tmpdir(), 'ungegraf-bench-serve-'));
const database = await chooseBenchDatabase(env);
let backend: BackendProcess | undefined;
let gateway: GatewayProcess | undefined;

async function stop(): Promise<void> {
  await gateway?.stop();
  await backend?.stop();
  await dropRunSchemas(database, (line) => process.stderr.write(`serve: ${line}\n`));
  database.stop();
  rmSync(dataDir, { recursive: true, force: true });
}

try {
  const credentials = await benchCredentials(dataDir);
  const childEnv = benchEnvironment(
    { ...env, DATABASE_URL: database.url },
    dataDir,
    readInt(env, 'BENCH_LATENCY_MS', 20),
    readInt(env, 'BENCH_SYSTEM_CONCURRENCY', SYSTEM_CONCURRENCY_DEFAULT),
    credentials.env,
  );
  backend = await startBackendProcess(childEnv, dataDir, 600_000, profileArgs(env.BENCH_SUBGRAPHS_CPU_PROF));
  gateway = await startGatewayProcess(
    childEnv,
    backend.subgraphUrls,
    join(dataDir, 'gateway.log'),
    profileArgs(env.BENCH_GATEWAY_CPU_PROF),
  );
  // Need to know: the token is a caseworker's of family group 1, the ids young people with an open case there.
  const token = (await credentials.authorization('social-caseworker', 'bench-graph', { unit: 'FAMILY_GROUP_1' })).slice('Bearer '.length);
  const ids = backend.dossierCallers.filter((caller) => caller.unit === 'FAMILY_GROUP_1').map((caller) => caller.id);
  process.stdout.write(
    `${JSON.stringify({ url: gateway.url, gatewayPid: gateway.pid, backendPid: backend.pid, systemsPid: backend.systemsPid, dataDir, token, ids: ids.slice(0, 50), subgraphUrls: backend.subgraphUrls })}\n`,
  );
} catch (error) {
  await stop();
  throw error;
}
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void stop().then(() => process.exit(0)));
