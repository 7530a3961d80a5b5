/**
 * Issue 11, findings 5 and 6: the access log under stress, against the whole graph (real systems,
 * subgraphs, tokens and field rules) with a gateway whose access-log store can be stalled for real.
 *
 * - PGlite: the store's database holds every statement until resumed (what a paused server does: the
 *   statement reaches it, and runs, only at resume).
 * - PostgreSQL (when DATABASE_URL is set): the store connects through a TCP proxy that stops passing
 *   bytes either way while paused, so the server sees the statements only at resume.
 *
 * Finding 5: while the store stalls, every path answers (the store stays paused until every answer is
 * in): unauthenticated and refused requests at once, personal data and the auditors' route 503 with a
 * coded error, /healthz 200, /readyz 503. Failed authentications are limited per client address before
 * anything is written (429, Retry-After, RATE_LIMITED), and refusals are written in batches.
 * Finding 6: a request answered 503 is never on record as a release; entries carry the time the request
 * was asked, not the time the store came back; a refused read of a young person is in that person's log.
 */
import { request as httpRequest } from 'node:http';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DenialQueue } from '../../gateway/accessLog/denials.js';
import { AccessLogStore, MIGRATIONS_DIR } from '../../gateway/accessLog/store.js';
import type { GatewaySecurity } from '../../gateway/authentication.js';
import { loadGatewayConfig } from '../../gateway/config.js';
import { createGateway, type Gateway } from '../../gateway/server.js';
import type { RoleName } from '../../platform/authorization/roles.js';
import { loadAuthConfig } from '../../platform/authentication/config.js';
import { devTokenFor } from '../../platform/authentication/mint.js';
import { createTokenVerifier } from '../../platform/authentication/verifier.js';
import { openDatabase, type Database, type QueryResult, type Transaction } from '../../platform/db/database.js';
import { migrate } from '../../platform/db/migrate.js';
import { listen, type Listening } from '../../platform/graphqlHttp.js';
import { accessLogDenialsNotWritten } from '../../platform/metrics.js';
import { backends, dropSchema, uniqueSchema, type Backend } from '../accessLog/backends.js';
import { captureLogger } from '../operations/helpers.js';
import { startTestStack, type TestStack } from '../e2e/testStack.js';

const DEADLINE_MS = 600;
const UNAUTHENTICATED_BUDGET = 30;
const { logger } = captureLogger('silent');

/**
 * The store's database, as the store sees it: counts the INSERTs and rows that reach the database and
 * the statements in flight; on PGlite it also holds statements while paused.
 */
class ObservedDatabase implements Database {
  inserts = 0;
  insertedRows = 0;
  inFlight = 0;
  private gate: { promise: Promise<void>; open: () => void } | undefined;

  constructor(
    private readonly inner: Database,
    private readonly holdsWhilePaused: boolean,
  ) {}

  get kind() {
    return this.inner.kind;
  }
  get schema() {
    return this.inner.schema;
  }

  pause(): void {
    if (!this.holdsWhilePaused || this.gate) return;
    let open = () => undefined as void;
    const promise = new Promise<void>((resolve) => (open = resolve));
    this.gate = { promise, open };
  }

  resume(): void {
    this.gate?.open();
    this.gate = undefined;
  }

  async query<T = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<QueryResult<T>> {
    this.inFlight += 1;
    try {
      if (this.gate) await this.gate.promise;
      if (/^\s*INSERT INTO access_log/.test(sql)) {
        this.inserts += 1;
        this.insertedRows += (JSON.parse(String(params?.[0])) as unknown[]).length;
      }
      return await this.inner.query<T>(sql, params);
    } finally {
      this.inFlight -= 1;
    }
  }

  async transaction<T>(fn: (tx: Transaction) => Promise<T>): Promise<T> {
    if (this.gate) await this.gate.promise;
    return this.inner.transaction(fn);
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}

/** A TCP proxy to the PostgreSQL server that passes no byte either way while paused. */
class PausableProxy {
  private paused = false;
  private held: (() => void)[] = [];
  private readonly sockets = new Set<net.Socket>();
  private server: net.Server | undefined;

  async start(target: URL): Promise<string> {
    this.server = net.createServer((client) => {
      const upstream = net.connect(Number(target.port || 5432), target.hostname);
      for (const [from, to] of [
        [client, upstream],
        [upstream, client],
      ] as const) {
        this.sockets.add(from);
        from.on('data', (chunk: Buffer) => (this.paused ? this.held.push(() => to.write(chunk)) : to.write(chunk)));
        from.on('error', () => to.destroy());
        from.on('close', () => {
          this.sockets.delete(from);
          to.destroy();
        });
      }
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    const address = this.server.address() as net.AddressInfo;
    const url = new URL(target.toString());
    url.hostname = '127.0.0.1';
    url.port = String(address.port);
    return url.toString();
  }

  pause(): void {
    this.paused = true;
  }

  resume(): void {
    this.paused = false;
    for (const pass of this.held.splice(0)) pass();
  }

  async close(): Promise<void> {
    this.resume();
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

/** The store over a database that can be stalled: PGlite held in process, or PostgreSQL behind the proxy. */
async function stallableStore(backend: Backend) {
  const schema = uniqueSchema('audit_stress');
  const proxy = backend.url ? new PausableProxy() : undefined;
  const url = backend.url && proxy ? await proxy.start(new URL(backend.url)) : undefined;
  const inner = await openDatabase({ url, dataDir: 'memory://', schema, logger, poolSize: 5 });
  await migrate(inner, { logger, dir: MIGRATIONS_DIR });
  const db = new ObservedDatabase(inner, !proxy);
  const store = new AccessLogStore(db);
  return {
    db,
    store,
    pause: () => (proxy ? proxy.pause() : db.pause()),
    resume: () => (proxy ? proxy.resume() : db.resume()),
    /** Until every statement that reached the store has settled (the stalled ones after a resume too). */
    settled: async () => {
      while (db.inFlight > 0) await new Promise((resolve) => setTimeout(resolve, 20));
    },
    async close() {
      proxy?.resume();
      await store.close();
      await proxy?.close();
      if (backend.url) await dropSchema(backend.url, schema);
    },
  };
}

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: {
    data?: Record<string, unknown> | null;
    errors?: { message: string; path?: string[]; extensions?: { code?: string } }[];
    code?: string;
    error?: string;
    [key: string]: unknown;
  };
}

let stack: TestStack;
let youthId: string;
const tokens = new Map<RoleName, Promise<string>>();
const tokenFor = (role: RoleName) => {
  let token = tokens.get(role);
  if (!token) tokens.set(role, (token = devTokenFor(role, { subject: `stress-${role}`, env: stack.env })));
  return token;
};

beforeAll(async () => {
  stack = await startTestStack();
  const found = await stack.gql<{ youths: { edges: { node: { id: string } }[] } }>(
    '{ youths(first: 1) { edges { node { id } } } }',
    {},
    { role: 'uu-counsellor' },
  );
  youthId = found.data!.youths.edges[0]!.node.id;
}, 120_000);

afterAll(async () => {
  await stack?.shutdown();
});

describe.each(backends)('the access log under stress, on $name', (backend) => {
  let log: Awaited<ReturnType<typeof stallableStore>>;
  let denials: DenialQueue;
  let gateway: Gateway;
  let server: Listening;

  beforeAll(async () => {
    log = await stallableStore(backend);
    denials = new DenialQueue({ store: log.store, logger, deadlineMs: DEADLINE_MS, maxEntries: 10_000 });
    const verifier = await createTokenVerifier(loadAuthConfig(stack.env), logger);
    const access: GatewaySecurity = {
      verify: (authorization) => verifier.verify(authorization),
      accessLog: log.store,
      writeTimeoutMs: DEADLINE_MS,
      readTimeoutMs: DEADLINE_MS,
      denials,
      close: async () => denials.close(),
    };
    const config = loadGatewayConfig({
      ...stack.env,
      GATEWAY_PORT: '0',
      READINESS_TIMEOUT_MS: '300',
      RATE_LIMIT_UNAUTHENTICATED_POINTS: String(UNAUTHENTICATED_BUDGET),
      REDIS_KEY_PREFIX: `ungegraf:test:stress:${uniqueSchema('rl')}:`,
    });
    gateway = await createGateway({ config, logger, subgraphUrls: stack.subgraphUrls, access });
    await gateway.start();
    server = await listen(gateway.handler, { port: 0, host: '127.0.0.1' });
  }, 60_000);

  afterAll(async () => {
    log?.resume();
    await server?.close();
    await gateway?.stop();
    await denials?.close();
    await log?.close();
  });

  /** One request from client address `from` (a loopback address of its own: the per-address budget). */
  function send(
    path: string,
    options: { from: string; method?: string; authorization?: string; body?: unknown; requestId?: string },
  ): Promise<Answer> {
    const body = options.body === undefined ? undefined : JSON.stringify(options.body);
    const url = new URL(path, server.url);
    return new Promise((resolve, reject) => {
      const req = httpRequest(
        url,
        {
          method: options.method ?? (body ? 'POST' : 'GET'),
          localAddress: options.from,
          agent: false,
          headers: {
            ...(body ? { 'content-type': 'application/json' } : {}),
            ...(options.authorization ? { authorization: options.authorization } : {}),
            ...(options.requestId ? { 'x-request-id': options.requestId } : {}),
          },
          // Liveness, not speed: far past every deadline, an answer that never comes fails the test cleanly.
          signal: AbortSignal.timeout(15_000),
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () =>
            resolve({
              status: res.statusCode ?? 0,
              headers: res.headers,
              body: JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Answer['body'],
            }),
          );
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  }

  const gql = async (
    query: string,
    variables: Record<string, unknown>,
    options: { from: string; role?: RoleName; authorization?: string; requestId?: string },
  ) =>
    send('/graphql', {
      from: options.from,
      body: { query, variables },
      authorization: options.authorization ?? (options.role ? `Bearer ${await tokenFor(options.role)}` : undefined),
      requestId: options.requestId,
    });

  async function rows(where: string, params: unknown[]) {
    const { rows } = await log.db.query<{
      request_id: string;
      youth_id: string | null;
      outcome: string;
      reason: string | null;
      at: Date;
      subject: string | null;
    }>(`SELECT request_id, youth_id, outcome, reason, at, subject FROM access_log WHERE ${where} ORDER BY id`, params);
    return rows;
  }

  /** Store back, stalled statements settled, refusals written. */
  async function recover() {
    log.resume();
    await log.settled();
    await denials.flush();
    await log.settled();
  }

  it('answers every path within its deadline while the store stalls, and keeps the log exact around the outage', async () => {
    const YOUTH = 'query Stress($id: ID!) { youth(id: $id) { id firstName } }';
    const askedAt = Date.now();
    log.pause();
    // Every answer must come while the store is still paused: it is resumed only after all are in.
    const [unauthenticated, refused, released1, released2, auditRead, auditUnauthenticated, healthz, readyz] = await Promise.all([
      gql(YOUTH, { id: youthId }, { from: '127.0.0.11', authorization: 'Bearer forged', requestId: 'stress-401' }),
      gql(YOUTH, { id: youthId }, { from: '127.0.0.11', role: 'auditor', requestId: 'stress-refused' }),
      gql(YOUTH, { id: youthId }, { from: '127.0.0.11', role: 'uu-counsellor', requestId: 'stress-503-a' }),
      gql(YOUTH, { id: youthId }, { from: '127.0.0.11', role: 'uu-counsellor', requestId: 'stress-503-b' }),
      send(`/audit/access-log?youthId=${youthId}`, {
        from: '127.0.0.11',
        authorization: `Bearer ${await tokenFor('auditor')}`,
        requestId: 'stress-audit-503',
      }),
      send(`/audit/access-log?youthId=${youthId}`, { from: '127.0.0.11', requestId: 'stress-audit-401' }),
      send('/healthz', { from: '127.0.0.11' }),
      send('/readyz', { from: '127.0.0.11' }),
    ]);
    const resumedAt = Date.now();

    expect(unauthenticated.status).toBe(401);
    expect(unauthenticated.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(refused.status).toBe(200);
    expect(refused.body.errors?.find((error) => error.path?.[0] === 'youth')?.extensions?.code).toBe('UNAUTHORIZED_FIELD_OR_TYPE');
    for (const released of [released1, released2]) {
      expect(released.status).toBe(503);
      expect(released.body.data).toBeUndefined();
      expect(released.body.errors?.map((error) => error.extensions?.code)).toEqual(['ACCESS_LOG_UNAVAILABLE']);
      expect(JSON.stringify(released.body)).not.toContain(youthId);
    }
    expect(auditRead.status).toBe(503);
    expect(auditRead.body).toMatchObject({ code: 'ACCESS_LOG_UNAVAILABLE' });
    expect(auditUnauthenticated.status).toBe(401);
    expect(healthz.status).toBe(200);
    expect(readyz.status).toBe(503);
    expect(readyz.body).toMatchObject({ notReady: expect.arrayContaining(['accessLog']) as unknown });

    await recover();

    // Finding 6: answered 503, so never on record as a release (nor at all), also after the store came back.
    expect(await rows("request_id IN ('stress-503-a', 'stress-503-b', 'stress-audit-503') AND outcome <> 'DENIED'", [])).toEqual([]);
    // The refusal is in the young person's own log, stamped when it was asked, not when the store came back.
    const page = await log.store.forYouth({ youthId, first: 50 });
    const refusal = page.entries.find((entry) => entry.requestId === 'stress-refused');
    expect(refusal).toMatchObject({ outcome: 'DENIED', subject: 'stress-auditor', reason: expect.stringContaining('youth') as unknown });
    const at = Date.parse(refusal!.at);
    expect(at).toBeGreaterThanOrEqual(askedAt - 1);
    expect(at).toBeLessThan(resumedAt);
    // The refused token and the refused audit-log read are on record too, stamped when asked.
    const denied = await rows("request_id IN ('stress-401', 'stress-audit-401') AND outcome = 'DENIED'", []);
    expect(denied.map((row) => row.request_id).sort()).toEqual(['stress-401', 'stress-audit-401']);
    for (const row of denied) expect(new Date(row.at).getTime()).toBeLessThan(resumedAt);
    expect(denied.find((row) => row.request_id === 'stress-audit-401')?.youth_id).toBe(youthId);
  }, 60_000);

  it('releases and logs as before once the store is back, every entry at the time it was asked', async () => {
    const askedAt = Date.now();
    const answer = await gql(
      'query Back($id: ID!) { youth(id: $id) { id firstName } }',
      { id: youthId },
      { from: '127.0.0.12', role: 'uu-counsellor', requestId: 'stress-200' },
    );
    const answeredAt = Date.now();
    expect(answer.status).toBe(200);
    expect((answer.body.data?.['youth'] as { id: string }).id).toBe(youthId);
    const [row] = await rows("request_id = 'stress-200'", []);
    expect(row).toMatchObject({ youth_id: youthId, outcome: 'ALLOWED' });
    expect(new Date(row!.at).getTime()).toBeGreaterThanOrEqual(askedAt - 1);
    expect(new Date(row!.at).getTime()).toBeLessThanOrEqual(answeredAt + 1);
  });

  it('logs a refused read against every young person it named, by id or in a mutation input', async () => {
    const byId = await gql(
      'query ($id: ID!) { youth(id: $id) { firstName } }',
      { id: youthId },
      { from: '127.0.0.13', role: 'reporting-tool', requestId: 'stress-named-id' },
    );
    expect(byId.body.errors?.some((error) => error.extensions?.code === 'UNAUTHORIZED_FIELD_OR_TYPE')).toBe(true);
    const mutation = await gql(
      'mutation ($y: ID!) { assignContactPerson(input: { youthId: $y, contactPersonId: "gkp-sara-holm" }) { id } }',
      { y: youthId },
      { from: '127.0.0.13', role: 'auditor', requestId: 'stress-named-input' },
    );
    expect(mutation.body.errors?.some((error) => error.extensions?.code === 'UNAUTHORIZED_FIELD_OR_TYPE')).toBe(true);
    await denials.flush();
    expect(await rows("request_id IN ('stress-named-id', 'stress-named-input')", [])).toMatchObject([
      { request_id: 'stress-named-id', youth_id: youthId, outcome: 'DENIED', subject: 'stress-reporting-tool' },
      { request_id: 'stress-named-input', youth_id: youthId, outcome: 'DENIED', subject: 'stress-auditor' },
    ]);
  });

  it('limits failed authentications per client address before anything is written, and writes refusals in batches', async () => {
    const before = { inserts: log.db.inserts, rows: (await rows("reason LIKE 'token refused%'", [])).length };
    const notWritten = async () =>
      (await accessLogDenialsNotWritten.get()).values.find((value) => value.labels['reason'] === 'rate_limited')?.value ?? 0;
    const limitedBefore = await notWritten();
    // The flood arrives while the store is slow: the refusals wait in the batch, not in the answers.
    log.pause();
    const flood = await Promise.all(
      Array.from({ length: UNAUTHENTICATED_BUDGET + 20 }, (_, i) =>
        gql('{ __typename }', {}, { from: '127.0.0.21', authorization: `Bearer forged-${i}` }),
      ),
    );
    const auditFlood = await send(`/audit/access-log?youthId=${youthId}`, { from: '127.0.0.21' });
    // Another address has a budget of its own.
    const elsewhere = await gql('{ __typename }', {}, { from: '127.0.0.22', authorization: 'Bearer forged' });
    await recover();

    const statuses = flood.map((answer) => answer.status);
    expect(statuses.filter((status) => status === 401)).toHaveLength(UNAUTHENTICATED_BUDGET);
    expect(statuses.filter((status) => status === 429)).toHaveLength(20);
    for (const limited of flood.filter((answer) => answer.status === 429)) {
      expect(limited.body.errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');
      expect(Number(limited.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    }
    expect(auditFlood.status).toBe(429);
    expect(auditFlood.body).toMatchObject({ code: 'RATE_LIMITED' });
    expect(Number(auditFlood.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(elsewhere.status).toBe(401);
    expect(await notWritten()).toBe(limitedBefore + 21);

    // Exactly the refusals answered 401 are on record (the 429s wrote nothing), in a few writes, not one each.
    const written = (await rows("reason LIKE 'token refused%'", [])).length - before.rows;
    expect(written).toBe(UNAUTHENTICATED_BUDGET + 1);
    expect(log.db.inserts - before.inserts).toBeLessThanOrEqual(5);
  }, 60_000);

  it('never blocks on a full denial batch: the overflow is dropped and counted', async () => {
    const dropped: number[] = [];
    const small = new DenialQueue({
      store: log.store,
      logger,
      deadlineMs: DEADLINE_MS,
      maxEntries: 5,
      onDropped: (count) => dropped.push(count),
    });
    log.pause();
    for (let i = 0; i < 20; i += 1) {
      // Returns at once whatever the store does: nothing to await.
      small.enqueue({
        requestId: `overflow-${i}`,
        subject: null,
        organisation: null,
        role: null,
        youthId: null,
        categories: [],
        fields: [],
        operationName: null,
        operationHash: null,
        purpose: 'test',
        outcome: 'DENIED',
        reason: 'overflow test',
        at: new Date(),
      });
    }
    expect(small.pending).toBeLessThanOrEqual(5);
    log.resume();
    await log.settled();
    await small.flush();
    await small.close();
    const stored = await rows("request_id LIKE 'overflow-%'", []);
    expect(dropped.reduce((sum, n) => sum + n, 0) + stored.length).toBe(20);
    expect(stored.length).toBeGreaterThanOrEqual(5);
    expect(stored.length).toBeLessThanOrEqual(6);
  });
});
