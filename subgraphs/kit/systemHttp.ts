import { Agent, request as undiciRequest, errors as undiciErrors, type Dispatcher } from 'undici';
import { BrokenCircuitError, BulkheadRejectedError } from 'cockatiel';
import type { Logger } from 'pino';
import { upstreamUnavailable } from './errors.js';
import { SystemCallFailure, SystemRefusal, systemPolicy, type SystemPolicy } from './resilience.js';

/**
 * One client per existing system: base URL, credential, timeout and a keep-alive connection pool
 * (undici) whose size is the system's concurrency bound, with the system's policies around every call
 * (resilience.ts: retries for idempotent reads, circuit breaker, bulkhead). Failures are logged here
 * with their detail and surface to GraphQL only as UPSTREAM_UNAVAILABLE naming the system.
 *
 * undici rather than axios over node:http: profiled in an extract (500 one-record calls to social
 * services per page), axios' per-call work (config merging, transforms, ClientRequest) was the
 * largest single cost in the subgraphs' CPU.
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
  policy?: Partial<{ queue: number; retries: number; breakerThreshold: number; breakerHalfOpenMs: number; retryInitialDelayMs: number; retryMaxDelayMs: number }>;
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
  return `${method} ${path.split('/').map((segment) => (/\d{4,}/.test(segment) ? ':id' : segment)).join('/')}`;
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
    cancel.addEventListener('abort', () => {
      for (const attempt of linked) attempt.abort(cancel.reason);
      linked.clear();
    }, { once: true });
    attempts = linked;
  }
  const set = attempts;
  set.add(controller);
  return () => set.delete(controller);
}

export function createSystemHttp(options: SystemHttpOptions): SystemHttp {
  const dispatcher = new Agent({ connections: options.maxSockets, keepAliveTimeout: 4_000, pipelining: 1 });
  const base = options.baseURL.replace(/\/+$/, '');
  const fixedHeaders: Record<string, string> = { accept: 'application/json', ...options.headers };
  if (options.auth) {
    fixedHeaders.authorization = `Basic ${Buffer.from(`${options.auth.username}:${options.auth.password}`).toString('base64')}`;
  }
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
    url: string,
    init: { method: Dispatcher.HttpMethod; headers: Record<string, string>; body?: string },
    nullOn404: boolean,
    cancel: AbortSignal,
  ): Promise<unknown> {
    // Bounds the whole attempt, answer included (undici's own timeouts are per phase). One controller
    // and a timer cleared when the attempt ends: AbortSignal.timeout's timer cannot be cleared and
    // fires for every call long after its answer, and AbortSignal.any registers each signal with
    // the other; profiled, the two cost ~5% of a subgraph process's CPU in the dossier load.
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
      const response = await undiciRequest(url, {
        ...init,
        dispatcher,
        signal: controller.signal,
        headersTimeout: options.timeoutMs,
        bodyTimeout: options.timeoutMs,
      });
      status = response.statusCode;
      // Read every body, also of a failure: an unread body holds the connection.
      text = await response.body.text();
    } catch (error) {
      if (timedOut || error instanceof undiciErrors.HeadersTimeoutError || error instanceof undiciErrors.BodyTimeoutError) {
        throw new SystemCallFailure('timeout', `no answer within ${options.timeoutMs} ms`);
      }
      const code = (error as { code?: string }).code ?? (error as { cause?: { code?: string } }).cause?.code;
      throw new SystemCallFailure('network', `${code ?? 'ERR'} ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      clearTimeout(timer);
      unlink();
    }
    if (status === 404 && nullOn404) return undefined;
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
    close: () => dispatcher.close(),
    async request<T, R>(config: SystemRequest, map: (body: T) => R): Promise<R | null> {
      const { nullOn404, requestId, idempotent, route, params, data, headers, url: path } = config;
      const method = config.method ?? 'GET';
      const query = params ? new URLSearchParams(Object.entries(params).map(([key, value]) => [key, String(value)])).toString() : '';
      const url = `${base}${path}${query ? (path.includes('?') ? '&' : '?') + query : ''}`;
      const requestHeaders: Record<string, string> = { ...fixedHeaders, ...headers };
      if (requestId) requestHeaders['x-request-id'] = requestId;
      let body: string | undefined;
      if (data !== undefined) {
        body = JSON.stringify(data);
        requestHeaders['content-type'] = 'application/json';
      }
      const routeName = route ?? routeOf(method, path);
      const log = { service: options.service, route: routeName, requestId };
      let answer: unknown;
      try {
        answer = await policy.execute(routeName, idempotent ?? (method === 'GET' || method === 'HEAD'), (cancel) =>
          attempt(url, { method, headers: requestHeaders, body }, nullOn404 === true, cancel),
        );
      } catch (error) {
        if (error instanceof BrokenCircuitError) options.logger.debug(log, 'system call not sent: circuit open');
        else if (error instanceof BulkheadRejectedError) options.logger.warn(log, 'system call not sent: too many calls waiting');
        else if (error instanceof SystemRefusal) options.logger.warn({ ...log, status: error.status }, 'system refused the call');
        else if (error instanceof SystemCallFailure) options.logger.warn({ ...log, kind: error.kind, reason: error.message }, 'system call failed');
        else options.logger.warn({ ...log, reason: String(error) }, 'system call failed');
        throw upstreamUnavailable(options.service);
      }
      if (answer === undefined) return null;
      try {
        return map(answer as T);
      } catch (error) {
        options.logger.warn({ ...log, reason: String(error) }, 'system sent a record that could not be read');
        throw upstreamUnavailable(options.service);
      }
    },
  };
}
