/**
 * Identical operations in flight run once. When a client's query arrives while the very same query is
 * running (same text, same operation name, same variables, same token, same schema), it waits for that
 * run's answer instead of planning, fetching and shaping it again: under load, where many clients ask the
 * same thing at once, that work is done once per burst instead of once per request.
 *
 * Only the execution is shared. Every request still passes every plugin on its own (its token check,
 * limits, rate limit, safelist) and the access log records each request with its own request id, purpose
 * and caller. Keyed by the exact Authorization header, so two requests share a run only if everything
 * the subgraphs are sent is the same (they see one token and one request id: the first request's).
 * Field rules depend on the token alone, so a shared run's answer is what each of them may see.
 * Mutations and subscriptions never share. Each request gets its own copy of the data, so a plugin that
 * rewrites one answer (the access log strips its own selections) cannot touch another's.
 */
import { OperationTypeNode, type GraphQLSchema } from 'graphql';
import type { GatewayInterface, GatewayRequestContext } from './fieldAuthorization.js';

type GatewayExecutor = NonNullable<Awaited<ReturnType<GatewayInterface['load']>>['executor']>;
type GatewayResult = Awaited<ReturnType<GatewayExecutor>>;

export interface CoalescingStats {
  /** Operations executed. */
  executed: number;
  /** Requests answered by an identical operation already running. */
  joined: number;
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

/** The identity of an execution, or undefined when it must run on its own. */
function executionKey(requestContext: GatewayRequestContext): string | undefined {
  // No resolved operation (a document the executor will refuse itself): nothing to share.
  if (requestContext.operation?.operation !== OperationTypeNode.QUERY) return undefined;
  const context = requestContext.context as { authorization?: unknown } | undefined;
  const authorization = typeof context?.authorization === 'string' ? context.authorization : '';
  let variables: string;
  try {
    variables = JSON.stringify(requestContext.request.variables ?? {});
  } catch {
    return undefined;
  }
  return `${schemaId(requestContext.schema)}\n${requestContext.queryHash}\n${requestContext.operationName ?? ''}\n${variables}\n${authorization}`;
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

export function coalesceExecutor(execute: GatewayExecutor, stats: CoalescingStats = { executed: 0, joined: 0 }): GatewayExecutor {
  const running = new Map<string, Promise<GatewayResult>>();
  return async (requestContext) => {
    const key = executionKey(requestContext);
    if (key === undefined) {
      stats.executed += 1;
      return execute(requestContext);
    }
    let shared = running.get(key);
    if (shared) {
      stats.joined += 1;
    } else {
      stats.executed += 1;
      shared = execute(requestContext).finally(() => running.delete(key));
      running.set(key, shared);
    }
    return ownCopy(await shared);
  };
}

/** `gateway` with identical queries in flight executed once (see above). */
export function withOperationCoalescing(gateway: GatewayInterface, stats?: CoalescingStats): GatewayInterface {
  return {
    onSchemaLoadOrUpdate: (callback) => gateway.onSchemaLoadOrUpdate(callback),
    stop: () => gateway.stop(),
    async load(loadOptions) {
      const { executor } = await gateway.load(loadOptions);
      return { executor: executor ? coalesceExecutor(executor, stats) : executor };
    },
  };
}
