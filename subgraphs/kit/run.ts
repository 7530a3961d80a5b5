import type { Logger } from 'pino';
import { listen } from '../../platform/graphqlHttp.js';
import type { BuiltSubgraph, SubgraphContext } from './server.js';

/** Starts a built subgraph on its port and stops it cleanly on SIGTERM/SIGINT. */
export async function runSubgraph<T extends SubgraphContext>(subgraph: BuiltSubgraph<T>, port: number, logger: Logger, onStop?: () => Promise<void>) {
  const handler = await subgraph.start();
  const listening = await listen(handler, { port, host: process.env.HOST ?? '127.0.0.1' });
  logger.info({ url: `${listening.url}/graphql` }, `${subgraph.name} subgraph ready`);
  const shutdown = async (signal: string) => {
    logger.info({ signal }, 'shutting down');
    await subgraph.stop();
    await listening.close();
    await onStop?.();
    process.exit(0);
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));
  return listening;
}
