import type { Logger } from 'pino';
import { createSubgraph, loadSchema, type Authenticate } from '../kit/server.js';
import { batchLoader } from '../kit/loaders.js';
import { createSchoolClient, SCHOOL_BATCH_LIMIT } from '../kit/systems/schoolClient.js';
import { resolvers, type SchoolContext } from './resolvers.js';
import type { SchoolSubgraphConfig } from './config.js';

export const schoolTypeDefs = loadSchema(new URL('./schema.graphql', import.meta.url));

/** Builds the school subgraph (never listens; see index.ts). */
export function createSchoolSubgraph(config: SchoolSubgraphConfig, logger: Logger, authenticate: Authenticate, today?: () => string) {
  const client = createSchoolClient(config.system, logger);
  return createSubgraph<SchoolContext>({
    name: 'school',
    typeDefs: schoolTypeDefs,
    resolvers,
    logger,
    authenticate,
    today,
    context: (base) => {
      return { ...base, pupils: batchLoader((cprs) => client.findPupils(cprs, base.requestId), SCHOOL_BATCH_LIMIT) };
    },
  });
}
