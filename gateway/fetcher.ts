/**
 * How the gateway sends subgraph calls: undici's `request` over a shared keep-alive Agent, and
 * deduplication of identical calls in flight.
 *
 * Why not `fetch`: profiled under the federation benchmark, Node's built-in fetch spent about a fifth of
 * the gateway's CPU writing each request body as a stream (`writeIterable`, one `writev` per chunk), plus
 * WHATWG stream and Request/Response objects per call. `undici.request` writes head and body at once and
 * hands back the body as a plain string. The Agent keeps sockets alive and honours the server's
 * `Keep-Alive: timeout=N` hint (closing an idle socket before the server would), as fetch did.
 *
 * Deduplication: while a call is in flight, an identical one (same URL, same body, same headers except
 * the request id, so the same token) waits for the first one's answer instead of being sent again.
 * Only for calls the caller marks sharable (queries, never mutations: see `sharable`). Each caller gets
 * its own copy of the answer (the body is parsed per caller), so no caller can change another's data,
 * and each waits within its own deadline.
 *
 * Deadlines are timers cleared when the call is done (`deadlineAfter`), not `AbortSignal.timeout`, whose
 * timers stay armed until they fire: at thousands of calls a second, tens of thousands of live timers.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Fetcher, FetcherHeaders, FetcherRequestInit, FetcherResponse } from '@apollo/utils.fetcher';
import { Agent, request as undiciRequest, type Dispatcher } from 'undici';
import { PlainHeaders } from './plainHeaders.js';

/** What one subgraph call answered, as read once and shared by every caller waiting on it. */
export interface CallAnswer {
  status: number;
  statusText: string;
  headers: FetcherHeaders;
  body: string;
  url: string;
}

export interface CallRequest {
  method: string;
  headers: Record<string, string>;
  body: string | null;
  signal: AbortSignal;
}

/** Sends one call and reads the whole answer. */
export type Transport = (url: string, request: CallRequest) => Promise<CallAnswer>;

/** Header names that never change a subgraph's answer: calls differing only in these are the same call. */
const NOT_PART_OF_THE_ANSWER = new Set(['x-request-id']);

/** Set around a subgraph call by the data source: may this call share an identical one in flight? */
export const sharable = new AsyncLocalStorage<boolean>();

let sharedAgent: Agent | undefined;

/** One Agent for every subgraph (a pool per origin inside): keep-alive sockets, no connection cap. */
export function subgraphAgent(): Agent {
  sharedAgent ??= new Agent({
    // Idle sockets close after 4 s unless the server's Keep-Alive hint allows longer (minus 1 s), up to 60 s.
    keepAliveTimeout: 4_000,
    keepAliveMaxTimeout: 60_000,
    keepAliveTimeoutThreshold: 1_000,
    pipelining: 1,
  });
  return sharedAgent;
}

/** undici's `request` on `dispatcher` (default: the shared subgraph Agent). */
export function undiciTransport(dispatcher: Dispatcher = subgraphAgent()): Transport {
  return async (url, call) => {
    const response = await undiciRequest(url, {
      method: call.method,
      headers: call.headers,
      body: call.body,
      signal: call.signal,
      dispatcher,
    });
    const body = await response.body.text();
    return { status: response.statusCode, statusText: '', headers: PlainHeaders.fromRaw(response.headers), body, url };
  };
}

/** A `fetch` implementation as the transport (tests replace the HTTP client this way). */
export function fetchTransport(fetchImpl: typeof globalThis.fetch): Transport {
  return async (url, call) => {
    const response = await fetchImpl(url, { method: call.method, headers: call.headers, body: call.body, signal: call.signal });
    return { status: response.status, statusText: response.statusText, headers: response.headers, body: await response.text(), url };
  };
}

/** A caller's own view of a (possibly shared) answer: `json()` parses the text anew for each caller. */
class AnswerResponse implements FetcherResponse {
  bodyUsed = false;
  readonly redirected = false;
  constructor(private readonly answer: CallAnswer) {}
  get url() {
    return this.answer.url;
  }
  get status() {
    return this.answer.status;
  }
  get ok() {
    return this.answer.status >= 200 && this.answer.status < 300;
  }
  get statusText() {
    return this.answer.statusText;
  }
  get headers() {
    return this.answer.headers;
  }
  async text(): Promise<string> {
    this.bodyUsed = true;
    return this.answer.body;
  }
  async json(): Promise<unknown> {
    this.bodyUsed = true;
    return JSON.parse(this.answer.body) as unknown;
  }
  async arrayBuffer(): Promise<ArrayBuffer> {
    this.bodyUsed = true;
    const bytes = Buffer.from(this.answer.body, 'utf8');
    return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
  }
  clone(): FetcherResponse {
    return new AnswerResponse(this.answer);
  }
}

function plainHeaders(init: FetcherRequestInit | undefined): Record<string, string> {
  const headers: Record<string, string> = {};
  const given = init?.headers;
  if (!given) return headers;
  for (const [name, value] of Object.entries(given)) headers[name.toLowerCase()] = value;
  return headers;
}

function bodyText(init: FetcherRequestInit | undefined): string | null {
  const body = init?.body;
  if (body === undefined || body === null) return null;
  return typeof body === 'string' ? body : Buffer.from(body).toString('utf8');
}

/** The identity of a call: everything that can change its answer (the token included), nothing else. */
export function callKey(url: string, method: string, headers: Record<string, string>, body: string | null): string {
  const relevant = Object.keys(headers)
    .filter((name) => !NOT_PART_OF_THE_ANSWER.has(name))
    .sort()
    .map((name) => `${name}:${headers[name]}`);
  return `${method} ${url}\n${relevant.join('\n')}\n\n${body ?? ''}`;
}

/** A deadline whose timer is cleared as soon as the call is done. */
function deadlineAfter(ms: number): { signal: AbortSignal; clear: () => void } {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new DOMException(`The call did not finish within ${ms} ms`, 'TimeoutError')), ms);
  return { signal: controller.signal, clear: () => clearTimeout(timer) };
}

/** Rejects with the signal's reason once it aborts (a TimeoutError for `deadlineAfter`). */
function untilAborted(signal: AbortSignal): { promise: Promise<never>; dispose: () => void } {
  let onAbort: (() => void) | undefined;
  const promise = new Promise<never>((_, reject) => {
    onAbort = () => reject(signal.reason instanceof Error ? signal.reason : new DOMException('The operation was aborted', 'AbortError'));
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
  });
  return { promise, dispose: () => onAbort && signal.removeEventListener('abort', onAbort) };
}

export interface SubgraphFetcherOptions {
  /** The longest a call may take, body included; the request's deadline may cut it shorter (`deadlineMs`). */
  timeoutMs: number;
  /** The time this call has (the request's deadline), read when the call starts. */
  deadlineMs?: () => number | undefined;
  transport?: Transport;
  /** Deduplicate identical sharable calls in flight (default true). */
  dedupe?: boolean;
}

/** Counts for tests and metrics: calls sent, and calls answered by one already in flight. */
export interface FetcherStats {
  sent: number;
  shared: number;
}

export function createSubgraphFetcher(options: SubgraphFetcherOptions): Fetcher & { stats: FetcherStats } {
  const transport = options.transport ?? undiciTransport();
  const inFlight = new Map<string, Promise<CallAnswer>>();
  const stats: FetcherStats = { sent: 0, shared: 0 };

  const fetcher = async (url: string, init?: FetcherRequestInit): Promise<FetcherResponse> => {
    const timeoutMs = options.deadlineMs?.() ?? options.timeoutMs;
    const method = init?.method ?? 'POST';
    const headers = plainHeaders(init);
    const body = bodyText(init);
    const deadline = deadlineAfter(timeoutMs);
    try {
      if (options.dedupe === false || sharable.getStore() !== true) {
        stats.sent += 1;
        return new AnswerResponse(await transport(url, { method, headers, body, signal: deadline.signal }));
      }
      return new AnswerResponse(await shared(url, method, headers, body, deadline.signal));
    } finally {
      deadline.clear();
    }
  };

  /** The answer of the identical call in flight, or of this one, sent now; awaited within `signal`. */
  const shared = async (
    url: string,
    method: string,
    headers: Record<string, string>,
    body: string | null,
    signal: AbortSignal,
  ): Promise<CallAnswer> => {
    const key = callKey(url, method, headers, body);
    let answer = inFlight.get(key);
    if (answer) {
      stats.shared += 1;
    } else {
      stats.sent += 1;
      // The shared call runs to the subgraph timeout, not to the first caller's deadline: a caller with
      // less time left stops waiting (below) without cancelling the call for the others.
      const callDeadline = deadlineAfter(options.timeoutMs);
      answer = transport(url, { method, headers, body, signal: callDeadline.signal }).finally(() => {
        callDeadline.clear();
        inFlight.delete(key);
      });
      // Every caller may have stopped waiting before it fails: its failure is theirs, never unhandled.
      answer.catch(() => undefined);
      inFlight.set(key, answer);
    }
    const aborted = untilAborted(signal);
    try {
      return await Promise.race([answer, aborted.promise]);
    } finally {
      aborted.dispose();
    }
  };
  return Object.assign(fetcher, { stats });
}
