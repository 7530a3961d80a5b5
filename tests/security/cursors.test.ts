/**
 * Issue 11, finding 2: young people's ids left without an access-log entry. A `youths` cursor was
 * base64 of `y1:<id>`, so `youths(filter: { indicator: SOCIAL_CASE }) { edges { cursor } }` gave away the
 * ids of the young people with a social case while no id was read, so none logged. Cursors are now
 * sealed (subgraphs/coordination/cursor.ts): AES-256-GCM under the coordination's key, a fresh IV each
 * time, bound to the list's filter. These tests try to read, forge, replay and transplant them. They page
 * the not-education-ready list: since issue 13 the social-case indicator needs absence and not-ready
 * together (rules/targetGroup.ts), too rare to fill pages, and a UU counsellor's statutory relation
 * (every under-25) makes the list non-empty for the caller (need to know).
 */
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCursorSealer, type ListIdentity } from '../../subgraphs/coordination/cursor.js';
import { readCursorKey } from '../../subgraphs/coordination/config.js';
import { devCursorKey, DEV_CURSOR_KEY_FILE } from '../../subgraphs/coordination/devCursorKey.js';
import { startTestStack, type TestStack } from '../e2e/testStack.js';

type Page = {
  youths: {
    totalCount: number;
    edges: { cursor: string; node: { id: string } }[];
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
  };
};

/** Every reading of a cursor an attacker would try: as is, base64url, base64, hex, each as UTF-8 and Latin-1. */
function readings(cursor: string): string[] {
  const out = [cursor, cursor.toLowerCase()];
  for (const encoding of ['base64url', 'base64', 'hex'] as const) {
    const bytes = Buffer.from(cursor, encoding);
    out.push(bytes.toString('utf8'), bytes.toString('latin1'));
  }
  return out;
}

describe('youths cursors against the running graph', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack();
  }, 180_000);
  afterAll(async () => {
    await stack?.shutdown();
  });

  const NOT_READY =
    'query ($after: String, $first: Int = 25) { youths(filter: { indicator: NOT_EDUCATION_READY }, first: $first, after: $after) { totalCount edges { cursor node { id } } pageInfo { hasNextPage endCursor } } }';
  // The list holds a dozen or so: the paging tests ask pages of PAGE so that there is a next page.
  const PAGE = 5;

  it('reveal no id of a young person: a list of cursors alone tells nobody who is on it', async () => {
    const page = await stack.gql<Page>(NOT_READY, {}, { role: 'uu-counsellor' });
    expect(page.errors).toBeUndefined();
    const edges = page.data!.youths.edges;
    expect(edges.length).toBeGreaterThan(0);
    const ids = edges.map((edge) => edge.node.id);
    for (const { cursor } of edges) {
      for (const reading of readings(cursor)) for (const id of ids) expect(reading, 'a cursor carries an id').not.toContain(id);
      expect(cursor.length, 'short enough for a URL').toBeLessThanOrEqual(120);
    }
  });

  it('never repeat: the same position gives another cursor every time, and both continue the list alike', async () => {
    const first = (await stack.gql<Page>(NOT_READY, { first: PAGE }, { role: 'uu-counsellor' })).data!.youths;
    const again = (await stack.gql<Page>(NOT_READY, { first: PAGE }, { role: 'uu-counsellor' })).data!.youths;
    expect(first.edges.length).toBeGreaterThan(0);
    expect(again.edges.map((e) => e.node.id)).toEqual(first.edges.map((e) => e.node.id));
    first.edges.forEach((edge, i) => expect(again.edges[i]!.cursor).not.toBe(edge.cursor));
    const next = (await stack.gql<Page>(NOT_READY, { after: first.pageInfo.endCursor, first: PAGE }, { role: 'uu-counsellor' })).data!
      .youths;
    const nextAgain = (await stack.gql<Page>(NOT_READY, { after: again.pageInfo.endCursor, first: PAGE }, { role: 'uu-counsellor' })).data!
      .youths;
    expect(next.edges.length).toBeGreaterThan(0);
    expect(nextAgain.edges.map((e) => e.node.id)).toEqual(next.edges.map((e) => e.node.id));
  });

  it('page through the whole list: disjoint pages that add up to totalCount', async () => {
    const seen: string[] = [];
    let after: string | null = null;
    let total = 0;
    for (let i = 0; i < 100; i++) {
      const result: Page['youths'] = (await stack.gql<Page>(NOT_READY, { after, first: PAGE }, { role: 'uu-counsellor' })).data!.youths;
      total = result.totalCount;
      seen.push(...result.edges.map((e) => e.node.id));
      if (!result.pageInfo.hasNextPage) break;
      after = result.pageInfo.endCursor;
    }
    expect(total, 'more than one page').toBeGreaterThan(PAGE);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.length).toBe(total);
  });

  it('refuse forged, altered and foreign cursors with BAD_USER_INPUT on `after`, and run nothing', async () => {
    const page = (await stack.gql<Page>(NOT_READY, {}, { role: 'uu-counsellor' })).data!.youths;
    const id = page.edges[0]!.node.id;
    const cursor = page.pageInfo.endCursor!;
    const flipped = cursor.slice(0, 20) + (cursor[20] === 'A' ? 'B' : 'A') + cursor.slice(21);
    const refused: [string, string, RegExp][] = [
      ['the old readable form, forged for any id', Buffer.from(`y1:${id}`).toString('base64url'), /not a cursor from this list/],
      ['altered in one character', flipped, /not a cursor from this list/],
      ['cut short', cursor.slice(0, 30), /not a cursor from this list/],
      ['not base64url at all', 'not a cursor!', /not a cursor from this list/],
    ];
    for (const [what, after, message] of refused) {
      const result = await stack.gql<Page>(NOT_READY, { after }, { role: 'uu-counsellor' });
      expect(result.data ?? null, what).toBeNull();
      expect(result.errors?.[0]?.extensions?.code, what).toBe('BAD_USER_INPUT');
      expect(result.errors?.[0]?.message, what).toMatch(message);
    }
    // A cursor of the not-ready list does not continue the target-group list (a cursor from another list).
    const other = await stack.gql<Page>(
      'query ($after: String) { youths(filter: { inTargetGroup: true }, after: $after) { totalCount } }',
      { after: cursor },
      { role: 'uu-counsellor' },
    );
    expect(other.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(other.errors?.[0]?.message).toMatch(/belongs to a list with another filter/);
  });
});

describe('the sealer', () => {
  const key = Buffer.alloc(32, 1);
  const list: ListIdentity = { filter: { indicator: 'SOCIAL_CASE' }, order: 'register', institution: null };

  it('opens what a replica with the same key sealed, and nothing sealed under another key', () => {
    const replicaA = createCursorSealer(key);
    const replicaB = createCursorSealer(Buffer.from(key));
    const cursor = replicaA.seal('u-123', list);
    expect(replicaB.open(cursor, list)).toBe('u-123');
    expect(() => createCursorSealer(Buffer.alloc(32, 2)).open(cursor, list)).toThrow(/not a cursor from this list/);
  });

  it('binds the cursor to the filter (null conditions aside, key order aside) and to the institution', () => {
    const sealer = createCursorSealer(key);
    const cursor = sealer.seal('u-1', { ...list, filter: { indicator: 'SOCIAL_CASE', ageMin: null } });
    expect(sealer.open(cursor, list)).toBe('u-1');
    expect(() => sealer.open(cursor, { ...list, filter: { indicator: 'SOCIAL_CASE', ageMin: 16 } })).toThrow(/another filter/);
    expect(() => sealer.open(cursor, { ...list, institution: 'inst-1' })).toThrow(/another filter/);
  });
});

describe('the cursor key', () => {
  it('is required in production, parsed once, and refused with a clear message that does not echo it', () => {
    expect(() => readCursorKey({ NODE_ENV: 'production' })).toThrow(/NODE_ENV=production needs COORDINATION_CURSOR_KEY/);
    expect(readCursorKey({})).toBeUndefined();
    const b64 = Buffer.alloc(32, 9).toString('base64');
    expect(readCursorKey({ NODE_ENV: 'production', COORDINATION_CURSOR_KEY: b64 })).toEqual(Buffer.alloc(32, 9));
    expect(readCursorKey({ COORDINATION_CURSOR_KEY: Buffer.alloc(32, 9).toString('hex') })).toEqual(Buffer.alloc(32, 9));
    for (const bad of ['short-secret-value', Buffer.alloc(16, 3).toString('base64'), 'ä'.repeat(44)]) {
      let message = '';
      try {
        readCursorKey({ COORDINATION_CURSOR_KEY: bad });
      } catch (error) {
        message = (error as Error).message;
      }
      expect(message).toMatch(/COORDINATION_CURSOR_KEY must be 32 random bytes/);
      expect(message).not.toContain(bad);
    }
  });

  it('in development is generated locally once (mode 0600) and kept across restarts', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ungegraf-cursor-key-'));
    try {
      const first = devCursorKey(dir);
      expect(first).toHaveLength(32);
      expect(devCursorKey(dir)).toEqual(first);
      expect(statSync(join(dir, DEV_CURSOR_KEY_FILE)).mode & 0o777).toBe(0o600);
      expect(readFileSync(join(dir, DEV_CURSOR_KEY_FILE), 'utf8').trim()).toBe(first.toString('base64'));
      const other = mkdtempSync(join(tmpdir(), 'ungegraf-cursor-key-'));
      expect(devCursorKey(other)).not.toEqual(first);
      rmSync(other, { recursive: true, force: true });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
