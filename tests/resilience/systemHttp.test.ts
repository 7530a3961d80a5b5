/**
 * The policies of one system client against a small loopback server that fails on command: retries
 * only for idempotent reads and only after fast failures, the breaker, the concurrency limit and the
 * observers. Each test names its own service, so each gets its own breaker and bulkhead.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { Socket, type AddressInfo } from 'node:net';
import { GraphQLError } from 'graphql';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createLogger } from '../../platform/logger.js';
import { captureLogger } from '../operations/helpers.js';
import { createSystemHttp, routeOf, type SystemHttpOptions } from '../../subgraphs/kit/systemHttp.js';
import { breakerStates, onBreakerStateChange, onCall, type BreakerState, type CallOutcome } from '../../subgraphs/kit/resilience.js';
import { readSystemConnection } from '../../subgraphs/kit/systemConfig.js';

type Behaviour = 'ok' | '503' | '400' | '404' | 'hang' | 'reset' | 'text' | 'slow';
/** What the next calls get, in order; when empty, `then`. */
const plan: { next: Behaviour[]; then: Behaviour } = { next: [], then: 'ok' };
let calls = 0;
let inFlight = 0;
let maxInFlight = 0;
let baseURL: string;
/** Connections the server accepted, and the requests whose connection closed before they were answered. */
let connections = 0;
let abandoned = 0;
let lastRequest: { method?: string; url?: string; headers: IncomingMessage['headers']; body: string } | undefined;

async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
  calls += 1;
  inFlight += 1;
  maxInFlight = Math.max(maxInFlight, inFlight);
  res.once('close', () => {
    inFlight -= 1;
    if (!res.writableEnded) abandoned += 1;
  });
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  lastRequest = { method: req.method, url: req.url, headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
  const behaviour = plan.next.shift() ?? plan.then;
  const json = (status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  switch (behaviour) {
    case 'ok':
      return json(200, { value: 42 });
    case 'slow':
      await new Promise((resolve) => setTimeout(resolve, 60));
      return json(200, { value: 42 });
    case '503':
      return json(503, { error: 'down', detail: 'UPSTREAM-BODY-SECRET' });
    case '400':
      return json(400, { error: 'bad request' });
    case '404':
      return json(404, { error: 'not found' });
    case 'text':
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('<html>proxy error</html>');
      return;
    case 'reset':
      req.socket.resetAndDestroy();
      return;
    case 'hang':
      return; // until the client gives up
  }
}

const server = createServer((req, res) => void handle(req, res));
server.on('connection', () => (connections += 1));
const logger = createLogger('resilience-test');

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseURL = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});
beforeEach(() => {
  plan.next = [];
  plan.then = 'ok';
  calls = 0;
  maxInFlight = 0;
  connections = 0;
  abandoned = 0;
  lastRequest = undefined;
});

function client(service: string, overrides: Partial<SystemHttpOptions> = {}, policy: SystemHttpOptions['policy'] = {}) {
  return createSystemHttp({
    service,
    baseURL,
    timeoutMs: 300,
    maxSockets: 8,
    logger,
    ...overrides,
    policy: { retryInitialDelayMs: 5, retryMaxDelayMs: 20, ...policy },
  });
}

const read = (body: { value: number }) => body.value;

async function failure(promise: Promise<unknown>): Promise<GraphQLError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(GraphQLError);
  return error as GraphQLError;
}

describe('retries', () => {
  it('retries a GET after 5xx, reset and a body that is not JSON, then answers', async () => {
    plan.next = ['503', 'reset'];
    expect(await client('retry-get').request({ url: '/x' }, read)).toBe(42);
    expect(calls).toBe(3);
    plan.next = ['text'];
    expect(await client('retry-get').request({ url: '/x' }, read)).toBe(42);
    expect(calls).toBe(5);
  });

  it('gives up after <SYSTEM>_RETRIES retries with UPSTREAM_UNAVAILABLE naming the system', async () => {
    plan.then = '503';
    const error = await failure(client('retry-give-up', {}, { retries: 2 }).request({ url: '/x' }, read));
    expect(error.extensions).toEqual({ code: 'UPSTREAM_UNAVAILABLE', service: 'retry-give-up' });
    expect(calls).toBe(3);
  });

  it('never retries a POST unless it is marked idempotent (a read-only batch look-up)', async () => {
    plan.then = '503';
    await failure(client('retry-post').request({ method: 'POST', url: '/write', data: { a: 1 } }, read));
    expect(calls).toBe(1);
    calls = 0;
    await failure(client('retry-post').request({ method: 'POST', url: '/lookup', data: { a: 1 }, idempotent: true }, read));
    expect(calls).toBe(3);
    calls = 0;
    await failure(client('retry-post').request({ url: '/explicitly-not', idempotent: false }, read));
    expect(calls).toBe(1);
  });

  it('does not retry a timeout (the time is spent) or a 4xx (our fault)', async () => {
    plan.then = 'hang';
    const started = performance.now();
    await failure(client('retry-timeout', { timeoutMs: 100 }).request({ url: '/x' }, read));
    expect(performance.now() - started).toBeLessThan(1000);
    expect(calls).toBe(1);
    calls = 0;
    plan.then = '400';
    await failure(client('retry-400').request({ url: '/x' }, read));
    expect(calls).toBe(1);
  });

  it('answers null for a 404 read as "none", without retrying or counting it against the system', async () => {
    const http = client('not-found', {}, { breakerThreshold: 1 });
    plan.then = '404';
    expect(await http.request({ url: '/x', nullOn404: true }, read)).toBeNull();
    expect(calls).toBe(1);
    expect(http.policy.state).toBe('closed');
  });
});

describe('the axios instance per system', () => {
  it('sends the credential, the request id, query parameters and a JSON body under the base URL', async () => {
    const http = client('wire', { headers: { 'x-api-key': 'k1' } });
    expect(
      await http.request(
        {
          method: 'POST',
          url: '/api/opslag',
          params: { side: 2, cpr: '010190-1234,020290-2345' },
          data: { a: [1] },
          idempotent: true,
          requestId: 'r-1',
        },
        read,
      ),
    ).toBe(42);
    expect(lastRequest?.method).toBe('POST');
    const url = new URL(lastRequest?.url ?? '', baseURL);
    expect(url.pathname).toBe('/api/opslag');
    expect(Object.fromEntries(url.searchParams)).toEqual({ side: '2', cpr: '010190-1234,020290-2345' });
    expect(lastRequest?.headers).toMatchObject({ 'x-api-key': 'k1', 'x-request-id': 'r-1', accept: 'application/json' });
    expect(lastRequest?.headers['content-type']).toMatch(/^application\/json/);
    expect(JSON.parse(lastRequest?.body ?? '')).toEqual({ a: [1] });
    await client('wire-basic', { auth: { username: 'u', password: 'p' } }).request({ url: '/x' }, read);
    expect(lastRequest?.headers.authorization).toBe(`Basic ${Buffer.from('u:p').toString('base64')}`);
  });

  it('keeps its connections alive: calls one after the other share one socket', async () => {
    const http = client('keep-alive');
    for (let i = 0; i < 5; i++) expect(await http.request({ url: '/x' }, read)).toBe(42);
    expect(calls).toBe(5);
    expect(connections).toBe(1);
    await http.close();
  });

  it('asks a reused socket for the same TCP keep-alive each time, so Node sets it once (no system call per request)', async () => {
    // axios sets keep-alive on every request's socket and Node's agent on every return to the pool;
    // Node skips the setsockopt only when the delay is unchanged.
    const delays: number[] = [];
    const original = Object.getOwnPropertyDescriptors(Socket.prototype).setKeepAlive.value!;
    const spy = vi.spyOn(Socket.prototype, 'setKeepAlive').mockImplementation(function (this: Socket, enable, delay) {
      delays.push(delay ?? 0);
      return original.call(this, enable, delay);
    });
    try {
      const http = client('keep-alive-delay');
      for (let i = 0; i < 4; i++) expect(await http.request({ url: '/x' }, read)).toBe(42);
      await http.close();
    } finally {
      spy.mockRestore();
    }
    expect(connections).toBe(1);
    expect(delays.length).toBeGreaterThanOrEqual(4);
    expect(new Set(delays)).toEqual(new Set([60_000]));
  });

  it('abandons the call on the wire when the attempt times out (the signal reaches the socket)', async () => {
    plan.then = 'hang';
    await failure(client('abandon', { timeoutMs: 80 }).request({ url: '/x' }, read));
    await vi.waitFor(() => expect(abandoned).toBe(1));
  });

  it('lets nothing of the call reach the error or the logs: no address, credential or upstream body', async () => {
    const { logger: captured, lines } = captureLogger('debug');
    const secrets = { headers: { 'x-api-key': 'CREDENTIAL-SECRET' }, logger: captured };
    plan.then = '503';
    const down = await failure(client('leak-503', secrets, { retries: 1 }).request({ url: '/elever/010190-1234' }, read));
    plan.then = '400';
    const refused = await failure(client('leak-400', secrets).request({ url: '/elever/010190-1234' }, read));
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const closedPort = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const unreachable = await failure(
      client('leak-refused', { ...secrets, baseURL: `http://127.0.0.1:${closedPort}` }, { retries: 0 }).request(
        { url: '/elever/010190-1234' },
        read,
      ),
    );
    for (const error of [down, refused, unreachable]) {
      expect(error.extensions).toEqual({ code: 'UPSTREAM_UNAVAILABLE', service: expect.stringMatching(/^leak-/) as unknown });
      expect(error.originalError).toBeUndefined();
    }
    expect(lines.map((line) => [line.msg, line.kind ?? line.status])).toEqual(
      expect.arrayContaining([
        ['system call failed', 'status'],
        ['system refused the call', 400],
        ['system call failed', 'network'],
      ]),
    );
    expect(lines.find((line) => line.service === 'leak-refused')?.reason).toBe('ECONNREFUSED');
    const said =
      JSON.stringify([down, refused, unreachable].map((error) => ({ message: error.message, extensions: error.extensions }))) +
      JSON.stringify(lines);
    for (const secret of ['CREDENTIAL-SECRET', 'UPSTREAM-BODY-SECRET', '127.0.0.1', String(closedPort), baseURL, '010190-1234'])
      expect(said).not.toContain(secret);
  });
});

describe('circuit breaker', () => {
  it('opens after <SYSTEM>_BREAKER_THRESHOLD failures, fails fast, half-opens after the delay and closes', async () => {
    const changes: BreakerState[] = [];
    const outcomes: CallOutcome[] = [];
    const stopChanges = onBreakerStateChange((service, state) => service === 'breaker' && changes.push(state));
    const stopCalls = onCall((service, _route, _ms, outcome) => service === 'breaker' && outcomes.push(outcome));
    try {
      const http = client('breaker', {}, { retries: 0, breakerThreshold: 3, breakerHalfOpenMs: 150 });
      plan.then = '503';
      for (let i = 0; i < 3; i++) await failure(http.request({ url: '/x' }, read));
      expect(calls).toBe(3);
      expect(breakerStates()['breaker']).toBe('open');
      expect(http.policy.state).toBe('open');

      const error = await failure(http.request({ url: '/x' }, read));
      expect(error.extensions).toEqual({ code: 'UPSTREAM_UNAVAILABLE', service: 'breaker' });
      expect(calls).toBe(3);

      plan.then = 'ok';
      await new Promise((resolve) => setTimeout(resolve, 170));
      expect(await http.request({ url: '/x' }, read)).toBe(42);
      expect(calls).toBe(4);
      expect(breakerStates()['breaker']).toBe('closed');
      expect(changes).toEqual(['open', 'half-open', 'closed']);
      expect(outcomes).toEqual(['error', 'error', 'error', 'open', 'ok']);
    } finally {
      stopChanges();
      stopCalls();
    }
  });

  it('counts timeouts, but not refusals (4xx), against the system', async () => {
    const http = client('breaker-kinds', { timeoutMs: 50 }, { retries: 0, breakerThreshold: 2, breakerHalfOpenMs: 10_000 });
    plan.then = '400';
    for (let i = 0; i < 4; i++) await failure(http.request({ url: '/x' }, read));
    expect(http.policy.state).toBe('closed');
    plan.then = 'hang';
    for (let i = 0; i < 2; i++) await failure(http.request({ url: '/x' }, read));
    expect(http.policy.state).toBe('open');
  });

  it('is one per system per process: a second client of the same system shares it', async () => {
    const settings = { retries: 0, breakerThreshold: 2, breakerHalfOpenMs: 10_000 };
    const first = client('shared', {}, settings);
    const second = client('shared', {}, settings);
    plan.then = '503';
    await failure(first.request({ url: '/x' }, read));
    await failure(second.request({ url: '/x' }, read));
    expect(first.policy).toBe(second.policy);
    expect(first.policy.state).toBe('open');
    const callsSoFar = calls;
    await failure(second.request({ url: '/x' }, read));
    expect(calls).toBe(callsSoFar);
  });
});

describe('concurrency limit', () => {
  it('keeps at most <SYSTEM>_CONCURRENCY calls in flight, queues <SYSTEM>_QUEUE more and refuses the rest at once', async () => {
    const outcomes: CallOutcome[] = [];
    const stop = onCall((service, _route, _ms, outcome) => service === 'bulkhead' && outcomes.push(outcome));
    try {
      const http = client('bulkhead', { maxSockets: 2 }, { queue: 2 });
      plan.then = 'slow';
      const settled = await Promise.allSettled(Array.from({ length: 7 }, () => http.request({ url: '/x' }, read)));
      expect(settled.filter((s) => s.status === 'fulfilled')).toHaveLength(4);
      expect(settled.filter((s) => s.status === 'rejected')).toHaveLength(3);
      expect(maxInFlight).toBeLessThanOrEqual(2);
      expect(calls).toBe(4);
      expect(outcomes.filter((o) => o === 'rejected')).toHaveLength(3);
      // Refusals are load shedding, not the system's failure.
      expect(http.policy.state).toBe('closed');
    } finally {
      stop();
    }
  });
});

describe('configuration and names', () => {
  it('reads the policies per system from the environment, with defaults', () => {
    expect(readSystemConnection({}, 'SCHOOL', 4101)).toEqual({
      url: 'http://127.0.0.1:4101',
      timeoutMs: 3000,
      concurrency: 8,
      queue: 256,
      retries: 2,
      breakerThreshold: 5,
      breakerHalfOpenMs: 10_000,
    });
    expect(
      readSystemConnection(
        { SOCIAL_RETRIES: '0', SOCIAL_BREAKER_THRESHOLD: '3', SOCIAL_BREAKER_HALF_OPEN_MS: '500', SOCIAL_QUEUE: '0' },
        'SOCIAL',
        4104,
      ),
    ).toMatchObject({ retries: 0, breakerThreshold: 3, breakerHalfOpenMs: 500, queue: 0 });
    expect(() => readSystemConnection({ SCHOOL_RETRIES: '-1' }, 'SCHOOL', 4101)).toThrow(/SCHOOL_RETRIES/);
    expect(() => readSystemConnection({ SCHOOL_BREAKER_THRESHOLD: '0' }, 'SCHOOL', 4101)).toThrow(/SCHOOL_BREAKER_THRESHOLD/);
  });

  it('names routes without the CPR numbers in them', () => {
    expect(routeOf('GET', '/jobcenter/api/borgere/0101901234')).toBe('GET /jobcenter/api/borgere/:id');
    expect(routeOf('GET', '/sag/api/personer/010190-1234/sager?x=1')).toBe('GET /sag/api/personer/:id/sager');
    expect(routeOf('POST', '/api/v2/elever/opslag')).toBe('POST /api/v2/elever/opslag');
  });
});
