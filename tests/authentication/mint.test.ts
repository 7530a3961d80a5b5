/**
 * Minting: mintToken's claims, devTokenFor, and `npm run token` as a developer runs it (a real process,
 * stdout holding only the token).
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLES } from '../../platform/authorization/roles.js';
import { devTokenFor, mintToken } from '../../platform/authentication/mint.js';
import { loadAuthConfig } from '../../platform/authentication/config.js';
import { createTokenVerifier, type TokenVerifier } from '../../platform/authentication/verifier.js';
import { makeKey, silentLogger, tempDir } from './helpers.js';

const repoRoot = join(import.meta.dirname, '..', '..');
const tsx = join(repoRoot, 'node_modules', '.bin', 'tsx');

let dir: string;
let remove: () => Promise<void>;
let env: Record<string, string>;
let verifier: TokenVerifier;

beforeAll(async () => {
  ({ dir, remove } = await tempDir());
  env = { AUTH_DEV_KEY_DIR: join(dir, 'dev-keys') };
  verifier = await createTokenVerifier(loadAuthConfig(env), silentLogger);
});
afterAll(() => remove());

describe('mintToken', () => {
  it('sets every claim the graph reads', async () => {
    const key = await makeKey('signer-1');
    const token = await mintToken(
      { role: 'partner-institution', institution: 'I-104', subject: 'teacher-3', ttlSeconds: 900, purpose: 'enrolment check' },
      { privateKey: key.privateKey, kid: key.kid, issuer: 'https://iss.test', audience: 'ungegraf' },
    );
    expect(decodeProtectedHeader(token)).toEqual({ alg: 'ES256', kid: 'signer-1', typ: 'JWT' });
    const payload = decodeJwt(token);
    expect(payload).toEqual({
      iss: 'https://iss.test',
      aud: 'ungegraf',
      sub: 'teacher-3',
      role: 'partner-institution',
      org: 'partner/I-104',
      scope: 'partner:education',
      institution: 'I-104',
      purpose: 'enrolment check',
      iat: expect.any(Number) as unknown,
      nbf: payload.iat,
      exp: payload.iat! + 900,
    });
  });

  it('takes the role scopes unless overridden, and refuses partner scope without institution', async () => {
    const key = await makeKey('signer-1');
    const signer = { privateKey: key.privateKey, kid: key.kid, issuer: 'i', audience: 'a' };
    expect(decodeJwt(await mintToken({ role: 'auditor' }, signer))).toMatchObject({
      scope: 'audit:read',
      sub: 'dev-auditor',
      org: 'aalborg/audit',
    });
    expect(decodeJwt(await mintToken({ role: 'auditor', scopes: ['youth:identity'] }, signer)).scope).toBe('youth:identity');
    await expect(mintToken({ role: 'partner-institution' }, signer)).rejects.toThrow('a token with partner:education needs an institution');
    await expect(mintToken({ role: 'auditor', ttlSeconds: 0 }, signer)).rejects.toThrow(/ttl must be/);
  });
});

describe('devTokenFor', () => {
  it('mints with the development key the local verifier trusts', async () => {
    for (const role of Object.keys(ROLES) as (keyof typeof ROLES)[]) {
      const token = await devTokenFor(role, { env, institution: 'I-104' });
      const identity = await verifier.verify(`Bearer ${token}`);
      expect(identity).toMatchObject({ subject: `dev-${role}`, role, scopes: new Set(ROLES[role].scopes) });
    }
    expect(verifier.keySource).toBe('development');
  });

  it('is refused in production', async () => {
    await expect(devTokenFor('auditor', { env: { ...env, NODE_ENV: 'production', AUTH_JWKS_FILE: '/x' } })).rejects.toThrow(
      'Development tokens are refused when NODE_ENV=production',
    );
  });
});

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function runTokenCli(args: string[], extraEnv: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve) => {
    const childEnv: Record<string, string | undefined> = { ...process.env, ...env, ...extraEnv };
    delete childEnv.NODE_ENV;
    if (extraEnv.NODE_ENV) childEnv.NODE_ENV = extraEnv.NODE_ENV;
    execFile(tsx, [join(repoRoot, 'scripts', 'token.ts'), ...args], { cwd: repoRoot, env: childEnv }, (error, stdout, stderr) => {
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr });
    });
  });
}

describe('npm run token', () => {
  it('prints only the token', async () => {
    const run = await runTokenCli(['uu-counsellor']);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\n$/);
    const identity = await verifier.verify(`Bearer ${run.stdout.trim()}`);
    expect(identity).toMatchObject({
      subject: 'dev-uu-counsellor',
      role: 'uu-counsellor',
      organisation: 'aalborg/uu',
      scopes: new Set(ROLES['uu-counsellor'].scopes),
    });
  });

  it('takes --institution, --ttl and --sub', async () => {
    const run = await runTokenCli(['partner-institution', '--institution', 'I-104', '--ttl', '30m', '--sub', 'teacher-3']);
    expect(run.code).toBe(0);
    const identity = await verifier.verify(`Bearer ${run.stdout.trim()}`);
    expect(identity).toMatchObject({
      subject: 'teacher-3',
      institution: 'I-104',
      organisation: 'partner/I-104',
      scopes: new Set(['partner:education']),
    });
    const payload = decodeJwt(run.stdout.trim());
    expect(payload.exp! - payload.iat!).toBe(1800);
    for (const [ttl, seconds] of [
      ['3600', 3600],
      ['1h', 3600],
      ['45s', 45],
    ] as const) {
      const again = decodeJwt((await runTokenCli(['auditor', '--ttl', ttl])).stdout.trim());
      expect(again.exp! - again.iat!).toBe(seconds);
    }
  });

  it('partner-institution without --institution is an error with usage and the roles', async () => {
    const run = await runTokenCli(['partner-institution']);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('error: partner-institution needs --institution ID');
    expect(run.stderr).toContain('usage: npm run -s token -- <role>');
    for (const role of Object.keys(ROLES)) expect(run.stderr).toContain(role);
  });

  it('youth --sub <id> mints the young person’s own login (issue 14); without --sub it is an error', async () => {
    const run = await runTokenCli(['youth', '--sub', 'a33phd5r']);
    expect(run.code).toBe(0);
    expect(decodeJwt(run.stdout.trim())).toMatchObject({
      role: 'youth',
      sub: 'a33phd5r',
      org: 'citizen',
      scope: expect.stringContaining('audit:own') as unknown,
    });
    const missing = await runTokenCli(['youth']);
    expect(missing).toMatchObject({ code: 2, stdout: '', stderr: expect.stringContaining('error: youth needs --sub ID') as unknown });
  });

  it('an unknown role, a missing role or a bad --ttl is an error', async () => {
    const unknown = await runTokenCli(['admin']);
    expect(unknown).toMatchObject({ code: 2, stdout: '' });
    expect(unknown.stderr).toContain('error: unknown role "admin"');
    expect(unknown.stderr).toContain('social-caseworker');
    expect(await runTokenCli([])).toMatchObject({ code: 2, stdout: '', stderr: expect.stringContaining('error: name a role') as unknown });
    expect(await runTokenCli(['auditor', '--ttl', 'soon'])).toMatchObject({
      code: 2,
      stdout: '',
      stderr: expect.stringContaining('--ttl must look like') as unknown,
    });
    expect(await runTokenCli(['auditor', '--bogus'])).toMatchObject({ code: 2, stdout: '' });
  });

  it('is refused in production', async () => {
    const run = await runTokenCli(['auditor'], { NODE_ENV: 'production', AUTH_JWKS_FILE: '/etc/jwks.json' });
    expect(run).toMatchObject({ code: 1, stdout: '' });
    expect(run.stderr).toContain('refused when NODE_ENV=production');
  });

  it('processes started together share one development key', async () => {
    const sharedDir = join(dir, 'race');
    const runs = await Promise.all(
      ['uu-counsellor', 'auditor', 'reporting-tool'].map((role) => runTokenCli([role], { AUTH_DEV_KEY_DIR: sharedDir })),
    );
    const kids = new Set(runs.map((run) => decodeProtectedHeader(run.stdout.trim()).kid));
    expect(kids.size).toBe(1);
    const shared = await createTokenVerifier(loadAuthConfig({ AUTH_DEV_KEY_DIR: sharedDir }), silentLogger);
    for (const run of runs) await expect(shared.verify(`Bearer ${run.stdout.trim()}`)).resolves.toBeTruthy();
  });
});
