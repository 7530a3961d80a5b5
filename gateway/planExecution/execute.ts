/**
 * Runs a query plan from Apollo's planner: the fetches in the plan's order, level by level (see
 * `executePlan`), each subgraph's data merged into one tree, entities' representations collected for the
 * fetches that need them. The same rules as @apollo/gateway's `executeQueryPlan` (so a plan gives the same
 * answer, errors and paths included), without its per-request costs: it parsed the whole operation into
 * its schema model on every request and built a usage-reporting trace node for every plan node whether
 * traces were asked or not.
 *
 * Spans keep Apollo's names (`gateway.execute`, `gateway.fetch`, `gateway.postprocessing`), so a trace
 * reads the same whichever executor ran.
 */
import type { GraphQLDataSource, GraphQLDataSourceProcessOptions, GatewayConfig } from '@apollo/gateway';
import { SpanStatusCode, trace, type Span } from '@opentelemetry/api';
import { GraphQLError, isAbstractType, isInterfaceType, isObjectType, type GraphQLSchema } from 'graphql';
import type { GatewayRequestContext } from '../gatewayInterface.js';

export type DidResolveQueryPlan = NonNullable<
  Extract<GatewayConfig, { experimental_didResolveQueryPlan?: unknown }>['experimental_didResolveQueryPlan']
>;
export type QueryPlan = Parameters<DidResolveQueryPlan>[0]['queryPlan'];
export type PlanNode = NonNullable<QueryPlan['node']>;
type FetchNode = Extract<PlanNode, { kind: 'Fetch' }>;
type RequiresSelection = NonNullable<FetchNode['requires']>[number];
type ResponsePath = (string | number)[];
type JsonObject = Record<string, unknown>;

/** `GraphQLDataSourceRequestKind.INCOMING_OPERATION`: the enum is not exported from @apollo/gateway's entry. */
const INCOMING_OPERATION = 'incoming operation' as GraphQLDataSourceProcessOptions['kind'];

const tracer = trace.getTracer('@apollo/gateway');

/** Runs `work` in an active span named like Apollo's; an exception is recorded on it and thrown on. */
export async function inSpan<T>(name: string, attributes: Record<string, string> | undefined, work: () => Promise<T>): Promise<T> {
  return tracer.startActiveSpan(name, attributes ? { attributes } : {}, async (span: Span) => {
    try {
      return await work();
    } catch (error) {
      span.recordException(error as Error);
      span.setStatus({ code: SpanStatusCode.ERROR });
      throw error;
    } finally {
      span.end();
    }
  });
}

/** Whether this executor runs the plan; otherwise Apollo's own executor does. */
export function runsHere(node: PlanNode | undefined, schema: GraphQLSchema): boolean {
  if (!node) return true;
  switch (node.kind) {
    case 'Sequence':
    case 'Parallel':
      return node.nodes.every((child) => runsHere(child, schema));
    case 'Flatten':
      // Paths of field names and `@` only (Apollo's executor asserts the same).
      return node.path.every((element) => typeof element === 'string') && runsHere(node.node, schema);
    case 'Condition':
      return runsHere(node.ifClause, schema) && runsHere(node.elseClause, schema);
    case 'Fetch':
      // Not the data rewrites of @interfaceObject and @fromContext, nor type conditions the API schema lacks.
      return (
        !node.inputRewrites?.length &&
        !node.outputRewrites?.length &&
        !node.contextRewrites?.length &&
        (!node.requires || typeConditionsKnown(node.requires, schema))
      );
    default:
      // Defer and Subscription.
      return false;
  }
}

function typeConditionsKnown(selections: readonly RequiresSelection[], schema: GraphQLSchema): boolean {
  for (const selection of selections) {
    if (selection.kind === 'InlineFragment' && selection.typeCondition && !schema.getType(selection.typeCondition)) return false;
    if (selection.selections && !typeConditionsKnown(selection.selections, schema)) return false;
  }
  return true;
}

export interface PlanRun {
  requestContext: GatewayRequestContext;
  serviceMap: Readonly<Record<string, GraphQLDataSource>>;
  schema: GraphQLSchema;
  errors: GraphQLError[];
}

interface Cursor {
  path: ResponsePath;
  /** The objects at `path` (never null), in the order `hydratePaths` walks them. */
  entities: JsonObject[];
  fullResult: JsonObject;
}

/** A fetch and the absolute path (from the answer's root) of the entities it is for. */
interface ScheduledFetch {
  fetch: FetchNode;
  path: string[];
}

/** A plan's fetches by level (see `executePlan`); empty levels are left out. */
export type PlanLevels = ScheduledFetch[][];

/** A fetch at the earliest level its sequences allow; a movable one may run at any later level of the plan. */
interface Placed extends ScheduledFetch {
  earliest: number;
  movable: boolean;
}

/**
 * Places every fetch of the plan at a level: a sequence's steps one level after the other, a parallel's
 * branches from the same level; conditions are settled by `variables` (the operation's `@skip`/`@include`
 * values, which are all a plan's conditions read). The same for every request with the same condition
 * values, so the executor keeps it with the operation.
 *
 * A fetch runs at the earliest level its sequences allow, except a fetch nothing waits for (the last step of
 * every sequence it is in): it may run at any later level of the plan, and goes where it joins a call to its
 * subgraph that must happen anyway, or joins the other such fetches to that subgraph at one level. The plan
 * keeps its depth (its latency), and a subgraph is called fewer times: TestQuery's `inStock` fetches, which
 * Apollo's planner puts beside the first look-up of their products, join the `shippingEstimate` call of the
 * last level (8 subgraph calls → 6; Hive's Rust planner makes 7).
 */
export function planLevels(node: PlanNode | undefined, variables: Readonly<Record<string, unknown>>): PlanLevels {
  const placed: Placed[] = [];
  const place = (at: PlanNode, path: string[], start: number, last: boolean): number => {
    switch (at.kind) {
      case 'Sequence': {
        let level = start;
        at.nodes.forEach((child, index) => {
          level = place(child, path, level, last && index === at.nodes.length - 1);
        });
        return level;
      }
      case 'Parallel': {
        let end = start;
        for (const child of at.nodes) end = Math.max(end, place(child, path, start, last));
        return end;
      }
      case 'Flatten':
        return place(at.node, path.concat(at.path as string[]), start, last);
      case 'Fetch':
        placed.push({ fetch: at, path, earliest: start, movable: last });
        return start + 1;
      case 'Condition': {
        const value = variables[at.condition];
        if (typeof value !== 'boolean')
          throw new Error(`Invalid non-boolean value ${String(value)} for Boolean! variable $${at.condition}`);
        const branch = value ? at.ifClause : at.elseClause;
        return branch ? place(branch, path, start, last) : start;
      }
      default:
        throw new Error(`${at.kind} nodes are not executed here`);
    }
  };
  const depth = node ? place(node, [], 0, true) : 0;
  return joinedLevels(placed, depth - 1);
}

/** Chooses each movable fetch's level (see `planLevels`) and groups the fetches by level, in plan order. */
function joinedLevels(placed: readonly Placed[], lastLevel: number): PlanLevels {
  const call = (level: number, service: string) => `${level}\u0000${service}`;
  const fixed = (fetch: Placed) => !fetch.movable || fetch.earliest === lastLevel;
  // The calls each subgraph gets anyway: those of the fetches that cannot move.
  const calls = new Set(placed.filter(fixed).map((fetch) => call(fetch.earliest, fetch.fetch.serviceName)));
  const levelOf = new Map<Placed, number>();
  const alone = new Map<string, Placed[]>();
  for (const fetch of placed) {
    if (fixed(fetch)) {
      levelOf.set(fetch, fetch.earliest);
      continue;
    }
    // A movable fetch joins the earliest call its subgraph gets anyway at its level or later...
    let level = fetch.earliest;
    while (level <= lastLevel && !calls.has(call(level, fetch.fetch.serviceName))) level += 1;
    if (level <= lastLevel) levelOf.set(fetch, level);
    else if (alone.has(fetch.fetch.serviceName)) alone.get(fetch.fetch.serviceName)!.push(fetch);
    else alone.set(fetch.fetch.serviceName, [fetch]);
  }
  // ...else the movable fetches to one subgraph run together, at the latest of their earliest levels.
  for (const group of alone.values()) {
    const level = Math.max(...group.map((fetch) => fetch.earliest));
    for (const fetch of group) levelOf.set(fetch, level);
  }
  const levels: PlanLevels = [];
  for (const fetch of placed) (levels[levelOf.get(fetch)!] ??= []).push({ fetch: fetch.fetch, path: fetch.path });
  return levels.filter((level) => level !== undefined);
}

/**
 * Runs the plan into `root` (the merged result), level by level: every fetch of a level starts at once,
 * after the level before has finished, so a level's fetches to one subgraph go as one call
 * (gateway/fetchBatching.ts). Apollo's executor walked the plan's tree instead, starting each fetch as soon
 * as its own branch allowed: fetches to one subgraph from different branches rarely started together, and
 * the peer benchmark's TestQuery took 16 subgraph calls where its 4 levels need 6 (`planLevels`; Hive's Rust
 * planner plans 7). The order a plan requires is kept: a fetch runs only after everything its sequence put
 * before it. Errors of fetches go to `run.errors`.
 */
export async function executePlan(run: PlanRun, levels: PlanLevels, root: JsonObject): Promise<void> {
  for (const level of levels) {
    await Promise.all(
      level.map(async ({ fetch, path }) => {
        const entities: JsonObject[] = [];
        entitiesAt(root, path, 0, entities);
        if (entities.length === 0) return;
        try {
          await executeFetch(run, fetch, { path, entities, fullResult: root });
        } catch (error) {
          run.errors.push(error as GraphQLError);
        }
      }),
    );
  }
}

/**
 * Apollo's `flattenResultsAtPath` into one list: the objects at `path` from `value` (its `from`-th element
 * on), through every list at `@`, and the items of a list at its end; nulls left out.
 */
function entitiesAt(value: unknown, path: readonly string[], from: number, into: JsonObject[]): void {
  let at = from;
  while (at < path.length && value !== undefined && value !== null && path[at] !== '@') {
    if (Array.isArray(value)) throw new Error(`Unexpected array in result for path element ${path[at]}`);
    value = Object.hasOwn(value, path[at]!) ? (value as JsonObject)[path[at]!] : undefined;
    at += 1;
  }
  if (value === undefined || value === null) return;
  if (at < path.length) {
    if (!Array.isArray(value)) throw new Error('Expected a list where the plan has `@`');
    for (const item of value) entitiesAt(item, path, at + 1, into);
  } else if (Array.isArray(value)) {
    for (const item of value) if (item !== undefined && item !== null) into.push(item as JsonObject);
  } else {
    into.push(value as JsonObject);
  }
}

async function executeFetch(run: PlanRun, fetch: FetchNode, cursor: Cursor): Promise<void> {
  const service = run.serviceMap[fetch.serviceName];
  await inSpan('gateway.fetch', { service: fetch.serviceName }, async () => {
    if (!service) throw new Error(`Couldn't find service with name "${fetch.serviceName}"`);
    const entities = cursor.entities;

    // Plain objects throughout (`defineOwn` keeps `__proto__` a key): V8 keeps a null-prototype object in
    // dictionary mode, slower to fill and to serialize.
    const variables: JsonObject = {};
    const provided = run.requestContext.request.variables;
    if (fetch.variableUsages && provided) {
      for (const name of fetch.variableUsages) {
        if (Object.hasOwn(provided, name) && provided[name] !== undefined) defineOwn(variables, name, provided[name]);
      }
    }

    if (!fetch.requires) {
      const received = await send(run, service, fetch, cursor, variables);
      for (const entity of entities) deepMerge(entity, received);
      return;
    }

    // Each distinct representation once (as Apollo Router sends them; Apollo's gateway sent one per entity):
    // the same product under many reviews is asked for, and answered, once, then merged into each. An
    // object met twice (one merged into two places by an earlier fetch) is one place to merge into.
    const representations: JsonObject[] = [];
    const entitiesOf: number[][] = [];
    const distinct = new DistinctRepresentations(run.schema, fetch.requires);
    const objects = new Set<JsonObject>();
    for (let index = 0; index < entities.length; index += 1) {
      const entity = entities[index]!;
      if (objects.has(entity)) continue;
      objects.add(entity);
      const at = distinct.indexOf(entity, representations);
      if (at === undefined) continue;
      if (at === entitiesOf.length) entitiesOf.push([index]);
      else entitiesOf[at]!.push(index);
    }
    if (representations.length < 1) return;
    if ('representations' in variables) throw new Error('Variables cannot contain key "representations"');
    const received = await send(run, service, fetch, cursor, { ...variables, representations }, (at) => entitiesOf[at]?.[0]);
    if (!received) return;
    const found = received._entities;
    if (!Array.isArray(found)) throw new Error('Expected "data._entities" in response to be an array');
    if (found.length !== representations.length) throw new Error(`Expected "data._entities" to contain ${representations.length} elements`);
    for (let index = 0; index < found.length; index += 1) {
      const entity = found[index] as JsonObject | null | undefined;
      // Merging the same answer into several places shares its objects between them: they hold the same
      // data, later fetches merge into them once per place (the same data again), and the answer is
      // shaped into objects of its own per place.
      for (const at of entitiesOf[index]!) {
        const target = entities[at]!;
        if (entity && !entity.__typename) entity.__typename = target.__typename;
        deepMerge(target, entity);
      }
    }
  });
}

async function send(
  run: PlanRun,
  service: GraphQLDataSource,
  fetch: FetchNode,
  cursor: Cursor,
  variables: JsonObject,
  entityOf?: (representation: number) => number | undefined,
): Promise<JsonObject | null | undefined> {
  const requestContext = run.requestContext;
  const response = await service.process({
    kind: INCOMING_OPERATION,
    request: { query: fetch.operation, variables, operationName: fetch.operationName },
    incomingRequestContext: requestContext,
    context: requestContext.context,
    document: fetch.operationDocumentNode,
    pathInIncomingRequest: cursor.path,
  });
  if (response.errors) {
    const pathOf = errorPaths(fetch, cursor, entityOf);
    for (const error of response.errors) run.errors.push(downstreamError(error, fetch.serviceName, pathOf));
    // Apollo's usage reporting reads these (no federated trace came with the errors).
    const metrics = requestContext.metrics as { nonFtv1ErrorPaths?: { subgraph: string; path: unknown }[] } | undefined;
    if (metrics && !response.extensions?.ftv1) {
      const paths = response.errors.map((error) => ({ subgraph: fetch.serviceName, path: error.path }));
      if (metrics.nonFtv1ErrorPaths) metrics.nonFtv1ErrorPaths.push(...paths);
      else metrics.nonFtv1ErrorPaths = paths;
    }
  }
  return response.data as JsonObject | null | undefined;
}

/** A subgraph's error as the client sees it: its own code, else DOWNSTREAM_SERVICE_ERROR; path in the client's answer. */
function downstreamError(
  original: { message?: string; path?: readonly (string | number)[] | undefined; extensions?: Record<string, unknown> | undefined },
  serviceName: string,
  pathOf: (path: readonly (string | number)[] | undefined) => ResponsePath | undefined,
): GraphQLError {
  const message = original.message || `Error while fetching subquery from service "${serviceName}"`;
  const extensions = original.extensions;
  return new GraphQLError(message, {
    originalError: original as Error,
    path: pathOf(original.path),
    extensions: extensions?.code ? { ...extensions, serviceName } : { ...extensions, serviceName, code: 'DOWNSTREAM_SERVICE_ERROR' },
  });
}

/**
 * Apollo's error paths: an entity's error at the entity's place in the client's answer (the first place of
 * the entities that share its representation), anything else under the fetch's own path.
 */
function errorPaths(
  fetch: FetchNode,
  cursor: Cursor,
  entityOf: ((representation: number) => number | undefined) | undefined,
): (path: readonly (string | number)[] | undefined) => ResponsePath | undefined {
  let hydrated: ResponsePath[] | undefined;
  return (path) => {
    if (fetch.requires && typeof path?.[1] === 'number') {
      if (!hydrated) {
        hydrated = [];
        hydratePaths([], cursor.path, 0, cursor.fullResult, hydrated);
      }
      const entity = entityOf ? entityOf(path[1]) : path[1];
      return [...((entity === undefined ? undefined : hydrated[entity]) ?? []), ...path.slice(2)];
    }
    return path ? [...cursor.path, ...path] : undefined;
  };
}

function hydratePaths(parent: ResponsePath, path: ResponsePath, from: number, data: unknown, result: ResponsePath[]): void {
  if (data === null || data === undefined) return;
  const head = path[from];
  if (head === undefined) {
    result.push(parent.slice());
  } else if (head === '@') {
    if (!Array.isArray(data)) throw new Error('expected array when encountering `@`');
    data.forEach((value, index) => {
      parent.push(index);
      hydratePaths(parent, path, from + 1, value, result);
      parent.pop();
    });
  } else if (typeof head === 'string') {
    if (Array.isArray(data)) {
      data.forEach((value, index) => {
        parent.push(index);
        hydratePaths(parent, path, from, value, result);
        parent.pop();
      });
    } else if (Object.hasOwn(data, head)) {
      parent.push(head);
      hydratePaths(parent, path, from + 1, (data as JsonObject)[head], result);
      parent.pop();
    }
  }
}

/** Per fetch's `requires` (kept with the plan): the scalar fields of the representation per `__typename`, or null when it nests. */
const scalarFieldsByRequires = new WeakMap<readonly RequiresSelection[], Map<string, readonly string[] | null>>();

/**
 * Finds an entity's representation among those already collected for a fetch, without building one per
 * entity: most `requires` are a type's key fields, scalars, so an entity is looked up by its `__typename`
 * and those values in nested maps, and a representation is built only for a new one. Entities whose
 * representation nests objects or lists are compared by the representation's JSON.
 */
class DistinctRepresentations {
  private readonly fieldsOf: Map<string, readonly string[] | null>;
  private readonly byValues = new Map<string, Map<unknown, unknown>>();
  private readonly byJson = new Map<string, number>();

  constructor(
    private readonly schema: GraphQLSchema,
    private readonly requires: readonly RequiresSelection[],
  ) {
    let fieldsOf = scalarFieldsByRequires.get(requires);
    if (!fieldsOf) scalarFieldsByRequires.set(requires, (fieldsOf = new Map<string, readonly string[] | null>()));
    this.fieldsOf = fieldsOf;
  }

  /** The index of `entity`'s representation in `representations`, which a new one is added to; undefined when it has none. */
  indexOf(entity: JsonObject, representations: JsonObject[]): number | undefined {
    const typename = entity.__typename;
    const fields = typeof typename === 'string' && typename !== '' ? this.scalarFields(typename) : null;
    if (!fields) return this.byJsonOf(entity, representations);
    let level = this.byValues.get(typename as string);
    if (!level) this.byValues.set(typename as string, (level = new Map()));
    for (let index = 0; index < fields.length; index += 1) {
      const value = Object.hasOwn(entity, fields[index]!) ? entity[fields[index]!] : undefined;
      if (value === undefined) return undefined; // missing: no representation, as selectRepresentation says
      if (value !== null && typeof value === 'object') return this.byJsonOf(entity, representations);
      if (index < fields.length - 1) {
        let inner = level.get(value) as Map<unknown, unknown> | undefined;
        if (!inner) level.set(value, (inner = new Map()));
        level = inner;
      } else {
        const at = level.get(value) as number | undefined;
        if (at !== undefined) return at;
        level.set(value, representations.length);
      }
    }
    return representations.push(selectRepresentation(this.schema, entity, this.requires)!) - 1;
  }

  private byJsonOf(entity: JsonObject, representations: JsonObject[]): number | undefined {
    const representation = selectRepresentation(this.schema, entity, this.requires);
    if (!representation?.__typename) return undefined;
    const key = JSON.stringify(representation);
    const at = this.byJson.get(key);
    if (at !== undefined) return at;
    this.byJson.set(key, representations.length);
    return representations.push(representation) - 1;
  }

  /**
   * The response names an object of `typename` gets in its representation, in order, when each is a field
   * without a selection of its own (and `__typename` among them); null otherwise.
   */
  private scalarFields(typename: string): readonly string[] | null {
    let fields = this.fieldsOf.get(typename);
    if (fields === undefined) {
      const collected: string[] = [];
      const collect = (selections: readonly RequiresSelection[]): boolean => {
        for (const selection of selections) {
          if (selection.kind === 'Field') {
            if (selection.selections) return false;
            const name = selection.alias ?? selection.name;
            if (!collected.includes(name)) collected.push(name);
          } else if (selection.typeCondition && isObjectOfType(this.schema, { __typename: typename }, selection.typeCondition)) {
            if (!collect(selection.selections)) return false;
          }
        }
        return true;
      };
      fields = collect(this.requires) && collected.includes('__typename') ? collected : null;
      this.fieldsOf.set(typename, fields);
    }
    return fields;
  }
}

/** An entity's representation: the fields `requires` names, or null when one is missing. */
function selectRepresentation(schema: GraphQLSchema, source: unknown, selections: readonly RequiresSelection[]): JsonObject | null {
  if (source === null) return null;
  const object = source as JsonObject;
  const result: JsonObject = {};
  for (const selection of selections) {
    if (selection.kind === 'Field') {
      const responseName = selection.alias ?? selection.name;
      if (!Object.hasOwn(object, responseName) || object[responseName] === undefined) return null;
      const value = object[responseName];
      const nested = selection.selections;
      if (Array.isArray(value))
        defineOwn(
          result,
          responseName,
          value.map((item: unknown) => (nested ? selectRepresentation(schema, item, nested) : item)),
        );
      else defineOwn(result, responseName, nested ? selectRepresentation(schema, value, nested) : value);
    } else if (selection.typeCondition && source && isObjectOfType(schema, object, selection.typeCondition)) {
      deepMerge(result, selectRepresentation(schema, object, selection.selections));
    }
  }
  return result;
}

function isObjectOfType(schema: GraphQLSchema, object: JsonObject, condition: string): boolean {
  const typename = object.__typename;
  if (!typename || typeof typename !== 'string') return false;
  if (typename === condition) return true;
  const type = schema.getType(typename);
  const conditional = schema.getType(condition);
  if (!type || !conditional || !isAbstractType(conditional)) return false;
  return (isObjectType(type) || isInterfaceType(type)) && schema.isSubType(conditional, type);
}

function isPlainObject(value: unknown): value is JsonObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Apollo's merge: objects field by field, lists of the same length element by element, anything else replaced. */
function deepMerge(target: JsonObject, source: unknown): JsonObject {
  if (source === undefined || source === null) return target;
  const from = source as JsonObject;
  // for-in over V8's enum cache allocates nothing (Object.keys made an array per merge); own keys only.
  for (const key in from) {
    if (!Object.hasOwn(from, key)) continue;
    const value = from[key];
    if (value === undefined) continue;
    const existing = Object.hasOwn(target, key) ? target[key] : undefined;
    if (existing && isPlainObject(value)) {
      deepMerge(existing as JsonObject, value);
    } else if (Array.isArray(value) && Array.isArray(existing) && value.length === existing.length) {
      const into = existing as unknown[];
      for (let index = 0; index < value.length; index += 1) {
        const item: unknown = value[index];
        const current: unknown = into[index];
        if (isPlainObject(current) && isPlainObject(item)) deepMerge(current, item);
        else into[index] = item;
      }
    } else {
      defineOwn(target, key, value);
    }
  }
  return target;
}

/** A plain assignment would call the `__proto__` setter; a defined property cannot. */
export function defineOwn(target: JsonObject, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}
