import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { base64url, exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK, type JWTPayload } from 'jose';
import { pino } from 'pino';
import { expect } from 'vitest';
import type { AuthConfig } from '../../platform/authentication/config.js';
import { AuthError } from '../../platform/authentication/verifier.js';
import { createLogger, type Logger } from '../../platform/logger.js';

export const ISSUER = 'https://idp.test/realms/aalborg';
export const AUDIENCE = 'ungegraf';

export const silentLogger: Logger = createLogger('auth-test', 'silent');

/** A logger whose lines (parsed JSON) land in `lines`. */
export function capturingLogger(level = 'debug'): { logger: Logger; lines: Record<string, unknown>[]; raw: string[] } {
  const lines: Record<string, unknown>[] = [];
  const raw: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      for (const line of chunk.toString('utf8').split('\n')) {
        if (line.trim() === '') continue;
        raw.push(line);
        lines.push(JSON.parse(line) as Record<string, unknown>);
      }
      callback();
    },
  });
  return { logger: pino({ level }, stream), lines, raw };
}

export async function tempDir(prefix = 'ungegraf-auth-'): Promise<{ dir: string; remove: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

export interface TestKey {
  kid: string;
  alg: string;
  privateKey: CryptoKey;
  publicJwk: JWK;
}

export async function makeKey(kid: string, alg = 'ES256'): Promise<TestKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  return { kid, alg, privateKey, publicJwk: { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' } };
}

export function jwksOf(...keys: TestKey[]): { keys: JWK[] } {
  return { keys: keys.map((key) => key.publicJwk) };
}

export async function writeJwks(path: string, ...keys: TestKey[]): Promise<void> {
  await writeFile(path, JSON.stringify(jwksOf(...keys)));
}

export function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

/** Claims of a valid token for `uu-counsellor`; override or delete (`undefined`) any of them. */
export function claims(overrides: Record<string, unknown> = {}): JWTPayload {
  const now = nowSeconds();
  const base: Record<string, unknown> = {
    iss: ISSUER,
    aud: AUDIENCE,
    sub: 'counsellor-7',
    iat: now,
    nbf: now,
    exp: now + 600,
    role: 'uu-counsellor',
    org: 'aalborg/uu',
    scope: 'youth:identity school:read guidance:read',
  };
  for (const [name, value] of Object.entries(overrides)) {
    if (value === undefined) delete base[name];
    else base[name] = value;
  }
  return base;
}

/** Signs exactly the given claims (no defaults added) with `key`; header defaults to its alg and kid. */
export async function sign(key: TestKey, payload: JWTPayload, header: Record<string, unknown> = {}): Promise<string> {
  return new SignJWT(payload).setProtectedHeader({ alg: key.alg, kid: key.kid, ...header }).sign(key.privateKey);
}

/** An unsigned `alg: none` token. */
export function unsignedToken(payload: JWTPayload, header: Record<string, unknown> = { alg: 'none', typ: 'JWT' }): string {
  const encode = (value: unknown) => base64url.encode(JSON.stringify(value));
  return `${encode(header)}.${encode(payload)}.`;
}

export function authConfig(overrides: Partial<AuthConfig> = {}): AuthConfig {
  return {
    issuer: ISSUER,
    audience: AUDIENCE,
    clockToleranceSeconds: 30,
    algorithms: ['RS256', 'PS256', 'ES256', 'EdDSA'],
    production: false,
    devKeyDir: join(tmpdir(), 'ungegraf-auth-never-used'),
    ...overrides,
  };
}

/** Asserts that `promise` fails with an UNAUTHENTICATED AuthError carrying exactly `message`. */
export async function expectAuthError(promise: Promise<unknown>, message: string): Promise<AuthError> {
  const error = await promise.then(
    () => {
      throw new Error(`expected AuthError "${message}", but verification succeeded`);
    },
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(AuthError);
  const authError = error as AuthError;
  expect({ message: authError.message, code: authError.code }).toEqual({ message, code: 'UNAUTHENTICATED' });
  return authError;
}
