/**
 * Which young people a refused read named. A field refused by the field rules is never fetched, so the
 * answer holds nobody to log; the operation itself still says whose data was asked for (`youth(id:)`,
 * an input's `youthId`). The refusal belongs in that young person's log: their record must show who
 * tried to read them and was turned away, not only who succeeded.
 */
import {
  getOperationAST,
  Kind,
  OperationTypeNode,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLOutputType,
  type GraphQLSchema,
  type SelectionSetNode,
  type ValueNode,
} from 'graphql';
import { YOUTH_TYPE } from './collect.js';

/** The most young people one refused request is logged against; the rest are counted in the reason. */
export const MAX_NAMED_YOUTHS = 20;
/** What a young person's id may look like (the graph's ids are 1-64 of these); anything else is not logged as one. */
const YOUTH_ID = /^[A-Za-z0-9_-]{1,128}$/;

type Variables = Readonly<Record<string, unknown>> | undefined;

function namedType(type: GraphQLOutputType): GraphQLNamedType {
  let named = type;
  while ('ofType' in named) named = named.ofType;
  return named;
}

function fieldsOf(type: GraphQLNamedType | undefined): Record<string, GraphQLField<unknown, unknown>> | undefined {
  return type && 'getFields' in type ? (type.getFields() as Record<string, GraphQLField<unknown, unknown>>) : undefined;
}

/** The value of an argument (literal or variable), as plain JSON. */
function valueOf(node: ValueNode, variables: Variables): unknown {
  switch (node.kind) {
    case Kind.VARIABLE:
      return variables?.[node.name.value];
    case Kind.STRING:
    case Kind.INT:
      return node.value;
    case Kind.LIST:
      return node.values.map((item) => valueOf(item, variables));
    case Kind.OBJECT:
      return Object.fromEntries(node.fields.map((field) => [field.name.value, valueOf(field.value, variables)]));
    default:
      return undefined;
  }
}

/** Every `youthId` inside an input value (objects and lists, any depth). */
function youthIdsIn(value: unknown, into: Set<string>, depth = 0): void {
  if (depth > 8 || value === null || typeof value !== 'object') return;
  if (Array.isArray(value)) {
    for (const item of value) youthIdsIn(item, into, depth + 1);
    return;
  }
  for (const [key, inner] of Object.entries(value)) {
    if (key === 'youthId' && typeof inner === 'string') into.add(inner);
    else youthIdsIn(inner, into, depth + 1);
  }
}

/** The field a response key selects in `selectionSet` (through inline fragments and fragment spreads). */
function findField(
  selectionSet: SelectionSetNode,
  key: string,
  fragments: Map<string, FragmentDefinitionNode>,
  seen = new Set<string>(),
): FieldNode | undefined {
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) {
      if ((selection.alias?.value ?? selection.name.value) === key) return selection;
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      const found = findField(selection.selectionSet, key, fragments, seen);
      if (found) return found;
    } else if (!seen.has(selection.name.value)) {
      seen.add(selection.name.value);
      const fragment = fragments.get(selection.name.value);
      const found = fragment && findField(fragment.selectionSet, key, fragments, seen);
      if (found) return found;
    }
  }
  return undefined;
}

/**
 * The young people the fields at `paths` (and the fields above them) name in their arguments: `id` of a
 * field returning `Youth`, and every `youthId` in an argument. Sorted, without duplicates.
 */
export function youthIdsNamedAt(
  paths: readonly (readonly (string | number)[])[],
  document: DocumentNode,
  schema: GraphQLSchema,
  options: { operationName?: string | null | undefined; variables?: Variables },
): string[] {
  const operation = getOperationAST(document, options.operationName ?? undefined);
  if (!operation) return [];
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  const root =
    operation.operation === OperationTypeNode.MUTATION
      ? schema.getMutationType()
      : operation.operation === OperationTypeNode.SUBSCRIPTION
        ? schema.getSubscriptionType()
        : schema.getQueryType();
  const named = new Set<string>();
  for (const path of paths) {
    let selectionSet: SelectionSetNode | undefined = operation.selectionSet;
    let parent: GraphQLNamedType | undefined = root ?? undefined;
    for (const segment of path) {
      if (typeof segment === 'number') continue;
      const field: FieldNode | undefined = selectionSet && findField(selectionSet, segment, fragments);
      if (!field) break;
      const definition: GraphQLField<unknown, unknown> | undefined = fieldsOf(parent)?.[field.name.value];
      const returns: GraphQLNamedType | undefined = definition ? namedType(definition.type) : undefined;
      for (const argument of field.arguments ?? []) {
        const value = valueOf(argument.value, options.variables);
        if (argument.name.value === 'id' && returns?.name === YOUTH_TYPE && typeof value === 'string') named.add(value);
        else if (argument.name.value === 'youthId' && typeof value === 'string') named.add(value);
        else youthIdsIn(value, named);
      }
      selectionSet = field.selectionSet;
      parent = returns;
    }
  }
  return [...named].filter((id) => YOUTH_ID.test(id)).sort();
}
