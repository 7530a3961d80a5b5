import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkSchemaName, openDatabase, type Database } from '../../platform/db/database.js';
import { migrate } from '../../platform/db/migrate.js';
import { MIGRATIONS_DIR } from '../../subgraphs/coordination/store/index.js';
import { CoordinationStore } from '../../subgraphs/coordination/store/coordinationStore.js';
import { backends, dropSchema, logger, METTE, openFresh } from './backends.js';

describe.each(backends)('Database on $name', (backend) => {
  let db: Database;

  beforeAll(async () => {
    db = await openFresh(backend);
    await db.query(`CREATE SCHEMA IF NOT EXISTS "${db.schema}"`);
    await db.query('CREATE TABLE counter (id int PRIMARY KEY, value int NOT NULL)');
    await db.query('INSERT INTO counter VALUES (1, 0)');
  });

  afterAll(async () => {
    await db.close();
    if (backend.url) await dropSchema(backend.url, db.schema);
  });

  it('works in its own schema: unqualified names land there', async () => {
    const { rows } = await db.query<{ schema: string }>(
      `SELECT table_schema AS schema FROM information_schema.tables WHERE table_name = 'counter' AND table_schema = $1`,
      [db.schema],
    );
    expect(rows).toEqual([{ schema: db.schema }]);
  });

  it('commits a transaction that resolves and rolls back one that throws', async () => {
    await db.transaction(async (tx) => {
      await tx.query('UPDATE counter SET value = 10 WHERE id = 1');
    });
    await expect(
      db.transaction(async (tx) => {
        await tx.query('UPDATE counter SET value = 99 WHERE id = 1');
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow('changed my mind');
    const { rows } = await db.query<{ value: number }>('SELECT value FROM counter WHERE id = 1');
    expect(rows[0]?.value).toBe(10);
  });

  it('refuses the database itself inside one of its transactions (it would deadlock PGlite)', async () => {
    await expect(db.transaction(async () => db.query('SELECT 1'))).rejects.toThrow(/transaction handle/);
  });

  it('keeps concurrent transactions from interleaving (read-modify-write with row locks)', async () => {
    await db.query('UPDATE counter SET value = 0 WHERE id = 1');
    await Promise.all(
      Array.from({ length: 20 }, () =>
        db.transaction(async (tx) => {
          const { rows } = await tx.query<{ value: number }>('SELECT value FROM counter WHERE id = 1 FOR UPDATE');
          await new Promise((resolve) => setTimeout(resolve, 2)); // let other callers try to cut in
          await tx.query('UPDATE counter SET value = $1 WHERE id = 1', [(rows[0]?.value ?? 0) + 1]);
        }),
      ),
    );
    const { rows } = await db.query<{ value: number }>('SELECT value FROM counter WHERE id = 1');
    expect(rows[0]?.value).toBe(20);
  });

  it.runIf(backend.name === 'pglite')('serializes transactions through one queue even without locks', async () => {
    await db.query('UPDATE counter SET value = 0 WHERE id = 1');
    await Promise.all(
      Array.from({ length: 20 }, () =>
        db.transaction(async (tx) => {
          const { rows } = await tx.query<{ value: number }>('SELECT value FROM counter WHERE id = 1');
          await new Promise((resolve) => setTimeout(resolve, 1));
          await tx.query('UPDATE counter SET value = $1 WHERE id = 1', [(rows[0]?.value ?? 0) + 1]);
        }),
      ),
    );
    const { rows } = await db.query<{ value: number }>('SELECT value FROM counter WHERE id = 1');
    expect(rows[0]?.value).toBe(20);
  });

  it.runIf(backend.name === 'postgres')('retries a serializable transaction that lost a conflict', async () => {
    await db.query('UPDATE counter SET value = 0 WHERE id = 1');
    let calls = 0;
    let readers = 0;
    let release: () => void = () => undefined;
    const bothRead = new Promise<void>((resolve) => (release = resolve));
    const increment = () =>
      db.transaction(
        async (tx) => {
          calls++;
          const { rows } = await tx.query<{ value: number }>('SELECT value FROM counter WHERE id = 1');
          if (++readers === 2) release();
          await bothRead; // both have read the same value before either writes: one must fail with 40001
          await tx.query('UPDATE counter SET value = $1 WHERE id = 1', [(rows[0]?.value ?? 0) + 1]);
        },
        { isolation: 'serializable' },
      );
    await Promise.all([increment(), increment()]);
    const { rows } = await db.query<{ value: number }>('SELECT value FROM counter WHERE id = 1');
    expect(rows[0]?.value).toBe(2);
    expect(calls).toBe(3);
  });

  it.runIf(backend.name === 'postgres')('gives up after maxAttempts serialization failures', async () => {
    let readers = 0;
    let release: () => void = () => undefined;
    const bothRead = new Promise<void>((resolve) => (release = resolve));
    const increment = () =>
      db.transaction(
        async (tx) => {
          const { rows } = await tx.query<{ value: number }>('SELECT value FROM counter WHERE id = 1');
          if (++readers === 2) release();
          await bothRead;
          await tx.query('UPDATE counter SET value = $1 WHERE id = 1', [(rows[0]?.value ?? 0) + 1]);
        },
        { isolation: 'serializable', maxAttempts: 1 },
      );
    const results = await Promise.allSettled([increment(), increment()]);
    const failed = results.filter((r) => r.status === 'rejected');
    expect(failed).toHaveLength(1);
    expect((failed[0] as PromiseRejectedResult).reason).toMatchObject({ code: '40001' });
  });
});

describe('schema names', () => {
  it('accepts plain lower-case names and refuses anything that could break out of quotes', () => {
    expect(checkSchemaName('coordination')).toBe('coordination');
    expect(checkSchemaName('coord_test_12_ab')).toBe('coord_test_12_ab');
    for (const bad of ['Coordination', '1abc', 'a-b', 'a"; DROP SCHEMA public; --', '', 'x'.repeat(64), 'pg_temp']) {
      expect(() => checkSchemaName(bad)).toThrow(/not allowed/);
    }
  });

  it('refuses a bad schema name before opening anything', async () => {
    await expect(openDatabase({ dataDir: 'memory://', logger, schema: 'bad name' })).rejects.toThrow(/not allowed/);
  });
});

describe('PGlite on disk', () => {
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ungegraf-pglite-'));
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('keeps what was written across close and reopen of the data directory', async () => {
    const dataDir = join(dir, 'nested', 'data'); // created if missing
    const first = await openDatabase({ dataDir, logger });
    expect(first.kind).toBe('pglite');
    expect((await migrate(first, { logger, dir: MIGRATIONS_DIR })).applied).toContain(1);
    const assignment = await new CoordinationStore(first).assignContactPerson({
      youthId: 'youth-persist',
      contactPersonId: METTE,
      assignedBy: 'test',
      fundedCapacity: 60,
      acceptOverCapacity: false,
    });
    await first.close();
    await expect(first.query('SELECT 1')).rejects.toThrow(/closed/);

    const second = await openDatabase({ dataDir, logger });
    try {
      expect((await migrate(second, { logger, dir: MIGRATIONS_DIR })).applied).toEqual([]);
      expect(await new CoordinationStore(second).activeAssignment('youth-persist')).toEqual(assignment);
    } finally {
      await second.close();
    }
  });
});
