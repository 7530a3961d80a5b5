import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { timingSafeEqual } from 'node:crypto';
import type { Logger } from 'pino';
import { createLogger } from '../../platform/logger.js';
import { runInRequestScope } from '../../platform/requestScope.js';
import { sendJson } from '../../platform/httpJson.js';
import type { Population } from '../population/generate.js';
import type { Person } from '../population/model.js';
import { ChangeFeed, changeFeedRoute, unknownPerson, type FeedStyle } from './changeFeed.js';
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
  /** The system's change feed (changeFeed.ts), read over HTTP in the system's own style. */
  feed: ChangeFeed;
  /**
   * Changes one young person's record in this system while it runs: `mutate` edits the population's
   * person (only this system's part of it), the system's answers follow, and an event of `kind` (default
   * the system's record kind) is appended to the feed. Answers the event's sequence number.
   */
  change: (cpr: string, mutate: (person: Person) => void, kind?: string) => number;
}

/** How a system publishes its changes. */
export interface ChangeDefinition {
  style: FeedStyle;
  /** The kind of record an event names when the caller names none. */
  defaultKind: string;
  /** Events carry UU's own key too (the guidance register's feed). */
  withUuId?: boolean;
  /** Called after each change: the system drops what it derived from the population (sorted lists, indexes). */
  onChange?: () => void;
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
  /** How it publishes changes; without it the feed is not served (changes still apply). */
  changes?: ChangeDefinition;
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
  const feed = new ChangeFeed({ maxEvents: options.feedMaxEvents, maxAgeMs: options.feedMaxAgeMs });
  if (definition.changes) router.add(changeFeedRoute(feed, definition.changes.style));
  const change = (cpr: string, mutate: (person: Person) => void, kind?: string): number => {
    const person = definition.population.byCpr.get(cpr);
    if (!person) throw unknownPerson(name);
    mutate(person);
    definition.changes?.onChange?.();
    return feed.append(cpr, kind ?? definition.changes?.defaultKind ?? 'POST', definition.changes?.withUuId ? person.uuId : undefined);
  };

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
  return { name, server, options, stats, population: definition.population, feed, change };
}
