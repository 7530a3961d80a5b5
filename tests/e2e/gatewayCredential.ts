/**
 * Tests that call a subgraph directly must present what the gateway would: its credential for that
 * subgraph, signed with the gateway's key (development: the local one under GATEWAY_DEV_KEY_DIR), with
 * the claims of a role's caller. A user's token is refused there (tests/security/subgraphTrust.test.ts).
 */
import {
  loadGatewaySigner,
  loadGatewaySigningConfig,
  signGatewayCredential,
  type GatewaySigner,
} from '../../platform/authentication/gatewayCredential.js';
import { defaultOrganisation } from '../../platform/authentication/mint.js';
import { ROLES, type RoleName } from '../../platform/authorization/roles.js';

const signers = new Map<string, Promise<GatewaySigner>>();

/** The gateway's signer for `env` (GATEWAY_SIGNING_KEY or the development key), loaded once. */
export function gatewaySignerFor(env: Record<string, string | undefined> = process.env): Promise<GatewaySigner> {
  const config = loadGatewaySigningConfig(env);
  const key = config.key?.kid ?? config.devKeyDir;
  let signer = signers.get(key);
  if (!signer) {
    signer = loadGatewaySigner(config);
    signers.set(key, signer);
  }
  return signer;
}

/** `Bearer <gateway credential>` for a caller of `role` to subgraph `subgraph`, as the gateway signs it. */
export async function gatewayAuthorization(
  subgraph: string,
  role: RoleName,
  options: { institution?: string; subject?: string; env?: Record<string, string | undefined> } = {},
): Promise<string> {
  const signer = await gatewaySignerFor(options.env);
  const now = Math.floor(Date.now() / 1000);
  const credential = await signGatewayCredential(
    signer,
    {
      subject: options.subject ?? `e2e-${role}`,
      role,
      organisation: defaultOrganisation(role, options.institution),
      institution: options.institution ?? null,
      scopes: new Set(ROLES[role].scopes),
    },
    subgraph,
    { issuedAt: now, expiresAt: now + signer.ttlSeconds },
  );
  return `Bearer ${credential}`;
}
