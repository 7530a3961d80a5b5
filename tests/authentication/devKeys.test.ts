import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ensureDevKeys } from '../../platform/authentication/devKeys.js';
import { tempDir } from './helpers.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});
async function scratch(): Promise<string> {
  const { dir, remove } = await tempDir();
  cleanups.push(remove);
  return dir;
}

describe('ensureDevKeys (development only)', () => {
  it('creates a private JWK (0600) and a public JWKS with a dev- kid', async () => {
    const dir = join(await scratch(), 'nested', 'dev-keys');
    const keys = await ensureDevKeys(dir);
    expect(keys.kid).toMatch(/^dev-[A-Za-z0-9_-]{8}$/);
    expect(keys.jwksPath).toBe(join(dir, 'jwks.json'));
    expect((await stat(join(dir, 'private.jwk.json'))).mode & 0o777).toBe(0o600);
    expect((await stat(dir)).mode & 0o077).toBe(0);

    const jwks = JSON.parse(await readFile(keys.jwksPath, 'utf8')) as { keys: Record<string, unknown>[] };
    expect(jwks.keys).toHaveLength(1);
    expect(jwks.keys[0]).toMatchObject({ kty: 'EC', crv: 'P-256', kid: keys.kid, alg: 'ES256', use: 'sig' });
    expect(jwks.keys[0]).not.toHaveProperty('d'); // never the private part
  });

  it('returns the same pair on later calls', async () => {
    const dir = await scratch();
    const first = await ensureDevKeys(dir);
    const again = await ensureDevKeys(dir);
    expect(again.kid).toBe(first.kid);
  });

  it('agrees on one pair when many start together', async () => {
    const dir = await scratch();
    const all = await Promise.all(Array.from({ length: 8 }, () => ensureDevKeys(dir)));
    expect(new Set(all.map((keys) => keys.kid)).size).toBe(1);
    const jwks = JSON.parse(await readFile(join(dir, 'jwks.json'), 'utf8')) as { keys: { kid: string }[] };
    expect(jwks.keys.map((key) => key.kid)).toEqual([all[0]!.kid]);
    expect((await readdir(dir)).sort()).toEqual(['jwks.json', 'private.jwk.json']); // no temp files left
  });

  it('repairs a missing or stale jwks.json from the private key', async () => {
    const dir = await scratch();
    const keys = await ensureDevKeys(dir);
    await writeFile(join(dir, 'jwks.json'), '{"keys":[]}');
    await ensureDevKeys(dir);
    expect(await readFile(join(dir, 'jwks.json'), 'utf8')).toContain(keys.kid);
  });

  it('refuses a private key file that is not a development key', async () => {
    const dir = await scratch();
    await writeFile(join(dir, 'private.jwk.json'), JSON.stringify({ kty: 'EC', kid: 'prod-1', d: 'x' }));
    await expect(ensureDevKeys(dir)).rejects.toThrow(/is not a development EC private key/);
    await writeFile(join(dir, 'private.jwk.json'), '{ broken');
    await expect(ensureDevKeys(dir)).rejects.toThrow(/Cannot read the development key .*delete the file/);
  });
});
