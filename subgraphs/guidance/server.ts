import type { Logger } from 'pino';
import { createSubgraph, loadSchema, type Authenticate } from '../kit/server.js';
import { batchLoader } from '../kit/loaders.js';
import { createGuidanceClient, GUIDANCE_BATCH_LIMIT } from '../kit/systems/guidanceClient.js';
import { resolvers, type GuidanceContext } from './resolvers.js';
import type { GuidanceSubgraphConfig } from './config.js';

export const guidanceTypeDefs = loadSchema(new URL('./schema.graphql', import.meta.url));

/** Builds the guidance (UU) subgraph: identity and the one-young-person root query. */
export function createGuidanceSubgraph(config: GuidanceSubgraphConfig, logger: Logger, authenticate: Authenticate, today?: () => string) {
  const client = createGuidanceClient(config.system, logger);
  return createSubgraph<GuidanceContext>({
    name: 'guidance',
    typeDefs: guidanceTypeDefs,
    resolvers,
    logger,
    authenticate,
    today,
    context: (base) => {
      return {
        ...base,
        byId: batchLoader((ids) => client.findByIds(ids, base.requestId), GUIDANCE_BATCH_LIMIT),
        byCpr: batchLoader((cprs) => client.findByCprs(cprs, base.requestId), GUIDANCE_BATCH_LIMIT),
      };
    },
  });
}
