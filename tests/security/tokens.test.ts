/**
 * Attacks on a token's timestamps (issue 11): a token that claims to be issued in the future, one
 * without `iat`, one signed to live for centuries, one not valid yet. jose checks `exp` and `nbf`, but
 * neither an `iat` in the future nor the lifetime: the verifier does (platform/authentication/verifier.ts). Each
 * refusal is an UNAUTHENTICATED AuthError with a stable reason and a message that names the rule only.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DEFAULT_MAX_TOKEN_LIFETIME_SECONDS,
  DEVELOPMENT_MAX_TOKEN_LIFETIME_SECONDS,
  loadAuthConfig,
} from '../../platform/authentication/config.js';
import { createTokenVerifier, type TokenVerifier } from '../../platform/authentication/verifier.js';
import { ConfigError } from '../../platform/env.js';
import {
  authConfig,
  claims,
  expectAuthError,
  makeKey,
  nowSeconds,
  sign,
  silentLogger,
  tempDir,
  writeJwks,
  type TestKey,
} from '../authentication/helpers.js';

const HOUR = 3600;
const YEAR = 365 * 24 * HOUR;
const MAX_LIFETIME = 8 * HOUR;
const TOLERANCE = 30;

let remove: () => Promise<void>;
let jwksFile: string;
let key: TestKey;
let verifier: TokenVerifier;
const bearer = (token: string) => `Bearer ${token}`;

beforeAll(async () => {
  let dir: string;
  ({ dir, remove } = await tempDir());
  key = await makeKey('k1');
  jwksFile = join(dir, 'jwks.json');
  await writeJwks(jwksFile, key);
  verifier = await createTokenVerifier(
    authConfig({ jwksFile, maxTokenLifetimeSeconds: MAX_LIFETIME, clockToleranceSeconds: TOLERANCE }),
    silentLogger,
    {
      cacheMaxEntries: 0,
    },
  );
});
afterAll(() => remove());

async function refused(payload: Record<string, unknown>, message: string, reason: string, using = verifier): Promise<void> {
  const error = await expectAuthError(using.verify(bearer(await sign(key, claims(payload)))), message);
  expect(error.reason).toBe(reason);
  // Nothing that helps to tune the next attempt: neither the limits nor the server's clock.
  for (const detail of [String(MAX_LIFETIME), String(TOLERANCE), String(nowSeconds()).slice(0, 6)])
    expect(error.message).not.toContain(detail);
}

describe('iat in the future', () => {
  it('is refused beyond the clock tolerance (a token "issued" next year, valid from now on)', async () => {
    const now = nowSeconds();
    await refused({ iat: now + YEAR, nbf: now, exp: now + 600 }, 'token issued in the future', 'issued-in-future');
    await refused({ iat: now + 10 * YEAR, nbf: undefined, exp: now + 600 }, 'token issued in the future', 'issued-in-future');
    await refused({ iat: now + TOLERANCE + 60, exp: now + 600 }, 'token issued in the future', 'issued-in-future');
  });

  it('is accepted within the clock tolerance (the issuer’s clock runs a little ahead)', async () => {
    const now = nowSeconds();
    await expect(verifier.verify(bearer(await sign(key, claims({ iat: now + 10, nbf: now + 10, exp: now + 600 }))))).resolves.toMatchObject(
      { subject: 'counsellor-7' },
    );
  });
});

describe('iat missing or not a number', () => {
  it('is refused while iat is required (the default)', async () => {
    await refused({ iat: undefined }, 'token is missing the "iat" claim', 'missing-claim');
    await refused({ iat: 'yesterday' }, 'token claim "iat" invalid', 'invalid-claim');
  });

  it('is accepted when AUTH_REQUIRE_IAT=false, but the time left must still fit the maximum lifetime', async () => {
    const lenient = await createTokenVerifier(
      authConfig({ jwksFile, maxTokenLifetimeSeconds: MAX_LIFETIME, requireIssuedAt: false }),
      silentLogger,
      { cacheMaxEntries: 0 },
    );
    await expect(lenient.verify(bearer(await sign(key, claims({ iat: undefined }))))).resolves.toMatchObject({ subject: 'counsellor-7' });
    await refused({ iat: undefined, exp: nowSeconds() + 200 * YEAR }, 'token lifetime too long', 'lifetime-too-long', lenient);
  });
});

describe('lifetime (exp - iat) over the maximum', () => {
  it('refuses a token signed to live for centuries', async () => {
    const now = nowSeconds();
    await refused({ iat: now, exp: now + 300 * YEAR }, 'token lifetime too long', 'lifetime-too-long');
    // Backdating iat does not help: the lifetime is exp - iat, whatever is left of it.
    await refused({ iat: now - 10 * YEAR, nbf: now - 10 * YEAR, exp: now + 10 * YEAR }, 'token lifetime too long', 'lifetime-too-long');
  });

  it('draws the line at the maximum exactly', async () => {
    const now = nowSeconds();
    await expect(verifier.verify(bearer(await sign(key, claims({ iat: now, exp: now + MAX_LIFETIME }))))).resolves.toMatchObject({
      subject: 'counsellor-7',
    });
    await refused({ iat: now, exp: now + MAX_LIFETIME + 1 }, 'token lifetime too long', 'lifetime-too-long');
  });

  it('refuses a long-lived token that is already half expired (its lifetime, not what is left, counts)', async () => {
    const now = nowSeconds();
    await refused(
      { iat: now - MAX_LIFETIME, nbf: now - MAX_LIFETIME, exp: now + 2 * HOUR },
      'token lifetime too long',
      'lifetime-too-long',
    );
  });
});

describe('nbf in the future', () => {
  it('is refused beyond the clock tolerance', async () => {
    const now = nowSeconds();
    await refused({ iat: now, nbf: now + HOUR, exp: now + 2 * HOUR }, 'token not yet valid', 'not-yet-valid');
  });
});

describe('configuration', () => {
  it('defaults to 24 h in production, to the longest development token otherwise, and requires iat', () => {
    const production = loadAuthConfig({ NODE_ENV: 'production', AUTH_JWKS_FILE: '/etc/ungegraf/jwks.json' });
    expect([production.maxTokenLifetimeSeconds, production.requireIssuedAt]).toEqual([DEFAULT_MAX_TOKEN_LIFETIME_SECONDS, true]);
    expect(DEFAULT_MAX_TOKEN_LIFETIME_SECONDS).toBe(24 * HOUR);
    expect(loadAuthConfig({}).maxTokenLifetimeSeconds).toBe(DEVELOPMENT_MAX_TOKEN_LIFETIME_SECONDS);
    expect(loadAuthConfig({ AUTH_MAX_TOKEN_LIFETIME_SECONDS: '3600', AUTH_REQUIRE_IAT: 'false' })).toMatchObject({
      maxTokenLifetimeSeconds: 3600,
      requireIssuedAt: false,
    });
  });

  it('refuses a maximum that is not a sane number of seconds', () => {
    for (const value of ['0', '-1', 'forever', String(100 * YEAR)]) {
      expect(() => loadAuthConfig({ AUTH_MAX_TOKEN_LIFETIME_SECONDS: value })).toThrow(ConfigError);
    }
    expect(() => loadAuthConfig({ AUTH_REQUIRE_IAT: 'maybe' })).toThrow(/AUTH_REQUIRE_IAT/);
  });
});
