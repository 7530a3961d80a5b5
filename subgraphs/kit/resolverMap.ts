/**
 * The resolver map a subgraph hands to `buildSubgraphSchema`. @apollo/subgraph has this type but does not
 * export it from its public entry (only from `dist/schema-helper`, a private path that may move in any
 * release), so it is declared here once, shaped like the library's and assignable to it.
 *
 * Each resolver declares its own parent and argument types, so the map's field resolver is a method
 * signature (TypeScript compares a method's parameters both ways): a resolver of any parent type fits
 * without the library's `any`.
 */
import type { GraphQLResolveInfo, GraphQLScalarType } from 'graphql';

type FieldResolver<TContext> = {
  resolve(source: unknown, args: unknown, context: TContext, info: GraphQLResolveInfo): unknown;
}['resolve'];

export interface GraphQLResolverMap<TContext = object> {
  [typeName: string]:
    | {
        [fieldName: string]:
          FieldResolver<TContext> | { requires?: string; resolve?: FieldResolver<TContext>; subscribe?: FieldResolver<TContext> };
      }
    | GraphQLScalarType
    | { [enumValue: string]: string | number };
}
