import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadMigrations, migrate } from '../../platform/db/migrate.js';
import { MIGRATIONS_DIR } from '../../subgraphs/coordination/store/index.js';
import { CoordinationStore } from '../../subgraphs/coordination/store/coordinationStore.js';
import { backends, dropSchema, logger, METTE, openFresh, uniqueSchema } from './backends.js';

describe('migration files', () => {
  it('are numbered, in order, without gaps', async () => {
    const migrations = await loadMigrations(MIGRATIONS_DIR);
    expect(migrations.length).toBeGreaterThan(0);
    expect(migrations.map((m) => m.version)).toEqual(migrations.map((_, i) => i + 1));
  });
});

/** The coordination's own migrations: versions 1..LATEST. */
const LATEST = (await loadMigrations(MIGRATIONS_DIR)).length;
const ALL_VERSIONS = Array.from({ length: LATEST }, (_, i) => i + 1);
const fileName = (version: number, name: string) => `${String(version).padStart(3, '0')}_${name}.sql`;

describe.each(backends)('migrate on $name', (backend) => {
  const schemas: string[] = [];
  let tempDir: string;

  beforeAll(async () => {
    tempDir = await mkdtemp(join(tmpdir(), 'ungegraf-migrations-'));
  });

  afterAll(async () => {
    await rm(tempDir, { recursive: true, force: true });
    if (backend.url) for (const schema of schemas) await dropSchema(backend.url, schema);
  });

  async function fresh(schema = uniqueSchema()) {
    schemas.push(schema);
    return openFresh(backend, schema);
  }

  it('creates the schema, its tables and the seed contact persons; a second run changes nothing', async () => {
    const db = await fresh();
    try {
      expect(await migrate(db, { logger, dir: MIGRATIONS_DIR })).toEqual({ applied: ALL_VERSIONS, current: LATEST });
      expect(await migrate(db, { logger, dir: MIGRATIONS_DIR })).toEqual({ applied: [], current: LATEST });
      const { rows: tables } = await db.query<{ table_name: string }>(
        `SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY table_name`,
        [db.schema],
      );
      expect(tables.map((t) => t.table_name)).toEqual([
        'consents',
        'contact_person_assignments',
        'contact_person_changes',
        'contact_persons',
        'daily_job_runs',
        'education_plan_sharing',
        'idempotent_requests',
        'joint_decisions',
        'leader_leases',
        'measure_snapshots',
        'meetings',
        'plan_action_changes',
        'plan_actions',
        'schema_migrations',
        'screening_feed_positions',
        'screening_runs',
        'screening_staged_records',
        'screening_staged_rows',
        'youth_screening',
      ]);
      const people = await new CoordinationStore(db).listContactPersons();
      expect(people.map((p) => [p.name, p.caseloadLimit, p.activeCaseload])).toEqual([
        ['Jonas Brandt', 25, 0],
        ['Mette Kjær', 25, 0],
        ['Sara Holm', 25, 0],
      ]);
      const { rows: recorded } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM schema_migrations');
      expect(recorded[0]?.n).toBe(LATEST);
    } finally {
      await db.close();
    }
  });

  it('applies once when two migrators start at the same moment', async () => {
    const schema = uniqueSchema();
    // On the server: two pools, as two replicas would have. PGlite is one connection: its callers queue.
    const first = await fresh(schema);
    const second = backend.url ? await openFresh(backend, schema) : first;
    try {
      const results = await Promise.all([
        migrate(first, { logger, dir: MIGRATIONS_DIR }),
        migrate(second, { logger, dir: MIGRATIONS_DIR }),
      ]);
      expect(results.map((r) => r.applied).sort()).toEqual([[], ALL_VERSIONS]);
      const { rows } = await first.query<{ n: number }>('SELECT count(*)::int AS n FROM schema_migrations');
      expect(rows[0]?.n).toBe(LATEST);
      const { rows: people } = await first.query<{ n: number }>('SELECT count(*)::int AS n FROM contact_persons');
      expect(people[0]?.n).toBe(3);
    } finally {
      await first.close();
      if (second !== first) await second.close();
    }
  });

  it('applies only the new files, in order, and refuses an applied file that was changed', async () => {
    const dir = join(tempDir, `m-${backend.name}`);
    await cp(MIGRATIONS_DIR, dir, { recursive: true });
    const db = await fresh();
    try {
      expect((await migrate(db, { dir })).applied).toEqual(ALL_VERSIONS);
      const [second, third] = [fileName(LATEST + 1, 'second'), fileName(LATEST + 2, 'third')];
      await writeFile(join(dir, third), 'ALTER TABLE plan_actions ADD COLUMN third_col text;');
      await writeFile(join(dir, second), 'ALTER TABLE plan_actions ADD COLUMN second_col text;');
      expect(await migrate(db, { dir })).toEqual({ applied: [LATEST + 1, LATEST + 2], current: LATEST + 2 });
      const { rows } = await db.query<{ version: number; name: string }>('SELECT version, name FROM schema_migrations ORDER BY version');
      expect(rows.map((r) => r.name).slice(-3)).toEqual([(await loadMigrations(MIGRATIONS_DIR)).at(-1)?.name, second, third]);
      expect(rows[0]?.name).toBe('001_init.sql');

      await writeFile(join(dir, second), 'ALTER TABLE plan_actions ADD COLUMN other_col text;');
      await expect(migrate(db, { dir })).rejects.toThrow(new RegExp(`${second} was changed after it was applied`));
    } finally {
      await db.close();
    }
  });

  it('rolls a failing migration back completely', async () => {
    const dir = join(tempDir, `f-${backend.name}`);
    await cp(MIGRATIONS_DIR, dir, { recursive: true });
    await writeFile(join(dir, fileName(LATEST + 1, 'broken')), 'CREATE TABLE half_done (id int); SELECT no_such_function();');
    const db = await fresh();
    try {
      await expect(migrate(db, { dir })).rejects.toThrow(/no_such_function/);
      const { rows } = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = $1`, [
        db.schema,
      ]);
      expect(rows[0]?.n).toBe(0); // not even 001 stayed: one transaction
    } finally {
      await db.close();
    }
  });

  it.runIf(backend.url !== undefined)('keeps schemas apart in one database', async () => {
    const a = await fresh();
    const b = await fresh();
    try {
      await migrate(a, { logger, dir: MIGRATIONS_DIR });
      await migrate(b, { logger, dir: MIGRATIONS_DIR });
      const input = { contactPersonId: METTE, assignedBy: 'test', fundedCapacity: 60, acceptOverCapacity: false };
      await new CoordinationStore(a).assignContactPerson({ ...input, youthId: 'shared-youth' });
      // The same young person again, in the other schema: its own tables, its own rules.
      await new CoordinationStore(b).assignContactPerson({ ...input, youthId: 'shared-youth' });
      expect((await new CoordinationStore(a).capacity(60)).active).toBe(1);
      expect((await new CoordinationStore(b).capacity(60)).active).toBe(1);
      const { rows } = await a.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = 'public' AND table_name = 'contact_persons'`,
      );
      expect(rows[0]?.n).toBe(0);
    } finally {
      await a.close();
      await b.close();
    }
  });
});
