/**
 * Several fetches of one request to the same subgraph, started together, sent as one call.
 *
 * Why: the query planner makes one entity fetch per distinct `@requires` selection. The dossier's last
 * hop asks the coordination three times at once (`targetGroup`, `contactPersonEligibility` and
 * `coordinatedPlan` require different facts), and each call costs an HTTP exchange and a trip
 * through both GraphQL servers.
 * How: each fetch's operation gets its variables, root fields and fragments prefixed (`_b0_`, `_b1_`,
 * ...) and the operations are joined into one query; the answer is split back by prefix. Each fetch
 * keeps its own `representations`, built by the gateway as before, so nothing is sent that the
 * separate fetches would not have sent, and an entity one fetch could not represent (a system down)
 * leaves the others' entities alone.
 * Not `@graphql-tools/batch-execute`: it merges and prints the joined document on every call. A plan's
 * fetches are fixed, so the join is made once per set of fetches and kept (`MergedOperations`).
 */
import {
  Kind,
  OperationTypeNode,
  print,
  visit,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLFormattedError,
  type OperationDefinitionNode,
  type VariableDefinitionNode,
} from 'graphql';
import { LRUCache } from 'lru-cache';

/** A subgraph's answer as the data source hands it to the gateway's executor. */
export interface FetchAnswer {
  data?: Record<string, unknown> | null;
  errors?: readonly GraphQLFormattedError[];
  extensions?: Record<string, unknown>;
}

export interface MergedOperation {
  query: string;
  document: DocumentNode;
  operationName: string;
  /** How many fetches it joins; fetch i's names start with `prefix(i)`. */
  count: number;
}

const prefix = (index: number) => `_b${index}_`;
const PREFIXED = /^_b(\d+)_/;

/**
 * May this operation be joined with others: one query, no directives on it, only fields at its root
 * (a planner's entity or root fetch). Anything else is sent on its own.
 */
export function isMergeable(document: DocumentNode): boolean {
  let operations = 0;
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) continue;
    if (definition.kind !== Kind.OPERATION_DEFINITION || definition.operation !== OperationTypeNode.QUERY) return false;
    if (definition.directives?.length) return false;
    if (!definition.selectionSet.selections.every((selection) => selection.kind === Kind.FIELD)) return false;
    operations += 1;
  }
  return operations === 1;
}

/** One fetch's operation with every variable, root field and fragment name behind `prefix`. */
function prefixed(document: DocumentNode, tag: string): { operation: OperationDefinitionNode; fragments: FragmentDefinitionNode[] } {
  const renamed = visit(document, {
    Variable: (node) => ({ ...node, name: { ...node.name, value: tag + node.name.value } }),
    FragmentSpread: (node) => ({ ...node, name: { ...node.name, value: tag + node.name.value } }),
    FragmentDefinition: (node) => ({ ...node, name: { ...node.name, value: tag + node.name.value } }),
  });
  let operation: OperationDefinitionNode | undefined;
  const fragments: FragmentDefinitionNode[] = [];
  for (const definition of renamed.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.push(definition);
    else if (definition.kind === Kind.OPERATION_DEFINITION) operation = definition;
  }
  if (!operation) throw new Error('A fetch to batch has no operation');
  const roots = operation.selectionSet.selections.map((selection) => {
    const field = selection as FieldNode;
    return { ...field, alias: { kind: Kind.NAME, value: tag + (field.alias?.value ?? field.name.value) } } satisfies FieldNode;
  });
  return { operation: { ...operation, selectionSet: { ...operation.selectionSet, selections: roots } }, fragments };
}

/** The fetches' operations joined into one query (each must be `isMergeable`). */
export function mergeOperations(documents: readonly DocumentNode[]): MergedOperation {
  const variableDefinitions: VariableDefinitionNode[] = [];
  const selections: FieldNode[] = [];
  const fragments: FragmentDefinitionNode[] = [];
  let firstName: string | undefined;
  documents.forEach((document, index) => {
    const part = prefixed(document, prefix(index));
    firstName ??= part.operation.name?.value;
    variableDefinitions.push(...(part.operation.variableDefinitions ?? []));
    selections.push(...(part.operation.selectionSet.selections as FieldNode[]));
    fragments.push(...part.fragments);
  });
  // The subgraph logs the operation name: the first fetch's, marked as a batch of n.
  const operationName = `${firstName ?? 'Fetch'}__batch${documents.length}`;
  const operation: OperationDefinitionNode = {
    kind: Kind.OPERATION_DEFINITION,
    operation: 'query' as OperationDefinitionNode['operation'],
    name: { kind: Kind.NAME, value: operationName },
    variableDefinitions,
    selectionSet: { kind: Kind.SELECTION_SET, selections },
  };
  const document: DocumentNode = { kind: Kind.DOCUMENT, definitions: [operation, ...fragments] };
  return { query: print(document), document, operationName, count: documents.length };
}

/** The fetches' variables under their prefixed names. */
export function mergeVariables(variables: readonly (Record<string, unknown> | undefined)[]): Record<string, unknown> {
  const merged: Record<string, unknown> = {};
  variables.forEach((values, index) => {
    for (const [name, value] of Object.entries(values ?? {})) merged[prefix(index) + name] = value;
  });
  return merged;
}

/**
 * The joined answer split into one answer per fetch: its root fields and the errors under them, with
 * the prefix taken off. An error at no field of a fetch (no path: the subgraph refused the whole
 * operation) goes to every fetch. Data null as a whole (an error reached the root) is null for all.
 */
export function splitAnswer(answer: FetchAnswer, count: number): FetchAnswer[] {
  const parts: FetchAnswer[] = Array.from({ length: count }, () => ({}));
  if (answer.data === null) for (const part of parts) part.data = null;
  else if (answer.data !== undefined) {
    const data = parts.map((part) => (part.data = {} as Record<string, unknown>));
    for (const [key, value] of Object.entries(answer.data)) {
      const owner = ownerOf(key, count);
      if (owner !== undefined) data[owner]![key.slice(prefix(owner).length)] = value;
    }
  }
  const errors: GraphQLFormattedError[][] = parts.map(() => []);
  for (const error of answer.errors ?? []) {
    const head = error.path?.[0];
    const owner = typeof head === 'string' ? ownerOf(head, count) : undefined;
    if (owner === undefined) for (const list of errors) list.push(error);
    else errors[owner]!.push({ ...error, path: [(head as string).slice(prefix(owner).length), ...error.path!.slice(1)] });
  }
  parts.forEach((part, index) => {
    if (errors[index]!.length > 0) part.errors = errors[index];
    if (answer.extensions) part.extensions = answer.extensions;
  });
  return parts;
}

function ownerOf(key: string, count: number): number | undefined {
  const match = PREFIXED.exec(key);
  if (!match) return undefined;
  const index = Number(match[1]);
  return index < count ? index : undefined;
}

/**
 * Joined operations by the fetches' query texts. A plan's fetches are fixed, so the set of joins is
 * small; past `max` entries the least recently used goes.
 */
export class MergedOperations {
  private readonly byKey: LRUCache<string, MergedOperation>;
  constructor(max = 500) {
    this.byKey = new LRUCache({ max });
  }

  get(queries: readonly string[], documents: readonly DocumentNode[]): MergedOperation {
    const key = queries.join('\u0000');
    let merged = this.byKey.get(key);
    if (!merged) {
      merged = mergeOperations(documents);
      this.byKey.set(key, merged);
    }
    return merged;
  }
}
