import type { Logger } from 'pino';
import { createSubgraph, baseContext, loadSchema } from '../kit/server.js';
import { createSystemHttp } from '../kit/systemHttp.js';
import { batchLoader } from '../kit/loaders.js';
import { BenefitsClient, BENEFITS_BATCH_LIMIT } from './benefitsClient.js';
import { resolvers, type BenefitsContext } from './resolvers.js';
import type { BenefitsSubgraphConfig } from './config.js';

export const benefitsTypeDefs = loadSchema(new URL('./schema.graphql', import.meta.url));

/** Builds the benefits subgraph. */
export function createBenefitsSubgraph(config: BenefitsSubgraphConfig, logger: Logger) {
  const client = new BenefitsClient(
    createSystemHttp({
      service: 'benefits',
      baseURL: config.system.url,
      headers: { 'x-client-id': config.system.clientId, 'x-client-secret': config.system.clientSecret },
      timeoutMs: config.system.timeoutMs,
      maxSockets: config.system.concurrency,
      logger,
    }),
  );
  return createSubgraph<BenefitsContext>({
    name: 'benefits',
    typeDefs: benefitsTypeDefs,
    resolvers,
    logger,
    context: async (info) => {
      const base = baseContext(info);
      return { ...base, recipients: batchLoader((cprs) => client.findRecipients(cprs, base.requestId), BENEFITS_BATCH_LIMIT) };
    },
  });
}
