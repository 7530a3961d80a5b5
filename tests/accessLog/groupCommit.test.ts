import { describe, expect, it } from 'vitest';
import { GroupCommit } from '../../gateway/accessLog/store.js';

/** A writer whose writes finish when the test says so, recording what each write carried. */
function controlledWriter(refuse: (rows: readonly string[]) => boolean = () => false) {
  const writes: string[][] = [];
  const finish: (() => void)[] = [];
  const write = (rows: readonly string[]) =>
    new Promise<void>((resolve, reject) => {
      writes.push([...rows]);
      finish.push(() => (refuse(rows) ? reject(new Error('refused')) : resolve()));
    });
  return { writes, write, finishNext: () => finish.shift()?.(), pending: () => finish.length };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('access log group commit', () => {
  it('writes at once when idle, and groups what arrives while a write is in flight', async () => {
    const writer = controlledWriter();
    const commits = new GroupCommit(writer.write, 1, 100);
    const first = commits.submit(['a']);
    const second = commits.submit(['b', 'c']);
    const third = commits.submit(['d']);
    await settle();
    expect(writer.writes).toEqual([['a']]);
    writer.finishNext();
    await first;
    await settle();
    expect(writer.writes).toEqual([['a'], ['b', 'c', 'd']]);
    writer.finishNext();
    await expect(Promise.all([second, third])).resolves.toBeDefined();
  });

  it('keeps a write under the row bound without splitting one caller', async () => {
    const writer = controlledWriter();
    const commits = new GroupCommit(writer.write, 1, 3);
    const all = [commits.submit(['x']), commits.submit(['a', 'b']), commits.submit(['c', 'd']), commits.submit(['e'])];
    for (let i = 0; i < 4 && writer.pending() > 0; i++) {
      await settle();
      writer.finishNext();
      await settle();
    }
    await Promise.all(all);
    expect(writer.writes).toEqual([['x'], ['a', 'b'], ['c', 'd', 'e']]);
  });

  it('fails only the caller whose rows the database refused', async () => {
    const writer = controlledWriter((rows) => rows.includes('bad'));
    const commits = new GroupCommit(writer.write, 1, 100);
    const first = commits.submit(['a']);
    const good = commits.submit(['b']);
    const bad = commits.submit(['bad']);
    await settle();
    writer.finishNext();
    await first;
    await settle();
    writer.finishNext(); // the grouped write fails...
    await settle();
    writer.finishNext(); // ...then each caller is written alone
    writer.finishNext();
    await expect(good).resolves.toBeUndefined();
    await expect(bad).rejects.toThrow('refused');
    expect(writer.writes).toEqual([['a'], ['b', 'bad'], ['b'], ['bad']]);
  });
});
