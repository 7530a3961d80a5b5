/**
 * Identical operations in flight run once. When a client's query arrives while the very same query is
 * running (same text, same operation name, same variables, same schema, and a caller the answer cannot
 * tell apart), it waits for that run's answer instead of planning, fetching and shaping it again: under
 * load, where many clients ask the same thing at once, that work is done once per burst instead of once
 * per request.
 *
 * Only the execution is shared. Every request still passes every plugin on its own (its token check,
 * limits, rate limit, safelist) and the access log records each request with its own request id, purpose
 * and caller (with the relations the shared run was told, which are the same for callers it fits).
 * Mutations and subscriptions never share. Each request gets its own copy of the data, so a plugin that
 * rewrites one answer (the access log strips its own selections) cannot touch another's.
 *
 * Who may share (issue 16): the answer depends on the gateway's field rules (the caller's scopes), a
 * granted break-the-glass, and whatever the subgraphs' answers read of the caller, which they report
 * (platform/authorization/answerVaries.ts; collected in the context by gateway/subgraphDataSource.ts).
 * The first run of an operation is keyed by the caller's token, as nothing is known yet; it learns what
 * its answer read, and the next runs are keyed by the caller's values of those claims, so distinct users
 * with the same rights share. A joining request takes the shared answer only if the run's own report
 * says it read nothing on which the two callers differ; otherwise it runs itself.
 */
import { OperationTypeNode, type GraphQLSchema } from 'graphql';
import { LRUCache } from 'lru-cache';
import { sharedWork } from '../platform/metrics.js';
import {
  withExecutor,
  type GatewayExecutor,
  type GatewayInterface,
  type GatewayRequestContext,
  type GatewayResult,
} from './gatewayInterface.js';
import type { GatewayContext } from './context.js';
import {
  claimProjection,
  EVERYTHING,
  sameAnswerFor,
  unionClaimSets,
  type CallerClaim,
  type ClaimSet,
} from '../platform/authorization/answerVaries.js';

export interface CoalescingStats {
  /** Operations executed. */
  executed: number;
  /** Requests answered by an identical operation already running. */
  joined: number;
  /** Requests that waited for a run whose answer turned out to depend on a claim they differ in, then ran themselves. */
  refitted?: number;
}

/** What the field rules read of every caller: always part of the key. */
const GATEWAY_READS: ReadonlySet<CallerClaim> = new Set(['scopes']);
/** Operations whose answer told what it read, kept for the next runs (bounded by their size). */
const LEARNED_BYTES = 2 * 1024 * 1024;

interface Run {
  result: Promise<GatewayResult>;
  /** The request that runs it (its context collects what the answer read). */
  context: Partial<GatewayContext>;
}

const schemaIds = new WeakMap<GraphQLSchema, number>();
let nextSchemaId = 0;

function schemaId(schema: GraphQLSchema): number {
  let id = schemaIds.get(schema);
  if (id === undefined) {
    id = nextSchemaId++;
    schemaIds.set(schema, id);
  }
  return id;
}

/** The operation as the client sent it (text, name, variables, schema), or undefined when it must run on its own. */
function operationKey(requestContext: GatewayRequestContext): string | undefined {
  // No resolved operation (a document the executor will refuse itself): nothing to share.
  if (requestContext.operation?.operation !== OperationTypeNode.QUERY) return undefined;
  let variables: string;
  try {
    variables = JSON.stringify(requestContext.request.variables ?? {});
  } catch {
    return undefined;
  }
  return `${schemaId(requestContext.schema)}\n${requestContext.queryHash}\n${requestContext.operationName ?? ''}\n${variables}`;
}

function contextOf(requestContext: GatewayRequestContext): Partial<GatewayContext> {
  return (requestContext.context ?? {}) as Partial<GatewayContext>;
}

/** What the run's answer read: the subgraphs' reports and the field rules' scopes. */
function readsOf(context: Partial<GatewayContext>): ClaimSet {
  return unionClaimSets(context.answerDependsOn ?? GATEWAY_READS, GATEWAY_READS);
}

/** The identity of an execution: the operation and the caller as far as the answer can tell them apart. */
function executionKey(operation: string, context: Partial<GatewayContext>, reads: ClaimSet | undefined): string {
  const glass = context.breakTheGlass ? 'glass' : '';
  if (context.identity && reads !== undefined && reads !== EVERYTHING) {
    return `${operation}\n${glass}\nclaims:${claimProjection(context.identity, reads)}`;
  }
  const authorization = typeof context.authorization === 'string' ? context.authorization : '';
  return `${operation}\n${glass}\ntoken:${authorization}`;
}

/** May `joiner` take the answer of `run` (the same caller, or one the answer cannot tell apart)? */
function fits(run: Partial<GatewayContext>, joiner: Partial<GatewayContext>): boolean {
  if (run === joiner || run.authorization === joiner.authorization) return true;
  if (!run.identity || !joiner.identity || Boolean(run.breakTheGlass) !== Boolean(joiner.breakTheGlass)) return false;
  return sameAnswerFor(run.identity, joiner.identity, readsOf(run));
}

/** A deep copy of JSON data (what a GraphQL result's `data` is). */
function copyData(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    const copy = new Array<unknown>(value.length);
    for (let i = 0; i < value.length; i++) copy[i] = copyData(value[i]);
    return copy;
  }
  const copy: Record<string, unknown> = {};
  for (const key in value as Record<string, unknown>) copy[key] = copyData((value as Record<string, unknown>)[key]);
  return copy;
}

/** This request's own copy of a shared answer (errors are immutable GraphQLErrors: a new list suffices). */
function ownCopy(result: GatewayResult): GatewayResult {
  const copy: GatewayResult = { ...result };
  if (result.data !== undefined) copy.data = copyData(result.data) as GatewayResult['data'];
  if (result.errors) copy.errors = [...result.errors];
  if (result.extensions) copy.extensions = copyData(result.extensions) as GatewayResult['extensions'];
  return copy;
}

export function coalesceExecutor(
  execute: GatewayExecutor,
  stats: CoalescingStats = { executed: 0, joined: 0, refitted: 0 },
): GatewayExecutor {
  const running = new Map<string, Run>();
  const learned = new LRUCache<string, ClaimSet>({ maxSize: LEARNED_BYTES, sizeCalculation: (_, key) => key.length + 64 });
  const runAlone = (requestContext: Parameters<GatewayExecutor>[0]) => {
    stats.executed += 1;
    return execute(requestContext);
  };
  return async (requestContext) => {
    const operation = operationKey(requestContext);
    if (operation === undefined) return runAlone(requestContext);
    const context = contextOf(requestContext);
    const key = executionKey(operation, context, learned.get(operation));
    const run = running.get(key);
    if (!run) {
      const result = runAlone(requestContext).finally(() => {
        running.delete(key);
        const reads = readsOf(context);
        if (reads === EVERYTHING) learned.delete(operation);
        else learned.set(operation, reads);
      });
      running.set(key, { result, context });
      // Its own copy too: a request joining later copies the shared answer after this one's plugins may have begun on it.
      return ownCopy(await result);
    }
    const shared = await run.result;
    if (!fits(run.context, context)) {
      stats.refitted = (stats.refitted ?? 0) + 1;
      sharedWork.inc({ level: 'operation', outcome: 'refitted' });
      return runAlone(requestContext);
    }
    stats.joined += 1;
    sharedWork.inc({ level: 'operation', outcome: 'joined' });
    // The access log names the relation each young person was released under: the same for callers it fits.
    if (run.context.relations) context.relations = new Map(run.context.relations);
    return ownCopy(shared);
  };
}

/** `gateway` with identical queries in flight executed once (see above). */
export function withOperationCoalescing(gateway: GatewayInterface, stats?: CoalescingStats): GatewayInterface {
  return withExecutor(gateway, (executor) => coalesceExecutor(executor, stats));
}
