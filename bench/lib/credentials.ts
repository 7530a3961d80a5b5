/**
 * Credentials made for one benchmark run, so that ungegraf runs with NODE_ENV=production (which refuses
 * the development signing key): an ES256 key pair, its public half as the JWKS file the gateway and the
 * subgraphs verify against, and tokens signed with the private half. Also the gateway's own key pair for
 * its credential to the subgraphs (GATEWAY_SIGNING_KEY for the gateway, GATEWAY_TRUSTED_KEYS for the
 * subgraphs; docs/access.md): production refuses the development one there too. And the coordination's
 * cursor key (COORDINATION_CURSOR_KEY), which production requires. Nothing is kept after the run.
 */
import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { exportJWK, generateKeyPair } from 'jose';
import { mintToken } from '../../platform/authentication/mint.js';
import type { RoleName } from '../../platform/authorization/roles.js';

export const BENCH_ISSUER = 'https://bench.ungegraf.invalid/';
export const BENCH_AUDIENCE = 'ungegraf-bench';

export interface BenchCredentials {
  /** What every verifying process needs: the JWKS file, the issuer and the audience. */
  env: {
    AUTH_JWKS_FILE: string;
    AUTH_ISSUER: string;
    AUTH_AUDIENCE: string;
    GATEWAY_SIGNING_KEY: string;
    GATEWAY_TRUSTED_KEYS: string;
    COORDINATION_CURSOR_KEY: string;
  };
  /** `Bearer <token>` for `role`, valid for the run (three hours); `claims`: the need-to-know `unit` and `staff_id`. */
  authorization(role: RoleName, subject: string, claims?: { unit?: string | null; staffId?: string }): Promise<string>;
}

export async function benchCredentials(workDir: string): Promise<BenchCredentials> {
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
  const kid = `bench-${Date.now()}`;
  const jwksFile = join(workDir, 'jwks.json');
  await writeFile(jwksFile, JSON.stringify({ keys: [{ ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' }] }));
  const gatewayKeys = await generateKeyPair('ES256', { extractable: true });
  const gatewayKid = `bench-gateway-${Date.now()}`;
  const gatewayPublic = { ...(await exportJWK(gatewayKeys.publicKey)), kid: gatewayKid, alg: 'ES256', use: 'sig' };
  return {
    env: {
      AUTH_JWKS_FILE: jwksFile,
      AUTH_ISSUER: BENCH_ISSUER,
      AUTH_AUDIENCE: BENCH_AUDIENCE,
      GATEWAY_SIGNING_KEY: JSON.stringify({ ...(await exportJWK(gatewayKeys.privateKey)), kid: gatewayKid, alg: 'ES256' }),
      GATEWAY_TRUSTED_KEYS: JSON.stringify({ keys: [gatewayPublic] }),
      COORDINATION_CURSOR_KEY: randomBytes(32).toString('base64'),
    },
    async authorization(role, subject, claims = {}) {
      const token = await mintToken(
        { role, subject, ttlSeconds: 3 * 3600, ...claims },
        { privateKey, kid, issuer: BENCH_ISSUER, audience: BENCH_AUDIENCE },
      );
      return `Bearer ${token}`;
    },
  };
}
