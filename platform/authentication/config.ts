/**
 * Token verification settings, shared by the gateway and every subgraph (they all verify the same
 * bearer token). Parsed once per process; bad values stop it with a message naming the variable.
 */
import { ConfigError, readBool, readInt, readOptionalString, readString } from '../env.js';

type Env = Record<string, string | undefined>;

export interface AuthConfig {
  /** AUTH_JWKS_URL: the identity provider's JWKS endpoint (re-fetched on an unknown `kid`). */
  jwksUrl?: string;
  /** AUTH_JWKS_FILE: a JWKS on disk (re-read when it changes). */
  jwksFile?: string;
  /** AUTH_ISSUER: the only accepted `iss`. */
  issuer: string;
  /** AUTH_AUDIENCE: must be (one of) the token's `aud`. */
  audience: string;
  /** AUTH_CLOCK_TOLERANCE_SECONDS: leeway for `exp`, `nbf` and `iat`. */
  clockToleranceSeconds: number;
  /** AUTH_ALGORITHMS: the accepted asymmetric signature algorithms. */
  algorithms: string[];
  /**
   * AUTH_MAX_TOKEN_LIFETIME_SECONDS: the longest `exp - iat` accepted (and, for a token without `iat`,
   * `exp - now`). A stolen token signed to last for years is refused. Verifier default: 24 h.
   */
  maxTokenLifetimeSeconds?: number;
  /** AUTH_REQUIRE_IAT: refuse a token without `iat` (its age and lifetime cannot be judged). Verifier default: true. */
  requireIssuedAt?: boolean;
  /** NODE_ENV=production: a JWKS is required and development keys are refused. */
  production: boolean;
  /** AUTH_DEV_KEY_DIR: where the development key pair lives when no JWKS is configured. */
  devKeyDir: string;
}

export const DEFAULT_ISSUER = 'https://ungegraf.local/dev';
export const DEFAULT_AUDIENCE = 'ungegraf';
export const DEFAULT_ALGORITHMS = ['RS256', 'PS256', 'ES256', 'EdDSA'];
/** Far above an identity provider's access tokens (minutes to an hour), far below "forever". */
export const DEFAULT_MAX_TOKEN_LIFETIME_SECONDS = 24 * 3600;
/** Outside production: the longest development token `npm run token` mints (platform/authentication/mint.ts). */
export const DEVELOPMENT_MAX_TOKEN_LIFETIME_SECONDS = 7 * 24 * 3600;

/** Asymmetric JWS algorithms jose verifies with a public key from a JWKS. */
const ASYMMETRIC_ALGORITHMS = new Set([
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
  'Ed25519',
]);

function readAlgorithms(env: Env): string[] {
  const raw = readOptionalString(env, 'AUTH_ALGORITHMS');
  if (raw === undefined) return [...DEFAULT_ALGORITHMS];
  const algorithms = [
    ...new Set(
      raw
        .split(',')
        .map((part) => part.trim())
        .filter((part) => part !== ''),
    ),
  ];
  if (algorithms.length === 0) throw new ConfigError(`AUTH_ALGORITHMS must name at least one algorithm, got "${raw}"`);
  for (const algorithm of algorithms) {
    // A shared secret would let anyone who can read the JWKS mint tokens, and `none` needs no key at all.
    if (/^HS/i.test(algorithm) || algorithm.toLowerCase() === 'none') {
      throw new ConfigError(`AUTH_ALGORITHMS must not contain ${algorithm}: symmetric (HS*) and unsigned (none) tokens are refused`);
    }
    if (!ASYMMETRIC_ALGORITHMS.has(algorithm)) {
      throw new ConfigError(`AUTH_ALGORITHMS: unknown algorithm "${algorithm}"; use some of ${[...ASYMMETRIC_ALGORITHMS].join(', ')}`);
    }
  }
  return algorithms;
}

function readJwksUrl(env: Env): string | undefined {
  const raw = readOptionalString(env, 'AUTH_JWKS_URL');
  if (raw === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(`AUTH_JWKS_URL must be an absolute http(s) URL, got "${raw}"`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new ConfigError(`AUTH_JWKS_URL must be an absolute http(s) URL, got "${raw}"`);
  }
  return url.toString();
}

export function loadAuthConfig(env: Env = process.env): AuthConfig {
  const production = env.NODE_ENV === 'production';
  const jwksUrl = readJwksUrl(env);
  const jwksFile = readOptionalString(env, 'AUTH_JWKS_FILE');
  if (jwksUrl !== undefined && jwksFile !== undefined) {
    throw new ConfigError('Set only one of AUTH_JWKS_URL and AUTH_JWKS_FILE');
  }
  if (production && jwksUrl === undefined && jwksFile === undefined) {
    throw new ConfigError(
      "NODE_ENV=production needs the keys that sign tokens: set AUTH_JWKS_URL (the identity provider's JWKS endpoint) or AUTH_JWKS_FILE",
    );
  }
  return {
    ...(jwksUrl !== undefined ? { jwksUrl } : {}),
    ...(jwksFile !== undefined ? { jwksFile } : {}),
    issuer: readString(env, 'AUTH_ISSUER', DEFAULT_ISSUER),
    audience: readString(env, 'AUTH_AUDIENCE', DEFAULT_AUDIENCE),
    clockToleranceSeconds: readInt(env, 'AUTH_CLOCK_TOLERANCE_SECONDS', 30, 0, 300),
    algorithms: readAlgorithms(env),
    maxTokenLifetimeSeconds: readInt(
      env,
      'AUTH_MAX_TOKEN_LIFETIME_SECONDS',
      production ? DEFAULT_MAX_TOKEN_LIFETIME_SECONDS : DEVELOPMENT_MAX_TOKEN_LIFETIME_SECONDS,
      60,
      30 * 24 * 3600,
    ),
    requireIssuedAt: readBool(env, 'AUTH_REQUIRE_IAT', true),
    production,
    devKeyDir: readString(env, 'AUTH_DEV_KEY_DIR', '.data/dev-keys'),
  };
}
