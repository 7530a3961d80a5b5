import http from 'node:http';
import https from 'node:https';
import axios, { AxiosError, type AxiosInstance, type AxiosRequestConfig } from 'axios';
import { BrokenCircuitError, BulkheadRejectedError } from 'cockatiel';
import type { Logger } from 'pino';
import { upstreamUnavailable } from './errors.js';
import { SystemCallFailure, SystemRefusal, systemPolicy, type SystemPolicy } from './resilience.js';

/**
 * One configured axios instance per existing system: base URL, credential, timeout and a keep-alive
 * agent whose socket pool is the system's concurrency bound, with the system's policies around every
 * call (resilience.ts: retries for idempotent reads, circuit breaker, bulkhead). Failures are logged
 * here with their detail and surface to GraphQL only as UPSTREAM_UNAVAILABLE naming the system.
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
  axios: AxiosInstance;
  /** The system's shared policies (breaker state, for readiness and tests). */
  policy: SystemPolicy;
  /**
   * GET or POST; answers `map(body)`, or `null` for 404 when `nullOn404` is set. A body that `map`
   * cannot read (a malformed date, a missing field) is a broken upstream, reported like a 5xx.
   */
  request<T, R>(config: SystemRequest, map: (body: T) => R): Promise<R | null>;
}

export type SystemRequest = AxiosRequestConfig & {
  nullOn404?: boolean;
  requestId?: string;
  /**
   * Safe to send again: retried after a fast failure. Default: true for GET and HEAD, false otherwise;
   * a read-only POST (a batch look-up) says `idempotent: true`. Never set it on a write.
   */
  idempotent?: boolean;
  /** The route's name for observers; default the method and the path with ids replaced by `:id`. */
  route?: string;
};

/** `GET /jobcenter/api/borgere/:id`: a path segment holding four or more digits is an id (a CPR number). */
export function routeOf(method: string, url: string): string {
  const path = url.split('?')[0] ?? '';
  return `${method} ${path.split('/').map((segment) => (/\d{4,}/.test(segment) ? ':id' : segment)).join('/')}`;
}

export function createSystemHttp(options: SystemHttpOptions): SystemHttp {
  const agentOptions = { keepAlive: true, maxSockets: options.maxSockets, keepAliveMsecs: 1000, timeout: 60_000 };
  const instance = axios.create({
    baseURL: options.baseURL,
    timeout: options.timeoutMs,
    headers: { accept: 'application/json', ...options.headers },
    auth: options.auth,
    httpAgent: new http.Agent(agentOptions),
    httpsAgent: new https.Agent(agentOptions),
    // Status handling is ours: 404 may be an answer, everything else non-2xx is a failure.
    validateStatus: () => true,
    maxRedirects: 0,
  });
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
  async function attempt(config: AxiosRequestConfig, nullOn404: boolean, cancel: AbortSignal): Promise<unknown> {
    // axios' own `timeout` is an idle timer on the socket; this one bounds the whole attempt.
    const deadline = AbortSignal.timeout(options.timeoutMs);
    let status: number;
    let data: unknown;
    try {
      const response = await instance.request({ ...config, signal: AbortSignal.any([cancel, deadline]) });
      status = response.status;
      data = response.data;
    } catch (error) {
      const code = error instanceof AxiosError ? error.code : undefined;
      if (deadline.aborted || code === AxiosError.ECONNABORTED || code === AxiosError.ETIMEDOUT) {
        throw new SystemCallFailure('timeout', `no answer within ${options.timeoutMs} ms`);
      }
      throw new SystemCallFailure('network', error instanceof AxiosError ? `${code ?? 'ERR'} ${error.message}` : String(error));
    }
    if (status === 404 && nullOn404) return undefined;
    if (status >= 500 || status === 429) throw new SystemCallFailure('status', `HTTP ${status}`);
    if (status < 200 || status >= 300) throw new SystemRefusal(status);
    // axios hands back the raw text when the body is not JSON: a broken upstream.
    if (typeof data === 'string') throw new SystemCallFailure('invalidJson', 'answered invalid JSON');
    return data;
  }

  return {
    service: options.service,
    axios: instance,
    policy,
    async request<T, R>(config: SystemRequest, map: (body: T) => R): Promise<R | null> {
      const { nullOn404, requestId, idempotent, route, ...axiosConfig } = config;
      if (requestId) axiosConfig.headers = { ...axiosConfig.headers, 'x-request-id': requestId };
      const method = (axiosConfig.method ?? 'GET').toUpperCase();
      const routeName = route ?? routeOf(method, axiosConfig.url ?? '');
      const log = { service: options.service, route: routeName, requestId };
      let data: unknown;
      try {
        data = await policy.execute(routeName, idempotent ?? (method === 'GET' || method === 'HEAD'), (cancel) =>
          attempt(axiosConfig, nullOn404 === true, cancel),
        );
      } catch (error) {
        if (error instanceof BrokenCircuitError) options.logger.debug(log, 'system call not sent: circuit open');
        else if (error instanceof BulkheadRejectedError) options.logger.warn(log, 'system call not sent: too many calls waiting');
        else if (error instanceof SystemRefusal) options.logger.warn({ ...log, status: error.status }, 'system refused the call');
        else if (error instanceof SystemCallFailure) options.logger.warn({ ...log, kind: error.kind, reason: error.message }, 'system call failed');
        else options.logger.warn({ ...log, reason: String(error) }, 'system call failed');
        throw upstreamUnavailable(options.service);
      }
      if (data === undefined) return null;
      try {
        return map(data as T);
      } catch (error) {
        options.logger.warn({ ...log, reason: String(error) }, 'system sent a record that could not be read');
        throw upstreamUnavailable(options.service);
      }
    },
  };
}
