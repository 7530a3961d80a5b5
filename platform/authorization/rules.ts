/**
 * The field rules of docs/access.md ("Field rules"), read from SDL: Federation's `@requiresScopes` (an
 * inner list ANDs, the outer list ORs) and `@authenticated`, on fields and on types.
 *
 * Composition 2.14 keeps them in the supergraph as plain applications behind a security link:
 *
 *   schema @link(url: "https://specs.apollo.dev/requiresScopes/v0.1", for: SECURITY) ...
 *   directive @requiresScopes(scopes: [[requiresScopes__Scope!]!]!) on FIELD_DEFINITION | OBJECT | ...
 *   cpr: String @join__field(graph: A) @requiresScopes(scopes: [["cpr:read"], ["admin", "x:y"]])
 *
 * When the subgraphs import the directive under another name (`{ name: "@requiresScopes", as: "@scopes" }`,
 * which composition demands be the same in every subgraph), the link carries that import and the
 * applications use the new name. Composition also copies the rules of every implementation onto the
 * interface (ANDed). `@apollo/gateway` refuses a supergraph that links a `for: SECURITY` feature it does
 * not implement, so the gateway reads the rules here and loads the supergraph without them.
 */
import {
  Kind,
  parse,
  print,
  visit,
  type ConstArgumentNode,
  type ConstDirectiveNode,
  type ConstValueNode,
  type DefinitionNode,
  type DocumentNode,
  type FieldDefinitionNode,
} from 'graphql';
import { ErrorCode } from '../errorCodes.js';

/** What a refused field or type answers with, at the gateway (null at its path) and in a subgraph alike. */
export const UNAUTHORIZED_MESSAGE = 'Unauthorized field or type';
export const UNAUTHORIZED_CODE = ErrorCode.UNAUTHORIZED_FIELD_OR_TYPE;

/** An outer list of alternatives, each an inner list of scopes that must all be granted. */
export type ScopeRule = string[][];

export interface AccessRules {
  /** `Type.field` → the scopes it needs. */
  fields: Map<string, ScopeRule>;
  /** `Type` → the scopes every field returning it (and every fragment on it) needs. */
  types: Map<string, ScopeRule>;
  /** `Type.field` or `Type` that needs an authenticated caller. */
  authenticated: Set<string>;
}

export function emptyRules(): AccessRules {
  return { fields: new Map(), types: new Map(), authenticated: new Set() };
}

const SPEC_BASE = 'https://specs.apollo.dev/';
const SECURITY_SPECS = ['requiresScopes', 'authenticated'] as const;
type SecuritySpec = (typeof SECURITY_SPECS)[number];

/** Which directive names mean which security directive in one schema. */
interface SecurityNames {
  directives: Map<string, SecuritySpec>;
  /** Prefixes (`requiresScopes__`) of the types a security link brings (`requiresScopes__Scope`). */
  typePrefixes: Set<string>;
}

function stringArg(args: readonly ConstArgumentNode[] | undefined, name: string): string | undefined {
  const value = args?.find((arg) => arg.name.value === name)?.value;
  return value?.kind === Kind.STRING ? value.value : undefined;
}

/** `https://specs.apollo.dev/requiresScopes/v0.1` → `requiresScopes`; anything else → undefined. */
function securitySpecOf(url: string): SecuritySpec | undefined {
  if (!url.startsWith(SPEC_BASE)) return undefined;
  const name = url.slice(SPEC_BASE.length).split('/')[0];
  return SECURITY_SPECS.find((spec) => spec === name);
}

/** `import: ["@a", { name: "@b", as: "@c" }]` → [["a","a"], ["b","c"]] (element, local name), directives only. */
function importsOf(directive: ConstDirectiveNode): [string, string][] {
  const list = directive.arguments?.find((arg) => arg.name.value === 'import')?.value;
  if (list?.kind !== Kind.LIST) return [];
  const imports: [string, string][] = [];
  for (const item of list.values) {
    if (item.kind === Kind.STRING) {
      if (item.value.startsWith('@')) imports.push([item.value.slice(1), item.value.slice(1)]);
    } else if (item.kind === Kind.OBJECT) {
      const field = (name: string) => {
        const value = item.fields.find((f) => f.name.value === name)?.value;
        return value?.kind === Kind.STRING ? value.value : undefined;
      };
      const name = field('name');
      const as = field('as') ?? name;
      if (name?.startsWith('@') && as?.startsWith('@')) imports.push([name.slice(1), as.slice(1)]);
    }
  }
  return imports;
}

function schemaLinks(document: DocumentNode): ConstDirectiveNode[] {
  const links: ConstDirectiveNode[] = [];
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.SCHEMA_DEFINITION && definition.kind !== Kind.SCHEMA_EXTENSION) continue;
    for (const directive of definition.directives ?? []) {
      if (directive.name.value === 'link') links.push(directive);
    }
  }
  return links;
}

/**
 * The names the security directives go by in a supergraph: from its security links (imported, renamed,
 * or the link's own name per the link spec), plus the defaults and the `federation__` forms, so that an
 * application in any of these spellings is read and stripped, never silently kept or lost.
 */
function supergraphNames(document: DocumentNode): SecurityNames {
  const directives = new Map<string, SecuritySpec>();
  const typePrefixes = new Set<string>();
  for (const spec of SECURITY_SPECS) {
    directives.set(spec, spec);
    directives.set(`federation__${spec}`, spec);
    typePrefixes.add(`${spec}__`);
  }
  for (const link of schemaLinks(document)) {
    const spec = securitySpecOf(stringArg(link.arguments, 'url') ?? '');
    if (!spec) continue;
    const namespace = stringArg(link.arguments, 'as') ?? spec;
    typePrefixes.add(`${namespace}__`);
    // The link spec names a feature's own directive after the namespace when it is not imported.
    directives.set(namespace, spec);
    directives.set(`${namespace}__${spec}`, spec);
    for (const [element, local] of importsOf(link)) {
      if (element === spec) directives.set(local, spec);
    }
  }
  return { directives, typePrefixes };
}

/**
 * The names in a subgraph schema: `@link(url: ".../federation/v2.x", import: [...])` imports them
 * (possibly renamed); not imported, they are `federation__requiresScopes` (or `<as>__...`).
 */
function subgraphNames(document: DocumentNode): SecurityNames {
  const directives = new Map<string, SecuritySpec>();
  for (const spec of SECURITY_SPECS) directives.set(`federation__${spec}`, spec);
  for (const link of schemaLinks(document)) {
    const url = stringArg(link.arguments, 'url') ?? '';
    if (url.startsWith(`${SPEC_BASE}federation/`)) {
      const namespace = stringArg(link.arguments, 'as') ?? 'federation';
      for (const spec of SECURITY_SPECS) directives.set(`${namespace}__${spec}`, spec);
      for (const [element, local] of importsOf(link)) {
        const spec = SECURITY_SPECS.find((s) => s === element);
        if (spec) directives.set(local, spec);
      }
    }
  }
  return { directives, typePrefixes: new Set() };
}

function scopesOf(value: ConstValueNode | undefined, where: string): ScopeRule {
  const fail = () => new Error(`${where}: @requiresScopes(scopes:) must be a list of lists of strings`);
  if (value?.kind !== Kind.LIST) throw fail();
  return value.values.map((inner) => {
    if (inner.kind !== Kind.LIST) throw fail();
    return inner.values.map((scope) => {
      if (scope.kind !== Kind.STRING) throw fail();
      return scope.value;
    });
  });
}

/** Both rules must hold: every alternative of `a` combined with every alternative of `b`. */
export function andRules(a: ScopeRule, b: ScopeRule): ScopeRule {
  const combined: ScopeRule = [];
  for (const x of a) for (const y of b) combined.push([...new Set([...x, ...y])]);
  return combined;
}

/** The rule a `@join__directive(name: "requiresScopes", args: { scopes: ... })` carries, if it is one. */
function joinDirectiveSpec(directive: ConstDirectiveNode, names: SecurityNames): SecuritySpec | undefined {
  if (directive.name.value !== 'join__directive') return undefined;
  const name = stringArg(directive.arguments, 'name');
  return name === undefined ? undefined : names.directives.get(name);
}

function joinDirectiveScopes(directive: ConstDirectiveNode): ConstValueNode | undefined {
  const args = directive.arguments?.find((arg) => arg.name.value === 'args')?.value;
  if (args?.kind !== Kind.OBJECT) return undefined;
  return args.fields.find((field) => field.name.value === 'scopes')?.value;
}

function collect(document: DocumentNode, names: SecurityNames): AccessRules {
  const rules = emptyRules();
  const apply = (directives: readonly ConstDirectiveNode[] | undefined, key: string, scoped: Map<string, ScopeRule>) => {
    for (const directive of directives ?? []) {
      const spec = names.directives.get(directive.name.value) ?? joinDirectiveSpec(directive, names);
      if (!spec) continue;
      if (spec === 'authenticated') {
        rules.authenticated.add(key);
        continue;
      }
      const value =
        directive.name.value === 'join__directive'
          ? joinDirectiveScopes(directive)
          : directive.arguments?.find((arg) => arg.name.value === 'scopes')?.value;
      const rule = scopesOf(value, key);
      const existing = scoped.get(key);
      scoped.set(key, existing ? andRules(existing, rule) : rule);
    }
  };
  for (const definition of document.definitions) {
    switch (definition.kind) {
      case Kind.OBJECT_TYPE_DEFINITION:
      case Kind.OBJECT_TYPE_EXTENSION:
      case Kind.INTERFACE_TYPE_DEFINITION:
      case Kind.INTERFACE_TYPE_EXTENSION: {
        const typeName = definition.name.value;
        apply(definition.directives, typeName, rules.types);
        for (const field of definition.fields ?? ([] as readonly FieldDefinitionNode[])) {
          apply(field.directives, `${typeName}.${field.name.value}`, rules.fields);
        }
        break;
      }
      case Kind.SCALAR_TYPE_DEFINITION:
      case Kind.SCALAR_TYPE_EXTENSION:
      case Kind.ENUM_TYPE_DEFINITION:
      case Kind.ENUM_TYPE_EXTENSION:
      case Kind.UNION_TYPE_DEFINITION:
      case Kind.UNION_TYPE_EXTENSION:
        apply(definition.directives, definition.name.value, rules.types);
        break;
      default:
        break;
    }
  }
  return rules;
}

/** The rules of a composed supergraph (what `schema/compose.ts` writes). */
export function readSupergraphRules(supergraphSdl: string): AccessRules {
  const document = parse(supergraphSdl);
  return collect(document, supergraphNames(document));
}

/** The rules a subgraph declares in its own schema.graphql. */
export function readSubgraphRules(subgraphSdl: string): AccessRules {
  const document = parse(subgraphSdl);
  return collect(document, subgraphNames(document));
}

/**
 * The supergraph without the security links, their directive definitions, their types
 * (`requiresScopes__Scope`) and every application (also as `federation__...` or `@join__directive`),
 * so that `new ApolloGateway({ supergraphSdl })` loads it. Other `for: SECURITY` features (`@policy`) are
 * left in place on purpose: the gateway then refuses to start rather than serve data nobody checks.
 */
export function stripSecurityDirectives(supergraphSdl: string): string {
  const document = parse(supergraphSdl);
  const names = supergraphNames(document);
  const isSecurity = (directive: ConstDirectiveNode): boolean =>
    names.directives.has(directive.name.value) || joinDirectiveSpec(directive, names) !== undefined;
  const isSecurityLink = (directive: ConstDirectiveNode): boolean =>
    directive.name.value === 'link' && securitySpecOf(stringArg(directive.arguments, 'url') ?? '') !== undefined;
  const isSecurityType = (name: string): boolean => [...names.typePrefixes].some((prefix) => name.startsWith(prefix));

  const stripped = visit(document, {
    Directive: (node) => (isSecurity(node as ConstDirectiveNode) || isSecurityLink(node as ConstDirectiveNode) ? null : undefined),
    DirectiveDefinition: (node) => (names.directives.has(node.name.value) ? null : undefined),
  });
  const definitions = stripped.definitions.filter((definition: DefinitionNode) => {
    if (!('name' in definition) || !definition.name) return true;
    return !(definition.kind !== Kind.DIRECTIVE_DEFINITION && isSecurityType(definition.name.value));
  });
  return print({ ...stripped, definitions });
}
