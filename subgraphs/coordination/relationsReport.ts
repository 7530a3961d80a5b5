import type { ApolloServerPlugin } from '@apollo/server';
import type { RelationKind } from '../../platform/authorization/relation.js';
import type { SubgraphContext } from '../kit/server.js';

/** Where the coordination reports the relations of an answer to the gateway (response `extensions`). */
export const RELATIONS_EXTENSION = 'ungegrafRelations';

/**
 * The gateway's access log records, per young person, the relation the read was released under (or
 * BREAK_THE_GLASS). The entry points decide it here, so the answer tells the gateway in its extensions;
 * the gateway reads them from its own call and never passes subgraph extensions on to clients.
 */
export function relationsReportPlugin<
  TContext extends SubgraphContext & { relations: Map<string, RelationKind> },
>(): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response, contextValue }) {
          if (response.body.kind !== 'single' || contextValue.relations.size === 0) return;
          const result = response.body.singleResult;
          result.extensions = { ...result.extensions, [RELATIONS_EXTENSION]: Object.fromEntries(contextValue.relations) };
        },
      };
    },
  };
}
