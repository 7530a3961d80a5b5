import http from 'node:http';
import https from 'node:https';
import axios, { AxiosError, type AxiosInstance, type AxiosRequestConfig } from 'axios';
import type { Logger } from 'pino';
import { upstreamUnavailable } from './errors.js';

/**
 * One configured axios instance per existing system: base URL, credential, timeout and a keep-alive
 * agent whose socket pool is the system's concurrency bound. Failures are logged here with their
 * detail and surface to GraphQL only as UPSTREAM_UNAVAILABLE naming the system.
 */
export interface SystemHttpOptions {
  /** Human name used in errors and logs, e.g. "school". */
  service: string;
  baseURL: string;
  headers?: Record<string, string>;
  auth?: { username: string; password: string };
  timeoutMs: number;
  /** Most concurrent connections to this system (legacy systems do not like a thundering herd). */
  maxSockets: number;
  logger: Logger;
}

export interface SystemHttp {
  service: string;
  axios: AxiosInstance;
  /**
   * GET or POST; answers `map(body)`, or `null` for 404 when `nullOn404` is set. A body that `map`
   * cannot read (a malformed date, a missing field) is a broken upstream, reported like a 5xx.
   */
  request<T, R>(config: SystemRequest, map: (body: T) => R): Promise<R | null>;
}

export type SystemRequest = AxiosRequestConfig & { nullOn404?: boolean; requestId?: string };

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

  return {
    service: options.service,
    axios: instance,
    async request<T, R>(config: SystemRequest, map: (body: T) => R): Promise<R | null> {
      const { nullOn404, requestId, ...axiosConfig } = config;
      if (requestId) axiosConfig.headers = { ...axiosConfig.headers, 'x-request-id': requestId };
      let status: number;
      let data: unknown;
      try {
        const response = await instance.request(axiosConfig);
        status = response.status;
        data = response.data;
      } catch (error) {
        const reason = error instanceof AxiosError ? `${error.code ?? 'ERR'} ${error.message}` : String(error);
        options.logger.warn({ service: options.service, path: config.url, requestId, reason }, 'system call failed');
        throw upstreamUnavailable(options.service);
      }
      if (status === 404 && nullOn404) return null;
      if (status < 200 || status >= 300) {
        options.logger.warn({ service: options.service, path: config.url, requestId, status }, 'system answered an error');
        throw upstreamUnavailable(options.service);
      }
      if (typeof data === 'string') {
        // axios hands back the raw text when the body is not JSON: a broken upstream.
        options.logger.warn({ service: options.service, path: config.url, requestId }, 'system answered invalid JSON');
        throw upstreamUnavailable(options.service);
      }
      try {
        return map(data as T);
      } catch (error) {
        options.logger.warn({ service: options.service, path: config.url, requestId, reason: String(error) }, 'system sent a record that could not be read');
        throw upstreamUnavailable(options.service);
      }
    },
  };
}
