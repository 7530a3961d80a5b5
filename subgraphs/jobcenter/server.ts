import type { Logger } from 'pino';
import { createSubgraph, baseContext, loadSchema } from '../kit/server.js';
import { createSystemHttp } from '../kit/systemHttp.js';
import { singleLoader } from '../kit/loaders.js';
import { JobcenterClient } from './jobcenterClient.js';
import { resolvers, type JobcenterContext } from './resolvers.js';
import type { JobcenterSubgraphConfig } from './config.js';

export const jobcenterTypeDefs = loadSchema(new URL('./schema.graphql', import.meta.url));

/** Builds the jobcenter subgraph. Its system has no batch look-up: calls are bounded per request. */
export function createJobcenterSubgraph(config: JobcenterSubgraphConfig, logger: Logger) {
  const client = new JobcenterClient(
    createSystemHttp({
      service: 'jobcenter',
      baseURL: config.system.url,
      headers: { authorization: `Bearer ${config.system.apiKey}` },
      timeoutMs: config.system.timeoutMs,
      maxSockets: config.system.concurrency,
      logger,
    }),
  );
  return createSubgraph<JobcenterContext>({
    name: 'jobcenter',
    typeDefs: jobcenterTypeDefs,
    resolvers,
    logger,
    context: async (info) => {
      const base = baseContext(info);
      return { ...base, citizens: singleLoader((cpr) => client.findCitizen(cpr, base.requestId), config.system.concurrency) };
    },
  });
}
