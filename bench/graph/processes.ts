/**
 * The processes the graph benchmark starts: the systems (systemsChild.ts), the subgraphs
 * (subgraphsChild.ts) and the gateway (the production build of gateway/main.ts, as the image runs it), each a child process, and what is read
 * of them from /proc: resident memory (peak: VmHWM) and CPU time.
 */
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../../gateway/config.js';
import { benchNode, BUILT_GATEWAY, deployedGatewayNodeArgs, ensureProductionBuild } from '../lib/peers.js';
import { freePort } from '../lib/process.js';
import type { ChildMessage, DossierCaller, ParentMessage, SubgraphsMessage, SystemsCallCounts, SystemsMessage } from './protocol.js';

type Env = Record<string, string | undefined>;

/** Loads TypeScript in the children the way `npm start` does (tsx), without a wrapper process in between. */
const TSX = ['--import', 'tsx'];

export interface BackendProcess {
  /** The subgraphs' process. */
  pid: number;
  /** The systems' process. */
  systemsPid: number;
  subgraphUrls: Record<string, string>;
  dossierIds: string[];
  /** Each dossier young person with the caseworker and unit that may read them (need to know). */
  dossierCallers: DossierCaller[];
  targetGroupSize: number;
  registerSize: number;
  /** The systems' call counters (since the last reset). */
  stats(): Promise<SystemsCallCounts>;
  resetStats(): Promise<void>;
  stop(): Promise<void>;
}

export interface Child<Ready> {
  pid: number;
  ready: Ready;
  ask(message: Exclude<ParentMessage, { type: 'stop' }>): Promise<ChildMessage>;
  stop(): Promise<void>;
}

/**
 * A TypeScript module in a child process with an IPC channel; resolves when it says it is ready. `runs`:
 * `sources`, the repository's TypeScript through tsx; `build`, a child that loads the parts it hosts from
 * the production build (dist/, made first), as the image runs them: Node strips the child's own types,
 * no loader in between.
 */
export async function startChild<Ready extends ChildMessage>(
  entry: string,
  env: Env,
  logFile: string,
  readyTimeoutMs: number,
  extraNodeArgs: string[],
  runs: 'sources' | 'build' = 'sources',
): Promise<Child<Ready>> {
  if (runs === 'build') await ensureProductionBuild(() => undefined);
  const log = createWriteStream(logFile);
  const child = fork(join(REPO_ROOT, entry), [], {
    cwd: REPO_ROOT,
    env,
    execPath: benchNode(),
    // After the loader: an extra `--import` may be TypeScript (bench/graph/hopTrace.ts).
    execArgv: runs === 'build' ? extraNodeArgs : [...TSX, ...extraNodeArgs],
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  const exited = exitOf(child);
  const pending = new Map<number, (message: ChildMessage) => void>();
  const ready = new Promise<Ready>((resolve, reject) => {
    child.on('message', (message: ChildMessage) => {
      if (message.type === 'ready') resolve(message as Ready);
      else pending.get(message.id)?.(message);
    });
    void exited.then((code) => reject(new Error(`${entry} exited (code ${code}) before it was ready; see ${logFile}`)));
    setTimeout(() => reject(new Error(`${entry} was not ready within ${readyTimeoutMs} ms; see ${logFile}`)), readyTimeoutMs).unref();
  });
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    if (child.connected) child.send({ type: 'stop' } satisfies ParentMessage);
    else child.kill('SIGTERM');
    await Promise.race([exited, delay(15_000).then(() => child.kill('SIGKILL'))]);
  };
  try {
    return {
      pid: child.pid!,
      ready: await ready,
      ask: (message) =>
        new Promise<ChildMessage>((resolve) => {
          pending.set(message.id, (answer) => {
            pending.delete(message.id);
            resolve(answer);
          });
          child.send(message);
        }),
      stop,
    };
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
}

/**
 * The existing systems in one child process and the six subgraphs in another (each measured on its
 * own: the systems' CPU is the simulation's, not the graph's).
 */
export async function startBackendProcess(
  env: Env,
  logDir: string,
  readyTimeoutMs: number,
  extraNodeArgs: string[] = [],
): Promise<BackendProcess> {
  const systems = await startChild<Extract<SystemsMessage, { type: 'ready' }>>(
    'bench/graph/systemsChild.ts',
    env,
    join(logDir, 'systems.log'),
    readyTimeoutMs,
    [],
  );
  let subgraphs: Child<SubgraphsMessage>;
  try {
    subgraphs = await startChild<SubgraphsMessage>(
      'bench/graph/subgraphsChild.ts',
      { ...env, BENCH_SYSTEM_URLS: JSON.stringify(systems.ready.systemUrls) },
      join(logDir, 'subgraphs.log'),
      readyTimeoutMs,
      extraNodeArgs,
      'build',
    );
  } catch (error) {
    await systems.stop();
    throw error;
  }
  let nextId = 1;
  return {
    pid: subgraphs.pid,
    systemsPid: systems.pid,
    subgraphUrls: subgraphs.ready.subgraphUrls,
    dossierIds: systems.ready.dossierIds,
    dossierCallers: systems.ready.dossierCallers,
    targetGroupSize: subgraphs.ready.targetGroupSize,
    registerSize: subgraphs.ready.registerSize,
    async stats() {
      const answer = await systems.ask({ type: 'stats', id: nextId++ });
      if (answer.type !== 'stats') throw new Error('the systems answered a stats request with something else');
      return answer.systems;
    },
    async resetStats() {
      await systems.ask({ type: 'resetStats', id: nextId++ });
    },
    async stop() {
      await subgraphs.stop();
      await systems.stop();
    },
  };
}

export interface GatewayProcess {
  pid: number;
  url: string;
  stop(): Promise<void>;
}

/** The gateway in a child process on a free port, over the backend's subgraphs, compiled as the image runs it. */
export async function startGatewayProcess(
  env: Env,
  subgraphUrls: Record<string, string>,
  logFile: string,
  extraNodeArgs: string[] = [],
): Promise<GatewayProcess> {
  await ensureProductionBuild(() => undefined);
  const port = await freePort();
  const overrides = Object.fromEntries(Object.entries(subgraphUrls).map(([name, url]) => [`SUBGRAPH_${name.toUpperCase()}_URL`, url]));
  const log = createWriteStream(logFile);
  const child = spawn(benchNode(), [...deployedGatewayNodeArgs(), ...extraNodeArgs, BUILT_GATEWAY], {
    cwd: REPO_ROOT,
    env: { ...env, ...overrides, GATEWAY_PORT: String(port), GATEWAY_HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.pipe(log);
  child.stderr.pipe(log);
  const exited = exitOf(child);
  const base = `http://127.0.0.1:${port}`;

  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the gateway exited (code ${child.exitCode}) before it was ready; see ${logFile}`);
    const ready = await fetch(`${base}/readyz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ready) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`the gateway was not ready within 60 s; see ${logFile}`);
    }
    await delay(200);
  }
  return {
    pid: child.pid!,
    url: `${base}/graphql`,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      // SIGTERM: the gateway drains and closes its access log (what production gets from Kubernetes).
      child.kill('SIGTERM');
      await Promise.race([exited, delay(20_000).then(() => child.kill('SIGKILL'))]);
    },
  };
}

/** Resident memory of a process now and at its peak (VmHWM), in MiB. */
export function memoryOf(pid: number): { rssMiB: number; peakRssMiB: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { rssMiB: kib('VmRSS') / 1024, peakRssMiB: kib('VmHWM') / 1024 };
}

/** CPU seconds (user + system) a process has used so far. */
export function cpuSecondsOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which may hold spaces, hence the last ')'): utime is the 14th, stime the 15th.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticksPerSecond = 100; // USER_HZ, 100 on Linux for /proc
  return (Number(fields[11]) + Number(fields[12])) / ticksPerSecond;
}

/** CPU use of a process over a stretch of time, as a share of one core (1 = one core busy all along). */
export function cpuMeter(pid: number): () => number {
  const startCpu = cpuSecondsOf(pid);
  const started = performance.now();
  return () => (cpuSecondsOf(pid) - startCpu) / ((performance.now() - started) / 1000);
}

/** Samples a process's resident memory while something runs; the peak is VmHWM, the samples show the course. */
export function memorySampler(pid: number, everyMs = 250): { stop(): { maxRssMiB: number; peakRssMiB: number } } {
  let maxRssMiB = 0;
  const timer = setInterval(() => {
    try {
      maxRssMiB = Math.max(maxRssMiB, memoryOf(pid).rssMiB);
    } catch {
      // the process ended; the last samples stand
    }
  }, everyMs);
  return {
    stop() {
      clearInterval(timer);
      const now = memoryOf(pid);
      return { maxRssMiB: Math.max(maxRssMiB, now.rssMiB), peakRssMiB: now.peakRssMiB };
    },
  };
}

function exitOf(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
