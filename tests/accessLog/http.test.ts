/**
 * `GET /audit/access-log`: 401 without a valid token, 403 without `audit:read` (and the refusal logged),
 * 400 naming a bad parameter, 200 with a page, and every read logged before the answer leaves.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, expectTypeOf, it } from 'vitest';
import { DenialQueue } from '../../gateway/accessLog/denials.js';
import { ACCESS_LOG_PATH, createAccessLogRoute, type AccessLogReader } from '../../gateway/accessLog/http.js';
import type { AccessIdentity } from '../../gateway/accessLog/plugin.js';
import type { AccessLogPage, AccessLogStore } from '../../gateway/accessLog/store.js';
import type { Identity } from '../../platform/authentication/verifier.js';
import { listen, type Listening } from '../../platform/graphqlHttp.js';
import { backends, entry, logger, openTestLog } from './backends.js';

const TOKENS: Record<string, AccessIdentity> = {
  'auditor-token': { subject: 'revisor.jensen', organisation: 'aalborg/revision', role: 'auditor', scopes: ['audit:read'] },
  'counsellor-token': { subject: 'mette.kjaer', organisation: 'aalborg/uu', role: 'uu-counsellor', scopes: ['youth:identity'] },
};

async function verify(header: string | undefined): Promise<AccessIdentity> {
  const token = header?.startsWith('Bearer ') ? header.slice(7) : undefined;
  const identity = token ? TOKENS[token] : undefined;
  if (!identity) throw new Error(header ? 'token not valid' : 'no token');
  return identity;
}

it("takes the auth module's verified identity as it is", () => {
  expectTypeOf<Identity>().toExtend<AccessIdentity>();
});

describe.each(backends)('access-log route on $name', (backend) => {
  let store: AccessLogStore;
  let cleanup: () => Promise<void>;
  let server: Listening;
  let reader: AccessLogReader;
  let denials: DenialQueue;

  beforeAll(async () => {
    ({ store, cleanup } = await openTestLog(backend));
    // The route sees the store through this indirection, so single tests can break the writer.
    reader = store;
    const indirect: AccessLogReader = {
      record: (entries, options) => reader.record(entries, options),
      forYouth: (query, options) => reader.forYouth(query, options),
    };
    // Refusals are batched and not waited for: the tests flush the batch before reading the log.
    denials = new DenialQueue({ store: indirect, logger, deadlineMs: 500, maxEntries: 100 });
    const route = createAccessLogRoute({ store: indirect, verify, logger, writeTimeoutMs: 500, denials });
    server = await listen(
      (req, res) => {
        void route(req, res);
      },
      { port: 0, host: '127.0.0.1' },
    );
  });

  afterAll(async () => {
    await server?.close();
    await cleanup?.();
  });

  beforeEach(async () => {
    reader = store;
    await store.db.query('DELETE FROM access_log');
  });

  async function get(search: string, token?: string, headers: Record<string, string> = {}) {
    const response = await fetch(`${server.url}${ACCESS_LOG_PATH}${search}`, {
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
    });
    return { status: response.status, headers: response.headers, body: (await response.json()) as Record<string, unknown> };
  }

  async function rows(where = 'true') {
    await denials.flush();
    const { rows } = await store.db.query<Record<string, unknown>>(
      `SELECT subject, role, youth_id, outcome, reason, categories, purpose, request_id FROM access_log WHERE ${where} ORDER BY id`,
    );
    return rows;
  }

  it('answers 401 without a valid token, and logs the refusal', async () => {
    for (const token of [undefined, 'forged']) {
      const { status, body, headers } = await get('?youthId=Y-1', token);
      expect(status).toBe(401);
      expect(body).toEqual({ error: expect.any(String) as unknown, code: 'UNAUTHENTICATED' });
      expect(headers.get('www-authenticate')).toBe('Bearer');
    }
    expect(await rows()).toMatchObject([
      { subject: null, youth_id: 'Y-1', outcome: 'DENIED', reason: 'unauthenticated: no token' },
      { subject: null, youth_id: 'Y-1', outcome: 'DENIED', reason: 'unauthenticated: token not valid' },
    ]);
  });

  it('answers 403 without audit:read, and logs the refusal with who asked', async () => {
    const { status, body } = await get('?youthId=Y-1', 'counsellor-token', { 'x-request-id': 'req-403' });
    expect(status).toBe(403);
    expect(body.error).toMatch(/audit:read/);
    expect(await rows()).toEqual([
      {
        subject: 'mette.kjaer',
        role: 'uu-counsellor',
        youth_id: 'Y-1',
        outcome: 'DENIED',
        reason: 'missing scope audit:read',
        categories: [],
        purpose: 'audit',
        request_id: 'req-403',
      },
    ]);
  });

  it('answers 400 naming the bad parameter, and logs no read', async () => {
    for (const [search, parameter] of [
      ['', 'youthId'],
      ['?youthId=', 'youthId'],
      ['?youthId=Y%201', 'youthId'],
      ['?youthId=Y-1&first=0', 'first'],
      ['?youthId=Y-1&first=501', 'first'],
      ['?youthId=Y-1&first=ten', 'first'],
      ['?youthId=Y-1&from=yesterday', 'from'],
      ['?youthId=Y-1&to=2025-13-45T00:00:00Z', 'to'],
      ['?youthId=Y-1&to=2025-01-01T10:00:00', 'to'],
      ['?youthId=Y-1&from=2025-02-01&to=2025-01-01', 'from'],
      ['?youthId=Y-1&after=nonsense', 'after'],
      ['?youthId=Y-1&youthId=Y-2', 'youthId'],
      ['?youthId=Y-1&cpr=0101011234', 'cpr'],
    ] as const) {
      const { status, body } = await get(search, 'auditor-token');
      expect(status, search).toBe(400);
      expect(String(body.error), search).toMatch(new RegExp(`^${parameter}:`));
    }
    expect(await rows()).toEqual([]);
  });

  it('answers a page, newest first, and logs the read before answering', async () => {
    await store.record([
      entry({ youthId: 'Y-1', requestId: 'a' }),
      entry({ youthId: 'Y-1', requestId: 'b' }),
      entry({ youthId: 'Y-1', requestId: 'c' }),
      entry({ youthId: 'Y-2', requestId: 'other' }),
    ]);
    const first = await get('?youthId=Y-1&first=2', 'auditor-token', { 'x-request-id': 'req-audit', 'x-purpose': 'complaint 2025-17' });
    expect(first.status).toBe(200);
    expect(first.headers.get('cache-control')).toBe('no-store');
    const page = first.body as unknown as AccessLogPage;
    expect(page.entries.map((e) => e.requestId)).toEqual(['c', 'b']);
    expect(page.pageInfo.hasNextPage).toBe(true);

    // The read is in the log by the time the answer arrived.
    expect(await rows(`request_id = 'req-audit'`)).toEqual([
      {
        subject: 'revisor.jensen',
        role: 'auditor',
        youth_id: 'Y-1',
        outcome: 'ALLOWED',
        reason: null,
        categories: ['audit'],
        purpose: 'complaint 2025-17',
        request_id: 'req-audit',
      },
    ]);

    const second = await get(`?youthId=Y-1&first=2&after=${page.pageInfo.endCursor}`, 'auditor-token');
    const rest = second.body as unknown as AccessLogPage;
    // Page two: the oldest entry, then nothing older (the audit reads are newer than the cursor).
    expect(rest.entries.map((e) => e.requestId)).toEqual(['a']);
    expect(rest.pageInfo).toEqual({ hasNextPage: false, endCursor: expect.any(String) as unknown });

    const reads = await get('?youthId=Y-1&first=500&from=2000-01-01&to=2999-01-01T00:00:00Z', 'auditor-token');
    const all = (reads.body as unknown as AccessLogPage).entries;
    expect(all.filter((e) => e.categories.includes('audit')).map((e) => e.purpose)).toEqual(['audit', 'complaint 2025-17']);
  });

  it('releases nothing when the read cannot be logged', async () => {
    await store.record([entry({ youthId: 'Y-1', subject: 'someone-secret' })]);
    reader = { forYouth: (query) => store.forYouth(query), record: () => Promise.reject(new Error('disk full')) };
    const { status, body } = await get('?youthId=Y-1', 'auditor-token');
    expect(status).toBe(503);
    expect(JSON.stringify(body)).not.toContain('someone-secret');
  });

  it('answers only GET', async () => {
    const response = await fetch(`${server.url}${ACCESS_LOG_PATH}?youthId=Y-1`, {
      method: 'POST',
      headers: { authorization: 'Bearer auditor-token' },
    });
    expect(response.status).toBe(405);
  });
});
