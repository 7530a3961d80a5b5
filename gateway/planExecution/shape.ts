/**
 * The answer's shape, made from the subgraphs' merged data: what @apollo/gateway's `computeResponse`
 * does (its result shaping), compiled once per operation instead of interpreted per object.
 *
 * Apollo walks the operation's selection sets for every object of every answer, asking its schema model
 * for each field's definition, each fragment's type condition and each `@skip`/`@include` as it goes; a
 * large answer (the peer benchmark's TestQuery) spent ~11% of the gateway's busy time there, and more in
 * the garbage it made. Here the fields an object of a given `__typename` gets are collected once per
 * selection set and type (fragments applied, conditions settled by the request's variables, duplicate
 * fields merged, in first-seen order as GraphQL orders them) and kept; each answer is then one pass over
 * its objects.
 *
 * The rules are Apollo's, so that both executors give the same answer to the byte: output objects only
 * hold what the operation selects, under its aliases; `__typename` is the object's own type (or the
 * enclosing fragment's, when the subgraphs sent none); a null where the schema says non-null makes the
 * nearest nullable parent null (`data` itself when there is none) with an `INVALID_GRAPHQL` error; a leaf
 * of the wrong kind (a string for an Int, an unknown enum value) becomes null with an error; an unknown
 * `__typename` makes its object null with an error.
 */
import {
  getDirectiveValues,
  getNamedType,
  GraphQLError,
  GraphQLIncludeDirective,
  GraphQLSkipDirective,
  type GraphQLObjectType,
  isAbstractType,
  isCompositeType,
  isEnumType,
  isInterfaceType,
  isListType,
  isNonNullType,
  isObjectType,
  isSpecifiedScalarType,
  isUnionType,
  Kind,
  type DirectiveNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLNamedType,
  type GraphQLOutputType,
  type GraphQLSchema,
  type SelectionSetNode,
} from 'graphql';
import { defineOwn } from './execute.js';

type JsonObject = Record<string, unknown>;
type Variables = Readonly<Record<string, unknown>>;

/** Thrown where Apollo's own shaping asserts (a list that is not one, an object that is a string). */
export class ShapeAssertion extends Error {}

interface TypenameStep {
  kind: 'typename';
  responseName: string;
  /** The enclosing fragment's type condition: `__typename`'s answer when the object names no type. */
  scope: GraphQLCompositeType | undefined;
}

interface ValueStep {
  kind: 'value';
  responseName: string;
  /** The field's type where the operation selects it (an interface's field may be nullable where its object's is not). */
  type: GraphQLOutputType;
  /** The type named in messages ("field Product.name"): the fragment's type condition, else the object's. */
  parentName: string | undefined;
  /** The field's selection sets (merged where it is selected more than once); none for a leaf. */
  selections: SelectionShape | undefined;
  /** For a leaf: whether a value is one of its type's (Apollo's `isValidLeafValue`). */
  leaf: (value: unknown) => boolean;
}

type Step = TypenameStep | ValueStep;

/** Where a selection set is being collected (see `ShapeCompiler.collect`). */
interface Scope {
  /** The type whose fields the selections name. */
  definitions: GraphQLCompositeType;
  /** The object's type, or the enclosing fragment's type condition. */
  parent: GraphQLCompositeType;
  fragment: GraphQLCompositeType | undefined;
  runtimeType: GraphQLNamedType | undefined;
  hasTypename: boolean;
}

/**
 * One field's selection sets, as written (possibly several, merged), with the steps for each runtime
 * type worked out on first use. `staticType` is the field's declared (named) type.
 */
export class SelectionShape {
  private readonly byType = new Map<string, Step[]>();

  constructor(
    private readonly compiler: ShapeCompiler,
    readonly sets: SelectionSetNode[],
    readonly staticType: GraphQLCompositeType,
  ) {}

  /** The steps for an object whose `__typename` is `typename` (undefined: none sent) and whose type is `objectType`. */
  stepsFor(typename: string | undefined, objectType: GraphQLCompositeType): Step[] {
    const key = typename ?? '';
    let steps = this.byType.get(key);
    if (!steps) {
      steps = this.compiler.collect(this, typename, objectType);
      this.byType.set(key, steps);
    }
    return steps;
  }
}

/** Whether `type` is `condition` or one of its members or implementations (federation's `isSubtype`). */
function isSubtype(schema: GraphQLSchema, condition: GraphQLCompositeType, type: GraphQLNamedType): boolean {
  if (condition === type) return true;
  return isAbstractType(condition) && (isObjectType(type) || isInterfaceType(type)) && schema.isSubType(condition, type);
}

/**
 * Compiles one operation (with the values its `@skip`/`@include` conditions take) against the API schema.
 * One per operation and set of condition values; its shapes fill in as answers of new types arrive.
 */
export class ShapeCompiler {
  readonly root: SelectionShape;

  constructor(
    readonly schema: GraphQLSchema,
    private readonly fragments: Readonly<Record<string, FragmentDefinitionNode>>,
    private readonly variables: Variables,
    rootSet: SelectionSetNode,
    rootType: GraphQLObjectType,
  ) {
    this.root = new SelectionShape(this, [rootSet], rootType);
  }

  /**
   * The steps for an object of runtime `typename` (or, without one, of `objectType`), fields merged in
   * first-seen order. As in Apollo's model of the operation, a field's definition is looked up on the type
   * its selection set is written for (the field's declared type, or the fragment's type condition), while
   * fragments apply, and messages name, by the object's own type (or the fragment's).
   */
  collect(shape: SelectionShape, typename: string | undefined, objectType: GraphQLCompositeType): Step[] {
    const runtimeType = typename === undefined ? undefined : this.schema.getType(typename);
    const steps = new Map<string, Step>();
    const scope = {
      definitions: shape.staticType,
      parent: objectType,
      fragment: undefined,
      runtimeType,
      hasTypename: typename !== undefined,
    };
    for (const set of shape.sets) this.collectInto(steps, set, scope);
    return [...steps.values()];
  }

  private collectInto(steps: Map<string, Step>, set: SelectionSetNode, scope: Scope): void {
    const parent = scope.parent;
    const fragmentScope = scope.fragment;
    for (const selection of set.selections) {
      if (this.skipped(selection)) continue;
      if (selection.kind === Kind.FIELD) {
        const responseName = selection.alias?.value ?? selection.name.value;
        const name = selection.name.value;
        const existing = steps.get(responseName);
        if (name === '__typename') {
          if (!existing) steps.set(responseName, { kind: 'typename', responseName, scope: fragmentScope });
          continue;
        }
        if (existing) {
          if (existing.kind === 'value' && existing.selections && selection.selectionSet)
            existing.selections.sets.push(selection.selectionSet);
          continue;
        }
        const definitions = scope.definitions;
        if (isUnionType(definitions)) throw new ShapeAssertion(`Cannot query field "${name}" on union type "${definitions.name}"`);
        const definition = definitions.getFields()[name];
        if (!definition) throw new ShapeAssertion(`Cannot query field "${name}" on type "${definitions.name}"`);
        const named = getNamedType(definition.type);
        const selections =
          selection.selectionSet && isCompositeType(named) ? new SelectionShape(this, [selection.selectionSet], named) : undefined;
        steps.set(responseName, {
          kind: 'value',
          responseName,
          type: definition.type,
          parentName: parent.name,
          selections,
          leaf: leafCheck(named),
        });
        continue;
      }
      const fragment = selection.kind === Kind.INLINE_FRAGMENT ? selection : this.fragments[selection.name.value];
      if (!fragment) throw new ShapeAssertion(`Unknown fragment "${selection.kind === Kind.FRAGMENT_SPREAD ? selection.name.value : ''}"`);
      const conditionName = fragment.typeCondition?.name.value;
      let condition: GraphQLCompositeType | undefined;
      if (conditionName !== undefined) {
        const named = this.schema.getType(conditionName);
        if (!named || !isCompositeType(named)) continue;
        condition = named;
      }
      // Apollo's rule: against the object's own `__typename` when it has one, else against the type in scope.
      const { runtimeType, hasTypename } = scope;
      const applies =
        condition === undefined ||
        (hasTypename
          ? runtimeType !== undefined && isSubtype(this.schema, condition, runtimeType)
          : isSubtype(this.schema, condition, parent));
      if (!applies) continue;
      this.collectInto(
        steps,
        fragment.selectionSet,
        condition === undefined ? scope : { ...scope, definitions: condition, parent: condition, fragment: condition },
      );
    }
  }

  /** graphql-js's own reading of `@skip`/`@include` (its `collectFields` rule). */
  private skipped(node: { readonly directives?: readonly DirectiveNode[] | undefined }): boolean {
    if (!node.directives?.length) return false;
    try {
      if (getDirectiveValues(GraphQLSkipDirective, node, this.variables)?.if === true) return true;
      return getDirectiveValues(GraphQLIncludeDirective, node, this.variables)?.if === false;
    } catch (error) {
      throw new ShapeAssertion(error instanceof Error ? error.message : String(error));
    }
  }
}

const INTEGER = /^-?(?:0|[1-9][0-9]*)$/;

const isInteger = (value: unknown) => (typeof value === 'number' && Number.isFinite(value) ? INTEGER.test(String(value)) : false);
const LEAF_CHECKS: Readonly<Record<string, (value: unknown) => boolean>> = {
  Boolean: (value) => typeof value === 'boolean',
  Int: isInteger,
  Float: (value) => typeof value === 'number' && Number.isFinite(value),
  String: (value) => typeof value === 'string',
  ID: (value) => typeof value === 'string' || isInteger(value),
};
const ANY_VALUE = () => true;

/** Apollo's `isValidLeafValue` for one type: a custom scalar takes anything, the built-in ones and enums their own kinds. */
function leafCheck(type: GraphQLNamedType): (value: unknown) => boolean {
  if (isEnumType(type)) return (value) => typeof value === 'string' && type.getValue(value) !== undefined;
  if (isSpecifiedScalarType(type)) return LEAF_CHECKS[type.name] ?? ANY_VALUE;
  return ANY_VALUE;
}

/** A null where the schema says non-null: the parent must become null too. */
const BUBBLE = Symbol('null bubbles up');

/** Shapes `input` (the merged subgraph data) into the answer; errors are the ones Apollo calls value completion errors. */
export function shapeResponse(compiler: ShapeCompiler, input: JsonObject): { data: JsonObject | null; errors: GraphQLError[] } {
  const errors: GraphQLError[] = [];
  const root = compiler.root;
  const output = shapeObject(compiler, input, root, root.staticType, [], errors);
  return { data: output === BUBBLE ? null : output, errors };
}

function describe(path: readonly (string | number)[], type: GraphQLOutputType, parentName: string | undefined): string {
  const last = path[path.length - 1];
  return typeof last === 'string' ? `field ${parentName}.${last}` : `array element of type ${String(type)} at index ${String(last)}`;
}

function invalidGraphql(message: string, path: readonly (string | number)[]): GraphQLError {
  return new GraphQLError(message, { path: [...path], extensions: { code: 'INVALID_GRAPHQL' } });
}

function shapeObject(
  compiler: ShapeCompiler,
  input: JsonObject,
  shape: SelectionShape,
  objectType: GraphQLCompositeType,
  path: (string | number)[],
  errors: GraphQLError[],
): JsonObject | typeof BUBBLE {
  const typename = input.__typename as string | undefined;
  // A plain object (`defineOwn` keeps `__proto__` a key): V8 keeps a null-prototype object in dictionary
  // mode, 2-3x slower to fill and to serialize.
  const output: JsonObject = {};
  for (const step of shape.stepsFor(typename, objectType)) {
    if (step.kind === 'typename') {
      let named = Object.hasOwn(input, step.responseName) ? input[step.responseName] : undefined;
      if ((named === undefined || named === null) && step.responseName !== '__typename') named = input.__typename;
      const scope = step.scope ?? objectType;
      const type = typeof named === 'string' ? (compiler.schema.getType(named) ?? scope) : scope;
      if (!isObjectType(type)) return BUBBLE;
      defineOwn(output, step.responseName, type.name);
      continue;
    }
    path.push(step.responseName);
    const raw = Object.hasOwn(input, step.responseName) ? input[step.responseName] : undefined;
    const value = complete(compiler, step, step.type, raw ?? null, path, errors);
    path.pop();
    if (value === BUBBLE) return BUBBLE;
    defineOwn(output, step.responseName, value);
  }
  return output;
}

/**
 * One value of `step`'s field at `type`: the shaped value, null, or BUBBLE (null where the type says
 * non-null). Whether a null came with an error of its own is read from `errors` growing (Apollo's
 * `hasErrors`: one error per null, at the deepest place).
 */
function complete(
  compiler: ShapeCompiler,
  step: ValueStep,
  type: GraphQLOutputType,
  input: unknown,
  path: (string | number)[],
  errors: GraphQLError[],
): unknown {
  if (isNonNullType(type)) {
    const before = errors.length;
    const inner = complete(compiler, step, type.ofType, input, path, errors);
    if (inner !== null && inner !== BUBBLE) return inner;
    if (errors.length === before)
      errors.push(invalidGraphql(`Cannot return null for non-nullable ${describe(path, type.ofType, step.parentName)}.`, path));
    return BUBBLE;
  }
  if (input === null) return null;
  if (isListType(type)) {
    if (!Array.isArray(input))
      throw new ShapeAssertion(`Invalid non-list value ${JSON.stringify(input)} returned by subgraph for list type ${String(type)}`);
    const output: unknown[] = new Array<unknown>(input.length);
    let nullify = false;
    for (let index = 0; index < input.length; index += 1) {
      path.push(index);
      const element = complete(compiler, step, type.ofType, input[index] ?? null, path, errors);
      path.pop();
      if (element === BUBBLE) {
        nullify = true;
        output[index] = null;
      } else {
        output[index] = element;
      }
    }
    return nullify ? null : output;
  }
  if (step.selections) {
    if (typeof input !== 'object')
      throw new ShapeAssertion(`Invalid non-object value ${JSON.stringify(input)} returned by subgraph for composite type ${String(type)}`);
    const object = input as JsonObject;
    const typename = object.__typename;
    if (typename !== undefined && typeof typename !== 'string')
      throw new ShapeAssertion(`Invalid non-string value ${JSON.stringify(typename)} for __typename at ${path.join(',')}`);
    let objectType = step.selections.staticType;
    if (typename) {
      const named = compiler.schema.getType(typename);
      if (!named || !isCompositeType(named)) {
        errors.push(invalidGraphql(`Invalid __typename found for object at ${describe(path, type, step.parentName)}.`, path));
        return null;
      }
      objectType = named;
    }
    const shaped = shapeObject(compiler, object, step.selections, objectType, path, errors);
    return shaped === BUBBLE ? null : shaped;
  }
  if (step.leaf(input)) return input;
  errors.push(invalidGraphql(`Invalid value found for ${describe(path, type, step.parentName)}.`, path));
  return null;
}
