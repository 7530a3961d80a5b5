/**
 * The gateway's executor with Apollo's planner and our own plan execution (gateway/planExecution/):
 * `OWN_PLAN_EXECUTOR` (on by default; `false` runs @apollo/gateway's executor for everything).
 *
 * An operation's first request runs through ApolloGateway's executor as before: it validates, plans,
 * caches the plan and runs it, and `experimental_didResolveQueryPlan` hands us the plan and the
 * subgraphs' data sources. From the second request on, the plan runs here (`execute.ts`) and the answer is
 * shaped by the operation compiled once (`shape.ts`). Plans this code does not run (`@defer`,
 * subscriptions, data rewrites of `@interfaceObject` and `@fromContext`) and operations that introspect
 * the schema stay with Apollo's executor for good, and so does a request whose usage report asks for a
 * query-plan trace (Apollo Studio's; this project sends none).
 *
 * Entries belong to the API schema a request was validated against (a new supergraph brings a new one);
 * at most `MAX_OPERATIONS` per schema are kept (least recently used go first; Apollo plans them again).
 */
import { buildOperationContext, type ApolloGateway } from '@apollo/gateway';
import {
  getVariableValues,
  GraphQLError,
  Kind,
  OperationTypeNode,
  visit,
  type ASTVisitor,
  type FragmentDefinitionNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';
import { LRUCache } from 'lru-cache';
import { executePlan, inSpan, planLevels, runsHere, type DidResolveQueryPlan, type PlanLevels, type QueryPlan } from './execute.js';
import { ShapeAssertion, ShapeCompiler, shapeResponse } from './shape.js';
import { planExecutions, recordCacheLookup } from '../../platform/metrics.js';
import {
  withExecutor,
  type GatewayExecutor,
  type GatewayInterface,
  type GatewayRequestContext,
  type GatewayResult,
} from '../gatewayInterface.js';

type Resolved = Parameters<DidResolveQueryPlan>[0];

/** Operations whose plans are kept per schema (each holds its plan and compiled shapes). */
const MAX_OPERATIONS = 1000;

/** An operation this executor runs: its plan, and what is compiled from it once per set of condition values. */
interface Runnable {
  plan: QueryPlan;
  serviceMap: Resolved['serviceMap'];
  operation: OperationDefinitionNode;
  fragments: Record<string, FragmentDefinitionNode>;
  /** Variables named by `@skip`/`@include`: one compiled shape and level schedule per combination of their values. */
  conditionVariables: string[];
  compiled: Map<string, { shape: ShapeCompiler; levels: PlanLevels }>;
}

/** An operation left to Apollo's executor for good (its plan or operation needs what this one does not do). */
const APOLLO = 'apollo';

type Entry = Runnable | typeof APOLLO;

/** Plans Apollo resolved, by the request they were resolved for. */
export interface PlanExecution {
  /** Give this to `new ApolloGateway({ experimental_didResolveQueryPlan })`. */
  didResolveQueryPlan: DidResolveQueryPlan;
  /** `gateway` with our execution in place of its own, for operations seen before. */
  wrap(gateway: ApolloGateway): GatewayInterface;
}

/** Whether the operation introspects the schema, and the variables its conditions read. */
function examine(
  operation: OperationDefinitionNode,
  fragments: readonly FragmentDefinitionNode[],
): { introspects: boolean; conditions: Set<string> } {
  let introspects = false;
  const conditions = new Set<string>();
  const visitor: ASTVisitor = {
    Field(node) {
      if (node.name.value === '__schema' || node.name.value === '__type') introspects = true;
    },
    Directive(node) {
      if (node.name.value !== 'skip' && node.name.value !== 'include') return;
      for (const argument of node.arguments ?? []) if (argument.value.kind === Kind.VARIABLE) conditions.add(argument.value.name.value);
    },
  };
  visit(operation, visitor);
  for (const fragment of fragments) visit(fragment, visitor);
  return { introspects, conditions };
}

function entryFor(resolved: Resolved, requestContext: GatewayRequestContext): Entry {
  const schema = requestContext.schema;
  // Apollo's own split of the document (it has just run the operation, so there is one to find).
  const { operation, fragments } = buildOperationContext({
    schema,
    operationDocument: requestContext.document,
    operationName: requestContext.request.operationName,
  });
  if (!runsHere(resolved.queryPlan.node, schema)) return APOLLO;
  const { introspects, conditions } = examine(operation, Object.values(fragments));
  if (introspects) return APOLLO;
  return {
    plan: resolved.queryPlan,
    serviceMap: resolved.serviceMap,
    operation,
    fragments,
    conditionVariables: [...conditions],
    compiled: new Map(),
  };
}

/** The shape and the level schedule for these condition values, compiled on first use. */
function compiledFor(entry: Runnable, schema: GraphQLSchema, variables: Readonly<Record<string, unknown>>) {
  const key = entry.conditionVariables.length === 0 ? '' : JSON.stringify(entry.conditionVariables.map((name) => variables[name] ?? null));
  let compiled = entry.compiled.get(key);
  if (!compiled) {
    const rootType = entry.operation.operation === OperationTypeNode.MUTATION ? schema.getMutationType() : schema.getQueryType();
    if (!rootType) throw new ShapeAssertion(`The schema has no ${entry.operation.operation} type`);
    compiled = {
      shape: new ShapeCompiler(schema, entry.fragments, variables, entry.operation.selectionSet, rootType),
      levels: planLevels(entry.plan.node, variables),
    };
    entry.compiled.set(key, compiled);
  }
  return compiled;
}

async function run(entry: Runnable, requestContext: GatewayRequestContext): Promise<GatewayResult> {
  const schema = requestContext.schema;
  // Apollo's executor checks the variables against the operation (Apollo Server leaves it to the gateway).
  let variables: Readonly<Record<string, unknown>> = requestContext.request.variables ?? {};
  if (entry.operation.variableDefinitions?.length) {
    const coerced = getVariableValues(schema, entry.operation.variableDefinitions, variables);
    if (coerced.errors) return { errors: coerced.errors };
    variables = coerced.coerced;
  }
  const { shape, levels } = compiledFor(entry, schema, variables);
  return inSpan('gateway.execute', undefined, async () => {
    const errors: GraphQLError[] = [];
    const merged: Record<string, unknown> = {};
    await executePlan({ requestContext, serviceMap: entry.serviceMap, schema, errors }, levels, merged);
    return inSpan('gateway.postprocessing', undefined, async (): Promise<GatewayResult> => {
      let shaped: ReturnType<typeof shapeResponse>;
      try {
        shaped = shapeResponse(shape, merged);
      } catch (error) {
        const message = error instanceof Error ? error.message : 'Unexpected error during query plan execution';
        return { errors: [new GraphQLError(message, { originalError: error instanceof Error ? error : undefined })] };
      }
      // As Apollo: value completion errors are reported only when nothing else went wrong.
      if (errors.length === 0 && shaped.errors.length > 0) return { extensions: { valueCompletion: shaped.errors }, data: shaped.data };
      return errors.length === 0 ? { data: shaped.data } : { errors, data: shaped.data };
    });
  });
}

export function createPlanExecution(): PlanExecution {
  const resolvedFor = new WeakMap<object, Resolved>();
  // Per API schema: a new supergraph brings a new schema (and new data sources), so its entries start empty.
  const entriesBySchema = new WeakMap<GraphQLSchema, LRUCache<string, Entry>>();

  function entries(schema: GraphQLSchema): LRUCache<string, Entry> {
    let cache = entriesBySchema.get(schema);
    if (!cache) {
      cache = new LRUCache<string, Entry>({ max: MAX_OPERATIONS });
      entriesBySchema.set(schema, cache);
    }
    return cache;
  }

  async function execute(apollo: GatewayExecutor, requestContext: GatewayRequestContext): Promise<GatewayResult> {
    const { queryHash, request } = requestContext;
    const key = request.operationName ? `${queryHash}\n${request.operationName}` : queryHash;
    const cache = entries(requestContext.schema);
    const entry = cache.get(key);
    // Apollo's usage reporting asks for a query-plan trace, which only Apollo's executor builds.
    const tracesAsked = (requestContext.metrics as { captureTraces?: boolean } | undefined)?.captureTraces === true;
    if (entry !== undefined && entry !== APOLLO && !tracesAsked) {
      planExecutions.inc({ executor: 'own' });
      recordCacheLookup('query_plan', true);
      return inSpan('gateway.request', undefined, () => run(entry, requestContext));
    }
    planExecutions.inc({ executor: 'apollo' });
    if (entry) return apollo(requestContext);
    try {
      return await apollo(requestContext);
    } finally {
      const resolved = resolvedFor.get(requestContext);
      if (resolved) {
        resolvedFor.delete(requestContext);
        cache.set(key, entryFor(resolved, requestContext));
      }
    }
  }

  return {
    didResolveQueryPlan: (resolved) => {
      resolvedFor.set(resolved.requestContext, resolved);
    },
    wrap: (gateway) => withExecutor(gateway, (executor) => (requestContext) => execute(executor, requestContext)),
  };
}
