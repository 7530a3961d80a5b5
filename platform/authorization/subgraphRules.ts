/**
 * The same field rules, applied by a subgraph to its own schema (docs/access.md: "Every subgraph applies
 * the same rules from its own SDL"; subgraphs trust nobody, not even the gateway).
 *
 * Every field with a rule (its own, its object type's, or its return type's) gets a resolver that first
 * checks the caller's scopes: without them the field resolves to an error coded
 * `UNAUTHORIZED_FIELD_OR_TYPE`, so it is `null` with that error at its path. For a non-null field the null
 * goes up to the nearest nullable parent by GraphQL's ordinary rules; that is what the SDL asks for.
 * Entities reached through `_entities` resolve their fields through the same resolvers, and an entity
 * type with a rule the caller lacks is not even looked up (`__resolveReference` answers the error).
 */
import {
  GraphQLError,
  defaultFieldResolver,
  getNamedType,
  isInterfaceType,
  isObjectType,
  isUnionType,
  type GraphQLFieldResolver,
  type GraphQLSchema,
} from 'graphql';
import { refusedArgument, type ArgumentGuards } from './argumentRules.js';
import { hasScopes } from './roles.js';
import { UNAUTHORIZED_CODE, UNAUTHORIZED_MESSAGE, type AccessRules } from './rules.js';

/** The caller's scopes; `null` when the request carries no verified identity at all. */
export type ScopesOf = (context: unknown) => ReadonlySet<string> | null;

type ResolveReference = (reference: unknown, context: unknown, info: unknown) => unknown;

function unauthorized(): GraphQLError {
  return new GraphQLError(UNAUTHORIZED_MESSAGE, { extensions: { code: UNAUTHORIZED_CODE } });
}

/** The keys (`Type`, `Type.field`) whose rules all hold for `scopes`. */
function passes(rules: AccessRules, keys: readonly string[], scopes: ReadonlySet<string> | null): boolean {
  for (const key of keys) {
    if (scopes === null && rules.authenticated.has(key)) return false;
    const rule = rules.fields.get(key) ?? rules.types.get(key);
    if (rule !== undefined && !hasScopes(scopes ?? new Set(), rule)) return false;
  }
  return true;
}

function hasRule(rules: AccessRules, key: string): boolean {
  return rules.fields.has(key) || rules.types.has(key) || rules.authenticated.has(key);
}

/**
 * Wraps, in place, the resolvers of every protected field of a schema built by `buildSubgraphSchema`;
 * answers the same schema. Fields without rules keep their resolvers untouched (no cost).
 */
export function enforceFieldRules(schema: GraphQLSchema, rules: AccessRules, getScopes: ScopesOf): GraphQLSchema {
  for (const type of Object.values(schema.getTypeMap())) {
    if (type.name.startsWith('__') || !(isObjectType(type) || isInterfaceType(type))) continue;
    const typeKeys = hasRule(rules, type.name) ? [type.name] : [];

    for (const field of Object.values(type.getFields())) {
      const returned = getNamedType(field.type);
      // Field names are not type names: a field rule lives under `Type.field`, type rules under `Type`.
      const keys = [...typeKeys];
      if (hasRule(rules, `${type.name}.${field.name}`)) keys.push(`${type.name}.${field.name}`);
      if (!isUnionType(returned) && hasRule(rules, returned.name)) keys.push(returned.name);
      if (keys.length === 0) continue;
      const resolve: GraphQLFieldResolver<unknown, unknown> = field.resolve ?? defaultFieldResolver;
      field.resolve = (source, args, context, info) => {
        if (!passes(rules, keys, getScopes(context))) throw unauthorized();
        return resolve(source, args, context, info);
      };
    }

    if (isObjectType(type) && typeKeys.length > 0) {
      const subgraph = (type.extensions as { apollo?: { subgraph?: { resolveReference?: ResolveReference } } }).apollo?.subgraph;
      const resolveReference = subgraph?.resolveReference;
      if (subgraph && resolveReference) {
        subgraph.resolveReference = (reference, context, info) =>
          // A rejected promise, not a throw: `_entities` maps all representations synchronously, and a
          // throw there would fail every entity of the batch instead of this one.
          passes(rules, typeKeys, getScopes(context)) ? resolveReference(reference, context, info) : Promise.reject(unauthorized());
      }
    }
  }
  return schema;
}

/**
 * The argument rules (argumentRules.ts), applied by the subgraph that resolves the field: a field called
 * with an argument that filters on data the caller may not see resolves to the same
 * `UNAUTHORIZED_FIELD_OR_TYPE` error the gateway answers, naming the argument and the scope, and its
 * resolver never runs. Only fields the table lists are wrapped (the gateway refuses unlisted arguments).
 */
export function enforceArgumentRules(schema: GraphQLSchema, guards: ArgumentGuards, getScopes: ScopesOf): GraphQLSchema {
  for (const type of Object.values(schema.getTypeMap())) {
    if (type.name.startsWith('__') || !(isObjectType(type) || isInterfaceType(type))) continue;
    for (const field of Object.values(type.getFields())) {
      const coordinate = `${type.name}.${field.name}`;
      if (!guards.fields.has(coordinate)) continue;
      const resolve: GraphQLFieldResolver<unknown, unknown> = field.resolve ?? defaultFieldResolver;
      field.resolve = (source, args: Record<string, unknown>, context, info) => {
        const scopes = getScopes(context);
        const refusal = refusedArgument(guards, coordinate, args, scopes ?? new Set(), scopes !== null);
        if (refusal) throw new GraphQLError(refusal.message, { extensions: { code: UNAUTHORIZED_CODE } });
        return resolve(source, args, context, info);
      };
    }
  }
  return schema;
}
