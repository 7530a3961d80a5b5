import type { Logger } from 'pino';
import { createSubgraph, loadSchema, type Authenticate } from '../kit/server.js';
import { singleLoader } from '../kit/loaders.js';
import { createJobcenterClient } from '../kit/systems/jobcenterClient.js';
import { resolvers, type JobcenterContext } from './resolvers.js';
import type { JobcenterSubgraphConfig } from './config.js';

export const jobcenterTypeDefs = loadSchema(new URL('./schema.graphql', import.meta.url));

/** Builds the jobcenter subgraph. Its system has no batch look-up: calls are bounded per request. */
export function createJobcenterSubgraph(config: JobcenterSubgraphConfig, logger: Logger, authenticate: Authenticate, today?: () => string) {
  const client = createJobcenterClient(config.system, logger);
  return createSubgraph<JobcenterContext>({
    name: 'jobcenter',
    typeDefs: jobcenterTypeDefs,
    resolvers,
    logger,
    authenticate,
    today,
    context: (base) => {
      return { ...base, citizens: singleLoader((cpr) => client.findCitizen(cpr, base.requestId), config.system.concurrency) };
    },
  });
}
