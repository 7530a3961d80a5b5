/**
 * The attack suite: every way a token can be wrong, each with the exact message the caller gets.
 */
import { CompactSign, exportSPKI, importJWK, SignJWT, type CryptoKey } from 'jose';
import { KeyObject, sign as cryptoSign } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTokenVerifier, type TokenVerifier } from '../../platform/authentication/verifier.js';
import { ensureDevKeys } from '../../platform/authentication/devKeys.js';
import { mintToken } from '../../platform/authentication/mint.js';
import {
  authConfig,
  capturingLogger,
  claims,
  expectAuthError,
  makeKey,
  nowSeconds,
  sign,
  silentLogger,
  tempDir,
  unsignedToken,
  writeJwks,
  type TestKey,
} from './helpers.js';

let remove: () => Promise<void>;
let dir: string;
let key: TestKey;
let verifier: TokenVerifier;
const bearer = (token: string) => `Bearer ${token}`;

beforeAll(async () => {
  ({ dir, remove } = await tempDir());
  key = await makeKey('k1');
  await writeJwks(join(dir, 'jwks.json'), key);
  // No cache here: each test must reach the checks it is about.
  verifier = await createTokenVerifier(authConfig({ jwksFile: join(dir, 'jwks.json') }), silentLogger, { cacheMaxEntries: 0 });
});
afterAll(() => remove());

describe('a valid token', () => {
  it('yields the identity', async () => {
    const token = await sign(key, claims());
    const identity = await verifier.verify(bearer(token));
    expect(identity).toEqual({
      subject: 'counsellor-7',
      role: 'uu-counsellor',
      organisation: 'aalborg/uu',
      institution: null,
      // Need to know: no `unit` or `staff_id` claim in this token.
      unit: null,
      staffId: null,
      scopes: new Set(['youth:identity', 'school:read', 'guidance:read']),
      token,
      expiresAt: expect.any(Number) as unknown,
    });
    expect(identity.expiresAt).toBeGreaterThan(nowSeconds());
    expect(verifier.keySource).toBe('file');
  });

  it('carries the need-to-know claims unit and staff_id, and refuses a malformed one', async () => {
    const token = await sign(key, claims({ unit: 'FAMILY_GROUP_2', staff_id: 'SB-05' }));
    await expect(verifier.verify(bearer(token))).resolves.toMatchObject({ unit: 'FAMILY_GROUP_2', staffId: 'SB-05' });
    await expectAuthError(verifier.verify(bearer(await sign(key, claims({ staff_id: 'SB 05; DROP' })))), 'token claim "staff_id" invalid');
  });

  it('accepts a lower-case scheme and an audience list that contains ours', async () => {
    const token = await sign(key, claims({ aud: ['other-api', 'ungegraf'] }));
    await expect(verifier.verify(`bearer  ${token}`)).resolves.toMatchObject({ subject: 'counsellor-7' });
  });

  it('accepts a partner token with its institution', async () => {
    const token = await sign(
      key,
      claims({ scope: 'partner:education', role: 'partner-institution', org: 'partner/I-104', institution: 'I-104' }),
    );
    await expect(verifier.verify(bearer(token))).resolves.toMatchObject({ institution: 'I-104', scopes: new Set(['partner:education']) });
  });
});

describe('refused tokens', () => {
  it('alg none (unsigned)', async () => {
    await expectAuthError(verifier.verify(bearer(unsignedToken(claims(), { alg: 'none', kid: 'k1' }))), 'token algorithm not accepted');
  });

  it('alg none spelled differently', async () => {
    await expectAuthError(verifier.verify(bearer(unsignedToken(claims(), { alg: 'NONE' }))), 'token algorithm not accepted');
  });

  it('HS256 signed with the public key bytes (algorithm confusion)', async () => {
    const pem = await exportSPKI((await importJWK(key.publicJwk, 'ES256')) as CryptoKey);
    for (const secret of [pem, JSON.stringify(key.publicJwk)]) {
      const token = await new SignJWT(claims()).setProtectedHeader({ alg: 'HS256', kid: 'k1' }).sign(new TextEncoder().encode(secret));
      await expectAuthError(verifier.verify(bearer(token)), 'token algorithm not accepted');
    }
  });

  it('an allowed algorithm the key was not made for', async () => {
    const rsa = await makeKey('k1', 'RS256'); // same kid, RSA: the JWKS holds no RSA key named k1
    await expectAuthError(verifier.verify(bearer(await sign(rsa, claims()))), 'unknown key');
  });

  it('expired', async () => {
    const token = await sign(key, claims({ exp: nowSeconds() - 120, iat: nowSeconds() - 900, nbf: nowSeconds() - 900 }));
    await expectAuthError(verifier.verify(bearer(token)), 'token expired');
  });

  it('expired, but within the clock tolerance', async () => {
    const token = await sign(key, claims({ exp: nowSeconds() - 10, iat: nowSeconds() - 900, nbf: nowSeconds() - 900 }));
    await expect(verifier.verify(bearer(token))).resolves.toMatchObject({ subject: 'counsellor-7' });
  });

  it('not yet valid (nbf beyond the tolerance)', async () => {
    const token = await sign(key, claims({ nbf: nowSeconds() + 120 }));
    await expectAuthError(verifier.verify(bearer(token)), 'token not yet valid');
  });

  it('nbf in the future, but within the clock tolerance', async () => {
    const token = await sign(key, claims({ nbf: nowSeconds() + 10, iat: nowSeconds() + 10 }));
    await expect(verifier.verify(bearer(token))).resolves.toMatchObject({ subject: 'counsellor-7' });
  });

  it('wrong issuer', async () => {
    await expectAuthError(verifier.verify(bearer(await sign(key, claims({ iss: 'https://evil.test' })))), 'token issuer not accepted');
  });

  it('wrong audience', async () => {
    await expectAuthError(verifier.verify(bearer(await sign(key, claims({ aud: 'another-api' })))), 'token audience not accepted');
  });

  it('missing exp (jose would accept it unless required)', async () => {
    await expectAuthError(verifier.verify(bearer(await sign(key, claims({ exp: undefined })))), 'token is missing the "exp" claim');
  });

  it('missing sub', async () => {
    await expectAuthError(verifier.verify(bearer(await sign(key, claims({ sub: undefined })))), 'token is missing the "sub" claim');
  });

  it('missing iss and aud', async () => {
    await expectAuthError(verifier.verify(bearer(await sign(key, claims({ iss: undefined })))), 'token is missing the "iss" claim');
    await expectAuthError(verifier.verify(bearer(await sign(key, claims({ aud: undefined })))), 'token is missing the "aud" claim');
  });

  it('exp that is not a number', async () => {
    await expectAuthError(verifier.verify(bearer(await sign(key, claims({ exp: 'tomorrow' })))), 'token claim "exp" invalid');
  });

  it('empty sub', async () => {
    await expectAuthError(verifier.verify(bearer(await sign(key, claims({ sub: '' })))), 'token claim "sub" invalid');
  });

  it('a scope claim that is not a string', async () => {
    await expectAuthError(verifier.verify(bearer(await sign(key, claims({ scope: ['audit:read'] })))), 'token claim "scope" invalid');
  });

  it('unknown kid', async () => {
    const other = await makeKey('k-unknown');
    await expectAuthError(verifier.verify(bearer(await sign(other, claims()))), 'unknown key');
  });

  it('path-like and other odd kids', async () => {
    for (const kid of ['../../etc/passwd', '../jwks', 'a/b', 'x'.repeat(129), '', 'k1\n', 'k 1']) {
      await expectAuthError(verifier.verify(bearer(await sign(key, claims(), { kid }))), 'unknown key');
    }
    await expectAuthError(verifier.verify(bearer(await sign(key, claims(), { kid: 42 }))), 'unknown key');
  });

  it('signed by a different key under the same kid', async () => {
    const impostor = await makeKey('k1');
    await expectAuthError(verifier.verify(bearer(await sign(impostor, claims()))), 'token signature invalid');
  });

  it('payload changed after signing', async () => {
    const [header, , signature] = (await sign(key, claims())).split('.');
    const forged = Buffer.from(JSON.stringify(claims({ scope: 'audit:read youth:cpr social:read' }))).toString('base64url');
    await expectAuthError(verifier.verify(bearer(`${header}.${forged}.${signature}`)), 'token signature invalid');
  });

  it('garbage and malformed tokens', async () => {
    const valid = await sign(key, claims());
    const garbage = [
      'not-a-token',
      'a.b.c',
      `${valid}.extra.parts`,
      valid.split('.').slice(0, 2).join('.'),
      `${valid}$`,
      `eyJhbGciOiJFUzI1NiJ9.${'A'.repeat(20_000)}.sig`,
      `${Buffer.from('[1,2]').toString('base64url')}.e30.sig`,
    ];
    for (const token of garbage) await expectAuthError(verifier.verify(bearer(token)), 'malformed token');
    await expectAuthError(verifier.verify(`Bearer ${valid} ${valid}`), 'malformed token');
  });

  it('a payload that is not a JSON object', async () => {
    const token = await new CompactSign(new TextEncoder().encode('"text"'))
      .setProtectedHeader({ alg: 'ES256', kid: 'k1' })
      .sign(key.privateKey);
    await expectAuthError(verifier.verify(bearer(token)), 'malformed token');
  });

  it('a critical header extension nobody here understands', async () => {
    const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const input = `${encode({ alg: 'ES256', kid: 'k1', crit: ['x-bound'], 'x-bound': 1 })}.${encode(claims())}`;
    const signature = cryptoSign('sha256', Buffer.from(input), { key: KeyObject.from(key.privateKey), dsaEncoding: 'ieee-p1363' });
    await expectAuthError(verifier.verify(bearer(`${input}.${signature.toString('base64url')}`)), 'unsupported token');
  });

  it('Basic scheme', async () => {
    await expectAuthError(verifier.verify(`Basic ${Buffer.from('admin:admin').toString('base64')}`), 'authorization scheme must be Bearer');
    await expectAuthError(verifier.verify(await sign(key, claims())), 'authorization scheme must be Bearer');
  });

  it('empty bearer and missing header', async () => {
    await expectAuthError(verifier.verify('Bearer '), 'empty bearer token');
    await expectAuthError(verifier.verify('Bearer'), 'empty bearer token');
    await expectAuthError(verifier.verify(undefined), 'missing bearer token');
    await expectAuthError(verifier.verify(''), 'missing bearer token');
    await expectAuthError(verifier.verify('   '), 'missing bearer token');
  });

  it('partner scope without institution', async () => {
    const partner = claims({ scope: 'partner:education', role: 'partner-institution', org: 'partner/I-104' });
    await expectAuthError(verifier.verify(bearer(await sign(key, partner))), 'partner token without institution');
    await expectAuthError(verifier.verify(bearer(await sign(key, { ...partner, institution: '' }))), 'partner token without institution');
  });

  it('an institution that is not an id', async () => {
    const token = await sign(key, claims({ scope: 'partner:education', institution: "I-104' OR 1=1 --" }));
    await expectAuthError(verifier.verify(bearer(token)), 'token claim "institution" invalid');
  });

  it('never echoes the token in the error', async () => {
    const token = await sign(key, claims({ exp: nowSeconds() - 1000, iat: nowSeconds() - 2000, nbf: nowSeconds() - 2000 }));
    const error = await expectAuthError(verifier.verify(bearer(token)), 'token expired');
    expect(JSON.stringify({ message: error.message, stack: error.stack })).not.toContain(token.split('.')[1]);
  });
});

describe('scopes', () => {
  it('keeps unknown scopes out of the set and logs them at debug, never the token', async () => {
    const { logger, lines, raw } = capturingLogger('debug');
    const logged = await createTokenVerifier(authConfig({ jwksFile: join(dir, 'jwks.json') }), logger);
    const token = await sign(key, claims({ scope: 'youth:identity admin:all  school:read youth:everything' }));
    const identity = await logged.verify(bearer(token));
    expect([...identity.scopes].sort()).toEqual(['school:read', 'youth:identity']);
    expect(lines.find((line) => line.msg === 'token carries unknown scopes; ignored')).toMatchObject({
      level: 20,
      unknownScopes: ['admin:all', 'youth:everything'],
    });
    await logged.verify('Bearer broken.token.x').catch(() => undefined);
    expect(raw.join('\n')).not.toContain(token.split('.')[2]);
    expect(raw.join('\n')).not.toContain('broken.token');
  });

  it('a token without a scope claim has no scopes', async () => {
    await expect(verifier.verify(bearer(await sign(key, claims({ scope: undefined }))))).resolves.toMatchObject({ scopes: new Set() });
  });
});

describe('production', () => {
  it('refuses a development key even when the JWKS holds it', async () => {
    const { dir: keyDir, remove: removeKeys } = await tempDir();
    try {
      const dev = await ensureDevKeys(keyDir);
      const production = await createTokenVerifier(
        authConfig({ production: true, jwksFile: dev.jwksPath, issuer: 'https://ungegraf.local/dev' }),
        silentLogger,
      );
      const token = await mintToken(
        { role: 'uu-counsellor' },
        { privateKey: dev.privateKey, kid: dev.kid, issuer: 'https://ungegraf.local/dev', audience: 'ungegraf' },
      );
      await expectAuthError(production.verify(bearer(token)), 'development key not accepted in production');
      // Without a kid in the header the key is still not found: production drops dev- keys from the set.
      const kidless = await new SignJWT(claims({ iss: 'https://ungegraf.local/dev' }))
        .setProtectedHeader({ alg: 'ES256' })
        .sign(dev.privateKey);
      await expectAuthError(production.verify(bearer(kidless)), 'unknown key');
      // The same token is fine outside production.
      const development = await createTokenVerifier(
        authConfig({ jwksFile: dev.jwksPath, issuer: 'https://ungegraf.local/dev' }),
        silentLogger,
      );
      await expect(development.verify(bearer(token))).resolves.toMatchObject({ subject: 'dev-uu-counsellor' });
    } finally {
      await removeKeys();
    }
  });

  it('will not start without a JWKS', async () => {
    await expect(createTokenVerifier(authConfig({ production: true }), silentLogger)).rejects.toThrow(/AUTH_JWKS_URL or AUTH_JWKS_FILE/);
  });
});

describe('the verification cache', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('reuses a result for the same token string only', async () => {
    const cached = await createTokenVerifier(authConfig({ jwksFile: join(dir, 'jwks.json') }), silentLogger);
    const token = await sign(key, claims());
    const first = await cached.verify(bearer(token));
    expect(await cached.verify(bearer(token))).toBe(first);
    // A different token (here: the same with another signature) is verified, not looked up by its claims.
    const [header, payload] = token.split('.');
    await expectAuthError(cached.verify(bearer(`${header}.${payload}.${'A'.repeat(86)}`)), 'token signature invalid');
  });

  it('never past the token expiry, and at most 60 s', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const { dir: rotDir, remove: removeRot } = await tempDir();
    try {
      const path = join(rotDir, 'jwks.json');
      await writeJwks(path, key);
      const cached = await createTokenVerifier(authConfig({ jwksFile: path }), silentLogger, { fileRereadIntervalMs: 0 });
      const shortLived = await sign(key, claims({ exp: nowSeconds() + 5 }));
      const longLived = await sign(key, claims());
      await cached.verify(bearer(shortLived));
      await cached.verify(bearer(longLived));

      vi.setSystemTime(Date.now() + 40_000);
      // Not past the token's own exp (5 s; with the 30 s tolerance also passed, jose refuses it afresh) ...
      await expectAuthError(cached.verify(bearer(shortLived)), 'token expired');
      // ... while a longer-lived token still answers from the cache, even after its key is withdrawn ...
      await writeJwks(path, await makeKey('k2'));
      await expect(cached.verify(bearer(longLived))).resolves.toMatchObject({ subject: 'counsellor-7' });
      // ... but not beyond 60 s.
      vi.setSystemTime(Date.now() + 21_000);
      await expectAuthError(cached.verify(bearer(longLived)), 'unknown key');
    } finally {
      await removeRot();
    }
  });

  it('stays bounded', async () => {
    const small = await createTokenVerifier(authConfig({ jwksFile: join(dir, 'jwks.json') }), silentLogger, { cacheMaxEntries: 2 });
    const tokens = await Promise.all(['a', 'b', 'c'].map((sub) => sign(key, claims({ sub }))));
    const identities = [];
    for (const token of tokens) identities.push(await small.verify(bearer(token)));
    // 'a' was evicted (least recently used): verified afresh, a new object.
    expect(await small.verify(bearer(tokens[2]!))).toBe(identities[2]);
    expect(await small.verify(bearer(tokens[0]!))).not.toBe(identities[0]);
  });
});
