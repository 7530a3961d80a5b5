/**
 * Removes from an operation every field the caller may not see, before anything is planned or fetched
 * (docs/access.md, "Field rules"), the way Apollo Router's authorization plugin does:
 *
 * - a field is removed when its own rule, the rule of the type it is selected on, or the rule of the type
 *   it returns (unwrapped) is not met; on an interface, the rules of every implementation count (ANDed,
 *   as composition does when it copies them onto the interface);
 * - a fragment (inline or named) on a type whose rule is not met loses all its fields;
 * - a removed root field of a mutation is not executed at all (nothing of it is left);
 * - introspection fields (`__typename`, `__schema`, `__type`) are left alone: the introspection setting
 *   decides about those; variables and `@skip`/`@include` are not touched;
 * - a field called with an argument that filters on data the caller may not see (argumentRules.ts) is
 *   removed like a field the caller may not see, with a message naming the argument and the scope; the
 *   argument's value counts, inline or from a variable (defaults included).
 *
 * One recursive walk over the selected operation; named fragments are walked once each (memoized) and
 * their removals re-rooted at every spread, so fragment-heavy documents stay linear. The input document is
 * never mutated: changed nodes are copied, untouched subtrees shared.
 */
import {
  Kind,
  getArgumentValues,
  getNamedType,
  getVariableValues,
  valueFromASTUntyped,
  isAbstractType,
  isCompositeType,
  isInterfaceType,
  isListType,
  isNonNullType,
  isObjectType,
  type DirectiveNode,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLOutputType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionNode,
  type SelectionSetNode,
  type ValueNode,
  type VariableDefinitionNode,
} from 'graphql';
import { argumentGuardsFor, isOpenArgument, refusedArgument, type ArgumentGuards } from '../platform/authorization/argumentRules.js';
import { hasScopes } from '../platform/authorization/roles.js';
import type { AccessRules } from '../platform/authorization/rules.js';

/**
 * Response key under which a filtered operation asks for `__typename` where it needs it (a selection set
 * left empty, or an object whose removed field sat in a narrower fragment). `applyRemovals` deletes it
 * again, so clients never see it.
 */
export const ACCESS_TYPENAME_KEY = '__accessTypename';

/** An `@include`/`@skip` on the removed field or a fragment around it; the field counts only when all hold. */
export interface RemovalCondition {
  directive: 'include' | 'skip';
  /** A literal `if:` value ... */
  value?: boolean;
  /** ... or the variable it reads, with the operation's default for it. */
  variable?: string;
  defaultValue?: boolean;
}

export interface RemovedField {
  /** Response keys from the operation root; `'@'` where a list sits (each of its items). */
  path: string[];
  /** `Type.field` on the type it was selected on. */
  coordinate: string;
  /**
   * How much of `path` is kept where the null goes: `path.length` puts it at the field itself; a non-null
   * field passes the null up to its nearest nullable parent, as GraphQL does; 0 means `data` itself.
   */
  nullAt: number;
  /** Only objects of these concrete types lose the field (it sat in a fragment narrower than its parent). */
  types?: string[];
  conditions?: RemovalCondition[];
  /** Why, when it is not the field's own rule: an argument the caller may not use (argumentRules.ts). */
  message?: string;
}

export interface FilterOperationInput {
  /** The API schema the gateway serves (`requestContext.schema`). */
  schema: GraphQLSchema;
  document: DocumentNode;
  operationName?: string | null | undefined;
  rules: AccessRules;
  scopes: ReadonlySet<string>;
  authenticated: boolean;
  /** The request's variables: an argument's value may come from one. */
  variables?: Readonly<Record<string, unknown>> | null | undefined;
}

export interface FilterOperationResult {
  /** The operation without what the caller may not see (the input document itself when nothing was removed). */
  document: DocumentNode;
  removed: RemovedField[];
  /**
   * What the filtered document depends on besides the input text: the sorted removed positions and the
   * refused fragment types. Empty when nothing was removed. Query-plan caches key on it.
   */
  cacheKey: string;
  /** Every root field was removed: there is nothing left to execute. */
  allRemoved: boolean;
}

/** A removal relative to the selection set it was found in (memoized fragments are re-rooted). */
interface RelativeRemoval {
  path: string[];
  /** Per path segment: may it be null (field type or list item type)? */
  nullable: boolean[];
  coordinate: string;
  /** Possible concrete types of the object the field was removed from; settled at the enclosing field. */
  types: ReadonlySet<string> | undefined;
  conditions: RemovalCondition[];
  message?: string;
}

interface WalkResult {
  selections: readonly SelectionNode[];
  changed: boolean;
  /** Removals directly on this selection set's object (path of length 1), types not settled yet. */
  own: RelativeRemoval[];
  /** Removals below fields of this selection set, already settled. */
  below: RelativeRemoval[];
}

const EMPTY: WalkResult = { selections: [], changed: true, own: [], below: [] };

function typenameSelection(): FieldNode {
  return {
    kind: Kind.FIELD,
    alias: { kind: Kind.NAME, value: ACCESS_TYPENAME_KEY },
    name: { kind: Kind.NAME, value: '__typename' },
  };
}

function isSuperset(set: ReadonlySet<string>, of: ReadonlySet<string>): boolean {
  for (const item of of) if (!set.has(item)) return false;
  return true;
}

function intersect(a: ReadonlySet<string>, b: ReadonlySet<string>): Set<string> {
  const result = new Set<string>();
  for (const item of a) if (b.has(item)) result.add(item);
  return result;
}

class OperationFilter {
  private readonly decisions = new Map<string, boolean>();
  private readonly possibleTypes = new Map<string, ReadonlySet<string>>();
  private readonly fragmentResults = new Map<string, WalkResult>();
  private readonly refusedFragmentResults = new Map<string, WalkResult>();
  private readonly inProgress = new Set<string>();
  readonly usedFragments = new Set<string>();
  readonly refusedTypes = new Set<string>();
  /** An argument judged here read a variable: the outcome holds for these variable values only. */
  variableDependent = false;
  private readonly argumentGuards: ArgumentGuards;
  private variableValues: Record<string, unknown> | undefined;

  constructor(
    private readonly input: FilterOperationInput,
    private readonly fragments: ReadonlyMap<string, FragmentDefinitionNode>,
    private readonly variableDefinitions: readonly VariableDefinitionNode[],
  ) {
    this.argumentGuards = argumentGuardsFor(input.schema, input.rules);
  }

  /** The operation's variables as execution will see them: coerced, defaults applied. */
  private variablesForArguments(): Record<string, unknown> {
    if (this.variableValues === undefined) {
      const inputs = { ...(this.input.variables ?? {}) };
      const coerced = getVariableValues(this.input.schema, this.variableDefinitions, inputs);
      if (coerced.coerced) this.variableValues = coerced.coerced;
      else {
        // Execution will refuse these variables anyway; judge what they say, defaults filled in.
        const values: Record<string, unknown> = {};
        for (const definition of this.variableDefinitions) {
          const name = definition.variable.name.value;
          values[name] = Object.hasOwn(inputs, name)
            ? inputs[name]
            : definition.defaultValue
              ? valueFromASTUntyped(definition.defaultValue)
              : undefined;
        }
        this.variableValues = values;
      }
    }
    return this.variableValues;
  }

  /** Why the caller may not call this field with these arguments; undefined when they may. */
  private argumentRefusal(parent: GraphQLCompositeType, field: GraphQLField<unknown, unknown>, selection: FieldNode): string | undefined {
    const coordinate = `${parent.name}.${field.name}`;
    if (field.args.length === 0 || !this.argumentGuards.fields.has(coordinate)) return undefined;
    // Open arguments (an id, a page size) pass whatever their value: `youth(id: $id)` stays cacheable.
    const judged = new Set(field.args.filter((arg) => !isOpenArgument(this.argumentGuards, coordinate, arg.name)).map((arg) => arg.name));
    if (judged.size === 0) return undefined;
    if ((selection.arguments ?? []).some((argument) => judged.has(argument.name.value) && hasVariable(argument.value)))
      this.variableDependent = true;
    let values: Record<string, unknown>;
    try {
      values = getArgumentValues(field, selection, this.variablesForArguments());
    } catch {
      // Not valid for the schema (execution reports it); judge the values as written.
      values = {};
      for (const argument of selection.arguments ?? [])
        values[argument.name.value] = valueFromASTUntyped(argument.value, this.variablesForArguments());
    }
    const { scopes, authenticated } = this.input;
    return refusedArgument(this.argumentGuards, coordinate, values, scopes, authenticated)?.message;
  }

  private rulePasses(key: string, scoped: Map<string, string[][]>): boolean {
    const { rules, scopes, authenticated } = this.input;
    if (!authenticated && rules.authenticated.has(key)) return false;
    const rule = scoped.get(key);
    return rule === undefined || hasScopes(scopes, rule);
  }

  private memo(key: string, decide: () => boolean): boolean {
    let decision = this.decisions.get(key);
    if (decision === undefined) {
      decision = decide();
      this.decisions.set(key, decision);
    }
    return decision;
  }

  /** A type the caller may see; an interface only when every implementation may be seen too. */
  typeAllowed(type: GraphQLNamedType): boolean {
    return this.memo(`type ${type.name}`, () => {
      if (!this.rulePasses(type.name, this.input.rules.types)) return false;
      if (!isInterfaceType(type)) return true;
      return this.input.schema.getPossibleTypes(type).every((object) => this.rulePasses(object.name, this.input.rules.types));
    });
  }

  private fieldAllowed(parent: GraphQLCompositeType, field: GraphQLField<unknown, unknown>): boolean {
    return this.memo(`field ${parent.name}.${field.name}`, () => {
      if (!this.typeAllowed(parent)) return false;
      if (!this.rulePasses(`${parent.name}.${field.name}`, this.input.rules.fields)) return false;
      if (isInterfaceType(parent)) {
        for (const object of this.input.schema.getPossibleTypes(parent)) {
          if (object.getFields()[field.name] && !this.rulePasses(`${object.name}.${field.name}`, this.input.rules.fields)) return false;
        }
      }
      const returned = getNamedType(field.type);
      // A union has no rule of its own: its members are checked where fragments select them.
      return isAbstractType(returned) && !isInterfaceType(returned) ? true : this.typeAllowed(returned);
    });
  }

  private possible(type: GraphQLCompositeType): ReadonlySet<string> {
    let set = this.possibleTypes.get(type.name);
    if (!set) {
      set = new Set(isObjectType(type) ? [type.name] : this.input.schema.getPossibleTypes(type).map((t) => t.name));
      this.possibleTypes.set(type.name, set);
    }
    return set;
  }

  private conditionsOf(directives: readonly DirectiveNode[] | undefined): RemovalCondition[] {
    const conditions: RemovalCondition[] = [];
    for (const directive of directives ?? []) {
      const name = directive.name.value;
      if (name !== 'include' && name !== 'skip') continue;
      const value = directive.arguments?.find((arg) => arg.name.value === 'if')?.value;
      if (value?.kind === Kind.BOOLEAN) conditions.push({ directive: name, value: value.value });
      else if (value?.kind === Kind.VARIABLE) {
        const variable = value.name.value;
        const definition = this.variableDefinitions.find((d) => d.variable.name.value === variable);
        const fallback = definition?.defaultValue;
        conditions.push(
          fallback?.kind === Kind.BOOLEAN ? { directive: name, variable, defaultValue: fallback.value } : { directive: name, variable },
        );
      }
    }
    return conditions;
  }

  /**
   * Walks one selection set of objects of type `scope`. With `refused`, the fragment around it is on a
   * type the caller may not see: every field goes, only `__typename` stays.
   */
  walk(selectionSet: SelectionSetNode, scope: GraphQLCompositeType, refused: boolean): WalkResult {
    const selections: SelectionNode[] = [];
    const own: RelativeRemoval[] = [];
    const below: RelativeRemoval[] = [];
    let changed = false;
    const scopeTypes = this.possible(scope);

    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) {
        const name = selection.name.value;
        if (name.startsWith('__')) {
          selections.push(selection);
          continue;
        }
        const field = 'getFields' in scope ? scope.getFields()[name] : undefined;
        if (!field) {
          // Validation ran before us; an unknown field is not ours to judge.
          selections.push(selection);
          continue;
        }
        const conditions = this.conditionsOf(selection.directives);
        const key = selection.alias?.value ?? name;
        const argumentRefusal = refused || !this.fieldAllowed(scope, field) ? undefined : this.argumentRefusal(scope, field, selection);
        if (refused || !this.fieldAllowed(scope, field) || argumentRefusal !== undefined) {
          own.push({
            path: [key],
            nullable: [!isNonNullType(field.type)],
            coordinate: `${scope.name}.${name}`,
            types: scopeTypes,
            conditions,
            ...(argumentRefusal !== undefined ? { message: argumentRefusal } : {}),
          });
          changed = true;
          continue;
        }
        const returned = getNamedType(field.type);
        if (!selection.selectionSet || !isCompositeType(returned)) {
          selections.push(selection);
          continue;
        }
        const inner = this.walk(selection.selectionSet, returned, false);
        if (!inner.changed) {
          selections.push(selection);
          continue;
        }
        changed = true;
        const { segments, nullable } = listSegments(field.type);
        const ownerTypes = this.possible(returned);
        let needsTypename = inner.selections.length === 0;
        const reroot = (removal: RelativeRemoval, types: ReadonlySet<string> | undefined): RelativeRemoval => ({
          path: [key, ...segments, ...removal.path],
          nullable: [...nullable, ...removal.nullable],
          coordinate: removal.coordinate,
          types,
          conditions: conditions.length === 0 ? removal.conditions : [...conditions, ...removal.conditions],
          ...(removal.message !== undefined ? { message: removal.message } : {}),
        });
        for (const removal of inner.own) {
          // Narrower than the field's type: only some of the objects here lose it, told apart by __typename.
          const narrower = removal.types !== undefined && !isSuperset(removal.types, ownerTypes);
          if (narrower) needsTypename = true;
          below.push(reroot(removal, narrower ? removal.types : undefined));
        }
        for (const removal of inner.below) below.push(reroot(removal, removal.types));
        const kept = needsTypename ? [...inner.selections, typenameSelection()] : inner.selections;
        selections.push({ ...selection, selectionSet: { ...selection.selectionSet, selections: kept } });
        continue;
      }

      // Fragments: their removals stay on this selection set's objects, narrowed to the fragment's type.
      let condition: GraphQLCompositeType = scope;
      let result: WalkResult;
      const conditions = this.conditionsOf(selection.directives);
      if (selection.kind === Kind.INLINE_FRAGMENT) {
        if (selection.typeCondition) {
          const type = this.input.schema.getType(selection.typeCondition.name.value);
          if (!type || !isCompositeType(type)) {
            selections.push(selection);
            continue;
          }
          condition = type;
        }
        const refuse = refused || (selection.typeCondition !== undefined && !this.typeAllowed(condition));
        if (refuse && !refused) this.refusedTypes.add(condition.name);
        result = this.walk(selection.selectionSet, condition, refuse);
        if (result.selections.length === 0) changed = true;
        else if (result.changed) {
          changed = true;
          selections.push({ ...selection, selectionSet: { ...selection.selectionSet, selections: result.selections } });
        } else selections.push(selection);
      } else {
        const name = selection.name.value;
        const fragment = this.fragments.get(name);
        const type = fragment ? this.input.schema.getType(fragment.typeCondition.name.value) : undefined;
        if (!fragment || !type || !isCompositeType(type)) {
          selections.push(selection);
          continue;
        }
        condition = type;
        const refuse = refused || !this.typeAllowed(condition);
        if (refuse && !refused) this.refusedTypes.add(condition.name);
        result = this.walkFragment(fragment, condition, refuse);
        if (result.selections.length === 0) changed = true;
        else if (refuse) {
          // What is left of a refused fragment (its __typename) goes inline: the spread would bring back the
          // fragment's unrefused version, emitted for its other spreads.
          changed = true;
          selections.push({
            kind: Kind.INLINE_FRAGMENT,
            typeCondition: fragment.typeCondition,
            ...(selection.directives ? { directives: selection.directives } : {}),
            selectionSet: { kind: Kind.SELECTION_SET, selections: result.selections },
          });
        } else {
          if (result.changed) changed = true;
          this.usedFragments.add(name);
          selections.push(selection);
        }
      }
      const conditionTypes = intersect(this.possible(condition), scopeTypes);
      for (const removal of result.own) {
        own.push({
          ...removal,
          types: removal.types ? intersect(removal.types, conditionTypes) : conditionTypes,
          conditions: conditions.length === 0 ? removal.conditions : [...conditions, ...removal.conditions],
        });
      }
      for (const removal of result.below) {
        below.push(conditions.length === 0 ? removal : { ...removal, conditions: [...conditions, ...removal.conditions] });
      }
    }
    return { selections, changed, own, below };
  }

  private walkFragment(fragment: FragmentDefinitionNode, type: GraphQLCompositeType, refused: boolean): WalkResult {
    const name = fragment.name.value;
    const cache = refused ? this.refusedFragmentResults : this.fragmentResults;
    const cached = cache.get(name);
    if (cached) return cached;
    // Validation forbids fragment cycles; should one slip through, it selects nothing more.
    if (this.inProgress.has(name)) return EMPTY;
    this.inProgress.add(name);
    const result = this.walk(fragment.selectionSet, type, refused);
    this.inProgress.delete(name);
    cache.set(name, result);
    return result;
  }

  /** The fragment definitions to emit: the ones still spread, each rebuilt once. */
  fragmentDefinitions(): FragmentDefinitionNode[] {
    const definitions: FragmentDefinitionNode[] = [];
    for (const name of this.usedFragments) {
      const fragment = this.fragments.get(name);
      const result = this.fragmentResults.get(name);
      if (!fragment || !result) continue;
      definitions.push(
        result.changed ? { ...fragment, selectionSet: { ...fragment.selectionSet, selections: result.selections } } : fragment,
      );
    }
    return definitions;
  }
}

/** A value that reads a variable somewhere inside it. */
function hasVariable(value: ValueNode): boolean {
  if (value.kind === Kind.VARIABLE) return true;
  if (value.kind === Kind.LIST) return value.values.some(hasVariable);
  if (value.kind === Kind.OBJECT) return value.fields.some((field) => hasVariable(field.value));
  return false;
}

/** The `'@'` segments a field's list wrappers add, and whether each position may be null. */
function listSegments(type: GraphQLOutputType): { segments: string[]; nullable: boolean[] } {
  const segments: string[] = [];
  const nullable: boolean[] = [!isNonNullType(type)];
  let current: GraphQLOutputType = isNonNullType(type) ? type.ofType : type;
  while (isListType(current)) {
    const item: GraphQLOutputType = current.ofType;
    segments.push('@');
    nullable.push(!isNonNullType(item));
    current = isNonNullType(item) ? item.ofType : item;
  }
  return { segments, nullable };
}

function selectOperation(document: DocumentNode, operationName: string | null | undefined): OperationDefinitionNode | undefined {
  const operations = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  if (operationName) return operations.find((operation) => operation.name?.value === operationName);
  return operations.length === 1 ? operations[0] : undefined;
}

function conditionKey(condition: RemovalCondition): string {
  return `${condition.directive}(${condition.variable !== undefined ? `$${condition.variable}=${String(condition.defaultValue)}` : String(condition.value)})`;
}

/*
 * Operations a caller may run whole, remembered per schema, rules, document and caller (operation name,
 * authenticated, scopes): most requests repeat a document with the same scopes and remove nothing, and
 * for them the walk answered the same "unchanged" every time. Only that answer is remembered (it holds
 * nothing a request could alter); a filtered operation is worked out anew. Documents come from Apollo's
 * bounded document cache, so keying by them (weakly) bounds this too; the rules are those read from a
 * supergraph and never changed afterwards (a reload brings new rules objects).
 */
const wholeOperations = new WeakMap<GraphQLSchema, WeakMap<AccessRules, WeakMap<DocumentNode, Set<string>>>>();
/** Distinct callers (scope sets) remembered per document, at most; beyond it the oldest is forgotten. */
const MAX_CALLERS_PER_DOCUMENT = 64;
const scopeKeys = new WeakMap<ReadonlySet<string>, string>();

function callerKey(input: FilterOperationInput): string {
  let scopes = scopeKeys.get(input.scopes);
  if (scopes === undefined) scopeKeys.set(input.scopes, (scopes = [...input.scopes].sort().join(' ')));
  return `${input.operationName ?? ''}\n${input.authenticated ? 'authenticated' : 'anonymous'}\n${scopes}`;
}

export function filterOperation(input: FilterOperationInput): FilterOperationResult {
  const { schema, rules, document } = input;
  let byRules = wholeOperations.get(schema);
  if (!byRules) wholeOperations.set(schema, (byRules = new WeakMap()));
  let byDocument = byRules.get(rules);
  if (!byDocument) byRules.set(rules, (byDocument = new WeakMap()));
  let callers = byDocument.get(document);
  const key = callerKey(input);
  if (callers?.has(key)) return { document, removed: [], cacheKey: '', allRemoved: false };

  const { result, variableDependent } = filterOnce(input);
  // Whole for these variables only, when an argument read one: the next request's values may differ.
  if (result.document === document && result.removed.length === 0 && !variableDependent) {
    if (!callers) byDocument.set(document, (callers = new Set()));
    if (callers.size >= MAX_CALLERS_PER_DOCUMENT) callers.delete(callers.values().next().value!);
    callers.add(key);
  }
  return result;
}

function filterOnce(input: FilterOperationInput): { result: FilterOperationResult; variableDependent: boolean } {
  const { schema, document } = input;
  const unchanged = { result: { document, removed: [], cacheKey: '', allRemoved: false }, variableDependent: false };
  const operation = selectOperation(document, input.operationName);
  // No single operation to run: execution fails on its own, with the proper error.
  if (!operation) return unchanged;
  const root = schema.getRootType(operation.operation);
  if (!root) return unchanged;

  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  const filter = new OperationFilter(input, fragments, operation.variableDefinitions ?? []);
  const result = filter.walk(operation.selectionSet, root, false);
  if (!result.changed) return { ...unchanged, variableDependent: filter.variableDependent };

  const removed = new Map<string, RemovedField>();
  for (const removal of [...result.own.map((r) => ({ ...r, types: undefined })), ...result.below]) {
    let nullAt = 0;
    for (let i = removal.nullable.length - 1; i >= 0; i--) {
      if (removal.nullable[i]) {
        nullAt = i + 1;
        break;
      }
    }
    const types = removal.types ? [...removal.types].sort() : undefined;
    const entry: RemovedField = { path: removal.path, coordinate: removal.coordinate, nullAt };
    if (types) entry.types = types;
    if (removal.conditions.length > 0) entry.conditions = removal.conditions;
    if (removal.message !== undefined) entry.message = removal.message;
    const key = `${removal.path.join('.')} ${removal.coordinate}${types ? ` on ${types.join('|')}` : ''}${removal.conditions.map((c) => ` ${conditionKey(c)}`).join('')}`;
    if (!removed.has(key)) removed.set(key, entry);
  }

  const allRemoved = result.selections.length === 0;
  const selections = allRemoved ? [typenameSelection()] : result.selections;
  const filtered: DocumentNode = {
    ...document,
    definitions: [{ ...operation, selectionSet: { ...operation.selectionSet, selections } }, ...filter.fragmentDefinitions()],
  };
  const cacheKey = [...[...removed.keys()].sort(), ...[...filter.refusedTypes].sort().map((type) => `refused ${type}`)].join('\n');
  return {
    result: { document: filtered, removed: [...removed.values()], cacheKey, allRemoved },
    variableDependent: filter.variableDependent,
  };
}
