/**
 * Loaded with `--import` into the gateway and the subgraphs by bench/graph/hops.ts (never in production):
 * records when each HTTP request arrives and is answered, and when each outgoing call (the gateway's
 * undici calls to the subgraphs, the subgraphs' node:http calls to the systems) starts and ends, from
 * Node's and undici's diagnostics channels, with wall-clock times in ms so the processes' events line
 * up. On SIGUSR2 the events so far go to `$BENCH_HOP_TRACE_DIR/<pid>-<n>.json` and are cleared.
 */
import { subscribe } from 'node:diagnostics_channel';
import type { ClientRequest, IncomingMessage } from 'node:http';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * [wall-clock ms, kind, request number, detail, request body bytes (the gateway's calls)]: kinds in, out
 * (server side), start, end (calls).
 */
export type HopEvent = [number, 'in' | 'out' | 'start' | 'end', number, string, number?];

/** Bounded: a run that forgets to flush keeps at most this many events. */
const MAX_EVENTS = 500_000;
const dir = process.env.BENCH_HOP_TRACE_DIR;
const events: HopEvent[] = [];
const numbers = new WeakMap<object, number>();
// Numbers unique across the traced processes (the gateway's and the subgraphs'), so that hops.ts pairs
// each end with its own start, not with another process's call of the same number.
let next = process.pid * 1_000_000;
let flushes = 0;

const numberOf = (request: object): number => {
  let n = numbers.get(request);
  if (n === undefined) numbers.set(request, (n = next++));
  return n;
};
const record = (kind: HopEvent[1], request: object, detail = '', bytes?: number) => {
  if (events.length < MAX_EVENTS) events.push([performance.timeOrigin + performance.now(), kind, numberOf(request), detail, bytes]);
};
const bytesOf = (body: unknown): number | undefined =>
  typeof body === 'string' ? Buffer.byteLength(body) : Buffer.isBuffer(body) ? body.length : undefined;
/** The call's target and, for a GraphQL call, its operation name (which fetch of the plan it is). */
const describe = (origin: string, path: string, body: unknown): string => {
  const text = typeof body === 'string' ? body : Buffer.isBuffer(body) ? body.toString('utf8', 0, 2000) : '';
  const operation = /"operationName":"([^"]+)"/.exec(text)?.[1];
  return `${origin}${path.split('?')[0]}${operation ? ` ${operation}` : ''}`;
};

if (dir) {
  subscribe('http.server.request.start', (message) => {
    const { request } = message as { request: IncomingMessage };
    record('in', request, `${request.socket.localPort ?? ''} ${request.url ?? ''}`);
  });
  subscribe('http.server.response.finish', (message) => record('out', (message as { request: IncomingMessage }).request));
  subscribe('http.client.request.start', (message) => {
    const { request } = message as { request: ClientRequest };
    record('start', request, describe(`http://${String(request.getHeader('host') ?? request.host)}`, request.path, undefined));
  });
  subscribe('http.client.response.finish', (message) => record('end', (message as { request: ClientRequest }).request));
  subscribe('undici:request:create', (message) => {
    const { request } = message as { request: { origin: string; path: string; body: unknown } };
    record('start', request, describe(request.origin, request.path, request.body), bytesOf(request.body));
  });
  subscribe('undici:request:trailers', (message) => record('end', (message as { request: object }).request));
  process.on('SIGUSR2', () => {
    writeFileSync(join(dir, `${process.pid}-${flushes++}.json`), JSON.stringify(events));
    events.length = 0;
  });
}
