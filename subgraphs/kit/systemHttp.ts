import http from 'node:http';
import https from 'node:https';
import axios, { type AxiosInstance } from 'axios';
import { BrokenCircuitError, BulkheadRejectedError } from 'cockatiel';
import type { Logger } from 'pino';
import { upstreamUnavailable } from './errors.js';
import { SystemCallFailure, SystemRefusal, systemPolicy, type SystemPolicy } from './resilience.js';

/**
 * One client per existing system: one axios instance with the system's base URL, credential, timeout
 * and a keep-alive agent whose sockets are the system's concurrency bound, with the system's policies
 * around every call (resilience.ts: retries for idempotent reads, circuit breaker, bulkhead). Failures
 * are logged here by kind and code only (an axios error carries the request's URL, headers with the
 * credential, and the answer's body: it is never logged or passed on) and surface to GraphQL only as
 * UPSTREAM_UNAVAILABLE naming the system.
 *
 * axios over node:http, as the stack names it; the system clients were on undici for a while, chosen
 * for CPU. The cost of going back, paired runs of the graph bench's dossier: bench/graph/README.md.
 */
export interface SystemHttpOptions {
  /** Human name used in errors and logs, e.g. "school". */
  service: string;
  baseURL: string;
  headers?: Record<string, string>;
  auth?: { username: string; password: string };
  /** Longest wait for one attempt, answer included. */
  timeoutMs: number;
  /** Most concurrent connections to this system (legacy systems do not like a thundering herd). */
  maxSockets: number;
  /** Retries, breaker and queue (systemConfig.ts reads them per system); defaults as there. */
  policy?: Partial<{
    queue: number;
    retries: number;
    breakerThreshold: number;
    breakerHalfOpenMs: number;
    retryInitialDelayMs: number;
    retryMaxDelayMs: number;
  }>;
  logger: Logger;
}

export interface SystemHttp {
  service: string;
  /** The system's shared policies (breaker state, for readiness and tests). */
  policy: SystemPolicy;
  /**
   * GET or POST; answers `map(body)`, or `null` for 404 when `nullOn404` is set. A body that `map`
   * cannot read (a malformed date, a missing field) is a broken upstream, reported like a 5xx.
   */
  request<T, R>(config: SystemRequest, map: (body: T) => R): Promise<R | null>;
  /** Closes the kept-alive connections. */
  close(): Promise<void>;
}

export interface SystemRequest {
  /** Default GET. */
  method?: 'GET' | 'POST' | 'HEAD';
  /** Path (and query) under the base URL. */
  url: string;
  /** Query parameters, appended to `url`. */
  params?: Record<string, string | number>;
  /** A JSON body. */
  data?: unknown;
  headers?: Record<string, string>;
  nullOn404?: boolean;
  requestId?: string;
  /**
   * Safe to send again: retried after a fast failure. Default: true for GET and HEAD, false otherwise;
   * a read-only POST (a batch look-up) says `idempotent: true`. Never set it on a write.
   */
  idempotent?: boolean;
  /** The route's name for observers; default the method and the path with ids replaced by `:id`. */
  route?: string;
}

/** `GET /jobcenter/api/borgere/:id`: a path segment holding four or more digits is an id (a CPR number). */
export function routeOf(method: string, url: string): string {
  const path = url.split('?')[0] ?? '';
  return `${method} ${path
    .split('/')
    .map((segment) => (/\d{4,}/.test(segment) ? ':id' : segment))
    .join('/')}`;
}

/** The attempts in flight per cancellation signal, aborted together by the signal's one listener. */
const attemptsBySignal = new WeakMap<AbortSignal, Set<AbortController>>();

/**
 * Aborts `controller` when `cancel` aborts; returns the unlink. The policies hand most attempts the
 * same never-aborted signal: an `abort` listener per attempt on it made every addEventListener walk
 * the listeners of all the calls in flight (profiled: ~1% of a subgraph's CPU at 64 in flight).
 * One listener per signal and a Set of its attempts instead.
 */
export function linkCancellation(cancel: AbortSignal, controller: AbortController): () => void {
  if (cancel.aborted) {
    controller.abort(cancel.reason);
    return () => {};
  }
  let attempts = attemptsBySignal.get(cancel);
  if (!attempts) {
    const linked = new Set<AbortController>();
    attemptsBySignal.set(cancel, linked);
    cancel.addEventListener(
      'abort',
      () => {
        for (const attempt of linked) attempt.abort(cancel.reason);
        linked.clear();
      },
      { once: true },
    );
    attempts = linked;
  }
  const set = attempts;
  set.add(controller);
  return () => set.delete(controller);
}

/** Idle sockets are closed after this long: below the 5 s a Node server (the systems) keeps them open. */
const IDLE_SOCKET_MS = 4_000;
/** axios' http adapter calls `socket.setKeepAlive(true, 60_000)` for every request. */
const AXIOS_SOCKET_KEEP_ALIVE_MS = 60_000;

/** The axios instance for one system: base URL, credential, timeout, keep-alive agents, no surprises. */
export function createSystemAxios(
  options: Pick<SystemHttpOptions, 'baseURL' | 'headers' | 'auth' | 'timeoutMs' | 'maxSockets'>,
): AxiosInstance {
  const agentOptions = {
    keepAlive: true,
    // The TCP keep-alive delay axios sets on every request's socket (60 s): Node's agent sets its own
    // (default 1 s) each time a socket returns to the pool, and the two alternating made two setsockopt
    // system calls per system call (~2% of a subgraph's CPU in the dossier load, issue 16). Idle sockets
    // close after IDLE_SOCKET_MS anyway, long before a probe.
    keepAliveMsecs: AXIOS_SOCKET_KEEP_ALIVE_MS,
    maxSockets: options.maxSockets,
    maxFreeSockets: options.maxSockets,
    timeout: IDLE_SOCKET_MS,
    scheduling: 'lifo' as const,
  };
  return axios.create({
    baseURL: options.baseURL.replace(/\/+$/, ''),
    // A request's `url` is always a path under the base URL, never an address of its own.
    allowAbsoluteUrls: false,
    // axios' own timeout is per socket inactivity; the attempt's deadline (answer included) is below.
    timeout: options.timeoutMs,
    httpAgent: new http.Agent(agentOptions),
    httpsAgent: new https.Agent(agentOptions),
    headers: { accept: 'application/json', ...options.headers },
    auth: options.auth,
    // Every status is an answer here; `attempt` maps them (404, 4xx, 5xx and 429) explicitly.
    validateStatus: () => true,
    // The body as text: `attempt` parses it, so an unreadable body is told apart from a refused call.
    responseType: 'text',
    transformResponse: [],
    // No redirects (the credential would follow them) and no proxy read from the environment per call.
    maxRedirects: 0,
    proxy: false,
    transitional: { clarifyTimeoutError: true },
  });
}

/** What is safe to log of a failed axios call: its code (ECONNREFUSED, ECONNRESET, ERR_CANCELED, ...). */
function codeOf(error: unknown): string {
  const code = (error as { code?: unknown }).code ?? (error as { cause?: { code?: unknown } }).cause?.code;
  return typeof code === 'string' ? code : 'ERR';
}

export function createSystemHttp(options: SystemHttpOptions): SystemHttp {
  const client = createSystemAxios(options);
  const policy = systemPolicy({
    service: options.service,
    baseURL: options.baseURL,
    concurrency: options.maxSockets,
    queue: options.policy?.queue ?? 256,
    retries: options.policy?.retries ?? 2,
    breakerThreshold: options.policy?.breakerThreshold ?? 5,
    breakerHalfOpenMs: options.policy?.breakerHalfOpenMs ?? 10_000,
    retryInitialDelayMs: options.policy?.retryInitialDelayMs,
    retryMaxDelayMs: options.policy?.retryMaxDelayMs,
    logger: options.logger,
  });

  /** One attempt: the answer, or a SystemCallFailure (counts against the system) or SystemRefusal. */
  async function attempt(
    config: SystemRequest & { method: 'GET' | 'POST' | 'HEAD' },
    headers: Record<string, string>,
    cancel: AbortSignal,
  ): Promise<unknown> {
    // Bounds the whole attempt, answer included (axios' `timeout` is per socket inactivity). One
    // controller and a timer cleared when the attempt ends: AbortSignal.timeout's timer cannot be
    // cleared and fires for every call long after its answer, and AbortSignal.any registers each
    // signal with the other; profiled, the two cost ~5% of a subgraph process's CPU in the dossier load.
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort(new SystemCallFailure('timeout', `no answer within ${options.timeoutMs} ms`));
    }, options.timeoutMs);
    const unlink = linkCancellation(cancel, controller);
    let status: number;
    let text: string;
    try {
      const response = await client.request<string>({
        method: config.method,
        url: config.url,
        params: config.params,
        data: config.data,
        headers,
        signal: controller.signal,
      });
      status = response.status;
      text = response.data;
    } catch (error) {
      const code = codeOf(error);
      if (timedOut || code === 'ETIMEDOUT' || code === 'ECONNABORTED') {
        throw new SystemCallFailure('timeout', `no answer within ${options.timeoutMs} ms`);
      }
      // Only the code: the axios error's message names the address, its config holds the credential.
      throw new SystemCallFailure('network', code);
    } finally {
      clearTimeout(timer);
      unlink();
    }
    if (status === 404 && config.nullOn404) return undefined;
    if (status >= 500 || status === 429) throw new SystemCallFailure('status', `HTTP ${status}`);
    if (status < 200 || status >= 300) throw new SystemRefusal(status);
    try {
      return JSON.parse(text) as unknown;
    } catch {
      // A proxy's error page, or a body cut off half-way: a broken upstream.
      throw new SystemCallFailure('invalidJson', 'answered invalid JSON');
    }
  }

  return {
    service: options.service,
    policy,
    close: async () => {
      // axios types its agents `any`; createSystemAxios sets node's.
      (client.defaults.httpAgent as http.Agent | undefined)?.destroy();
      (client.defaults.httpsAgent as https.Agent | undefined)?.destroy();
    },
    async request<T, R>(config: SystemRequest, map: (body: T) => R): Promise<R | null> {
      const method = config.method ?? 'GET';
      const headers: Record<string, string> = { ...config.headers };
      if (config.requestId) headers['x-request-id'] = config.requestId;
      const routeName = config.route ?? routeOf(method, config.url);
      const log = { service: options.service, route: routeName, requestId: config.requestId };
      let answer: unknown;
      try {
        answer = await policy.execute(routeName, config.idempotent ?? (method === 'GET' || method === 'HEAD'), (cancel) =>
          attempt({ ...config, method }, headers, cancel),
        );
      } catch (error) {
        if (error instanceof BrokenCircuitError) options.logger.debug(log, 'system call not sent: circuit open');
        else if (error instanceof BulkheadRejectedError) options.logger.warn(log, 'system call not sent: too many calls waiting');
        else if (error instanceof SystemRefusal) options.logger.warn({ ...log, status: error.status }, 'system refused the call');
        else if (error instanceof SystemCallFailure)
          options.logger.warn({ ...log, kind: error.kind, reason: error.message }, 'system call failed');
        else options.logger.warn({ ...log, reason: error instanceof Error ? error.name : 'unknown' }, 'system call failed');
        throw upstreamUnavailable(options.service);
      }
      if (answer === undefined) return null;
      try {
        return map(answer as T);
      } catch (error) {
        // The mapping's own message (a field name, a malformed value), never the record itself.
        options.logger.warn({ ...log, reason: String(error) }, 'system sent a record that could not be read');
        throw upstreamUnavailable(options.service);
      }
    },
  };
}
