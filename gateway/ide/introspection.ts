/**
 * `IDE=scoped`: the IDE is served, and introspection (`__schema`, `__type`) answers only a token that
 * holds `schema:read` (docs/access.md), whatever NODE_ENV says. Apollo Server's own switch is all or
 * nothing, so it is turned on and this plugin refuses introspection, before anything runs, to every
 * other caller. `__typename` is not introspection and stays free.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import { BREAK, GraphQLError, Kind, visit, type DocumentNode } from 'graphql';
import type { GatewayContext } from '../context.js';
import type { IdeConfig } from './config.js';
import { ErrorCode } from '../../platform/errorCodes.js';

export const SCHEMA_READ_SCOPE = 'schema:read';
export const INTROSPECTION_REFUSED_CODE = ErrorCode.INTROSPECTION_NOT_ALLOWED;

const INTROSPECTION_FIELDS = new Set(['__schema', '__type']);

export function asksForIntrospection(document: DocumentNode): boolean {
  let found = false;
  visit(document, {
    [Kind.FIELD](node) {
      if (INTROSPECTION_FIELDS.has(node.name.value)) {
        found = true;
        return BREAK;
      }
      return undefined;
    },
  });
  return found;
}

export function scopedIntrospectionPlugin(): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, contextValue }) {
          if (!asksForIntrospection(document)) return;
          if (contextValue.identity?.scopes.has(SCHEMA_READ_SCOPE)) return;
          throw new GraphQLError(`Introspection needs the ${SCHEMA_READ_SCOPE} scope`, {
            extensions: { code: INTROSPECTION_REFUSED_CODE, http: { status: 403 } },
          });
        },
      };
    },
  };
}

/**
 * What the IDE's mode changes in Apollo Server: in `scoped` mode introspection is on for Apollo and
 * gated here; otherwise nothing (introspection follows NODE_ENV, gateway/limits.ts).
 */
export function ideIntrospection(ide: Pick<IdeConfig, 'mode'>): {
  apolloOptions: { introspection?: boolean };
  plugins: ApolloServerPlugin<GatewayContext>[];
} {
  if (ide.mode !== 'scoped') return { apolloOptions: {}, plugins: [] };
  return { apolloOptions: { introspection: true }, plugins: [scopedIntrospectionPlugin()] };
}
