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
 * Across callers (issue 16): a subgraph says which of the caller's claims its answer read
 * (platform/authorization/answerVaries.ts). Once a call's text has answered saying so, the next ones are
 * keyed by the caller's values of those claims instead of the token, so distinct users with the same
 * rights share one call; before a second caller takes a shared answer, the answer's own header is
 * checked against both callers' claims, and a caller it does not fit sends its own call.
 *
 * Deadlines are timers cleared when the call is done (`deadlineAfter`), not `AbortSignal.timeout`, whose
 * timers stay armed until they fire: at thousands of calls a second, tens of thousands of live timers.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Fetcher, FetcherHeaders, FetcherRequestInit, FetcherResponse } from '@apollo/utils.fetcher';
import { Agent, request as undiciRequest, type Dispatcher } from 'undici';
import { LRUCache } from 'lru-cache';
import { sharedWork } from '../platform/metrics.js';
import { PlainHeaders } from './plainHeaders.js';
import {
  ANSWER_VARIES_HEADER,
  claimProjection,
  EVERYTHING,
  parseClaimSet,
  sameAnswerFor,
  type CallerClaim,
  type CallerClaims,
} from '../platform/authorization/answerVaries.js';

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

/**
 * Set around a subgraph call by the data source: may this call share an identical one in flight? `true`
 * shares with calls carrying the very same headers (the same credential); `{ caller }` also with other
 * callers whose claims agree on what the answer read.
 */
export const sharable = new AsyncLocalStorage<boolean | { caller: CallerClaims }>();

/** Calls whose text has told which claims it reads, kept for the next ones (bounded by their size). */
const LEARNED_BYTES = 2 * 1024 * 1024;

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
export function callKey(url: string, method: string, headers: Record<string, string>, body: string | null, leaveOut?: string): string {
  const relevant = Object.keys(headers)
    .filter((name) => !NOT_PART_OF_THE_ANSWER.has(name) && name !== leaveOut)
    .sort()
    .map((name) => `${name}:${headers[name]}`);
  return `${method} ${url}\n${relevant.join('\n')}\n\n${body ?? ''}`;
}

/** The claims an answer says it read (EVERYTHING when it does not say, or did not answer 2xx). */
function readsOf(answer: CallAnswer) {
  if (answer.status < 200 || answer.status >= 300) return EVERYTHING;
  return parseClaimSet(answer.headers.get(ANSWER_VARIES_HEADER));
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

/** Counts for tests and metrics: calls sent, calls answered by one already in flight, and of those sent, the ones a shared answer did not fit. */
export interface FetcherStats {
  sent: number;
  shared: number;
  refitted: number;
}

interface InFlight {
  answer: Promise<CallAnswer>;
  /** Who the call was sent for (null: keyed by the credential itself, so only that caller shares it). */
  caller: CallerClaims | null;
}

export function createSubgraphFetcher(options: SubgraphFetcherOptions): Fetcher & { stats: FetcherStats } {
  const transport = options.transport ?? undiciTransport();
  const inFlight = new Map<string, InFlight>();
  /** Per call text (URL and body): the claims its last answer read. */
  const learned = new LRUCache<string, ReadonlySet<CallerClaim>>({
    maxSize: LEARNED_BYTES,
    sizeCalculation: (_, key) => key.length + 64,
  });
  const stats: FetcherStats = { sent: 0, shared: 0, refitted: 0 };

  const fetcher = async (url: string, init?: FetcherRequestInit): Promise<FetcherResponse> => {
    const timeoutMs = options.deadlineMs?.() ?? options.timeoutMs;
    const method = init?.method ?? 'POST';
    const headers = plainHeaders(init);
    const body = bodyText(init);
    const deadline = deadlineAfter(timeoutMs);
    try {
      const scope = sharable.getStore();
      if (options.dedupe === false || scope === undefined || scope === false) {
        stats.sent += 1;
        return new AnswerResponse(await transport(url, { method, headers, body, signal: deadline.signal }));
      }
      return new AnswerResponse(await shared(url, method, headers, body, scope === true ? null : scope.caller, deadline.signal));
    } finally {
      deadline.clear();
    }
  };

  /** Awaits `answer` within `signal`. */
  const within = async (answer: Promise<CallAnswer>, signal: AbortSignal): Promise<CallAnswer> => {
    const aborted = untilAborted(signal);
    try {
      return await Promise.race([answer, aborted.promise]);
    } finally {
      aborted.dispose();
    }
  };

  /** Sends the call, in flight under `key` (when given) until it is answered. */
  const send = (url: string, method: string, headers: Record<string, string>, body: string | null, key: string | null) => {
    stats.sent += 1;
    // The call runs to the subgraph timeout, not to the first caller's deadline: a caller with less time
    // left stops waiting (`within`) without cancelling the call for the others.
    const callDeadline = deadlineAfter(options.timeoutMs);
    const answer = transport(url, { method, headers, body, signal: callDeadline.signal }).finally(() => {
      callDeadline.clear();
      if (key !== null) inFlight.delete(key);
    });
    // Every caller may have stopped waiting before it fails: its failure is theirs, never unhandled.
    answer.catch(() => undefined);
    return answer;
  };

  /** The answer of the identical call in flight, or of this one, sent now; awaited within `signal`. */
  const shared = async (
    url: string,
    method: string,
    headers: Record<string, string>,
    body: string | null,
    caller: CallerClaims | null,
    signal: AbortSignal,
  ): Promise<CallAnswer> => {
    const text = `${url}\n${body ?? ''}`;
    const reads = caller ? learned.get(text) : undefined;
    // Keyed by the claims the answer reads when known (the credential then differs per caller and is left
    // out); else by every header, the credential included.
    const key =
      caller && reads
        ? `${callKey(url, method, headers, body, 'authorization')}\nclaims:${claimProjection(caller, reads)}`
        : callKey(url, method, headers, body);
    const running = inFlight.get(key);
    if (!running) {
      const answer = send(url, method, headers, body, key);
      inFlight.set(key, { answer, caller });
      return learnFrom(text, await within(answer, signal));
    }
    stats.shared += 1;
    sharedWork.inc({ level: 'subgraph_call', outcome: 'joined' });
    const answer = learnFrom(text, await within(running.answer, signal));
    // A caller's own call, or one whose answer read only claims this caller shares, fits; else its own call.
    if (running.caller === caller || (running.caller && caller && sameAnswerFor(running.caller, caller, readsOf(answer)))) return answer;
    stats.refitted += 1;
    sharedWork.inc({ level: 'subgraph_call', outcome: 'refitted' });
    return learnFrom(text, await within(send(url, method, headers, body, null), signal));
  };

  /** Remembers what an answer says it read (nothing to remember when it does not say). */
  const learnFrom = (text: string, answer: CallAnswer): CallAnswer => {
    const reads = readsOf(answer);
    if (reads === EVERYTHING) learned.delete(text);
    // The same header gives the same set (parseClaimSet): most answers only confirm what is known.
    else if (learned.get(text) !== reads) learned.set(text, reads);
    return answer;
  };
  return Object.assign(fetcher, { stats });
}
