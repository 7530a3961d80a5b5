/**
 * A minimal node:http integration for Apollo Server (its `executeHTTPGraphQLRequest` API): GET and POST
 * on `/graphql`, JSON bodies capped at 1 MB (413 beyond), chunked (incremental) responses, a request id
 * on every request, `/healthz` and `/readyz`. No framework on the hot path. Each request is served inside
 * its request scope (platform/requestScope.ts), so every log line about it carries its id.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type RequestListener, type Server, type ServerResponse } from 'node:http';
import { HeaderMap, type ApolloServer, type BaseContext } from '@apollo/server';
import type { Logger } from 'pino';
import type { Health } from './health.js';
import { sendJson } from './httpJson.js';
import { runInRequestScope, type RequestScope } from './requestScope.js';
import { ErrorCode } from './errorCodes.js';

export const MAX_BODY_BYTES = 1024 * 1024;
export const GRAPHQL_PATH = '/graphql';
export const HEALTH_PATH = '/healthz';
export const READY_PATH = '/readyz';
/** Longer than every caller's idle-socket timeout (our fetchers close after at most keepAliveTimeout - 1 s). */
export const KEEP_ALIVE_TIMEOUT_MS = 65_000;
export const HEADERS_TIMEOUT_MS = 66_000;

const SANE_REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

/** The client's `x-request-id` when it is a sane token (≤ 64 of [A-Za-z0-9._-]), else a fresh UUID. */
export function requestIdFrom(header: string | string[] | undefined): string {
  return typeof header === 'string' && SANE_REQUEST_ID.test(header) ? header : randomUUID();
}

export interface GraphQLHandlerOptions<TContext extends BaseContext> {
  apollo: ApolloServer<TContext>;
  context: (req: IncomingMessage, requestId: string) => Promise<TContext> | TContext;
  logger: Logger;
  /** When given: answers `/healthz` and `/readyz`, and `/graphql` answers 503 unless serving. */
  health?: Health;
  path?: string;
  maxBodyBytes?: number;
  /**
   * Further plain routes (an IDE page, metrics, ...), answered before `/graphql`. A key ending in `/`
   * is a prefix: `/ide/` answers `/ide/` and everything below it (static assets).
   */
  routes?: Readonly<Record<string, (req: IncomingMessage, res: ServerResponse) => void | Promise<void>>>;
  /** Told of every `/graphql` request once answered (metrics). */
  onRequestEnd?: (event: RequestEnd) => void;
}

export interface RequestEnd {
  requestId: string;
  status: number;
  seconds: number;
  /** The request's scope, with what the GraphQL layer noted in it (operation name, outcome). */
  scope: RequestScope;
}

function errorBody(message: string, code: ErrorCode) {
  return { errors: [{ message, extensions: { code } }] };
}

type BodyResult = { kind: 'ok'; text: string } | { kind: 'too-large' };

/**
 * Reads the body up to `max` bytes. Past the cap it stops keeping data but still drains the rest, so the
 * client can finish sending and read the 413 instead of meeting a reset connection.
 */
function readBody(req: IncomingMessage, max: number): Promise<BodyResult> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > max) {
    req.resume();
    return Promise.resolve({ kind: 'too-large' });
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > max) {
        if (!tooLarge) {
          tooLarge = true;
          chunks.length = 0;
          resolve({ kind: 'too-large' });
        }
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (!tooLarge) resolve({ kind: 'ok', text: Buffer.concat(chunks).toString('utf8') });
    });
    req.on('error', reject);
  });
}

function headerMapOf(req: IncomingMessage): HeaderMap {
  const headers = new HeaderMap();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
  }
  return headers;
}

/** The request listener: `/graphql` through Apollo Server, `/healthz` from `health`, 404 elsewhere. */
export function createGraphQLHandler<TContext extends BaseContext>(options: GraphQLHandlerOptions<TContext>): RequestListener {
  const path = options.path ?? GRAPHQL_PATH;
  const maxBodyBytes = options.maxBodyBytes ?? MAX_BODY_BYTES;
  const { apollo, logger, health } = options;

  return (req, res) => {
    const requestId = requestIdFrom(req.headers['x-request-id']);
    res.setHeader('x-request-id', requestId);
    const scope: RequestScope = { requestId };
    // The catch below answers any failure; nothing is left to wait for.
    void runInRequestScope(scope, () =>
      handle(req, res, scope).catch((error: unknown) => {
        logger.error({ err: error, requestId }, 'request failed outside GraphQL execution');
        if (!res.headersSent) sendJson(res, 500, errorBody('Internal server error', ErrorCode.INTERNAL_SERVER_ERROR));
        else res.destroy();
      }),
    );
  };

  async function handle(req: IncomingMessage, res: ServerResponse, scope: RequestScope): Promise<void> {
    const { requestId } = scope;
    const url = new URL(req.url ?? '/', 'http://server.invalid');

    if (health && url.pathname === HEALTH_PATH) {
      req.resume();
      return health.respond(res);
    }
    if (health && url.pathname === READY_PATH) {
      req.resume();
      return health.respondReady(res);
    }
    const route = options.routes?.[url.pathname] ?? prefixRoute(options.routes, url.pathname);
    if (route) return route(req, res);
    if (url.pathname !== path) {
      req.resume();
      return sendJson(res, 404, { error: 'not found' });
    }
    if (req.method !== 'GET' && req.method !== 'POST') {
      req.resume();
      return sendJson(res, 405, errorBody('Use GET or POST', ErrorCode.METHOD_NOT_ALLOWED), { allow: 'GET, POST' });
    }
    if (health && !health.serving) {
      req.resume();
      return sendJson(res, 503, errorBody('The service is not ready', ErrorCode.SERVICE_UNAVAILABLE), { 'retry-after': '1' });
    }

    let body: unknown = undefined;
    if (req.method === 'POST') {
      const read = await readBody(req, maxBodyBytes);
      if (read.kind === 'too-large') {
        return sendJson(res, 413, errorBody(`The request body is larger than ${maxBodyBytes} bytes`, ErrorCode.PAYLOAD_TOO_LARGE), {
          connection: 'close',
        });
      }
      const type = req.headers['content-type'] ?? '';
      if (type.includes('json')) {
        try {
          body = read.text === '' ? undefined : JSON.parse(read.text);
        } catch {
          return sendJson(res, 400, errorBody('The request body is not valid JSON', ErrorCode.BAD_REQUEST));
        }
      } else {
        // Apollo Server answers unsupported content types itself (and its CSRF prevention needs to see them).
        body = read.text;
      }
    } else {
      req.resume();
    }

    const started = performance.now();
    res.once('finish', () =>
      options.onRequestEnd?.({ requestId, status: res.statusCode, seconds: (performance.now() - started) / 1000, scope }),
    );
    const response = await apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest: { method: req.method, headers: headerMapOf(req), search: url.search, body },
      context: async () => options.context(req, requestId),
    });

    for (const [name, value] of response.headers) res.setHeader(name, value);
    res.statusCode = response.status ?? 200;
    if (response.body.kind === 'complete') {
      res.end(response.body.string);
    } else {
      for await (const chunk of response.body.asyncIterator) {
        if (res.destroyed) break;
        res.write(chunk);
      }
      res.end();
    }
    logger.debug({ requestId, method: req.method, status: res.statusCode, ms: Math.round(performance.now() - started) }, 'graphql request');
  }
}

/** An http.Server whose keep-alive outlives its callers' idle sockets (see KEEP_ALIVE_TIMEOUT_MS). */
export function createHttpServer(handler: RequestListener): Server {
  const server = createServer(handler);
  server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
  server.headersTimeout = HEADERS_TIMEOUT_MS;
  return server;
}

export interface Listening {
  server: Server;
  port: number;
  /** Base URL, e.g. http://127.0.0.1:4000 (no path). */
  url: string;
  /**
   * Keeps serving, but every answer from now on (those in progress too) tells the client
   * `Connection: close`, so each keep-alive connection ends after its next answer, from the client's
   * side, instead of being closed under a request already on its way (the shutdown delay's first step).
   */
  endKeepAlive(): void;
  /**
   * Stops accepting and resolves when every connection is gone: idle keep-alive sockets are closed at
   * once, busy ones after their answer (which tells the client `Connection: close`). Cutting what is
   * still open after a grace period is the caller's (platform/lifecycle.ts).
   */
  close(): Promise<void>;
}

/** While idle sockets are closed during a drain: often enough that a drained socket goes quickly. */
const DRAIN_SWEEP_MS = 100;

/** Listens on `port` (0 = any free port) and answers where. */
export async function listen(handler: RequestListener, options: { port: number; host: string }): Promise<Listening> {
  /** Set by `endKeepAlive` or `close`: every answer tells the client to close its connection. */
  let closing = false;
  /** Answers not yet sent: told `Connection: close` when the drain starts, so their sockets end with them. */
  const pending = new Set<ServerResponse>();
  const server = createHttpServer((req, res) => {
    // Draining: the client must not send its next request on this socket.
    if (closing) res.setHeader('connection', 'close');
    else {
      pending.add(res);
      res.once('close', () => pending.delete(res));
      res.once('finish', () => pending.delete(res));
    }
    handler(req, res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  let closed: Promise<void> | undefined;
  const endKeepAlive = () => {
    closing = true;
    for (const res of pending) if (!res.headersSent) res.setHeader('connection', 'close');
    pending.clear();
  };
  return {
    server,
    port,
    url: `http://${host}:${port}`,
    endKeepAlive,
    close: () =>
      (closed ??= new Promise<void>((resolve, reject) => {
        endKeepAlive();
        // A keep-alive socket that finished its answer before `closing` was set stays open until its
        // keep-alive timeout unless closed: sweep the idle ones until the server is closed.
        const sweep = setInterval(() => server.closeIdleConnections(), DRAIN_SWEEP_MS);
        server.close((error) => {
          clearInterval(sweep);
          if (error) reject(error);
          else resolve();
        });
        server.closeIdleConnections();
      })),
  };
}

type Route = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

/** The longest `/prefix/` route that contains `pathname`, if any. */
function prefixRoute(routes: Readonly<Record<string, Route>> | undefined, pathname: string): Route | undefined {
  if (!routes) return undefined;
  let best: string | undefined;
  for (const key of Object.keys(routes)) {
    if (key.endsWith('/') && pathname.startsWith(key) && (!best || key.length > best.length)) best = key;
  }
  return best ? routes[best] : undefined;
}
