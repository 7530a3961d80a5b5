/**
 * platform/lifecycle.ts in process: the order of a graceful shutdown, the delay during which requests
 * are still served while unready, the drain, the end of the grace period, and the exit codes.
 */
import http from 'node:http';
import { describe, expect, it } from 'vitest';
import { listen, type Listening } from '../../platform/graphqlHttp.js';
import { Health } from '../../platform/health.js';
import { createShutdown, loadLifecycleConfig } from '../../platform/lifecycle.js';
import { captureLogger, sleep } from './helpers.js';

/** A server whose answers take `?ms=` milliseconds. */
async function slowServer(): Promise<Listening> {
  return listen(
    (req, res) => {
      const ms = Number(new URL(req.url ?? '/', 'http://x').searchParams.get('ms') ?? 0);
      setTimeout(() => res.end('done'), ms);
    },
    { port: 0, host: '127.0.0.1' },
  );
}

/** One GET on a socket of its own; answers the status and the `connection` header, or the error. */
function get(url: string, agent?: http.Agent): Promise<{ status?: number; connection?: string; error?: string }> {
  return new Promise((resolve) => {
    const req = http.get(url, { agent: agent ?? false }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode, connection: res.headers.connection }));
      res.on('error', (error) => resolve({ error: error.message }));
    });
    req.on('error', (error) => resolve({ error: (error as NodeJS.ErrnoException).code ?? error.message }));
  });
}

function harness(
  config: { shutdownGraceMs: number; shutdownDelayMs: number },
  listening: Listening,
  stop: () => Promise<void> = async () => undefined,
) {
  const { logger, lines } = captureLogger('info');
  const health = new Health();
  health.markReady();
  const steps: string[] = [];
  let exit: (code: number) => void = () => undefined;
  const exited = new Promise<number>((resolve) => (exit = resolve));
  const shutdown = createShutdown({
    logger,
    health,
    listening,
    config,
    stop: async () => {
      steps.push('stop');
      await stop();
    },
    exit: (code) => exit(code),
  });
  return { health, lines, steps, exited, shutdown };
}

describe('createShutdown', () => {
  it('turns unready, serves what arrives during the delay, closes the listener, drains, stops, exits 0', async () => {
    const server = await slowServer();
    const run = harness({ shutdownGraceMs: 5000, shutdownDelayMs: 300 }, server);
    const inFlight = get(`${server.url}/?ms=600`);
    await sleep(50);
    const done = run.shutdown('SIGTERM');
    expect(run.health.state).toBe('stopping');
    expect(run.health.ready).toBe(false);
    expect(run.health.serving).toBe(true);

    // During the delay: a new connection is still accepted and answered.
    expect(await get(`${server.url}/?ms=10`)).toMatchObject({ status: 200 });
    await sleep(350);
    // After it: the listener is closed.
    expect((await get(`${server.url}/?ms=10`)).error).toBe('ECONNREFUSED');
    expect(run.steps).toEqual([]);

    expect(await inFlight).toMatchObject({ status: 200 });
    expect(await run.exited).toBe(0);
    await done;
    expect(run.steps).toEqual(['stop']);
    expect(run.lines.map((line) => line.msg)).toEqual(['shutting down', 'listener closed; requests drained', 'stopped']);
  });

  it('tells keep-alive clients whose answer is in flight to close after it', async () => {
    const server = await slowServer();
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    try {
      expect(await get(`${server.url}/?ms=1`, agent)).toMatchObject({ status: 200, connection: 'keep-alive' });
      const run = harness({ shutdownGraceMs: 5000, shutdownDelayMs: 0 }, server);
      const inFlight = get(`${server.url}/?ms=300`, agent);
      await sleep(50);
      void run.shutdown('SIGTERM');
      expect(await inFlight).toMatchObject({ status: 200, connection: 'close' });
      expect(await run.exited).toBe(0);
    } finally {
      agent.destroy();
    }
  });

  it('cuts a request that outlasts the grace period, and still stops and exits 0', async () => {
    const server = await slowServer();
    const run = harness({ shutdownGraceMs: 200, shutdownDelayMs: 0 }, server);
    const slow = get(`${server.url}/?ms=3000`);
    await sleep(50);
    const started = performance.now();
    void run.shutdown('SIGTERM');
    expect(await run.exited).toBe(0);
    expect(performance.now() - started).toBeLessThan(1500);
    expect((await slow).error).toBeDefined();
    expect(run.steps).toEqual(['stop']);
    expect(run.lines.map((line) => line.msg)).toContain('grace period over; cutting the connections still open');
  });

  it('exits 1 when stopping fails, and runs once whatever signals follow', async () => {
    const server = await slowServer();
    const run = harness({ shutdownGraceMs: 1000, shutdownDelayMs: 0 }, server, async () => {
      throw new Error('database would not close');
    });
    const first = run.shutdown('SIGTERM');
    const second = run.shutdown('SIGINT');
    expect(second).toBe(first);
    expect(await run.exited).toBe(1);
    expect(run.steps).toEqual(['stop']);
    expect(run.lines.find((line) => line.msg === 'shutdown failed')?.level).toBe(50);
  });
});

describe('loadLifecycleConfig', () => {
  it('has defaults and reads SHUTDOWN_GRACE_MS, SHUTDOWN_DELAY_MS, READINESS_TIMEOUT_MS', () => {
    expect(loadLifecycleConfig({})).toEqual({ shutdownGraceMs: 10_000, shutdownDelayMs: 0, readinessTimeoutMs: 1000 });
    expect(loadLifecycleConfig({ SHUTDOWN_GRACE_MS: '2500', SHUTDOWN_DELAY_MS: '5000', READINESS_TIMEOUT_MS: '300' })).toEqual({
      shutdownGraceMs: 2500,
      shutdownDelayMs: 5000,
      readinessTimeoutMs: 300,
    });
    expect(() => loadLifecycleConfig({ SHUTDOWN_GRACE_MS: '-1' })).toThrow(/SHUTDOWN_GRACE_MS/);
  });
});
