/**
 * Where a benchmarked gateway keeps its access log, and the graph benchmark its access log and coordination
 * store (bench/graph/run.ts): a PostgreSQL that was given (BENCH_DATABASE_URL, else DATABASE_URL); else a
 * private PostgreSQL server for the run when its binaries are installed (tests/load/privatePostgres.ts);
 * else embedded PGlite. `BENCH_DATABASE=pglite` forces the embedded one.
 *
 * Why it matters: PGlite is PostgreSQL compiled to WebAssembly inside the gateway process, so with it the
 * gateway's resident memory is mostly the database's (~430 MiB steady), not the gateway's. Deployed, the
 * gateway holds a connection pool to a PostgreSQL server (deploy/), and that is what is measured.
 */
import pg from 'pg';
import { privatePostgresAvailable, startPrivatePostgres } from '../../tests/load/privatePostgres.js';

export interface BenchDatabase {
  /** For the setup lines: which database was used. */
  kind: string;
  /** The connection string for the gateway; undefined means embedded PGlite. */
  url: string | undefined;
  /** Drops a schema a gateway made in it (each gateway run gets its own); nothing for PGlite. */
  dropSchema(schema: string): Promise<void>;
  /** Stops the private server (if one was started for the run). */
  stop(): void;
}

type Env = Record<string, string | undefined>;

export async function chooseBenchDatabase(env: Env = process.env): Promise<BenchDatabase> {
  const given = env.BENCH_DATABASE_URL
    ? { url: env.BENCH_DATABASE_URL, name: 'BENCH_DATABASE_URL' }
    : env.DATABASE_URL
      ? { url: env.DATABASE_URL, name: 'DATABASE_URL' }
      : undefined;
  if (env.BENCH_DATABASE === 'pglite') return embedded('PGlite (embedded; BENCH_DATABASE=pglite)');
  if (given) return server(`PostgreSQL (${given.name})`, given.url, () => {});
  if (privatePostgresAvailable) {
    const postgres = await startPrivatePostgres();
    return server('PostgreSQL (a private server for the run, as deployed)', postgres.url, () => postgres.stop());
  }
  return embedded('PGlite (embedded: PostgreSQL binaries not installed)');
}

function embedded(kind: string): BenchDatabase {
  return { kind, url: undefined, async dropSchema() {}, stop() {} };
}

function server(kind: string, url: string, stop: () => void): BenchDatabase {
  return {
    kind,
    url,
    async dropSchema(schema: string) {
      if (!/^[a-z_][a-z0-9_]*$/.test(schema)) throw new Error(`not a schema name this benchmark makes: ${schema}`);
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      } finally {
        await client.end();
      }
    },
    stop,
  };
}
