import type { Logger } from 'pino';
import { createGatewayCredentialVerifier, loadGatewayTrustConfig } from '../../platform/authentication/gatewayCredential.js';
import type { Authenticate } from './server.js';

/**
 * Only the gateway may call a subgraph (docs/access.md, "Gateway to subgraphs"): every request must carry
 * the gateway's short-lived credential for this very subgraph (`aud`), signed with a key of
 * GATEWAY_TRUSTED_KEYS. A user's own token is refused like no token at all; the caller's claims arrive
 * inside the credential, so the subgraph still applies its field and row rules to them.
 */
export async function createAuthenticate(env: Record<string, string | undefined>, logger: Logger): Promise<Authenticate> {
  const verifier = await createGatewayCredentialVerifier(loadGatewayTrustConfig(env), logger.child({ component: 'gateway-trust' }));
  return (authorization, subgraph) => verifier.verify(authorization, subgraph);
}
