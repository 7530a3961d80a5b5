import type { Logger } from 'pino';
import { createSubgraph, loadSchema, type Authenticate } from '../kit/server.js';
import { batchLoader } from '../kit/loaders.js';
import { createBenefitsClient, BENEFITS_BATCH_LIMIT } from '../kit/systems/benefitsClient.js';
import { resolvers, type BenefitsContext } from './resolvers.js';
import type { BenefitsSubgraphConfig } from './config.js';

export const benefitsTypeDefs = loadSchema(new URL('./schema.graphql', import.meta.url));

/** Builds the benefits subgraph. */
export function createBenefitsSubgraph(config: BenefitsSubgraphConfig, logger: Logger, authenticate: Authenticate, today?: () => string) {
  const client = createBenefitsClient(config.system, logger);
  return createSubgraph<BenefitsContext>({
    name: 'benefits',
    typeDefs: benefitsTypeDefs,
    resolvers,
    logger,
    authenticate,
    today,
    context: (base) => {
      return { ...base, recipients: batchLoader((cprs) => client.findRecipients(cprs, base.requestId), BENEFITS_BATCH_LIMIT) };
    },
  });
}
