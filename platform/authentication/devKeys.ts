/**
 * DEVELOPMENT ONLY. The key pair that signs `npm run token` tokens on a developer's machine, so the
 * stack runs without an identity provider. Its `kid` starts with `dev-`, and a production verifier
 * (NODE_ENV=production) refuses every such key; production keys come from AUTH_JWKS_URL/AUTH_JWKS_FILE.
 *
 * Layout of the directory (default `.data/dev-keys/`):
 *   private.jwk.json  the private key as a JWK (mode 0600)
 *   jwks.json         its public half as a JWKS, what the verifier trusts
 */
import { randomBytes } from 'node:crypto';
import { chmod, link, mkdir, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { exportJWK, generateKeyPair, importJWK, type CryptoKey, type JWK } from 'jose';

export const DEV_KID_PREFIX = 'dev-';
export const DEV_KEY_ALGORITHM = 'ES256';

export interface DevKeys {
  privateKey: CryptoKey;
  kid: string;
  /** Absolute path of the public JWKS (`jwks.json`). */
  jwksPath: string;
}

const PRIVATE_FILE = 'private.jwk.json';
const JWKS_FILE = 'jwks.json';

function tempName(path: string): string {
  return `${path}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
}

async function writeAtomically(path: string, content: string, mode: number): Promise<void> {
  const temp = tempName(path);
  await writeFile(temp, content, { mode, flag: 'wx' });
  try {
    await chmod(temp, mode); // the umask may have narrowed nothing, but never widen a private key
    await rename(temp, path);
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    throw error;
  }
}

async function readJson(path: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as unknown;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new Error(`Cannot read the development key ${path} (delete the file to generate a new pair): ${(error as Error).message}`, {
      cause: error,
    });
  }
}

function isPrivateJwk(value: unknown): value is JWK & { kid: string; d: string } {
  if (typeof value !== 'object' || value === null) return false;
  const jwk = value as Record<string, unknown>;
  return typeof jwk.kid === 'string' && jwk.kid.startsWith(DEV_KID_PREFIX) && typeof jwk.d === 'string' && jwk.kty === 'EC';
}

/** Creates the private key file exactly once: the first process to link its file in place wins. */
async function createPrivateKeyOnce(privatePath: string): Promise<void> {
  const { privateKey } = await generateKeyPair(DEV_KEY_ALGORITHM, { extractable: true });
  const jwk: JWK = {
    ...(await exportJWK(privateKey)),
    kid: `${DEV_KID_PREFIX}${randomBytes(6).toString('base64url')}`,
    alg: DEV_KEY_ALGORITHM,
    use: 'sig',
  };
  const temp = tempName(privatePath);
  await writeFile(temp, `${JSON.stringify(jwk, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
  try {
    await chmod(temp, 0o600);
    // link() fails when the name exists, unlike rename(): two processes starting together agree on one key.
    await link(temp, privatePath);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    await unlink(temp).catch(() => undefined);
  }
}

function publicJwkOf(jwk: JWK & { kid: string }): JWK {
  const { kty, crv, x, y, kid } = jwk;
  return { kty, crv, x, y, kid, alg: DEV_KEY_ALGORITHM, use: 'sig' };
}

/**
 * DEVELOPMENT ONLY. Returns the development key pair in `dir`, creating it on first use. Safe when
 * several processes (gateway, subgraphs, `npm run token`) start at once: all of them end up with the
 * same key, and no reader ever sees a half-written file.
 */
export async function ensureDevKeys(dir: string): Promise<DevKeys> {
  const root = resolve(dir);
  await mkdir(root, { recursive: true, mode: 0o700 });
  const privatePath = join(root, PRIVATE_FILE);
  const jwksPath = join(root, JWKS_FILE);

  let stored = await readJson(privatePath);
  if (stored === undefined) {
    await createPrivateKeyOnce(privatePath);
    stored = await readJson(privatePath);
  }
  if (!isPrivateJwk(stored)) {
    throw new Error(`${privatePath} is not a development EC private key with a "${DEV_KID_PREFIX}" kid (delete it to generate a new pair)`);
  }

  // The public JWKS is always derived from the one private key, so concurrent writers write the same bytes.
  const jwks = { keys: [publicJwkOf(stored)] };
  const current = await readJson(jwksPath).catch(() => undefined);
  if (JSON.stringify(current) !== JSON.stringify(jwks)) {
    await writeAtomically(jwksPath, `${JSON.stringify(jwks, null, 2)}\n`, 0o644);
  }

  const privateKey = (await importJWK(stored, DEV_KEY_ALGORITHM)) as CryptoKey;
  return { privateKey, kid: stored.kid, jwksPath };
}
