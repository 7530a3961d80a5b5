import type { Logger } from 'pino';
import { createSubgraph, loadSchema, type Authenticate } from '../kit/server.js';
import { singleLoader } from '../kit/loaders.js';
import { createSocialClient } from '../kit/systems/socialClient.js';
import { resolvers, type SocialContext } from './resolvers.js';
import type { SocialSubgraphConfig } from './config.js';

export const socialTypeDefs = loadSchema(new URL('./schema.graphql', import.meta.url));

/** Builds the social-services subgraph. Its case system answers one person per call. */
export function createSocialSubgraph(config: SocialSubgraphConfig, logger: Logger, authenticate: Authenticate, today?: () => string) {
  const client = createSocialClient(config.system, logger);
  return createSubgraph<SocialContext>({
    name: 'social',
    typeDefs: socialTypeDefs,
    resolvers,
    logger,
    authenticate,
    today,
    context: (base) => {
      return { ...base, cases: singleLoader((cpr) => client.findCases(cpr, base.requestId), config.system.concurrency) };
    },
  });
}
