/**
 * Keys rotate without a restart: a JWKS file is re-read when it changes, a JWKS URL is re-fetched when a
 * token names a kid it has not seen (both rate-limited).
 */
import { rename, utimes, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createTokenVerifier } from '../../platform/authentication/verifier.js';
import { ensureDevKeys } from '../../platform/authentication/devKeys.js';
import { authConfig, claims, expectAuthError, jwksOf, makeKey, sign, silentLogger, tempDir, writeJwks, type TestKey } from './helpers.js';

const bearer = (token: string) => `Bearer ${token}`;
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

async function scratch(): Promise<string> {
  const { dir, remove } = await tempDir();
  cleanups.push(remove);
  return dir;
}

describe('JWKS file', () => {
  it('picks up a new key without a restart; the old key keeps working', async () => {
    const path = join(await scratch(), 'jwks.json');
    const [oldKey, newKey] = [await makeKey('2025-01'), await makeKey('2025-07')];
    await writeJwks(path, oldKey);
    const verifier = await createTokenVerifier(authConfig({ jwksFile: path }), silentLogger, { cacheMaxEntries: 0 });

    await expectAuthError(verifier.verify(bearer(await sign(newKey, claims()))), 'unknown key');
    await writeJwks(path, oldKey, newKey);
    await expect(verifier.verify(bearer(await sign(newKey, claims({ sub: 'new' }))))).resolves.toMatchObject({ subject: 'new' });
    await expect(verifier.verify(bearer(await sign(oldKey, claims({ sub: 'old' }))))).resolves.toMatchObject({ subject: 'old' });

    // Retiring the old key (replaced atomically, as a deployment would) stops its tokens.
    await writeFile(`${path}.next`, JSON.stringify(jwksOf(newKey)));
    await rename(`${path}.next`, path);
    await expectAuthError(verifier.verify(bearer(await sign(oldKey, claims()))), 'unknown key');
    await expect(verifier.verify(bearer(await sign(newKey, claims())))).resolves.toMatchObject({ subject: 'counsellor-7' });
  });

  it('re-reads on an unknown kid even when the change is invisible to stat, at most once per interval', async () => {
    const path = join(await scratch(), 'jwks.json');
    // Same-size keys written in place with the mtime put back: only the forced re-read can see them.
    const keys = [await makeKey('key-1'), await makeKey('key-2'), await makeKey('key-3')] as [TestKey, TestKey, TestKey];
    const fixedTime = 1_700_000_000;
    const writeHidden = async (key: TestKey) => {
      await writeJwks(path, key);
      await utimes(path, fixedTime, fixedTime);
    };
    await writeHidden(keys[0]);
    const verifier = await createTokenVerifier(authConfig({ jwksFile: path }), silentLogger, {
      cacheMaxEntries: 0,
      fileRereadIntervalMs: 60_000,
    });
    await expect(verifier.verify(bearer(await sign(keys[0], claims())))).resolves.toBeTruthy();

    await writeHidden(keys[1]);
    await expect(verifier.verify(bearer(await sign(keys[1], claims())))).resolves.toBeTruthy();
    await writeHidden(keys[2]);
    await expectAuthError(verifier.verify(bearer(await sign(keys[2], claims()))), 'unknown key');
  });

  it('keeps the last good keys when the file turns bad', async () => {
    const path = join(await scratch(), 'jwks.json');
    const key = await makeKey('k1');
    await writeJwks(path, key);
    const verifier = await createTokenVerifier(authConfig({ jwksFile: path }), silentLogger, { cacheMaxEntries: 0 });
    await writeFile(path, '{"keys": [ truncated');
    await expect(verifier.verify(bearer(await sign(key, claims())))).resolves.toMatchObject({ subject: 'counsellor-7' });
  });

  it('refuses to start on a missing or malformed file', async () => {
    const dir = await scratch();
    await expect(createTokenVerifier(authConfig({ jwksFile: join(dir, 'absent.json') }), silentLogger)).rejects.toThrow(
      /Cannot use the JWKS file/,
    );
    await writeFile(join(dir, 'bad.json'), '{"keys": "no"}');
    await expect(createTokenVerifier(authConfig({ jwksFile: join(dir, 'bad.json') }), silentLogger)).rejects.toThrow(
      /Cannot use the JWKS file/,
    );
  });

  it('without any JWKS outside production, trusts the development key', async () => {
    const devKeyDir = await scratch();
    const verifier = await createTokenVerifier(authConfig({ devKeyDir, issuer: 'https://ungegraf.local/dev' }), silentLogger);
    expect(verifier.keySource).toBe('development');
    const dev = await ensureDevKeys(devKeyDir);
    const token = await sign(
      { kid: dev.kid, alg: 'ES256', privateKey: dev.privateKey, publicJwk: {} },
      claims({ iss: 'https://ungegraf.local/dev' }),
    );
    await expect(verifier.verify(bearer(token))).resolves.toMatchObject({ subject: 'counsellor-7' });
  });
});

describe('JWKS URL', () => {
  interface JwksServer {
    url: string;
    keys: TestKey[];
    fetches: number;
    status: number;
  }

  async function serveJwks(initial: TestKey[]): Promise<JwksServer> {
    const state: JwksServer = { url: '', keys: initial, fetches: 0, status: 200 };
    const server: Server = createServer((req, res) => {
      state.fetches += 1;
      if (req.url !== '/.well-known/jwks.json' || state.status !== 200) {
        res.writeHead(state.status === 200 ? 404 : state.status).end();
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(jwksOf(...state.keys)));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/.well-known/jwks.json`;
    cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
    return state;
  }

  it('fetches the keys again when a token names a new kid', async () => {
    const [first, second] = [await makeKey('idp-1'), await makeKey('idp-2')];
    const idp = await serveJwks([first]);
    const verifier = await createTokenVerifier(authConfig({ jwksUrl: idp.url }), silentLogger, { cacheMaxEntries: 0, jwksCooldownMs: 0 });
    expect(verifier.keySource).toBe('remote');

    await expect(verifier.verify(bearer(await sign(first, claims())))).resolves.toMatchObject({ subject: 'counsellor-7' });
    const fetchesBefore = idp.fetches;
    await expect(verifier.verify(bearer(await sign(first, claims({ sub: 'again' }))))).resolves.toMatchObject({ subject: 'again' });
    expect(idp.fetches).toBe(fetchesBefore); // known kid: served from the fetched set

    idp.keys = [first, second];
    await expect(verifier.verify(bearer(await sign(second, claims({ sub: 'rotated' }))))).resolves.toMatchObject({ subject: 'rotated' });
    expect(idp.fetches).toBe(fetchesBefore + 1);
    await expect(verifier.verify(bearer(await sign(first, claims())))).resolves.toMatchObject({ subject: 'counsellor-7' });
  });

  it('rate-limits fetches for unknown kids', async () => {
    const [first, second] = [await makeKey('idp-1'), await makeKey('idp-2')];
    const idp = await serveJwks([first]);
    const verifier = await createTokenVerifier(authConfig({ jwksUrl: idp.url }), silentLogger, {
      cacheMaxEntries: 0,
      jwksCooldownMs: 60_000,
    });
    await verifier.verify(bearer(await sign(first, claims())));
    const fetchesBefore = idp.fetches;

    idp.keys = [first, second];
    const stranger = await makeKey('nobody');
    for (let i = 0; i < 5; i += 1) await expectAuthError(verifier.verify(bearer(await sign(stranger, claims()))), 'unknown key');
    // Within the cooldown, even a real new key waits; the identity provider is not hammered.
    await expectAuthError(verifier.verify(bearer(await sign(second, claims()))), 'unknown key');
    expect(idp.fetches).toBe(fetchesBefore);
  });

  it('an unreachable or failing JWKS endpoint is "token keys unavailable"', async () => {
    const key = await makeKey('idp-1');
    const idp = await serveJwks([key]);
    idp.status = 503;
    const verifier = await createTokenVerifier(authConfig({ jwksUrl: idp.url }), silentLogger, { cacheMaxEntries: 0, jwksCooldownMs: 0 });
    await expectAuthError(verifier.verify(bearer(await sign(key, claims()))), 'token keys unavailable');
    idp.status = 200; // recovers by itself
    await expect(verifier.verify(bearer(await sign(key, claims())))).resolves.toMatchObject({ subject: 'counsellor-7' });
  });

  it('in production drops development keys from the fetched set', async () => {
    const dev = await makeKey('dev-abc123');
    const idp = await serveJwks([dev]);
    const verifier = await createTokenVerifier(authConfig({ jwksUrl: idp.url, production: true }), silentLogger, {
      cacheMaxEntries: 0,
      jwksCooldownMs: 0,
    });
    await expectAuthError(verifier.verify(bearer(await sign(dev, claims()))), 'development key not accepted in production');
    await expectAuthError(verifier.verify(bearer(await sign(dev, claims(), { kid: undefined }))), 'unknown key');
  });
});
