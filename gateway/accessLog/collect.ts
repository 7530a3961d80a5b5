/**
 * Whose data an answer holds, and which of it. Before execution, `withAuditSelections` makes every
 * `Youth` in the operation also select its `id` under a reserved alias (so a young person is identified
 * even when the client selected only names); after execution, `collectAccess` walks the data along the
 * operation (aliases, fragments, lists, abstract types) and strips the reserved aliases again.
 *
 * Two more hidden selections serve the legal basis each entry records (issue 14, platform/authorization/
 * legalBasis.ts): with `sharing`, every `Youth` also selects `__audit_sharing: consent { required units }`
 * (under 25 or not, and what the active consent covers, as the coordination answers it in the same
 * request); and an object that belongs to one young person although no `Youth` encloses it (a consent
 * mutation's `Consent`) selects its owner under `__audit_owner`, so a consent recorded or withdrawn is
 * logged against the young person even when the answer names no young person's field.
 */
import {
  getOperationAST,
  Kind,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLAbstractType,
  type GraphQLCompositeType,
  type GraphQLNamedType,
  type GraphQLObjectType,
  type GraphQLOutputType,
  type GraphQLSchema,
  type InlineFragmentNode,
  type OperationDefinitionNode,
  type SelectionNode,
  type SelectionSetNode,
} from 'graphql';
import { UNAUTHORIZED_CODE } from '../../platform/authorization/rules.js';

/** The alias under which every `Youth` selection also fetches the young person's id. */
export const AUDIT_YOUTH_ID = '__audit_youth_id';
/** The alias under which every abstract-typed selection fetches `__typename` (to walk the answer). */
export const AUDIT_TYPENAME = '__audit_typename';
/** The alias under which every `Youth` selection also fetches the facts its legal basis is decided on. */
export const AUDIT_SHARING = '__audit_sharing';
/** The alias under which an object owned by one young person (`OWNED_TYPES`) fetches its owner. */
export const AUDIT_OWNER = '__audit_owner';
export const YOUTH_TYPE = 'Youth';

const RESERVED = new Set([AUDIT_YOUTH_ID, AUDIT_TYPENAME, AUDIT_SHARING, AUDIT_OWNER]);

/** Types whose every object belongs to one young person, with the field that leads to them. */
const OWNED_TYPES: Readonly<Record<string, string>> = { Consent: 'youth', EducationPlanSharing: 'youth' };

/** What `__audit_sharing` carries: the coordination's `ConsentState`, reduced to what the rule reads. */
export interface SharingState {
  /** 25 or over (or age unknown): another unit's data needs consent. */
  required: boolean;
  /** The units the active consent covers. */
  units: string[];
}

function sharingStateOf(value: unknown): SharingState | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { required, units } = value as { required?: unknown; units?: unknown };
  if (typeof required !== 'boolean' || !Array.isArray(units) || !units.every((unit) => typeof unit === 'string')) return undefined;
  return { required, units };
}

/*
 * Type tests by the types' own `Symbol.toStringTag` rather than graphql-js's `isObjectType` & co., which
 * use `instanceof`: the schema comes from Apollo Server, and where two copies of graphql are loaded (vitest
 * gives our code the ESM build and Apollo the CommonJS one) `instanceof` fails across them.
 */
const tags = new WeakMap<object, string>();

/** The type's tag, remembered per type object (asked for every field of every object in an answer). */
function tagOf(type: unknown): string {
  if (typeof type !== 'object' || type === null) return Object.prototype.toString.call(type);
  let tag = tags.get(type);
  if (tag === undefined) tags.set(type, (tag = Object.prototype.toString.call(type)));
  return tag;
}

function isObjectType(type: unknown): type is GraphQLObjectType {
  return tagOf(type) === '[object GraphQLObjectType]';
}

function isAbstractType(type: unknown): type is GraphQLAbstractType {
  const tag = tagOf(type);
  return tag === '[object GraphQLInterfaceType]' || tag === '[object GraphQLUnionType]';
}

function isCompositeType(type: unknown): type is GraphQLCompositeType {
  return isObjectType(type) || isAbstractType(type);
}

function namedTypeOf(type: GraphQLOutputType): GraphQLNamedType {
  let named = type;
  while ('ofType' in named) named = named.ofType;
  return named;
}

/** The named type a field selected on `parent` returns (undefined for unknown fields and `__typename`). */
function fieldTypeOf(parent: GraphQLNamedType | undefined, name: string): GraphQLNamedType | undefined {
  if (!isObjectType(parent) && tagOf(parent) !== '[object GraphQLInterfaceType]') return undefined;
  const field = (parent as GraphQLObjectType).getFields()[name];
  return field ? namedTypeOf(field.type) : undefined;
}

/** A client operation that uses one of the reserved aliases for anything but what the log adds. */
export class ReservedAliasError extends Error {
  override name = 'ReservedAliasError';
}

const youthIdField: FieldNode = {
  kind: Kind.FIELD,
  alias: { kind: Kind.NAME, value: AUDIT_YOUTH_ID },
  name: { kind: Kind.NAME, value: 'id' },
};

const typenameField: FieldNode = {
  kind: Kind.FIELD,
  alias: { kind: Kind.NAME, value: AUDIT_TYPENAME },
  name: { kind: Kind.NAME, value: '__typename' },
};

const plainField = (name: string): FieldNode => ({ kind: Kind.FIELD, name: { kind: Kind.NAME, value: name } });

const sharingField: FieldNode = {
  kind: Kind.FIELD,
  alias: { kind: Kind.NAME, value: AUDIT_SHARING },
  name: { kind: Kind.NAME, value: 'consent' },
  selectionSet: { kind: Kind.SELECTION_SET, selections: [plainField('required'), plainField('units')] },
};

function ownerField(name: string, sharing: boolean): FieldNode {
  return {
    kind: Kind.FIELD,
    alias: { kind: Kind.NAME, value: AUDIT_OWNER },
    name: { kind: Kind.NAME, value: name },
    selectionSet: { kind: Kind.SELECTION_SET, selections: sharing ? [youthIdField, sharingField] : [youthIdField] },
  };
}

/** Exactly `consent { required units }`: what the log adds, nothing a client could shape. */
function isSharingSelection(field: FieldNode): boolean {
  const inner = field.selectionSet?.selections ?? [];
  return (
    field.name.value === 'consent' &&
    (field.arguments?.length ?? 0) === 0 &&
    (field.directives?.length ?? 0) === 0 &&
    inner.length === 2 &&
    inner.every(
      (s) =>
        s.kind === Kind.FIELD &&
        s.alias === undefined &&
        (s.name.value === 'required' || s.name.value === 'units') &&
        (s.arguments?.length ?? 0) === 0 &&
        (s.directives?.length ?? 0) === 0 &&
        s.selectionSet === undefined,
    ) &&
    inner[0]?.kind === Kind.FIELD &&
    inner[1]?.kind === Kind.FIELD &&
    inner[0].name.value !== inner[1].name.value
  );
}

/** The owner selection, holding nothing but the log's own selections. */
function isOwnerSelection(field: FieldNode, parent: GraphQLNamedType | undefined): boolean {
  const expected = parent ? OWNED_TYPES[parent.name] : undefined;
  return (
    expected !== undefined &&
    field.name.value === expected &&
    (field.arguments?.length ?? 0) === 0 &&
    (field.directives?.length ?? 0) === 0 &&
    (field.selectionSet?.selections ?? []).every((s) => s.kind === Kind.FIELD && s.alias !== undefined && RESERVED.has(s.alias.value))
  );
}

const youthFragment: InlineFragmentNode = {
  kind: Kind.INLINE_FRAGMENT,
  typeCondition: { kind: Kind.NAMED_TYPE, name: { kind: Kind.NAME, value: YOUTH_TYPE } },
  selectionSet: { kind: Kind.SELECTION_SET, selections: [youthIdField] },
};

/** True for exactly the selection the log adds (so that the transformation can be applied twice). */
function isAuditSelection(field: FieldNode, expectedName: string): boolean {
  return (
    field.name.value === expectedName &&
    (field.arguments?.length ?? 0) === 0 &&
    (field.directives?.length ?? 0) === 0 &&
    field.selectionSet === undefined
  );
}

function selects(selectionSet: SelectionSetNode, alias: string): boolean {
  return selectionSet.selections.some((s) => s.kind === Kind.FIELD && s.alias?.value === alias);
}

function selectsYouthFragment(selectionSet: SelectionSetNode): boolean {
  return selectionSet.selections.some(
    (s) =>
      s.kind === Kind.INLINE_FRAGMENT &&
      s.typeCondition?.name.value === YOUTH_TYPE &&
      (s.directives?.length ?? 0) === 0 &&
      selects(s.selectionSet, AUDIT_YOUTH_ID),
  );
}

const cache = new WeakMap<GraphQLSchema, WeakMap<DocumentNode, DocumentNode>>();
const sharingCache = new WeakMap<GraphQLSchema, WeakMap<DocumentNode, DocumentNode>>();

export interface AuditSelectionOptions {
  /**
   * Also select each young person's sharing facts (`__audit_sharing`). Only for callers who may read
   * `Youth.consent`: for anyone else the field rules would refuse it, and the refusal would read as theirs.
   */
  sharing?: boolean;
}

/**
 * A copy of `document` in which every selection set of type `Youth` also selects `__audit_youth_id: id`,
 * and every selection set of an abstract type selects `__audit_typename: __typename` (plus
 * `... on Youth { __audit_youth_id: id }` when a `Youth` can be behind it). Deterministic: the same
 * document gives an equal result (and the same object, memoized per schema), so caches keyed by the
 * query text stay valid. Returns `document` itself when nothing needs adding. Throws
 * `ReservedAliasError` when the client uses a reserved alias itself.
 */
export function withAuditSelections(document: DocumentNode, schema: GraphQLSchema, options: AuditSelectionOptions = {}): DocumentNode {
  const caches = options.sharing ? sharingCache : cache;
  let perSchema = caches.get(schema);
  const cached = perSchema?.get(document);
  if (cached) return cached;

  const youthType = schema.getType(YOUTH_TYPE);
  // Schemas without the consent field (test fixtures, older supergraphs) get no sharing selection.
  const sharing = options.sharing === true && isObjectType(youthType) && youthType.getFields()['consent'] !== undefined;

  const checkAlias = (field: FieldNode, parent: GraphQLNamedType | undefined): void => {
    const alias = field.alias?.value;
    if (alias === undefined || !RESERVED.has(alias)) return;
    const allowed =
      alias === AUDIT_YOUTH_ID
        ? parent?.name === YOUTH_TYPE && isAuditSelection(field, 'id')
        : alias === AUDIT_SHARING
          ? parent?.name === YOUTH_TYPE && isSharingSelection(field)
          : alias === AUDIT_OWNER
            ? isOwnerSelection(field, parent)
            : isAuditSelection(field, '__typename');
    if (!allowed) throw new ReservedAliasError(`The alias "${alias}" is reserved for the access log; choose another alias`);
  };

  const additions = (selectionSet: SelectionSetNode, type: GraphQLNamedType | undefined): SelectionNode[] => {
    const added: SelectionNode[] = [];
    if (type?.name === YOUTH_TYPE && !selects(selectionSet, AUDIT_YOUTH_ID)) added.push(youthIdField);
    if (sharing && type?.name === YOUTH_TYPE && !selects(selectionSet, AUDIT_SHARING)) added.push(sharingField);
    const owner = type ? OWNED_TYPES[type.name] : undefined;
    if (owner !== undefined && isObjectType(type) && type.getFields()[owner] && !selects(selectionSet, AUDIT_OWNER)) {
      added.push(ownerField(owner, sharing));
    }
    if (isAbstractType(type)) {
      if (!selects(selectionSet, AUDIT_TYPENAME)) added.push(typenameField);
      if (isObjectType(youthType) && schema.isSubType(type, youthType) && !selectsYouthFragment(selectionSet)) added.push(youthFragment);
    }
    return added;
  };

  // Copies only what changes; untouched subtrees are shared with the input, which is never mutated.
  const transform = (selectionSet: SelectionSetNode, type: GraphQLNamedType | undefined): SelectionSetNode => {
    let changed = false;
    const selections = selectionSet.selections.map((selection): SelectionNode => {
      if (selection.kind === Kind.FIELD) {
        checkAlias(selection, type);
        if (!selection.selectionSet) return selection;
        const inner = transform(selection.selectionSet, fieldTypeOf(type, selection.name.value));
        if (inner === selection.selectionSet) return selection;
        changed = true;
        return { ...selection, selectionSet: inner };
      }
      if (selection.kind === Kind.INLINE_FRAGMENT) {
        const condition = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : type;
        const inner = transform(selection.selectionSet, condition ?? undefined);
        if (inner === selection.selectionSet) return selection;
        changed = true;
        return { ...selection, selectionSet: inner };
      }
      return selection; // a spread: its fragment definition is transformed on its own
    });
    const added = additions(selectionSet, type);
    if (!changed && added.length === 0) return selectionSet;
    return { ...selectionSet, selections: [...selections, ...added] };
  };

  let changed = false;
  const definitions = document.definitions.map((definition) => {
    let type: GraphQLNamedType | undefined;
    if (definition.kind === Kind.OPERATION_DEFINITION) type = schema.getRootType(definition.operation) ?? undefined;
    else if (definition.kind === Kind.FRAGMENT_DEFINITION) type = schema.getType(definition.typeCondition.name.value) ?? undefined;
    else return definition;
    const selectionSet = transform(definition.selectionSet, type);
    if (selectionSet === definition.selectionSet) return definition;
    changed = true;
    return { ...definition, selectionSet };
  });
  const result: DocumentNode = changed ? { ...document, definitions } : document;

  if (!perSchema) {
    perSchema = new WeakMap();
    caches.set(schema, perSchema);
  }
  perSchema.set(document, result);
  return result;
}

/*
 * Whether an answer to a document needs the walk at all: only when some selection can hold a young person
 * (a `Youth`, or an abstract type: what it holds is known only per object) or carries a reserved alias
 * (to strip). Decided once per document and schema: most operations of a partner's graph (and the
 * federation benchmark's) never reach a `Youth`, and walking and copying their answers was one of the
 * gateway's largest per-request costs with nothing shared.
 */
const walkNeeded = new WeakMap<GraphQLSchema, WeakMap<DocumentNode, boolean>>();

export function answerMayNameYouths(document: DocumentNode, schema: GraphQLSchema): boolean {
  let perSchema = walkNeeded.get(schema);
  const known = perSchema?.get(document);
  if (known !== undefined) return known;

  const needsWalk = (selectionSet: SelectionSetNode, type: GraphQLNamedType | undefined): boolean => {
    // Unknown (not in this schema) or possibly a young person: walk, to be safe.
    if (type === undefined || type.name === YOUTH_TYPE || isAbstractType(type)) return true;
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) {
        if (selection.alias && RESERVED.has(selection.alias.value)) return true;
        if (selection.selectionSet && needsWalk(selection.selectionSet, fieldTypeOf(type, selection.name.value))) return true;
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const condition = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : type;
        if (needsWalk(selection.selectionSet, condition ?? undefined)) return true;
      }
      // A spread: its fragment definition is checked on its own below.
    }
    return false;
  };

  let answer = false;
  for (const definition of document.definitions) {
    let type: GraphQLNamedType | undefined;
    if (definition.kind === Kind.OPERATION_DEFINITION) type = schema.getRootType(definition.operation) ?? undefined;
    else if (definition.kind === Kind.FRAGMENT_DEFINITION) type = schema.getType(definition.typeCondition.name.value) ?? undefined;
    else continue;
    if (needsWalk(definition.selectionSet, type)) {
      answer = true;
      break;
    }
  }
  if (!perSchema) walkNeeded.set(schema, (perSchema = new WeakMap()));
  perSchema.set(document, answer);
  return answer;
}

/** The part of an execution result the walk reads (formatted or not). */
export interface AuditableResult {
  data?: Record<string, unknown> | null | undefined;
  errors?: readonly { path?: readonly (string | number)[] | undefined; extensions?: Record<string, unknown> | undefined }[] | undefined;
}

/**
 * The data categories a schema coordinate discloses (`Youth.school` → `school`; a derived field may name
 * several), or null when it has none of its own.
 */
export type CategoryOf = (coordinate: string) => string | readonly string[] | null;

export interface CollectOptions {
  categoryOf?: CategoryOf;
  /** Which operation of the document ran (needed when it holds several). */
  operationName?: string | null | undefined;
}

export interface CollectedAccess<T extends AuditableResult> {
  /** Every young person in the answer, each once, in order of first appearance. */
  youthIds: string[];
  /** Per young person: the schema coordinates of the data released about them. */
  fieldsByYouth: Map<string, Set<string>>;
  /** Per young person: the categories of those coordinates. */
  categoriesByYouth: Map<string, Set<string>>;
  /** Per young person: coordinates answered with null and an UNAUTHORIZED_FIELD_OR_TYPE error. */
  withheldByYouth: Map<string, Set<string>>;
  /** Per young person: the sharing facts the answer carried (`__audit_sharing`); absent when it carried none. */
  sharingByYouth: Map<string, SharingState>;
  /** `Youth` objects in the answer whose id could not be read (nothing may then be released). */
  unidentified: number;
  /** The result with the reserved aliases (and errors about them) removed. */
  result: T;
}

interface Path {
  prev: Path | undefined;
  key: string | number;
}

function pathKey(path: Path | undefined): string {
  const keys: (string | number)[] = [];
  for (let p = path; p; p = p.prev) keys.push(p.key);
  return JSON.stringify(keys.reverse());
}

interface YouthAccumulator {
  fields: Set<string>;
  withheld: Set<string>;
  sharing?: SharingState | undefined;
}

/*
 * Which fields an object of a type selects depends on the operation and the type, not on the data: it is
 * worked out once per operation and reused for every object of every answer to it (the walk used to
 * redo it per object; per field of the answer it was the largest cost of the access log under load).
 * Keyed by the operation's AST (documents are cached and stable), so entries go when the document goes.
 */
const collectedFields = new WeakMap<readonly SelectionSetNode[], WeakMap<GraphQLObjectType, Map<string, FieldNode[]>>>();
const subSelectionsOf = new WeakMap<readonly FieldNode[], SelectionSetNode[]>();
const rootSelections = new WeakMap<OperationDefinitionNode, SelectionSetNode[]>();

/**
 * Walks `result.data` along the operation and answers whose data it holds. Expects the document that
 * actually ran (the output of `withAuditSelections`).
 */
export function collectAccess<T extends AuditableResult>(
  result: T,
  document: DocumentNode,
  schema: GraphQLSchema,
  options: CollectOptions = {},
): CollectedAccess<T> {
  // Nobody can be in this answer and there is nothing to strip: it is released as it is, uncopied.
  // (An empty `errors` list still goes through the strip, which drops it.)
  if (result.errors?.length !== 0 && !answerMayNameYouths(document, schema)) {
    return {
      youthIds: [],
      fieldsByYouth: new Map(),
      categoriesByYouth: new Map(),
      withheldByYouth: new Map(),
      sharingByYouth: new Map(),
      unidentified: 0,
      result,
    };
  }
  const categoryOf = options.categoryOf ?? (() => null);
  const youths = new Map<string, YouthAccumulator>();
  let unidentified = 0;

  const errorPaths = new Map<string, boolean>(); // path → is an UNAUTHORIZED_FIELD_OR_TYPE error
  for (const error of result.errors ?? []) {
    if (!error.path) continue;
    const key = JSON.stringify(error.path);
    errorPaths.set(key, errorPaths.get(key) === true || error.extensions?.['code'] === UNAUTHORIZED_CODE);
  }

  const data = result.data;
  if (data !== null && data !== undefined) {
    const operation = getOperationAST(document, options.operationName ?? undefined);
    if (!operation) throw new Error('the answer has data but the document names no such operation');
    const rootType = schema.getRootType(operation.operation);
    if (!rootType) throw new Error(`the schema has no ${operation.operation} type`);
    const fragments = new Map<string, FragmentDefinitionNode>();
    for (const definition of document.definitions) {
      if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
    }

    const matches = (condition: InlineFragmentNode['typeCondition'], runtime: GraphQLObjectType): boolean => {
      if (!condition) return true;
      const type = schema.getType(condition.name.value);
      if (!type) return false;
      if (type === runtime) return true;
      return isAbstractType(type) && schema.isSubType(type, runtime);
    };

    const collectFields = (
      runtime: GraphQLObjectType,
      selectionSets: readonly SelectionSetNode[],
      fields = new Map<string, FieldNode[]>(),
      visited = new Set<string>(),
    ): Map<string, FieldNode[]> => {
      for (const selectionSet of selectionSets) {
        for (const selection of selectionSet.selections) {
          if (selection.kind === Kind.FIELD) {
            const key = selection.alias?.value ?? selection.name.value;
            const list = fields.get(key);
            if (list) list.push(selection);
            else fields.set(key, [selection]);
          } else if (selection.kind === Kind.INLINE_FRAGMENT) {
            if (matches(selection.typeCondition, runtime)) collectFields(runtime, [selection.selectionSet], fields, visited);
          } else {
            const name = selection.name.value;
            if (visited.has(name)) continue;
            visited.add(name);
            const fragment = fragments.get(name);
            if (fragment && matches(fragment.typeCondition, runtime)) collectFields(runtime, [fragment.selectionSet], fields, visited);
          }
        }
      }
      return fields;
    };

    /** `collectFields`, computed once per (selection sets, type) and reused for every object alike. */
    const fieldsOf = (runtime: GraphQLObjectType, selectionSets: readonly SelectionSetNode[]): Map<string, FieldNode[]> => {
      let byType = collectedFields.get(selectionSets);
      if (!byType) collectedFields.set(selectionSets, (byType = new WeakMap()));
      let fields = byType.get(runtime);
      if (!fields) byType.set(runtime, (fields = collectFields(runtime, selectionSets)));
      return fields;
    };

    const youthFor = (id: unknown): YouthAccumulator => {
      if ((typeof id === 'string' && id !== '') || typeof id === 'number') {
        const key = String(id);
        let youth = youths.get(key);
        if (!youth) {
          youth = { fields: new Set(), withheld: new Set() };
          youths.set(key, youth);
        }
        return youth;
      }
      unidentified += 1;
      return { fields: new Set(), withheld: new Set() }; // attributed to no one; the caller withholds the answer
    };

    const walkObject = (
      object: Record<string, unknown>,
      runtime: GraphQLObjectType,
      selectionSets: readonly SelectionSetNode[],
      path: Path | undefined,
      owner: YouthAccumulator | undefined,
      via?: string,
    ): void => {
      if (runtime.name === YOUTH_TYPE) {
        owner = youthFor(object[AUDIT_YOUTH_ID]);
        owner.sharing ??= sharingStateOf(object[AUDIT_SHARING]);
      } else if (Object.hasOwn(object, AUDIT_OWNER) && OWNED_TYPES[runtime.name] !== undefined) {
        // An object of one young person's (a consent): theirs, and so is the field that led to it.
        const ownerObject = object[AUDIT_OWNER];
        owner = youthFor(
          typeof ownerObject === 'object' && ownerObject !== null ? (ownerObject as Record<string, unknown>)[AUDIT_YOUTH_ID] : undefined,
        );
        if (typeof ownerObject === 'object' && ownerObject !== null)
          owner.sharing ??= sharingStateOf((ownerObject as Record<string, unknown>)[AUDIT_SHARING]);
        if (via !== undefined) owner.fields.add(via);
      }
      const definitions = runtime.getFields();
      for (const [key, nodes] of fieldsOf(runtime, selectionSets)) {
        if (RESERVED.has(key) || !Object.hasOwn(object, key)) continue;
        const first = nodes[0];
        if (!first) continue;
        const name = first.name.value;
        const definition = definitions[name];
        if (!definition) continue; // __typename and other meta fields say nothing about anyone
        const value = object[key];
        const fieldPath: Path = { prev: path, key };
        if (owner) {
          const coordinate = `${runtime.name}.${name}`;
          const error = value === null && errorPaths.size > 0 ? errorPaths.get(pathKey(fieldPath)) : undefined;
          if (error === undefined) owner.fields.add(coordinate);
          else if (error) owner.withheld.add(coordinate);
        }
        const type = namedTypeOf(definition.type);
        if (value === null || value === undefined || !isCompositeType(type)) continue;
        let subSelections = subSelectionsOf.get(nodes);
        if (!subSelections)
          subSelectionsOf.set(nodes, (subSelections = nodes.flatMap((node) => (node.selectionSet ? [node.selectionSet] : []))));
        walkValue(value, type, subSelections, fieldPath, owner, `${runtime.name}.${name}`);
      }
    };

    const walkValue = (
      value: unknown,
      type: GraphQLCompositeType,
      selectionSets: readonly SelectionSetNode[],
      path: Path,
      owner: YouthAccumulator | undefined,
      via: string,
    ): void => {
      if (value === null || value === undefined) return;
      if (Array.isArray(value)) {
        value.forEach((item, index) => walkValue(item, type, selectionSets, { prev: path, key: index }, owner, via));
        return;
      }
      if (typeof value !== 'object') return;
      const object = value as Record<string, unknown>;
      if (isObjectType(type)) {
        walkObject(object, type, selectionSets, path, owner, via);
        return;
      }
      const typename = object[AUDIT_TYPENAME] ?? object['__typename'];
      const runtime = typeof typename === 'string' ? schema.getType(typename) : undefined;
      if (isObjectType(runtime) && schema.isSubType(type, runtime)) {
        walkObject(object, runtime, selectionSets, path, owner, via);
        return;
      }
      // Cannot tell what this is; if a young person could be behind it, nobody may see it unlogged.
      const youthType = schema.getType(YOUTH_TYPE);
      if (isObjectType(youthType) && schema.isSubType(type, youthType)) unidentified += 1;
    };

    let roots = rootSelections.get(operation);
    if (!roots) rootSelections.set(operation, (roots = [operation.selectionSet]));
    walkObject(data, rootType, roots, undefined, undefined);
  }

  const fieldsByYouth = new Map<string, Set<string>>();
  const categoriesByYouth = new Map<string, Set<string>>();
  const withheldByYouth = new Map<string, Set<string>>();
  const sharingByYouth = new Map<string, SharingState>();
  for (const [id, youth] of youths) {
    fieldsByYouth.set(id, youth.fields);
    withheldByYouth.set(id, youth.withheld);
    if (youth.sharing) sharingByYouth.set(id, youth.sharing);
    const categories = new Set<string>();
    for (const coordinate of youth.fields) {
      const category = categoryOf(coordinate);
      if (typeof category === 'string') categories.add(category);
      else if (category) for (const each of category) categories.add(each);
    }
    categoriesByYouth.set(id, categories);
  }

  return {
    youthIds: [...youths.keys()],
    fieldsByYouth,
    categoriesByYouth,
    withheldByYouth,
    sharingByYouth,
    unidentified,
    result: stripAuditSelections(result),
  };
}

function stripValue(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(stripValue);
  const copy: Record<string, unknown> = {};
  // Keys, not entries: no [key, value] pair allocated per field of the answer.
  const object = value as Record<string, unknown>;
  for (const key of Object.keys(object)) {
    if (!RESERVED.has(key)) copy[key] = stripValue(object[key]);
  }
  return copy;
}

/** A copy of `result` without the reserved aliases, and without errors located at one of them. */
export function stripAuditSelections<T extends AuditableResult>(result: T): T {
  const copy: T = { ...result };
  if (result.data !== undefined) copy.data = stripValue(result.data) as T['data'];
  if (result.errors) {
    const errors = result.errors.filter((error) => !error.path?.some((key) => typeof key === 'string' && RESERVED.has(key)));
    copy.errors = errors.length > 0 ? errors : undefined;
    if (copy.errors === undefined) delete copy.errors;
  }
  return copy;
}
