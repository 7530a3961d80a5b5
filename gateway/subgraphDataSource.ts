/**
 * How the gateway calls one subgraph: at the configured URL, with the caller's credentials and request
 * id, within a deadline, over keep-alive sockets, and with failures turned into clean errors.
 *
 * Fetcher: Node's built-in `fetch` (undici inside Node 20; the `undici` package itself is not installed).
 * It keeps connections alive and, crucially, honours the server's `Keep-Alive: timeout=N` hint, closing
 * an idle socket a second before the server would (4 s when the server sends no hint, below Node's 5 s
 * default). The gateway's default fetcher (make-fetch-happen/agentkeepalive) keeps idle sockets 15 s
 * whatever the server says, which races servers that close sooner: random ECONNRESET under load.
 * Our subgraphs keep idle sockets 65 s, so sockets are reused for up to ~64 s.
 */
import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { Fetcher, FetcherResponse } from '@apollo/utils.fetcher';
import { GraphQLError } from 'graphql';
import type { Logger } from 'pino';
import type { GatewayContext } from './context.js';

export interface SubgraphDataSourceOptions {
  /** Subgraph name (as in the supergraph). */
  name: string;
  url: string;
  /** Deadline for one call, response body included. */
  timeoutMs: number;
  logger: Logger;
  /** Replaces the HTTP client (tests); the deadline is applied around it. */
  fetch?: typeof globalThis.fetch;
}

/** A fetcher that gives every call its own deadline (`AbortSignal.timeout`), body read included. */
export function createTimeoutFetcher(timeoutMs: number, fetchImpl: typeof globalThis.fetch = globalThis.fetch): Fetcher {
  return async (url, init) => {
    const deadline = AbortSignal.timeout(timeoutMs);
    const signal = init?.signal instanceof AbortSignal ? AbortSignal.any([init.signal, deadline]) : deadline;
    const response = await fetchImpl(url, {
      method: init?.method ?? 'POST',
      headers: init?.headers ?? {},
      // The gateway always sends a JSON string; a Buffer is passed on as bytes.
      body: typeof init?.body === 'string' || init?.body === undefined ? (init?.body ?? null) : new Uint8Array(init.body),
      signal,
    });
    return response as unknown as FetcherResponse;
  };
}

export class SubgraphDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  readonly subgraphName: string;
  private readonly timeoutMs: number;
  private readonly log: Logger;

  constructor(options: SubgraphDataSourceOptions) {
    super({ url: options.url });
    this.subgraphName = options.name;
    this.timeoutMs = options.timeoutMs;
    this.log = options.logger;
    this.fetcher = createTimeoutFetcher(options.timeoutMs, options.fetch);
  }

  override willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<GatewayContext>): void {
    const headers = request.http?.headers;
    if (!headers) return;
    // Subgraphs verify the token themselves; the request id ties their logs to ours.
    if (typeof context.authorization === 'string' && context.authorization !== '') {
      headers.set('authorization', context.authorization);
    }
    if (typeof context.requestId === 'string') headers.set('x-request-id', context.requestId);
  }

  override async process(options: GraphQLDataSourceProcessOptions<GatewayContext>): ReturnType<RemoteGraphQLDataSource['process']> {
    try {
      return await super.process(options);
    } catch (error) {
      throw this.toClientError(error, options.context as Partial<GatewayContext> | undefined);
    }
  }

  /** Non-2xx answers: a clean error instead of the default one carrying URL and body. */
  override async errorFromResponse(response: FetcherResponse): Promise<GraphQLError> {
    const body = await response.text().catch(() => '');
    this.log.warn(
      { service: this.subgraphName, status: response.status, body: body.slice(0, 500).replace(/\b\d{6}-?\d{4}\b/g, '[redacted]') },
      'subgraph answered with an HTTP error',
    );
    const extensions = { service: this.subgraphName };
    if (response.status === 401) {
      return new GraphQLError(`Subgraph "${this.subgraphName}" did not accept the credentials`, { extensions: { ...extensions, code: 'UNAUTHENTICATED' } });
    }
    if (response.status === 403) {
      return new GraphQLError(`Subgraph "${this.subgraphName}" refused the request`, { extensions: { ...extensions, code: 'FORBIDDEN' } });
    }
    return unavailable(this.subgraphName, `Subgraph "${this.subgraphName}" failed to answer (HTTP ${response.status})`);
  }

  private toClientError(error: unknown, context: Partial<GatewayContext> | undefined): GraphQLError {
    if (error instanceof GraphQLError && typeof error.extensions['code'] === 'string') return error;
    const timedOut = error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
    const cause = error instanceof Error && error.cause instanceof Error ? error.cause : undefined;
    this.log.warn(
      {
        service: this.subgraphName,
        url: this.url,
        requestId: context?.requestId,
        error: error instanceof Error ? error.message : String(error),
        cause: cause ? ((cause as NodeJS.ErrnoException).code ?? cause.message) : undefined,
      },
      timedOut ? 'subgraph call timed out' : 'subgraph call failed',
    );
    return unavailable(
      this.subgraphName,
      timedOut
        ? `Subgraph "${this.subgraphName}" did not answer within ${this.timeoutMs} ms`
        : `Subgraph "${this.subgraphName}" is unavailable`,
    );
  }
}

function unavailable(service: string, message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'SUBGRAPH_UNAVAILABLE', service } });
}
