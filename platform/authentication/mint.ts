/**
 * Mints tokens: `npm run token` and the tests sign with the DEVELOPMENT key (see devKeys.ts); in
 * production tokens come from the identity provider, never from here.
 */
import { resolve } from 'node:path';
import { SignJWT, type CryptoKey } from 'jose';
import { ConfigError } from '../env.js';
import { ROLES, isScope, type RoleName } from '../authorization/roles.js';
import { ROLE_UNITS } from '../authorization/relation.js';
import { loadAuthConfig } from './config.js';
import { DEV_KEY_ALGORITHM, ensureDevKeys, type DevKeys } from './devKeys.js';

export interface MintClaims {
  role: RoleName;
  /** Partner institution id (`institution` claim); required for `partner-institution`. */
  institution?: string;
  /** `sub`; default `dev-<role>`. */
  subject?: string;
  /** `org`; default by role (`aalborg/uu`, `partner/<institution>`, ...). */
  organisation?: string;
  /** Lifetime; default 3600 s. */
  ttlSeconds?: number;
  /** Replaces the role's scopes (tests of single scopes, unknown scopes, ...). */
  scopes?: string[];
  /** A `purpose` claim. The graph records `X-Purpose` (or the role's default purpose), not this claim. */
  purpose?: string;
  /** `azp`: the client application (rate limits count per client). */
  clientId?: string;
  /** `unit` (need to know); default by role: UU, JOBCENTER, FAMILY_GROUP_1, CONTACT_PERSON; `null` for none. */
  unit?: string | null;
  /** `staff_id`: the caller's id in the system that names them (counsellor initials, JC-001, SB-01, gkp-...). */
  staffId?: string;
}

export interface MintSigner {
  privateKey: CryptoKey;
  kid: string;
  issuer: string;
  audience: string;
  /** Default ES256, the development key's algorithm. */
  algorithm?: string;
}

export const DEFAULT_TTL_SECONDS = 3600;
/** Development tokens live at most a week. */
export const MAX_TTL_SECONDS = 7 * 24 * 3600;

const DEFAULT_ORGANISATIONS: Record<RoleName, string> = {
  'uu-counsellor': 'aalborg/uu',
  'jobcenter-advisor': 'aalborg/jobcenter',
  'social-caseworker': 'aalborg/social',
  'contact-person': 'aalborg/coordination',
  'reporting-tool': 'aalborg/reporting',
  'partner-institution': 'partner',
  auditor: 'aalborg/audit',
  youth: 'citizen',
  coordinator: 'aalborg/uu',
};

export function defaultOrganisation(role: RoleName, institution?: string): string {
  return role === 'partner-institution' && institution ? `partner/${institution}` : DEFAULT_ORGANISATIONS[role];
}

/** Signs a compact JWT with iat, nbf, exp, iss, aud, sub, role, org, scope and (when given) institution. */
export async function mintToken(claims: MintClaims, signer: MintSigner): Promise<string> {
  const role = ROLES[claims.role];
  if (!role) throw new Error(`unknown role "${claims.role}"`);
  const scopes = claims.scopes ?? role.scopes;
  const partner = scopes.includes('partner:education');
  if (partner && !claims.institution) throw new Error(`a token with partner:education needs an institution (role ${claims.role})`);
  const ttl = claims.ttlSeconds ?? DEFAULT_TTL_SECONDS;
  if (!Number.isInteger(ttl) || ttl <= 0 || ttl > MAX_TTL_SECONDS) {
    throw new Error(`ttl must be a whole number of seconds from 1 to ${MAX_TTL_SECONDS}, got ${ttl}`);
  }
  const now = Math.floor(Date.now() / 1000);
  const payload: Record<string, unknown> = {
    role: claims.role,
    org: claims.organisation ?? defaultOrganisation(claims.role, claims.institution),
    scope: scopes.join(' '),
  };
  if (claims.institution !== undefined) payload.institution = claims.institution;
  if (claims.purpose !== undefined) payload.purpose = claims.purpose;
  if (claims.clientId !== undefined) payload.azp = claims.clientId;
  const unit = claims.unit === undefined ? ROLE_UNITS[claims.role]?.[0] : claims.unit;
  if (unit != null) payload.unit = unit;
  if (claims.staffId !== undefined) payload.staff_id = claims.staffId;
  return new SignJWT(payload)
    .setProtectedHeader({ alg: signer.algorithm ?? DEV_KEY_ALGORITHM, kid: signer.kid, typ: 'JWT' })
    .setIssuer(signer.issuer)
    .setAudience(signer.audience)
    .setSubject(claims.subject ?? `dev-${claims.role}`)
    .setIssuedAt(now)
    .setNotBefore(now)
    .setExpirationTime(now + ttl)
    .sign(signer.privateKey);
}

/** Every scope of a list is known (typos in `--scopes` fail loudly rather than mint a useless token). */
export function unknownScopes(scopes: readonly string[]): string[] {
  return scopes.filter((scope) => !isScope(scope));
}

export interface DevTokenOptions extends Omit<MintClaims, 'role'> {
  /** Where AUTH_* settings come from; default `process.env`. */
  env?: Record<string, string | undefined>;
}

const devKeysByDir = new Map<string, Promise<DevKeys>>();

/**
 * DEVELOPMENT ONLY. A token for `role` signed with the development key in AUTH_DEV_KEY_DIR, with the
 * configured issuer and audience: what the local stack and the tests call. Refused in production.
 */
export async function devTokenFor(role: RoleName, options: DevTokenOptions = {}): Promise<string> {
  const { env = process.env, ...claims } = options;
  if (env.NODE_ENV === 'production') throw new ConfigError('Development tokens are refused when NODE_ENV=production');
  const config = loadAuthConfig(env);
  const dir = resolve(config.devKeyDir);
  let keys = devKeysByDir.get(dir);
  if (!keys) {
    keys = ensureDevKeys(dir);
    devKeysByDir.set(dir, keys);
    keys.catch(() => devKeysByDir.delete(dir));
  }
  const { privateKey, kid } = await keys;
  return mintToken({ ...claims, role }, { privateKey, kid, issuer: config.issuer, audience: config.audience });
}
