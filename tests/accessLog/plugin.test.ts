/**
 * The access-log plugin end to end: Apollo Server over a plain fixture schema with a `Youth` type, served
 * by the same node:http integration as the gateway, writing to a real (in-memory) access log.
 */
import { createHash } from 'node:crypto';
import { ApolloServer } from '@apollo/server';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { accessLogPlugin, recordDenied, type AccessIdentity, type AuditContext } from '../../gateway/accessLog/plugin.js';
import type { AccessLogRecord, AccessLogStore, AccessLogWriter } from '../../gateway/accessLog/store.js';
import { createGraphQLHandler, listen, type Listening } from '../../platform/graphqlHttp.js';
import { categoryOf, rootValue, typeDefs, unauthorized, YOUTHS } from './fixtureSchema.js';
import { logger, openTestLog } from './backends.js';

const IDENTITIES: Record<string, AccessIdentity & { defaultPurpose: string }> = {
  counsellor: {
    subject: 'mette.kjaer',
    organisation: 'aalborg/uu',
    role: 'uu-counsellor',
    scopes: ['youth:identity', 'school:read'],
    defaultPurpose: 'education and employment guidance of the young person (UU)',
  },
  caseworker: {
    subject: 'sara.holm',
    organisation: 'aalborg/social',
    role: 'social-caseworker',
    scopes: new Set(['youth:identity', 'youth:cpr']),
    defaultPurpose: 'social case work for the young person',
  },
};

/** Young people whose CPR number answers as the gateway's field rules do without `youth:cpr`. */
const youthsFor = (context: AuditContext) =>
  YOUTHS.map((youth) => ({
    ...youth,
    cprNumber: () => {
      const scopes = context.identity?.scopes;
      const granted = scopes instanceof Set ? scopes.has('youth:cpr') : Array.isArray(scopes) && scopes.includes('youth:cpr');
      if (!granted) throw unauthorized('Youth.cprNumber');
      return youth.cprNumber;
    },
  }));

// Apollo Server builds the schema itself (with its own copy of graphql, as the gateway does).
const byTypename = (value: { __typename: string }) => value.__typename;
const resolvers = {
  Query: {
    youths: (_: unknown, __: unknown, context: AuditContext) => youthsFor(context),
    youth: (_: unknown, { id }: { id: string }, context: AuditContext) => youthsFor(context).find((y) => y.id === id) ?? null,
    contactPersons: () => rootValue.contactPersons(),
    search: () => rootValue.search(),
    node: (_: unknown, args: { id: string }) => rootValue.node(args),
    schools: () => rootValue.schools(),
  },
  Mutation: { touch: (_: unknown, args: { youthId: string }) => rootValue.touch(args) },
  SearchResult: { __resolveType: byTypename },
  Node: { __resolveType: byTypename },
};

interface Served {
  url: string;
  close(): Promise<void>;
}

async function serve(store: AccessLogWriter, writeTimeoutMs?: number): Promise<Served> {
  const apollo = new ApolloServer<AuditContext>({
    typeDefs,
    resolvers,
    logger,
    plugins: [accessLogPlugin<AuditContext>({ store, categoryOf, logger, ...(writeTimeoutMs ? { writeTimeoutMs } : {}) })],
  });
  await apollo.start();
  const handler = createGraphQLHandler<AuditContext>({
    apollo,
    logger,
    context: (req, requestId) => {
      const who = IDENTITIES[String(req.headers['x-test-identity'])];
      return who ? { requestId, identity: who, defaultPurpose: who.defaultPurpose } : { requestId };
    },
  });
  const listening: Listening = await listen(handler, { port: 0, host: '127.0.0.1' });
  return {
    url: `${listening.url}/graphql`,
    close: async () => {
      await apollo.stop();
      await listening.close();
    },
  };
}

interface Body {
  data?: Record<string, unknown> | null;
  errors?: { message: string; path?: unknown[]; extensions?: Record<string, unknown> }[];
}

async function post(url: string, query: string, headers: Record<string, string> = {}, extra: Record<string, unknown> = {}) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-test-identity': 'counsellor', ...headers },
    body: JSON.stringify({ query, ...extra }),
  });
  const text = await response.text();
  return { status: response.status, text, body: JSON.parse(text) as Body };
}

describe('accessLogPlugin', () => {
  let store: AccessLogStore;
  let cleanup: () => Promise<void>;
  let server: Served;

  beforeAll(async () => {
    ({ store, cleanup } = await openTestLog());
    server = await serve(store);
  });

  afterAll(async () => {
    await server?.close();
    await cleanup?.();
  });

  beforeEach(async () => {
    await store.db.query('DELETE FROM access_log');
  });

  async function all(): Promise<AccessLogRecord[]> {
    const { rows } = await store.db.query<{ youth_id: string | null }>('SELECT DISTINCT youth_id FROM access_log');
    const records: AccessLogRecord[] = [];
    for (const { youth_id } of rows) {
      if (youth_id) records.push(...(await store.forYouth({ youthId: youth_id, first: 500 })).entries);
    }
    return records.sort((a, b) => (a.youthId ?? '').localeCompare(b.youthId ?? ''));
  }

  it('records one entry per young person in the answer, before the answer, without the client selecting an id', async () => {
    const query = 'query Names { youths { firstName school { grade } } }';
    const { status, body, text } = await post(server.url, query, { 'x-request-id': 'req-names', 'x-purpose': '  planning meeting  ' });
    expect(status).toBe(200);
    expect(body).toEqual({
      data: {
        youths: [
          { firstName: 'Asta', school: { grade: 8 } },
          { firstName: 'Bo', school: { grade: 9 } },
          { firstName: 'Carla', school: { grade: 10 } },
        ],
      },
    });
    expect(text).not.toContain('__audit');

    const records = await all();
    expect(records.map((r) => r.youthId)).toEqual(['Y-1', 'Y-2', 'Y-3']);
    expect(records[0]).toMatchObject({
      requestId: 'req-names',
      subject: 'mette.kjaer',
      organisation: 'aalborg/uu',
      role: 'uu-counsellor',
      categories: ['identity', 'school'],
      fields: ['SchoolRecord.grade', 'Youth.firstName', 'Youth.school'],
      operationName: 'Names',
      operationHash: createHash('sha256').update(query).digest('hex'),
      purpose: 'planning meeting',
      outcome: 'ALLOWED',
      reason: null,
    });
  });

  it("records the role's default purpose when none is stated, and cuts a stated one at 200 characters", async () => {
    await post(server.url, '{ youth(id: "Y-1") { firstName } }');
    expect((await all())[0]?.purpose).toBe(IDENTITIES['counsellor']?.defaultPurpose);
    await store.db.query('DELETE FROM access_log');
    await post(server.url, '{ youth(id: "Y-1") { firstName } }', { 'x-purpose': 'x'.repeat(300) });
    expect((await all())[0]?.purpose).toBe('x'.repeat(200));
  });

  it('records FILTERED (and what was withheld) when a field was refused', async () => {
    const { body } = await post(server.url, '{ youth(id: "Y-2") { firstName cprNumber } }');
    expect(body.data).toEqual({ youth: { firstName: 'Bo', cprNumber: null } });
    expect(body.errors?.[0]).toMatchObject({ path: ['youth', 'cprNumber'], extensions: { code: 'UNAUTHORIZED_FIELD_OR_TYPE' } });
    const [record] = await all();
    expect(record).toMatchObject({
      youthId: 'Y-2',
      outcome: 'FILTERED',
      fields: ['Youth.firstName'],
      categories: ['identity'],
      reason: 'withheld: Youth.cprNumber',
    });
  });

  it('records ALLOWED with the CPR category when the token may see it', async () => {
    const { body } = await post(server.url, '{ youth(id: "Y-2") { cprNumber } }', { 'x-test-identity': 'caseworker' });
    expect(body).toEqual({ data: { youth: { cprNumber: '010101-1234' } } });
    expect(await all()).toMatchObject([
      { youthId: 'Y-2', subject: 'sara.holm', outcome: 'ALLOWED', categories: ['CPR'], fields: ['Youth.cprNumber'] },
    ]);
  });

  it('finds young people behind nested paths, once each', async () => {
    const { body, text } = await post(
      server.url,
      '{ youth(id: "Y-2") { lastName } contactPersons { assignments { youth { firstName } } } }',
    );
    expect(body.data).toEqual({
      youth: { lastName: 'Krogh' },
      contactPersons: [{ assignments: [{ youth: { firstName: 'Bo' } }, { youth: { firstName: 'Carla' } }] }],
    });
    expect(text).not.toContain('__audit');
    const records = await all();
    expect(records.map((r) => [r.youthId, r.fields])).toEqual([
      ['Y-2', ['Youth.firstName', 'Youth.lastName']],
      ['Y-3', ['Youth.firstName']],
    ]);
  });

  it('records mutations that answer with a young person', async () => {
    await post(server.url, 'mutation Touch { touch(youthId: "Y-3") { firstName } }');
    expect(await all()).toMatchObject([{ youthId: 'Y-3', operationName: 'Touch' }]);
  });

  it('writes nothing when the answer holds no young person', async () => {
    for (const query of [
      '{ schools { name } }',
      '{ youth(id: "nobody") { firstName } }',
      '{ contactPersons { name } }',
      '{ __schema { queryType { name } } }',
    ]) {
      const { status } = await post(server.url, query);
      expect(status, query).toBe(200);
    }
    expect(await store.db.query('SELECT * FROM access_log').then((r) => r.rows)).toEqual([]);
  });

  it('refuses a client that uses the reserved alias (it could misattribute the log)', async () => {
    const { status, body } = await post(server.url, '{ youths { __audit_youth_id: firstName } }');
    expect(status).toBe(400);
    expect(body.errors?.[0]?.extensions?.['code']).toBe('BAD_USER_INPUT');
    expect(body.data).toBeUndefined();
    expect(await all()).toEqual([]);
  });

  it('keeps working on the second run of the same query text (cached documents)', async () => {
    const query = '{ youth(id: "Y-1") { firstName } }';
    await post(server.url, query);
    const { body } = await post(server.url, query);
    expect(body).toEqual({ data: { youth: { firstName: 'Asta' } } });
    expect((await all()).length).toBe(2);
  });

  it('records a denial without a young person (recordDenied, for the auth layer)', async () => {
    await recordDenied({ store, reason: 'token expired', requestId: 'req-401', purpose: null, operationName: 'Names' });
    const { rows } = await store.db.query<Record<string, unknown>>(
      'SELECT subject, youth_id, outcome, reason, purpose, operation_name FROM access_log',
    );
    expect(rows).toEqual([
      { subject: null, youth_id: null, outcome: 'DENIED', reason: 'token expired', purpose: 'unspecified', operation_name: 'Names' },
    ]);
  });
});

describe('accessLogPlugin when the log cannot store', () => {
  const failing: AccessLogWriter = { record: () => Promise.reject(new Error('connection refused')) };
  const hanging: AccessLogWriter = { record: () => new Promise<void>(() => undefined) };

  for (const [name, store, timeout] of [
    ['rejects', failing, undefined],
    ['does not answer in time', hanging, 100],
  ] as const) {
    it(`releases no personal data when the store ${name}`, async () => {
      const served = await serve(store, timeout);
      try {
        const started = Date.now();
        const { status, body, text } = await post(served.url, '{ youths { firstName lastName cprNumber school { grade } } }');
        expect(status).toBe(503);
        expect(body).toEqual({
          errors: [
            {
              message: 'The access could not be recorded, so no personal data is released',
              extensions: { code: 'ACCESS_LOG_UNAVAILABLE' },
            },
          ],
        });
        expect('data' in body).toBe(false);
        for (const youth of YOUTHS) {
          for (const value of [youth.id, youth.firstName, youth.lastName, youth.cprNumber]) expect(text).not.toContain(value);
        }
        if (timeout) expect(Date.now() - started).toBeLessThan(5000);
        // An answer without young people does not need the log.
        const other = await post(served.url, '{ schools { name } }');
        expect(other).toMatchObject({ status: 200, body: { data: { schools: [{ name: 'Vestbjerg Skole' }] } } });
      } finally {
        await served.close();
      }
    });
  }
});
