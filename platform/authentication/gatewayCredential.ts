/**
 * The gateway's credential to the subgraphs (docs/access.md, "Gateway to subgraphs"). Only the gateway
 * may call a subgraph: otherwise a user's own token sent straight to a subgraph bypasses the gateway's
 * access log and `@inaccessible` (an `_entities` look-up by CPR answered the person).
 *
 * The gateway signs, per caller and per subgraph, a short-lived JWT (ES256 or EdDSA): `iss` the gateway,
 * `aud` the subgraph's name, `typ` ungegraf-gateway+jwt, and the caller's verified claims the subgraph
 * rules read (`sub`, `role`, `org`, `institution`, `scope`). It replaces the user's token on the call.
 * Subgraphs verify only these, with the gateway's public keys (at most two: rotation), and refuse
 * everything else before any GraphQL runs, `_service` and `_entities` included.
 *
 * One credential per caller (the user's token) and subgraph, reused until shortly before it expires:
 * identical subgraph calls in flight are deduplicated by their Authorization header (gateway/fetcher.ts),
 * which keeps sharing within a caller and never across callers. The request id travels in `x-request-id`,
 * not in the credential, for the same reason. Reused credentials are also verified once per subgraph
 * (cached until `exp`), which is cheaper than verifying the user's token against the IdP's JWKS.
 */
import { readFile } from 'node:fs/promises';
import {
  createLocalJWKSet,
  decodeProtectedHeader,
  importJWK,
  jwtVerify,
  SignJWT,
  type CryptoKey,
  type JSONWebKeySet,
  type JWK,
  type JWTPayload,
} from 'jose';
import { LRUCache } from 'lru-cache';
import type { Logger } from '../logger.js';
import { ConfigError, readInt, readOptionalString, readString } from '../env.js';
import { SCOPE_NAMES } from '../authorization/roles.js';
import { DEV_KEY_ALGORITHM, DEV_KID_PREFIX, ensureDevKeys } from './devKeys.js';
import { AuthError, bearerToken, type AuthFailureReason } from './verifier.js';

type Env = Record<string, string | undefined>;

/** `iss` of every gateway credential; subgraphs accept no other. */
export const GATEWAY_ISSUER = 'urn:ungegraf:gateway';
/** `typ` header: a user's token (typ JWT) is never mistaken for one of these (RFC 8725, 3.11). */
export const GATEWAY_CREDENTIAL_TYPE = 'ungegraf-gateway+jwt';
export const GATEWAY_ALGORITHMS = ['ES256', 'EdDSA'] as const;
/** Subgraphs refuse a credential that claims to live longer than this, whoever signed it. */
export const MAX_CREDENTIAL_LIFETIME_SECONDS = 300;
/** A cached credential is replaced this long before it expires: no call leaves with one about to lapse. */
const REUSE_MARGIN_SECONDS = 30;
const CLOCK_TOLERANCE_SECONDS = 5;
const MAX_TRUSTED_KEYS = 2;
const KID = /^[A-Za-z0-9._-]{1,128}$/;
const INSTITUTION = /^[A-Za-z0-9._-]{1,64}$/;
const MAX_CREDENTIAL_LENGTH = 8 * 1024;
const CACHE_ENTRIES = 10_000;

// ---------------------------------------------------------------------------------------------------
// Configuration

export interface GatewaySigningConfig {
  /** GATEWAY_SIGNING_KEY: the gateway's private key as a JWK (from a Secret); dev: generated locally. */
  key?: JWK & { kid: string; d: string };
  /** GATEWAY_CREDENTIAL_TTL_SECONDS: lifetime of one credential. */
  ttlSeconds: number;
  production: boolean;
  /** GATEWAY_DEV_KEY_DIR: where the development gateway key pair lives when no key is configured. */
  devKeyDir: string;
}

export interface GatewayTrustConfig {
  /** GATEWAY_TRUSTED_KEYS: the gateway's public keys as a JWKS (one, or two while rotating). */
  keys?: JSONWebKeySet;
  production: boolean;
  devKeyDir: string;
}

export const DEFAULT_GATEWAY_DEV_KEY_DIR = '.data/gateway-keys';

/** The JWS algorithm a key of this type signs with; undefined for any other kind of key. */
function algorithmOf(jwk: JWK): (typeof GATEWAY_ALGORITHMS)[number] | undefined {
  if (jwk.kty === 'EC' && jwk.crv === 'P-256') return 'ES256';
  if (jwk.kty === 'OKP' && jwk.crv === 'Ed25519') return 'EdDSA';
  return undefined;
}

function parseJson(name: string, raw: string): unknown {
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    throw new ConfigError(`${name} must be JSON (a JWK or JWKS), and is not`);
  }
}

function checkKey(name: string, value: unknown, production: boolean, isPrivate: boolean): JWK & { kid: string } {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new ConfigError(`${name} must hold JWK objects`);
  const jwk = value as JWK;
  if (algorithmOf(jwk) === undefined) throw new ConfigError(`${name}: keys must be EC P-256 (ES256) or OKP Ed25519 (EdDSA)`);
  if (typeof jwk.kid !== 'string' || !KID.test(jwk.kid))
    throw new ConfigError(`${name}: every key needs a "kid" of letters, digits, ".", "_" or "-"`);
  if (jwk.alg !== undefined && jwk.alg !== algorithmOf(jwk))
    throw new ConfigError(`${name}: key ${jwk.kid} has "alg" ${jwk.alg}, expected ${algorithmOf(jwk)}`);
  // A private key where a public one belongs would hand every subgraph the power to sign.
  if (isPrivate !== (typeof jwk.d === 'string'))
    throw new ConfigError(`${name}: key ${jwk.kid} must be ${isPrivate ? 'a private' : 'a public'} key`);
  if (production && jwk.kid.startsWith(DEV_KID_PREFIX))
    throw new ConfigError(`${name}: development keys (kid "${DEV_KID_PREFIX}...") are refused in production`);
  return jwk as JWK & { kid: string };
}

export function loadGatewaySigningConfig(env: Env = process.env): GatewaySigningConfig {
  const production = env.NODE_ENV === 'production';
  const raw = readOptionalString(env, 'GATEWAY_SIGNING_KEY');
  if (raw === undefined && production) {
    throw new ConfigError(
      'NODE_ENV=production needs GATEWAY_SIGNING_KEY: the private JWK the gateway signs its credentials to the subgraphs with',
    );
  }
  const key =
    raw === undefined
      ? undefined
      : (checkKey('GATEWAY_SIGNING_KEY', parseJson('GATEWAY_SIGNING_KEY', raw), production, true) as JWK & { kid: string; d: string });
  return {
    ...(key ? { key } : {}),
    ttlSeconds: readInt(env, 'GATEWAY_CREDENTIAL_TTL_SECONDS', 90, 2 * REUSE_MARGIN_SECONDS, MAX_CREDENTIAL_LIFETIME_SECONDS),
    production,
    devKeyDir: readString(env, 'GATEWAY_DEV_KEY_DIR', DEFAULT_GATEWAY_DEV_KEY_DIR),
  };
}

export function loadGatewayTrustConfig(env: Env = process.env): GatewayTrustConfig {
  const production = env.NODE_ENV === 'production';
  const raw = readOptionalString(env, 'GATEWAY_TRUSTED_KEYS');
  if (raw === undefined && production) {
    throw new ConfigError(
      "NODE_ENV=production needs GATEWAY_TRUSTED_KEYS: the JWKS of the gateway's public key(s); subgraphs accept calls from the gateway only",
    );
  }
  let keys: JSONWebKeySet | undefined;
  if (raw !== undefined) {
    const parsed = parseJson('GATEWAY_TRUSTED_KEYS', raw) as { keys?: unknown };
    const list = typeof parsed === 'object' && parsed !== null ? parsed.keys : undefined;
    if (!Array.isArray(list) || list.length === 0 || list.length > MAX_TRUSTED_KEYS) {
      throw new ConfigError(`GATEWAY_TRUSTED_KEYS must be a JWKS with 1 or ${MAX_TRUSTED_KEYS} keys (two while rotating)`);
    }
    const checked = list.map((key) => checkKey('GATEWAY_TRUSTED_KEYS', key, production, false));
    if (new Set(checked.map((key) => key.kid)).size !== checked.length)
      throw new ConfigError('GATEWAY_TRUSTED_KEYS: every key needs its own "kid"');
    keys = { keys: checked };
  }
  return { ...(keys ? { keys } : {}), production, devKeyDir: readString(env, 'GATEWAY_DEV_KEY_DIR', DEFAULT_GATEWAY_DEV_KEY_DIR) };
}

// ---------------------------------------------------------------------------------------------------
// The gateway: signing

/** What the gateway verified about its caller (platform/authentication/verifier.ts `Identity`). */
export interface VerifiedCaller {
  subject: string;
  role: string | null;
  organisation: string | null;
  institution: string | null;
  /** `unit` and `staff_id` (need to know, platform/authorization/relation.ts); absent when the token has none. */
  unit?: string | null;
  staffId?: string | null;
  scopes: ReadonlySet<string>;
  /** The caller's own token: the cache key, never sent on. */
  token: string;
  /** The caller's token's `exp` (seconds): no credential outlives it. */
  expiresAt: number;
}

export interface GatewayCredentials {
  /** A credential for `caller` to subgraph `audience`: the same one while it has time left. */
  credentialFor(caller: VerifiedCaller, audience: string): Promise<string>;
  /** The signing key's id (logs). */
  readonly kid: string;
}

export interface GatewaySigner {
  privateKey: CryptoKey;
  kid: string;
  algorithm: string;
  ttlSeconds: number;
}

/** Signs one credential; `now` and `expiresAt` in seconds. Exported for the tests of the class of attack. */
export async function signGatewayCredential(
  signer: Pick<GatewaySigner, 'privateKey' | 'kid' | 'algorithm'>,
  caller: Omit<VerifiedCaller, 'token' | 'expiresAt'>,
  audience: string,
  times: { issuedAt: number; expiresAt: number },
  overrides: { issuer?: string; type?: string } = {},
): Promise<string> {
  const payload: JWTPayload = { scope: [...caller.scopes].sort().join(' ') };
  if (caller.role !== null) payload['role'] = caller.role;
  if (caller.organisation !== null) payload['org'] = caller.organisation;
  if (caller.institution !== null) payload['institution'] = caller.institution;
  if (caller.unit != null) payload['unit'] = caller.unit;
  if (caller.staffId != null) payload['staff_id'] = caller.staffId;
  return new SignJWT(payload)
    .setProtectedHeader({ alg: signer.algorithm, kid: signer.kid, typ: overrides.type ?? GATEWAY_CREDENTIAL_TYPE })
    .setIssuer(overrides.issuer ?? GATEWAY_ISSUER)
    .setAudience(audience)
    .setSubject(caller.subject)
    .setIssuedAt(times.issuedAt)
    .setNotBefore(times.issuedAt)
    .setExpirationTime(times.expiresAt)
    .sign(signer.privateKey);
}

/** The gateway's signing key: GATEWAY_SIGNING_KEY, or (development only) the local one under GATEWAY_DEV_KEY_DIR. */
export async function loadGatewaySigner(config: GatewaySigningConfig, logger?: Logger): Promise<GatewaySigner> {
  if (config.key) {
    const algorithm = algorithmOf(config.key)!;
    return {
      privateKey: (await importJWK(config.key, algorithm)) as CryptoKey,
      kid: config.key.kid,
      algorithm,
      ttlSeconds: config.ttlSeconds,
    };
  }
  if (config.production) throw new ConfigError('NODE_ENV=production needs GATEWAY_SIGNING_KEY');
  const dev = await ensureDevKeys(config.devKeyDir);
  logger?.warn(
    { kid: dev.kid, dir: config.devKeyDir },
    'no GATEWAY_SIGNING_KEY: signing subgraph credentials with the DEVELOPMENT gateway key (never in production)',
  );
  return { privateKey: dev.privateKey, kid: dev.kid, algorithm: DEV_KEY_ALGORITHM, ttlSeconds: config.ttlSeconds };
}

export async function createGatewayCredentials(config: GatewaySigningConfig, logger?: Logger): Promise<GatewayCredentials> {
  const signer = await loadGatewaySigner(config, logger);
  // LRU by audience and the caller's token: a caller's credential is shared by its own calls only.
  const cache = new LRUCache<string, { credential: Promise<string>; reuseUntil: number }>({ max: CACHE_ENTRIES });
  return {
    kid: signer.kid,
    credentialFor(caller, audience) {
      const now = Math.floor(Date.now() / 1000);
      const key = `${audience}\n${caller.token}`;
      const cached = cache.get(key);
      if (cached) {
        if (now < cached.reuseUntil) return cached.credential;
        cache.delete(key);
      }
      const expiresAt = Math.min(now + signer.ttlSeconds, caller.expiresAt);
      const credential = signGatewayCredential(signer, caller, audience, { issuedAt: now, expiresAt });
      // A caller whose token lapses within the margin gets a credential per call (to its token's exp).
      const reuseUntil = expiresAt - REUSE_MARGIN_SECONDS;
      if (reuseUntil > now) {
        cache.set(key, { credential, reuseUntil });
        credential.catch(() => cache.delete(key));
      }
      return credential;
    },
  };
}

// ---------------------------------------------------------------------------------------------------
// The subgraphs: verifying

/** Who calls, as the gateway's credential says (the shape of subgraphs/kit's CallerIdentity). */
export interface CredentialIdentity {
  subject: string;
  role: string | null;
  organisation: string | null;
  institution: string | null;
  unit: string | null;
  staffId: string | null;
  scopes: ReadonlySet<string>;
}

export interface GatewayCredentialVerifier {
  /** Verifies an `Authorization` header for subgraph `audience`; throws `AuthError` unless it carries a valid gateway credential. */
  verify(authorizationHeader: string | undefined, audience: string): Promise<CredentialIdentity>;
}

function refused(message: string, reason: AuthFailureReason): AuthError {
  return new AuthError(message, reason);
}

function joseFailure(error: unknown): AuthError {
  const code = (error as { code?: unknown } | null)?.code;
  const claim = (error as { claim?: unknown } | null)?.claim;
  switch (code) {
    case 'ERR_JWT_EXPIRED':
      return refused('gateway credential expired', 'expired');
    case 'ERR_JWT_CLAIM_VALIDATION_FAILED':
      if (claim === 'aud') return refused('gateway credential is for another subgraph', 'audience');
      if (claim === 'iss') return refused('not a gateway credential', 'issuer');
      if (claim === 'nbf') return refused('gateway credential not yet valid', 'not-yet-valid');
      return refused('gateway credential invalid', 'invalid-claim');
    case 'ERR_JWKS_NO_MATCHING_KEY':
      return refused('gateway credential signed by an unknown key', 'unknown-key');
    case 'ERR_JOSE_ALG_NOT_ALLOWED':
      return refused('gateway credential algorithm not accepted', 'algorithm');
    case 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED':
    case 'ERR_JWKS_MULTIPLE_MATCHING_KEYS':
      return refused('gateway credential signature invalid', 'signature');
    default:
      return refused('malformed gateway credential', 'malformed');
  }
}

function claimString(payload: JWTPayload, claim: string): string | null {
  const value = payload[claim];
  if (value === undefined || value === null || value === '') return null;
  if (typeof value !== 'string') throw refused(`gateway credential claim "${claim}" invalid`, 'invalid-claim');
  return value;
}

/** The trusted public keys: GATEWAY_TRUSTED_KEYS, or (development only) the local gateway key's JWKS. */
async function trustedKeys(config: GatewayTrustConfig, logger?: Logger): Promise<JSONWebKeySet> {
  if (config.keys) return config.keys;
  if (config.production) throw new ConfigError('NODE_ENV=production needs GATEWAY_TRUSTED_KEYS');
  const dev = await ensureDevKeys(config.devKeyDir);
  logger?.warn({ jwks: dev.jwksPath }, 'no GATEWAY_TRUSTED_KEYS: trusting the DEVELOPMENT gateway key (never in production)');
  return JSON.parse(await readFile(dev.jwksPath, 'utf8')) as JSONWebKeySet;
}

export async function createGatewayCredentialVerifier(config: GatewayTrustConfig, logger?: Logger): Promise<GatewayCredentialVerifier> {
  const keys = createLocalJWKSet(await trustedKeys(config, logger));
  const cache = new LRUCache<string, { identity: CredentialIdentity; until: number }>({ max: CACHE_ENTRIES });

  async function verifyCredential(credential: string, audience: string): Promise<{ identity: CredentialIdentity; expiresAt: number }> {
    if (credential.length > MAX_CREDENTIAL_LENGTH) throw refused('malformed gateway credential', 'malformed');
    let header: ReturnType<typeof decodeProtectedHeader>;
    try {
      header = decodeProtectedHeader(credential);
    } catch {
      throw refused('malformed gateway credential', 'malformed');
    }
    // A user's token (typ JWT, or none) ends here, before any key is looked up.
    if (header.typ !== GATEWAY_CREDENTIAL_TYPE) throw refused('not a gateway credential', 'malformed');
    if (config.production && typeof header.kid === 'string' && header.kid.startsWith(DEV_KID_PREFIX)) {
      throw refused('development key not accepted in production', 'development-key');
    }
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(credential, keys, {
        algorithms: [...GATEWAY_ALGORITHMS],
        issuer: GATEWAY_ISSUER,
        audience,
        typ: GATEWAY_CREDENTIAL_TYPE,
        clockTolerance: CLOCK_TOLERANCE_SECONDS,
        requiredClaims: ['exp', 'iat', 'iss', 'aud', 'sub'],
      }));
    } catch (error) {
      throw joseFailure(error);
    }
    const { sub, exp, iat } = payload;
    if (typeof sub !== 'string' || sub === '' || typeof exp !== 'number' || typeof iat !== 'number')
      throw refused('gateway credential invalid', 'invalid-claim');
    if (exp - iat > MAX_CREDENTIAL_LIFETIME_SECONDS) throw refused('gateway credential lives too long', 'invalid-claim');
    const scopeClaim = payload['scope'];
    if (scopeClaim !== undefined && typeof scopeClaim !== 'string')
      throw refused('gateway credential claim "scope" invalid', 'invalid-claim');
    const scopes = new Set((scopeClaim ?? '').split(/\s+/).filter((scope) => SCOPE_NAMES.has(scope)));
    const institution = claimString(payload, 'institution');
    if (institution !== null && !INSTITUTION.test(institution))
      throw refused('gateway credential claim "institution" invalid', 'invalid-claim');
    if (scopes.has('partner:education') && institution === null)
      throw refused('partner credential without institution', 'partner-without-institution');
    const identity: CredentialIdentity = Object.freeze({
      subject: sub,
      role: claimString(payload, 'role'),
      organisation: claimString(payload, 'org'),
      institution,
      unit: claimString(payload, 'unit'),
      staffId: claimString(payload, 'staff_id'),
      scopes,
    });
    return { identity, expiresAt: exp };
  }

  return {
    async verify(authorizationHeader, audience) {
      const credential = bearerToken(authorizationHeader);
      const key = `${audience}\n${credential}`;
      const now = Date.now();
      const cached = cache.get(key);
      if (cached) {
        if (cached.until > now) return cached.identity;
        cache.delete(key);
      }
      const { identity, expiresAt } = await verifyCredential(credential, audience);
      cache.set(key, { identity, until: expiresAt * 1000 });
      return identity;
    },
  };
}
