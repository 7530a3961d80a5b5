/**
 * DEVELOPMENT ONLY. The key that seals `youths` cursors when COORDINATION_CURSOR_KEY is not set: random,
 * generated on first start in the coordination's data directory (`dev-cursor.key`, mode 0600), never in
 * the repository, so no two machines share it and nobody can read a cursor with a key from the source.
 * Kept on disk so cursors survive a restart. Production refuses to start without the configured key
 * (config.ts), so this never runs there.
 */
import { randomBytes } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { CURSOR_KEY_BYTES } from './cursor.js';

export const DEV_CURSOR_KEY_FILE = 'dev-cursor.key';

/** The development cursor key in `dataDir`, created exactly once (the first process to link its file wins). */
export function devCursorKey(dataDir: string): Buffer {
  const path = resolve(join(dataDir, DEV_CURSOR_KEY_FILE));
  mkdirSync(resolve(dataDir), { recursive: true });
  const read = (): Buffer | undefined => {
    try {
      const key = Buffer.from(readFileSync(path, 'utf8').trim(), 'base64');
      if (key.length !== CURSOR_KEY_BYTES)
        throw new Error(`${path} does not hold a ${CURSOR_KEY_BYTES}-byte key (delete it to generate a new one)`);
      return key;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  };
  const existing = read();
  if (existing) return existing;
  const temp = `${path}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  writeFileSync(temp, `${randomBytes(CURSOR_KEY_BYTES).toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  try {
    linkSync(temp, path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    unlinkSync(temp);
  }
  const created = read();
  if (!created) throw new Error(`could not create the development cursor key ${path}`);
  return created;
}
