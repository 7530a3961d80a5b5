import type { Logger } from 'pino';
import { loadAuthConfig } from '../../platform/auth/config.js';
import { createTokenVerifier } from '../../platform/auth/verifier.js';
import type { Authenticate } from './server.js';

/** The same token verification the gateway does, from the same configuration (docs/access.md). */
export async function createAuthenticate(env: Record<string, string | undefined>, logger: Logger): Promise<Authenticate> {
  const verifier = await createTokenVerifier(loadAuthConfig(env), logger);
  return (authorization) => verifier.verify(authorization);
}
