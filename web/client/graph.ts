import { t } from './i18n/index.js';

/**
 * The screen's only connection: POST to the same origin's `/graphql` with the bearer token. An answer
 * is sorted into what the screen does with it: show (data, maybe partial, with the errors at their
 * paths), ask for a token again (401), or say the request failed (and why, without internals).
 */

/** The gateway's GraphQL path on this origin (platform/graphqlHttp.ts, GRAPHQL_PATH). */
export const GRAPHQL_ENDPOINT = '/graphql';

export interface GraphError {
  message: string;
  path?: readonly (string | number)[];
  extensions?: { code?: string; service?: string; [key: string]: unknown };
}

export type GraphAnswer<T> =
  /** The graph answered; `data` may be partial, `errors` say what is missing and why. */
  | { kind: 'answered'; data: T | null; errors: GraphError[] }
  /** The token is missing, invalid or expired. */
  | { kind: 'unauthenticated'; message: string }
  /** No usable answer: the message is for the caseworker. */
  | { kind: 'failed'; message: string };

export async function requestGraph<T>(
  token: string,
  query: string,
  variables: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): Promise<GraphAnswer<T>> {
  let response: Response;
  try {
    response = await fetch(GRAPHQL_ENDPOINT, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json', accept: 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query, variables }),
      credentials: 'omit',
      cache: 'no-store',
    });
  } catch {
    return { kind: 'failed', message: t().text.gatewayDown };
  }
  const body = await readJson(response);
  const errors = errorsOf(body);
  if (response.status === 401 || errors.some((error) => error.extensions?.code === 'UNAUTHENTICATED')) {
    return { kind: 'unauthenticated', message: t().text.tokenRejected };
  }
  if (errors.some((error) => error.extensions?.code === 'BREAK_THE_GLASS_LIMIT')) {
    return { kind: 'failed', message: t().text.breakTheGlassLimit };
  }
  if (response.status === 429) {
    const wait = Number(response.headers.get('retry-after'));
    return { kind: 'failed', message: t().text.tooManyRequests(Number.isFinite(wait) && wait > 0 ? wait : null) };
  }
  if (body && typeof body === 'object' && 'data' in body) {
    return { kind: 'answered', data: (body as { data: T | null }).data ?? null, errors };
  }
  const code = errors[0]?.extensions?.code;
  return { kind: 'failed', message: t().text.graphRefused(code ?? `HTTP ${response.status}`) };
}

async function readJson(response: Response): Promise<unknown> {
  try {
    return (await response.json()) as unknown;
  } catch {
    return undefined;
  }
}

function errorsOf(body: unknown): GraphError[] {
  if (!body || typeof body !== 'object' || !('errors' in body)) return [];
  const errors = body.errors;
  return Array.isArray(errors) ? (errors as GraphError[]) : [];
}

/** The errors at `path` exactly (a section's own field). */
export function errorsAt(errors: readonly GraphError[], path: readonly (string | number)[]): GraphError[] {
  return errors.filter(
    (error) => error.path !== undefined && error.path.length === path.length && error.path.every((part, i) => part === path[i]),
  );
}

/** Codes meaning a system or subgraph did not answer (its fields are null, the rest answered). */
export const UNAVAILABLE_CODES: ReadonlySet<string> = new Set(['UPSTREAM_UNAVAILABLE', 'SUBGRAPH_UNAVAILABLE']);
export const REFUSED_CODE = 'UNAUTHORIZED_FIELD_OR_TYPE';
/** Another unit's data about a young person of 25 or over, withheld for want of consent (issue 14). */
export const CONSENT_REQUIRED_CODE = 'CONSENT_REQUIRED';

/** A random key for a mutation: the same key makes a repeated submission take effect once. */
export function newIdempotencyKey(): string {
  // getRandomValues works on plain http too (randomUUID needs a secure context).
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return `screen-${Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('')}`;
}
