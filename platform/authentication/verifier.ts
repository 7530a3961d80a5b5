/**
 * Bearer token verification (docs/access.md, "Tokens"). The gateway and every subgraph verify the same
 * token with this: an asymmetric signature from the configured JWKS, the algorithm allow-list, `iss`,
 * `aud`, and `exp`/`iss`/`aud`/`sub` (and `iat`, unless configured off) required (jose checks `exp` only
 * when it is present); `iat` not in the future and `exp - iat` within the configured maximum lifetime
 * (jose checks neither), so a leaked key or a misconfigured issuer cannot mint tokens that live for years.
 * Failures are `AuthError`s with a short, stable message that never contains the token.
 */
import {
  createLocalJWKSet,
  createRemoteJWKSet,
  customFetch,
  decodeProtectedHeader,
  jwtVerify,
  type FetchImplementation,
  type JSONWebKeySet,
  type JWTPayload,
  type JWTVerifyGetKey,
} from 'jose';
import { stat, readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { LRUCache } from 'lru-cache';
import type { Logger } from '../logger.js';
import { ConfigError } from '../env.js';
import { SCOPE_NAMES } from '../authorization/roles.js';
import { DEFAULT_MAX_TOKEN_LIFETIME_SECONDS, type AuthConfig } from './config.js';
import { DEV_KID_PREFIX, ensureDevKeys } from './devKeys.js';
import { ErrorCode } from '../errorCodes.js';

/** Why a request is not authenticated; `code` is what clients see in `extensions.code`. */
export class AuthError extends Error {
  override name = 'AuthError';
  readonly code = ErrorCode.UNAUTHENTICATED;
  constructor(
    message: string,
    /** A stable, machine-readable cause for logs and metrics. */
    readonly reason: AuthFailureReason,
  ) {
    super(message);
  }
}

export type AuthFailureReason =
  | 'missing-token'
  | 'scheme'
  | 'malformed'
  | 'algorithm'
  | 'unknown-key'
  | 'development-key'
  | 'signature'
  | 'expired'
  | 'not-yet-valid'
  | 'issued-in-future'
  | 'lifetime-too-long'
  | 'issuer'
  | 'audience'
  | 'missing-claim'
  | 'invalid-claim'
  | 'partner-without-institution'
  | 'keys-unavailable';

/** Who is calling, as the verified token says. */
export interface Identity {
  /** `sub`: the user or client (recorded in the access log). */
  subject: string;
  /** `role`: recorded; the scopes decide. */
  role: string | null;
  /** `org`, e.g. `aalborg/uu` or `partner/I-104`. */
  organisation: string | null;
  /** `institution`: the partner institution id; always set when `scopes` has `partner:education`. */
  institution: string | null;
  /** `unit`: the caller's unit (need to know: UU, JOBCENTER, CONTACT_PERSON, FAMILY_GROUP_1, ...); null when absent. */
  unit?: string | null;
  /** `staff_id`: the caller's id in the system that names them (initials, JC-001, SB-01, ...); null when absent. */
  staffId?: string | null;
  /** `azp` or `client_id`: the client application the token was issued to, when the token says (rate limits). */
  clientId?: string;
  /** The known scopes of the `scope` claim; unknown ones are left out. */
  scopes: ReadonlySet<string>;
  /** The raw bearer token (without `Bearer `), to forward to the subgraphs. */
  token: string;
  /** `exp`, in seconds since the epoch. */
  expiresAt: number;
}

export interface TokenVerifier {
  /** Verifies an `Authorization` header value; throws `AuthError` when it does not carry a valid token. */
  verify(authorizationHeader: string | undefined): Promise<Identity>;
  /** Where the trusted keys come from. */
  readonly keySource: 'remote' | 'file' | 'development';
  /** Forgets the cached verification results (for tests, or after revoking a key). */
  clearCache(): void;
}

export interface TokenVerifierOptions {
  /** Least time between JWKS URL fetches triggered by an unknown `kid` (jose's cooldown). Default 30 s. */
  jwksCooldownMs?: number;
  /** Timeout of one JWKS URL fetch. Default 5 s. */
  jwksTimeoutMs?: number;
  /** Least time between forced re-reads of a JWKS file on an unknown `kid`. Default 5 s. */
  fileRereadIntervalMs?: number;
  /** Verified tokens kept (LRU). Default 10 000; 0 turns the cache off. */
  cacheMaxEntries?: number;
  /** Longest time a verification result is reused (never past the token's `exp`). Default 60 s. */
  cacheMaxAgeMs?: number;
}

/** A `kid` is a name to look a key up by, never a path or anything else. */
const KID = /^[A-Za-z0-9._-]{1,128}$/;
/** Compact JWS: three base64url parts; the signature may be empty (so `alg: none` gets its own message). */
const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;
const INSTITUTION = /^[A-Za-z0-9._-]{1,64}$/;
/** Far above any real token; refuses megabyte headers before any parsing. */
const MAX_TOKEN_LENGTH = 16 * 1024;
const REQUIRED_CLAIMS = ['exp', 'iss', 'aud', 'sub'];

function fail(message: string, reason: AuthFailureReason): AuthError {
  return new AuthError(message, reason);
}

/** The token of an `Authorization: Bearer <token>` header. */
export function bearerToken(authorizationHeader: string | undefined): string {
  const header = authorizationHeader?.trim() ?? '';
  if (header === '') throw fail('missing bearer token', 'missing-token');
  const space = header.search(/\s/);
  const scheme = space === -1 ? header : header.slice(0, space);
  const token = space === -1 ? '' : header.slice(space).trim();
  if (scheme.toLowerCase() !== 'bearer') throw fail('authorization scheme must be Bearer', 'scheme');
  if (token === '') throw fail('empty bearer token', 'missing-token');
  return token;
}

// ---------------------------------------------------------------------------------------------------
// Key sources

interface KeySource {
  kind: TokenVerifier['keySource'];
  getKey: JWTVerifyGetKey;
}

/** In production a `dev-` key is never trusted, whatever the JWKS holds. */
function withoutDevelopmentKeys(jwks: unknown, logger: Logger, origin: string): unknown {
  if (typeof jwks !== 'object' || jwks === null || !Array.isArray((jwks as JSONWebKeySet).keys)) return jwks;
  const keys = (jwks as JSONWebKeySet).keys;
  const kept = keys.filter((key) => !(typeof key.kid === 'string' && key.kid.startsWith(DEV_KID_PREFIX)));
  if (kept.length !== keys.length) {
    logger.warn({ origin, dropped: keys.length - kept.length }, 'JWKS holds development keys (kid "dev-..."); refused in production');
  }
  return { ...(jwks as JSONWebKeySet), keys: kept };
}

function isCode(error: unknown, code: string): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === code;
}

function remoteKeySource(url: string, config: AuthConfig, logger: Logger, options: TokenVerifierOptions): KeySource {
  const fetchFiltered: FetchImplementation = async (resource, init) => {
    const response = await fetch(resource, init);
    if (!config.production || response.status !== 200) return response;
    const jwks = withoutDevelopmentKeys(await response.json(), logger, url);
    return new Response(JSON.stringify(jwks), { status: 200, headers: { 'content-type': 'application/json' } });
  };
  // jose re-fetches when a token names a kid it does not hold (key rotation), at most once per cooldown.
  const keys = createRemoteJWKSet(new URL(url), {
    cooldownDuration: options.jwksCooldownMs ?? 30_000,
    timeoutDuration: options.jwksTimeoutMs ?? 5_000,
    [customFetch]: fetchFiltered,
  });
  // Warm up so the first request does not pay for the fetch; an identity provider that is down now may
  // be up by the first request, so this only warns.
  keys.reload().catch((error: unknown) => logger.warn({ url, err: (error as Error).message }, 'JWKS not reachable yet'));
  return { kind: 'remote', getKey: keys };
}

/**
 * A JWKS file, re-read when it changes (its inode, size or mtime) and, when a token names an unknown
 * kid, re-read anyway at most once per `rereadIntervalMs` (coarse mtimes can hide a quick rewrite).
 */
class FileKeySet {
  private keys: JWTVerifyGetKey | undefined;
  private stamp = '';
  private lastForcedRead = 0;
  private loading: Promise<void> | undefined;

  constructor(
    private readonly path: string,
    private readonly production: boolean,
    private readonly logger: Logger,
    private readonly rereadIntervalMs: number,
  ) {}

  /** The first read: a missing or malformed file stops the process. */
  async init(): Promise<void> {
    try {
      await this.read();
    } catch (error) {
      throw new ConfigError(`Cannot use the JWKS file ${this.path}: ${(error as Error).message}`);
    }
  }

  private async read(): Promise<void> {
    const info = await stat(this.path);
    const parsed = JSON.parse(await readFile(this.path, 'utf8')) as unknown;
    const jwks = this.production ? withoutDevelopmentKeys(parsed, this.logger, this.path) : parsed;
    // createLocalJWKSet validates the set and snapshots it; one per version of the file.
    this.keys = createLocalJWKSet(jwks as JSONWebKeySet);
    this.stamp = `${info.ino}:${info.size}:${info.mtimeMs}`;
  }

  /** Re-reads once for all concurrent callers; a bad new version keeps the last good keys. */
  private reload(): Promise<void> {
    this.loading ??= this.read()
      .then(() => this.logger.info({ path: this.path }, 'JWKS file re-read'))
      .catch((error: unknown) =>
        this.logger.warn({ path: this.path, err: (error as Error).message }, 'JWKS file unreadable; keeping the last good keys'),
      )
      .finally(() => {
        this.loading = undefined;
      });
    return this.loading;
  }

  private async reloadIfChanged(): Promise<void> {
    let stamp: string;
    try {
      const info = await stat(this.path);
      stamp = `${info.ino}:${info.size}:${info.mtimeMs}`;
    } catch {
      return; // gone for a moment (being replaced): keep the keys we have
    }
    if (stamp !== this.stamp) await this.reload();
  }

  readonly getKey: JWTVerifyGetKey = async (header, token) => {
    await this.reloadIfChanged();
    const keys = this.keys;
    if (!keys) throw new ConfigError(`JWKS file ${this.path} not loaded`);
    try {
      return await keys(header, token);
    } catch (error) {
      const now = Date.now();
      if (!isCode(error, 'ERR_JWKS_NO_MATCHING_KEY') || now - this.lastForcedRead < this.rereadIntervalMs) throw error;
      this.lastForcedRead = now;
      await this.reload();
      return (this.keys ?? keys)(header, token);
    }
  };
}

async function fileKeySource(
  path: string,
  kind: 'file' | 'development',
  config: AuthConfig,
  logger: Logger,
  options: TokenVerifierOptions,
): Promise<KeySource> {
  const keys = new FileKeySet(resolve(path), config.production, logger, options.fileRereadIntervalMs ?? 5_000);
  await keys.init();
  return { kind, getKey: keys.getKey };
}

async function createKeySource(config: AuthConfig, logger: Logger, options: TokenVerifierOptions): Promise<KeySource> {
  if (config.jwksUrl !== undefined) return remoteKeySource(config.jwksUrl, config, logger, options);
  if (config.jwksFile !== undefined) return fileKeySource(config.jwksFile, 'file', config, logger, options);
  if (config.production) {
    throw new ConfigError('NODE_ENV=production needs the keys that sign tokens: set AUTH_JWKS_URL or AUTH_JWKS_FILE');
  }
  // DEVELOPMENT ONLY: no identity provider configured, so trust the local key `npm run token` signs with.
  const dev = await ensureDevKeys(config.devKeyDir);
  logger.warn({ jwks: dev.jwksPath, kid: dev.kid }, 'no AUTH_JWKS_URL/AUTH_JWKS_FILE: trusting the DEVELOPMENT key (never in production)');
  return fileKeySource(dev.jwksPath, 'development', config, logger, options);
}

// ---------------------------------------------------------------------------------------------------
// Verification

/** Maps jose's errors to our messages; jose's own messages are not shown to clients. */
function toAuthError(error: unknown, logger: Logger): AuthError {
  if (error instanceof AuthError) return error;
  const code = (error as { code?: unknown } | null)?.code;
  const claim = (error as { claim?: unknown } | null)?.claim;
  const why = (error as { reason?: unknown } | null)?.reason;
  switch (code) {
    case 'ERR_JWT_EXPIRED':
      return fail('token expired', 'expired');
    case 'ERR_JWT_CLAIM_VALIDATION_FAILED':
      if (why === 'missing' && typeof claim === 'string') return fail(`token is missing the "${claim}" claim`, 'missing-claim');
      if (claim === 'nbf') return fail('token not yet valid', 'not-yet-valid');
      if (claim === 'iss') return fail('token issuer not accepted', 'issuer');
      if (claim === 'aud') return fail('token audience not accepted', 'audience');
      return fail(`token claim "${typeof claim === 'string' ? claim : '?'}" invalid`, 'invalid-claim');
    case 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED':
      return fail('token signature invalid', 'signature');
    case 'ERR_JWKS_NO_MATCHING_KEY':
      return fail('unknown key', 'unknown-key');
    case 'ERR_JWKS_MULTIPLE_MATCHING_KEYS':
      return fail('token signature invalid', 'signature');
    case 'ERR_JOSE_ALG_NOT_ALLOWED':
      return fail('token algorithm not accepted', 'algorithm');
    case 'ERR_JOSE_NOT_SUPPORTED':
      // The algorithm passed our allow-list already: this is a `crit` extension nobody here understands.
      return fail('unsupported token', 'malformed');
    case 'ERR_JWS_INVALID':
    case 'ERR_JWT_INVALID':
      return fail('malformed token', 'malformed');
    default:
      // JWKS fetch failed, timed out or held garbage: not the caller's fault, and worth an operator's look.
      logger.error({ err: (error as Error | null)?.message, code }, 'token keys unavailable');
      return fail('token keys unavailable', 'keys-unavailable');
  }
}

function optionalString(payload: JWTPayload, claim: string): string | null {
  const value = payload[claim];
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') throw fail(`token claim "${claim}" invalid`, 'invalid-claim');
  return value === '' ? null : value;
}

/**
 * LRU of verified tokens, keyed by the whole token string: lru-cache bounds it, and each entry carries
 * its own deadline (the cache's age limit or the token's exp, whichever is first), checked on read
 * against the caller's clock.
 */
class IdentityCache {
  private readonly entries: LRUCache<string, { identity: Identity; until: number }> | undefined;
  constructor(
    maxEntries: number,
    private readonly maxAgeMs: number,
  ) {
    this.entries = maxEntries > 0 ? new LRUCache({ max: maxEntries }) : undefined;
  }

  get(token: string, now: number): Identity | undefined {
    const entry = this.entries?.get(token);
    if (!entry) return undefined;
    if (entry.until <= now) {
      this.entries?.delete(token);
      return undefined;
    }
    return entry.identity;
  }

  set(token: string, identity: Identity, now: number): void {
    if (!this.entries) return;
    const until = Math.min(now + this.maxAgeMs, identity.expiresAt * 1000);
    if (until <= now) return;
    this.entries.set(token, { identity, until });
  }

  clear(): void {
    this.entries?.clear();
  }
}

export async function createTokenVerifier(config: AuthConfig, logger: Logger, options: TokenVerifierOptions = {}): Promise<TokenVerifier> {
  for (const algorithm of config.algorithms) {
    if (/^HS/i.test(algorithm) || algorithm.toLowerCase() === 'none') {
      throw new ConfigError(`AUTH_ALGORITHMS must not contain ${algorithm}`);
    }
  }
  const log = logger.child({ component: 'auth' });
  const keys = await createKeySource(config, log, options);
  const algorithms = new Set(config.algorithms);
  const requiredClaims = config.requireIssuedAt === false ? REQUIRED_CLAIMS : [...REQUIRED_CLAIMS, 'iat'];
  const maxLifetime = config.maxTokenLifetimeSeconds ?? DEFAULT_MAX_TOKEN_LIFETIME_SECONDS;
  const cache = new IdentityCache(options.cacheMaxEntries ?? 10_000, options.cacheMaxAgeMs ?? 60_000);

  async function verifyToken(token: string): Promise<Identity> {
    if (token.length > MAX_TOKEN_LENGTH || !COMPACT_JWS.test(token)) throw fail('malformed token', 'malformed');
    let header: ReturnType<typeof decodeProtectedHeader>;
    try {
      header = decodeProtectedHeader(token);
    } catch {
      throw fail('malformed token', 'malformed');
    }
    // Checked before any key is looked up: `none` and HS* (signed with the public key's bytes) end here.
    if (typeof header.alg !== 'string' || !algorithms.has(header.alg)) throw fail('token algorithm not accepted', 'algorithm');
    const kid: unknown = header.kid;
    if (kid !== undefined && (typeof kid !== 'string' || !KID.test(kid))) throw fail('unknown key', 'unknown-key');
    if (config.production && typeof kid === 'string' && kid.startsWith(DEV_KID_PREFIX)) {
      throw fail('development key not accepted in production', 'development-key');
    }

    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, keys.getKey, {
        algorithms: config.algorithms,
        issuer: config.issuer,
        audience: config.audience,
        clockTolerance: config.clockToleranceSeconds,
        requiredClaims,
      }));
    } catch (error) {
      throw toAuthError(error, log);
    }

    const subject = payload.sub;
    if (typeof subject !== 'string' || subject === '') throw fail('token claim "sub" invalid', 'invalid-claim');
    const expiresAt = payload.exp;
    if (typeof expiresAt !== 'number') throw fail('token is missing the "exp" claim', 'missing-claim');
    // jose has checked that `iat`, when present, is a number, but not when it lies, nor the lifetime.
    // The messages name the rule, never the limits.
    const now = Math.floor(Date.now() / 1000);
    const issuedAt = payload.iat;
    if (typeof issuedAt === 'number') {
      if (issuedAt > now + config.clockToleranceSeconds) throw fail('token issued in the future', 'issued-in-future');
      if (expiresAt - issuedAt > maxLifetime) throw fail('token lifetime too long', 'lifetime-too-long');
    }
    // Without `iat` (when allowed), what is left of it must still fit.
    if (expiresAt - now > maxLifetime + config.clockToleranceSeconds) throw fail('token lifetime too long', 'lifetime-too-long');

    const scopeClaim = payload.scope;
    if (scopeClaim !== undefined && typeof scopeClaim !== 'string') throw fail('token claim "scope" invalid', 'invalid-claim');
    const scopes = new Set<string>();
    const unknown: string[] = [];
    for (const scope of (scopeClaim ?? '').split(/\s+/)) {
      if (scope === '') continue;
      if (SCOPE_NAMES.has(scope)) scopes.add(scope);
      else unknown.push(scope.slice(0, 100));
    }
    if (unknown.length > 0) log.debug({ sub: subject, unknownScopes: unknown.slice(0, 20) }, 'token carries unknown scopes; ignored');

    const institution = optionalString(payload, 'institution');
    if (institution !== null && !INSTITUTION.test(institution)) throw fail('token claim "institution" invalid', 'invalid-claim');
    if (scopes.has('partner:education') && institution === null) {
      throw fail('partner token without institution', 'partner-without-institution');
    }

    const staffClaim = (claim: string): string | null => {
      const value = optionalString(payload, claim);
      if (value !== null && !INSTITUTION.test(value)) throw fail(`token claim "${claim}" invalid`, 'invalid-claim');
      return value;
    };
    const clientId = optionalString(payload, 'azp') ?? optionalString(payload, 'client_id');
    if (clientId !== null && clientId.length > 200) throw fail('token claim "azp" invalid', 'invalid-claim');

    return Object.freeze({
      subject,
      ...(clientId !== null ? { clientId } : {}),
      role: optionalString(payload, 'role'),
      organisation: optionalString(payload, 'org'),
      institution,
      unit: staffClaim('unit'),
      staffId: staffClaim('staff_id'),
      scopes,
      token,
      expiresAt,
    });
  }

  return {
    keySource: keys.kind,
    clearCache: () => cache.clear(),
    async verify(authorizationHeader) {
      try {
        const token = bearerToken(authorizationHeader);
        const now = Date.now();
        const cached = cache.get(token, now);
        if (cached) return cached;
        const identity = await verifyToken(token);
        cache.set(token, identity, now);
        return identity;
      } catch (error) {
        const authError = toAuthError(error, log);
        log.debug({ reason: authError.reason }, 'token refused');
        throw authError;
      }
    },
  };
}
