/**
 * A fresh embedded PostgreSQL data directory, copied instead of created. Creating one (PGlite's initdb)
 * takes ~3.5 s of CPU on this machine; copying an empty one made earlier and opening it, ~0.35 s. Every
 * test stack opens two (the coordination and the access log), so each suite that starts a stack saved
 * ~6 s (measured: `startTestStack` 7.3 s → about 1.3 s plus the screening). The template holds nothing
 * but what initdb makes: the schemas and migrations are applied on start as always.
 *
 * The template lives in the system's temporary directory, keyed by the PGlite version, made once by the
 * first suite that needs it (atomically: written elsewhere, then renamed; a suite that loses the race
 * uses the winner's).
 */
import { cpSync, existsSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';

// The installed PGlite's version (its package.json is not among the package's exports: read from the file).
const { version } = JSON.parse(readFileSync(new URL('../../node_modules/@electric-sql/pglite/package.json', import.meta.url), 'utf8')) as {
  version: string;
};
const TEMPLATE = join(tmpdir(), `ungegraf-pglite-template-${version}`);

async function template(): Promise<string> {
  if (existsSync(join(TEMPLATE, 'PG_VERSION'))) return TEMPLATE;
  const building = mkdtempSync(join(tmpdir(), 'ungegraf-pglite-building-'));
  const pglite = await PGlite.create(building);
  await pglite.close();
  try {
    renameSync(building, TEMPLATE);
  } catch {
    // Another suite made it meanwhile: use theirs.
    rmSync(building, { recursive: true, force: true });
  }
  return TEMPLATE;
}

/** Makes each of `dirs` an empty, initialised PGlite data directory, unless it exists already (a restart keeps its data). */
export async function seedPGliteDirs(dirs: readonly string[]): Promise<void> {
  const missing = dirs.filter((dir) => !existsSync(dir));
  if (missing.length === 0) return;
  const source = await template();
  for (const dir of missing) cpSync(source, dir, { recursive: true });
}
