/**
 * What a subgraph's answer depended on (issue 16: share work between callers whose answers are the same,
 * never between callers whose answers may differ).
 *
 * A subgraph reads the caller's claims from the gateway's credential (role, organisation, institution,
 * unit, staff id, scopes, and for a young person their own id) to apply its rules. Two callers whose
 * claims agree on every claim an answer read get the same answer from the same request. The subgraph
 * kit records which claims its resolvers and rules read while answering (`trackClaimReads`, a proxy
 * around the identity: it cannot forget one) and says so in a response header; the gateway learns it per
 * call and keys its sharing by the caller's values of exactly those claims (`claimProjection`).
 *
 * A subgraph that says nothing is taken to depend on everything (shared only within one caller), and a
 * shared answer is checked against what it says it read before a second caller takes it.
 */
import type { Identity } from '../authentication/verifier.js';

/** The response header: the claims the answer read, comma-separated; empty when it read none. */
export const ANSWER_VARIES_HEADER = 'ungegraf-answer-varies-by';

/** Every claim of the caller a subgraph can read (platform/authentication/gatewayCredential.ts). */
export const CALLER_CLAIMS = ['subject', 'role', 'organisation', 'institution', 'unit', 'staffId', 'scopes'] as const;
export type CallerClaim = (typeof CALLER_CLAIMS)[number];

const KNOWN = new Set<string>(CALLER_CLAIMS);

/** The claims an answer read; `EVERYTHING` when it does not say, or says something we do not know. */
export type ClaimSet = ReadonlySet<CallerClaim> | typeof EVERYTHING;
export const EVERYTHING = 'EVERYTHING' as const;

/** The caller's claims as the gateway verified them (and signs into its credential for the subgraphs). */
export type CallerClaims = Pick<Identity, CallerClaim>;

/** The header's value for the claims read, in a fixed order (one spelling per set). */
export function formatClaimSet(read: ReadonlySet<string>): string {
  return CALLER_CLAIMS.filter((claim) => read.has(claim)).join(',');
}

/** The claims a header names; `EVERYTHING` when it is missing or names an unknown claim. */
export function parseClaimSet(header: string | null | undefined): ClaimSet {
  if (typeof header !== 'string') return EVERYTHING;
  // The gateway reads a header per subgraph call, and there are at most 2^7 spellings (`formatClaimSet`):
  // each is parsed once and its set shared (read-only).
  let parsed = parsedHeaders.get(header);
  if (parsed === undefined) {
    parsed = parseClaimHeader(header);
    if (parsedHeaders.size < PARSED_HEADERS_KEPT) parsedHeaders.set(header, parsed);
  }
  return parsed;
}

const PARSED_HEADERS_KEPT = 256;
const parsedHeaders = new Map<string, ClaimSet>();

function parseClaimHeader(header: string): ClaimSet {
  const set = new Set<CallerClaim>();
  for (const part of header.split(',')) {
    const name = part.trim();
    if (name === '') continue;
    if (!KNOWN.has(name)) return EVERYTHING;
    set.add(name as CallerClaim);
  }
  return set;
}

/** The union of what two answers read (what a whole operation's answer depended on). */
export function unionClaimSets(a: ClaimSet, b: ClaimSet): ClaimSet {
  if (a === EVERYTHING || b === EVERYTHING) return EVERYTHING;
  if (b.size === 0) return a;
  if (a.size === 0) return b;
  return new Set([...a, ...b]);
}

function claimValue(caller: CallerClaims, claim: CallerClaim): string {
  if (claim === 'scopes') return [...caller.scopes].sort().join(' ');
  const value = caller[claim];
  return value === undefined || value === null ? '' : value;
}

/**
 * The caller's values of `claims`, as one string: two callers with the same projection get the same
 * answer from an answer that read only these. JSON, so no value can forge a separator.
 */
export function claimProjection(caller: CallerClaims, claims: ReadonlySet<CallerClaim>): string {
  return JSON.stringify(CALLER_CLAIMS.filter((claim) => claims.has(claim)).map((claim) => claimValue(caller, claim)));
}

/** Do two callers agree on every claim in `claims` (never, for EVERYTHING, unless they are one caller)? */
export function sameAnswerFor(a: CallerClaims, b: CallerClaims, claims: ClaimSet): boolean {
  if (a === b) return true;
  if (claims === EVERYTHING) return false;
  for (const claim of claims) if (claimValue(a, claim) !== claimValue(b, claim)) return false;
  return true;
}

/**
 * `identity` as the resolvers see it, with every claim they read recorded in `read`. Everything else
 * on the object passes through untouched.
 */
export function trackClaimReads<T extends object>(identity: T): { identity: T; read: Set<CallerClaim> } {
  const read = new Set<CallerClaim>();
  const tracked = new Proxy(identity, {
    get(target, property, receiver) {
      if (typeof property === 'string' && KNOWN.has(property)) read.add(property as CallerClaim);
      return Reflect.get(target, property, receiver) as unknown;
    },
  });
  return { identity: tracked, read };
}
