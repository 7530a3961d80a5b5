import { describe, expect, it } from 'vitest';
import { keptPerClientRequest, sharedBatchLoader } from '../../subgraphs/kit/loaders.js';

/** A source that records every batch it is asked and answers from a mutable table. */
function recordingSource(table: Map<string, string>) {
  const batches: string[][] = [];
  const fetchBatch = async (keys: readonly string[]) => {
    batches.push([...keys]);
    return keys.map((key) => table.get(key) ?? null);
  };
  return { batches, fetchBatch };
}

const checkKey = (key: string) => {
  if (key.trim() === '') throw new Error('each of ids must not be empty');
};

describe('sharedBatchLoader', () => {
  it('answers the loads of concurrent requests with one call to the source, each its own values', async () => {
    const table = new Map([
      ['a', 'A'],
      ['b', 'B'],
      ['c', 'C'],
    ]);
    const source = recordingSource(table);
    const shared = sharedBatchLoader(source.fetchBatch, { maxBatchSize: 100, checkKey });
    const first = shared.forRequest();
    const second = shared.forRequest();
    const [one, two] = await Promise.all([first.loadMany(['a', 'b', 'a']), second.loadMany(['c', 'x'])]);
    expect(one).toEqual(['A', 'B', 'A']);
    expect(two).toEqual(['C', null]);
    expect(source.batches).toHaveLength(1);
    expect(source.batches[0]!.sort()).toEqual(['a', 'b', 'c', 'x']);
  });

  it('never caches across requests: a later request sees a value written in between', async () => {
    const table = new Map([['a', 'old']]);
    const source = recordingSource(table);
    const shared = sharedBatchLoader(source.fetchBatch, { maxBatchSize: 100, checkKey });
    expect(await shared.forRequest().load('a')).toBe('old');
    table.set('a', 'new');
    expect(await shared.forRequest().load('a')).toBe('new');
    expect(source.batches).toEqual([['a'], ['a']]);
  });

  it("fails a refused key alone, without failing another request's loads in the same turn", async () => {
    const source = recordingSource(new Map([['a', 'A']]));
    const shared = sharedBatchLoader(source.fetchBatch, { maxBatchSize: 100, checkKey });
    const [bad, good] = await Promise.allSettled([shared.forRequest().load(' '), shared.forRequest().load('a')]);
    expect(bad).toMatchObject({ status: 'rejected', reason: { message: 'each of ids must not be empty' } });
    expect(good).toEqual({ status: 'fulfilled', value: 'A' });
    expect(source.batches).toEqual([['a']]);
  });

  it('splits a turn larger than maxBatchSize, and a failed batch fails only its own keys', async () => {
    const batches: string[][] = [];
    const shared = sharedBatchLoader(
      async (keys: readonly string[]) => {
        batches.push([...keys]);
        if (keys.includes('k0')) throw new Error('database unavailable');
        return keys.map((key) => key.toUpperCase());
      },
      { maxBatchSize: 2, checkKey },
    );
    const results = await Promise.allSettled(['k0', 'k1', 'k2', 'k3'].map((key) => shared.forRequest().load(key)));
    expect(batches).toEqual([
      ['k0', 'k1'],
      ['k2', 'k3'],
    ]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected', 'fulfilled', 'fulfilled']);
    expect(results[2]).toEqual({ status: 'fulfilled', value: 'K2' });
  });
});

describe('keptPerClientRequest: a row read once per client request across its calls, in a bounded cache', () => {
  /** Rows as objects (the register's entries are), from a mutable table. */
  const rows = (table: Map<string, string>, batches: string[][], failing = () => false) =>
    sharedBatchLoader(
      async (keys: readonly string[]) => {
        batches.push([...keys]);
        if (failing()) throw new Error('database unavailable');
        return keys.map((key) => (table.has(key) ? { value: table.get(key)! } : null));
      },
      { maxBatchSize: 100, checkKey },
    );

  it("answers a client request's later calls from its first read; another request reads again", async () => {
    const table = new Map([['a', 'old']]);
    const batches: string[][] = [];
    const kept = keptPerClientRequest(rows(table, batches), { maxRows: 100, ttlMs: 10_000 });
    expect(await kept('request-1').load('a')).toEqual({ value: 'old' });
    table.set('a', 'new');
    // A later call of the same client request (a new loader, as each subgraph call makes): no second read.
    expect(await kept('request-1').load('a')).toEqual({ value: 'old' });
    expect(batches).toEqual([['a']]);
    expect(await kept('request-2').load('a')).toEqual({ value: 'new' });
    expect(batches).toEqual([['a'], ['a']]);
  });

  it('keeps at most maxRows rows across all client requests: the oldest goes first', async () => {
    const table = new Map([
      ['a', 'A'],
      ['b', 'B'],
      ['c', 'C'],
    ]);
    const batches: string[][] = [];
    const kept = keptPerClientRequest(rows(table, batches), { maxRows: 2, ttlMs: 10_000 });
    expect(await kept('list').loadMany(['a', 'b'])).toEqual([{ value: 'A' }, { value: 'B' }]);
    expect(await kept('dossier').load('c')).toEqual({ value: 'C' });
    // 'a' was pushed out by 'c'; 'b' is still kept.
    expect(await kept('list').loadMany(['a', 'b'])).toEqual([{ value: 'A' }, { value: 'B' }]);
    expect(batches).toEqual([['a', 'b'], ['c'], ['a']]);
  });

  it('keeps neither a failure nor a missing row, and forgets a row after its time', async () => {
    let failing = true;
    const table = new Map([['a', 'old']]);
    const batches: string[][] = [];
    const kept = keptPerClientRequest(
      rows(table, batches, () => failing),
      { maxRows: 100, ttlMs: 100 },
    );
    await expect(kept('request-1').load('a')).rejects.toThrow('database unavailable');
    failing = false;
    expect(await kept('request-1').load('x')).toBeNull();
    expect(await kept('request-1').loadMany(['a', 'x'])).toEqual([{ value: 'old' }, null]);
    table.set('a', 'new');
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(await kept('request-1').load('a')).toEqual({ value: 'new' });
    expect(batches).toEqual([['a'], ['x'], ['a', 'x'], ['a']]);
  });
});
