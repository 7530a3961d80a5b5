import type { Logger } from 'pino';
import { createSubgraph, baseContext, loadSchema } from '../kit/server.js';
import { createSystemHttp } from '../kit/systemHttp.js';
import { batchLoader } from '../kit/loaders.js';
import { GuidanceClient, GUIDANCE_BATCH_LIMIT } from './guidanceClient.js';
import { resolvers, type GuidanceContext } from './resolvers.js';
import type { GuidanceSubgraphConfig } from './config.js';

export const guidanceTypeDefs = loadSchema(new URL('./schema.graphql', import.meta.url));

export function createGuidanceClient(config: GuidanceSubgraphConfig, logger: Logger): GuidanceClient {
  return new GuidanceClient(
    createSystemHttp({
      service: 'guidance',
      baseURL: config.system.url,
      headers: { 'x-uu-token': config.system.token },
      timeoutMs: config.system.timeoutMs,
      maxSockets: config.system.concurrency,
      logger,
    }),
  );
}

/** Builds the guidance (UU) subgraph: identity and the one-young-person root query. */
export function createGuidanceSubgraph(config: GuidanceSubgraphConfig, logger: Logger) {
  const client = createGuidanceClient(config, logger);
  return createSubgraph<GuidanceContext>({
    name: 'guidance',
    typeDefs: guidanceTypeDefs,
    resolvers,
    logger,
    context: async (info) => {
      const base = baseContext(info);
      return {
        ...base,
        byId: batchLoader((ids) => client.findByIds(ids, base.requestId), GUIDANCE_BATCH_LIMIT),
        byCpr: batchLoader((cprs) => client.findByCprs(cprs, base.requestId), GUIDANCE_BATCH_LIMIT),
      };
    },
  });
}
