import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { timingSafeEqual } from 'node:crypto';
import type { Logger } from 'pino';
import { createLogger } from '../../platform/logger.js';
import { runInRequestScope } from '../../platform/requestScope.js';
import { sendJson } from '../../platform/httpJson.js';
import type { Population } from '../population/generate.js';
import { fail, HttpError } from './http.js';
import type { FaultMode, SystemOptions } from './options.js';
import type { Router } from './router.js';
import { Simulation } from './simulation.js';
import { countCall, createStats, trackInFlight, type CallStats } from './stats.js';

export type SystemName = 'school' | 'guidance' | 'jobcenter' | 'social' | 'benefits';
export const SYSTEM_NAMES: readonly SystemName[] = ['school', 'guidance', 'jobcenter', 'social', 'benefits'];

/** A simulated legacy system, built but not listening (see listen.ts). */
export interface SimulatedSystem<C = unknown> {
  name: SystemName;
  server: Server;
  /** Live knobs: change them and the next call obeys. */
  options: SystemOptions<C>;
  stats: CallStats;
  population: Population;
}

export interface SystemDefinition<C> {
  name: SystemName;
  population: Population;
  options: SystemOptions<C>;
  /** True when the request carries the system's credential (read from `options.credential` per call). */
  authenticate: (req: IncomingMessage, credential: C) => boolean;
  /** Extra headers on a 401 (HTTP Basic asks for a login). */
  challenge?: Record<string, string>;
  router: Router;
  logger?: Logger;
}

/** Constant-time string comparison for credentials. */
export function sameSecret(given: string | undefined, expected: string): boolean {
  if (given === undefined) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

export function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

/** Fails one call the way `mode` says (see SimulationOptions.mode). */
async function injectFault(
  fault: Exclude<FaultMode, 'ok'>,
  req: IncomingMessage,
  res: ServerResponse,
  body: Record<string, unknown>,
): Promise<void> {
  switch (fault) {
    case 'error500':
      sendJson(res, 500, { ...body, status: 500, error: 'Internal Server Error' });
      return;
    case 'invalidJson': {
      // A proxy's error page, or a body cut off half-way, under a JSON content type.
      const text = '{"elever":[{"cpr":"0101';
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
      res.end(text);
      return;
    }
    case 'reset':
      req.socket.resetAndDestroy();
      return;
    case 'hang':
      // Nothing is sent; the call ends when the caller gives up (or the server closes).
      if (!res.closed) await new Promise<void>((resolve) => res.once('close', resolve));
      return;
  }
}

/**
 * Wires a system's routes into a node:http server with the behaviour every legacy system shares:
 * `GET /health` without credential, call stats, latency, injected failures, 401, 404 and JSON errors.
 */
export function createSimulatedSystem<C>(definition: SystemDefinition<C>): SimulatedSystem<C> {
  const { name, options, router } = definition;
  const logger = definition.logger ?? createLogger(`system-${name}`);
  const stats = createStats();
  const simulation = new Simulation(name, options);

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://system.local');
    const method = req.method ?? 'GET';
    if (method === 'GET' && url.pathname === '/health') {
      // A system that is down (failureRate 1) says so; an occasionally failing one is still up.
      if (simulation.isDown()) sendJson(res, 503, { status: 'unavailable' });
      else sendJson(res, 200, { status: 'ok' });
      return;
    }
    const match = router.match(method, url.pathname, url.searchParams);
    countCall(stats, match?.name ?? 'unmatched');
    await simulation.delay();
    if (simulation.shouldFail()) {
      stats.failures += 1;
      sendJson(res, 503, simulation.failureBody(url.pathname));
      return;
    }
    const fault = simulation.fault();
    if (fault !== 'ok') {
      stats.failures += 1;
      await injectFault(fault, req, res, simulation.failureBody(url.pathname));
      return;
    }
    if (!definition.authenticate(req, options.credential)) {
      throw fail(401, 'Manglende eller ugyldig adgangsnøgle', definition.challenge);
    }
    if (!match) throw fail(404, `Ukendt adresse: ${method} ${url.pathname}`);
    const body = await match.route.handler({ params: match.params, query: url.searchParams, req });
    sendJson(res, 200, body);
  };

  const server = createServer((req, res) => {
    // The caller's request id (the subgraphs forward the gateway's): the lines about this call carry it.
    const requestId = header(req, 'x-request-id');
    if (logger.isLevelEnabled('debug')) {
      const started = performance.now();
      res.once('finish', () => {
        // The route's name, not the path: paths and queries hold CPR numbers.
        const url = new URL(req.url ?? '/', 'http://system.local');
        const route = router.match(req.method ?? 'GET', url.pathname, url.searchParams)?.name ?? url.pathname.split('/')[1];
        logger.debug(
          { requestId, method: req.method, route, status: res.statusCode, ms: Math.round(performance.now() - started) },
          'system call',
        );
      });
    }
    const serve = () =>
      trackInFlight(stats, handle(req, res)).catch((error: unknown) => {
        if (res.headersSent) {
          res.destroy();
          return;
        }
        if (error instanceof HttpError) {
          sendJson(res, error.status, error.body, error.headers);
          return;
        }
        logger.error({ err: error, path: req.url }, 'simulated system failed');
        sendJson(res, 500, { fejl: 'Intern fejl', kode: 500 });
      });
    // serve() answers its own failures (500 above); nothing is left to wait for here.
    void (requestId ? runInRequestScope(requestId, serve) : serve());
  });
  return { name, server, options, stats, population: definition.population };
}
