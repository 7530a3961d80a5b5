/**
 * The processes a benchmark starts: spawned, waited for until they serve, watched for peak memory, and
 * stopped (SIGTERM, then SIGKILL) when the run ends, also when it fails.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFile, readdir } from 'node:fs/promises';
import { createServer } from 'node:net';

export interface ServiceOptions {
  name: string;
  command: string;
  args: string[];
  env?: Record<string, string | undefined>;
  cwd?: string;
  /** Ready when stdout prints this line prefix, or when GET `url` answers 2xx. */
  readyLine?: string;
  readyUrl?: string;
  readyTimeoutMs?: number;
}

export interface Service {
  name: string;
  pid: number;
  /** Highest resident memory sampled (every 200 ms) of the process and its descendants since `resetPeak`, in MiB. */
  peakRssMiB(): Promise<number>;
  /** Starts the peak over (e.g. once start-up is done, so the peak is that of the load). */
  resetPeak(): void;
  /** The kernel's high-water mark of the process itself (VmHWM): start-up included. */
  highWaterMiB(): Promise<number>;
  /** CPU seconds (user + system) the process and its descendants have used so far. */
  cpuSeconds(): Promise<number>;
  /** The last lines it wrote to stderr/stdout (for error messages). */
  outputTail(): string;
  stop(): Promise<void>;
}

const SAMPLE_MS = 200;

/** A free loopback port (bound and released: good enough on a machine we do not share ports on). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

async function statusField(pid: number, field: 'VmRSS' | 'VmHWM'): Promise<number> {
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
    return match ? Number(match[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

/** CPU seconds (user + system) of one process, from /proc (USER_HZ ticks, 100 a second on Linux). */
async function cpuSecondsOfPid(pid: number): Promise<number> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces, hence the last ')'): utime is the 14th, stime the 15th.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0; // gone
  }
}

/** The process and every descendant (a gateway may fork workers: they count too). */
async function processTree(pid: number): Promise<number[]> {
  const all = [pid];
  for (let i = 0; i < all.length; i++) {
    try {
      for (const task of await readdir(`/proc/${all[i]}/task`)) {
        const children = await readFile(`/proc/${all[i]}/task/${task}/children`, 'utf8').catch(() => '');
        for (const child of children.split(' ').filter(Boolean)) all.push(Number(child));
      }
    } catch {
      // gone
    }
  }
  return all;
}

/** The benchmark's environment plus `extra`; a key set to undefined is removed. */
function environment(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const [key, value] of Object.entries(extra)) {
    if (value === undefined) delete env[key];
    else env[key] = value;
  }
  return env;
}

export async function startService(options: ServiceOptions): Promise<Service> {
  const child: ChildProcess = spawn(options.command, options.args, {
    cwd: options.cwd,
    env: environment(options.env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const tail: string[] = [];
  const remember = (chunk: string) => {
    tail.push(...chunk.split('\n').filter(Boolean));
    if (tail.length > 40) tail.splice(0, tail.length - 40);
  };
  let exited: number | null | undefined;
  const exit = new Promise<void>((resolve) =>
    child.once('exit', (code) => {
      exited = code;
      resolve();
    }),
  );
  const pid = child.pid;
  if (pid === undefined) throw new Error(`${options.name}: could not start ${options.command}`);

  let peak = 0;
  const sample = async () => {
    const pids = await processTree(pid);
    const sizes = await Promise.all(pids.map((p) => statusField(p, 'VmRSS')));
    peak = Math.max(
      peak,
      sizes.reduce((sum, size) => sum + size, 0),
    );
  };
  const sampler = setInterval(() => void sample(), SAMPLE_MS);
  sampler.unref();

  const ready = new Promise<void>((resolve, reject) => {
    const timeoutMs = options.readyTimeoutMs ?? 60_000;
    const timer = setTimeout(
      () => reject(new Error(`${options.name} did not get ready within ${timeoutMs} ms:\n${tail.join('\n')}`)),
      timeoutMs,
    );
    const done = () => {
      clearTimeout(timer);
      resolve();
    };
    void exit.then(() => {
      clearTimeout(timer);
      reject(new Error(`${options.name} exited (${exited}) before it was ready:\n${tail.join('\n')}`));
    });
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      remember(chunk);
      if (options.readyLine && chunk.split('\n').some((line) => line.startsWith(options.readyLine!))) done();
    });
    child.stderr!.setEncoding('utf8').on('data', remember);
    if (options.readyUrl) {
      const poll = async () => {
        while (exited === undefined) {
          try {
            const response = await fetch(options.readyUrl!);
            await response.arrayBuffer();
            if (response.ok) return done();
          } catch {
            // not listening yet
          }
          await new Promise((r) => setTimeout(r, 100));
        }
      };
      void poll();
    }
  });

  const stop = async () => {
    clearInterval(sampler);
    if (exited !== undefined) return;
    child.kill('SIGTERM');
    const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exit;
    clearTimeout(killer);
  };

  try {
    await ready;
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    name: options.name,
    pid,
    async peakRssMiB() {
      await sample();
      return peak;
    },
    resetPeak() {
      peak = 0;
    },
    highWaterMiB: () => statusField(pid, 'VmHWM'),
    async cpuSeconds() {
      let total = 0;
      for (const each of await processTree(pid)) total += await cpuSecondsOfPid(each);
      return total;
    },
    outputTail: () => tail.join('\n'),
    stop,
  };
}
