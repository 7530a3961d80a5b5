import type { Logger } from 'pino';
import { listen } from '../../platform/graphqlHttp.js';
import { loadLifecycleConfig, shutdownOnSignals } from '../../platform/lifecycle.js';
import { loadTracingConfig, startTracing } from '../../platform/tracing.js';
import type { BuiltSubgraph, SubgraphContext } from './server.js';

/**
 * Starts a built subgraph on its port and stops it gracefully on SIGTERM/SIGINT (platform/lifecycle.ts):
 * unready first, then the listener closes, requests in flight finish within SHUTDOWN_GRACE_MS, then
 * Apollo Server stops and `onStop` closes the subgraph's own things (schedules, databases); exit 0.
 */
export async function runSubgraph<T extends SubgraphContext>(
  subgraph: Pick<BuiltSubgraph<T>, 'name' | 'health' | 'start' | 'stop'>,
  port: number,
  logger: Logger,
  onStop?: () => Promise<void>,
) {
  const tracing = await startTracing(loadTracingConfig(`ungegraf-subgraph-${subgraph.name}`), logger);
  const handler = await subgraph.start();
  const listening = await listen(handler, { port, host: process.env.HOST ?? '127.0.0.1' });
  logger.info(
    { url: `${listening.url}/graphql`, ready: `${listening.url}/readyz`, metrics: `${listening.url}/metrics` },
    `${subgraph.name} subgraph ready`,
  );
  shutdownOnSignals({
    logger,
    health: subgraph.health,
    listening,
    config: loadLifecycleConfig(),
    async stop() {
      await subgraph.stop();
      await onStop?.();
      await tracing.shutdown();
    },
  });
  return listening;
}
