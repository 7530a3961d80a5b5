/**
 * Field rules at the gateway, enforced before planning (docs/access.md, "Field rules"): Apollo Server
 * gets this wrapper as its `gateway`; it delegates everything to the real ApolloGateway except that each
 * operation is first cut down to what the caller may see (gateway/operationFilter.ts). So no
 * subgraph is ever asked for a removed field, and a removed mutation field never runs. The answer then
 * gets `null` and an `UNAUTHORIZED_FIELD_OR_TYPE` error where each removed field would have been.
 *
 * ApolloGateway caches query plans by `requestContext.queryHash` (plus the operation name): the hash of
 * the text the client sent. Two callers sending the same text with different scopes must not share a
 * plan, so the filtered operation is executed under the hash extended with what was removed.
 *
 * The rules change with the supergraph (gateway/reload.ts): the wrapper asks a `RulesSource` for the
 * rules of the schema each request was validated against, so a request never meets rules of another
 * supergraph than its own.
 */
import type { GraphQLSchema } from 'graphql';
import {
  withExecutor,
  type GatewayExecutor,
  type GatewayInterface,
  type GatewayRequestContext,
  type GatewayResult,
} from './gatewayInterface.js';
import { filterOperation, type RemovedField } from './operationFilter.js';
import { applyRemovals } from './resultPatch.js';
import type { AccessRules } from '../platform/authorization/rules.js';
import { sha256Hex } from '../platform/hash.js';

/** The caller as the gateway's context knows it; no identity means no scopes and not authenticated. */
export interface ScopedContext {
  identity?: { scopes: ReadonlySet<string> } | null | undefined;
}

export interface FieldAccessOptions {
  /**
   * Told what was removed from an operation, before it runs (the access log records the request as
   * FILTERED). `context` is the request's context value.
   */
  onRemoved?: (context: unknown, removed: readonly RemovedField[]) => void;
}

/** The rules that go with a schema (the API schema the gateway loaded from the same supergraph). */
export type RulesSource = (schema: GraphQLSchema) => AccessRules;

const NO_SCOPES: ReadonlySet<string> = new Set();

function sourceOf(rules: AccessRules | RulesSource): RulesSource {
  return typeof rules === 'function' ? rules : () => rules;
}

/** The executor's own context object is Apollo Server's `contextValue`, named `context` in this interface. */
function identityOf(requestContext: GatewayRequestContext): ScopedContext['identity'] {
  const context = requestContext.context as ScopedContext | undefined;
  return context?.identity ?? undefined;
}

/** Runs one operation with the caller's field rules applied; `execute` is the real gateway's executor. */
export async function executeWithFieldAccess(
  execute: GatewayExecutor,
  rulesOrSource: AccessRules | RulesSource,
  requestContext: GatewayRequestContext,
  options: FieldAccessOptions = {},
): Promise<GatewayResult> {
  const identity = identityOf(requestContext);
  const rules = sourceOf(rulesOrSource)(requestContext.schema);
  const filtered = filterOperation({
    schema: requestContext.schema,
    document: requestContext.document,
    operationName: requestContext.request.operationName,
    rules,
    scopes: identity?.scopes ?? NO_SCOPES,
    authenticated: identity !== undefined && identity !== null,
    variables: requestContext.request.variables,
  });
  if (filtered.removed.length === 0 && filtered.document === requestContext.document) return execute(requestContext);

  if (filtered.removed.length > 0) options.onRemoved?.(requestContext.context, filtered.removed);
  const patch = { variables: requestContext.request.variables };
  // Nothing left to run: no subgraph call, no plan, just the nulls and errors.
  if (filtered.allRemoved) return applyRemovals<GatewayResult>({ data: {} }, filtered.removed, patch);

  const queryHash = sha256Hex(`${requestContext.queryHash}\n${filtered.cacheKey}`);
  const narrowed: GatewayRequestContext = { ...requestContext, document: filtered.document, queryHash };
  const result = await execute(narrowed);
  return applyRemovals<GatewayResult>(result, filtered.removed, patch);
}

/**
 * The gateway Apollo Server should be given: `new ApolloServer({ gateway: withFieldAuthorization(gateway, rules) })`.
 * `rules` come from `readSupergraphRules` on the composed supergraph (the gateway itself loads the
 * stripped one); a `RulesSource` when the supergraph can be reloaded.
 */
export function withFieldAuthorization(
  gateway: GatewayInterface,
  rules: AccessRules | RulesSource,
  options: FieldAccessOptions = {},
): GatewayInterface {
  return withExecutor(gateway, (executor) => (requestContext) => executeWithFieldAccess(executor, rules, requestContext, options));
}
