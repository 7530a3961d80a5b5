/**
 * Runs the gateway: `npx tsx gateway/main.ts`. Configuration: see `config.ts`.
 */
// Before anything from @apollo/gateway is constructed: no hourly telemetry to Apollo (createGateway sets it too).
process.env.APOLLO_TELEMETRY_DISABLED = '1';

import { createLogger } from '../platform/logger.js';
import { ConfigError, loadGatewayConfig } from './config.js';
import { listen } from '../platform/graphqlHttp.js';
import { createGateway } from './server.js';
import { openGatewayAccess } from './access.js';

const SHUTDOWN_GRACE_MS = 10_000;

const logger = createLogger('gateway');

async function main(): Promise<void> {
  const config = loadGatewayConfig();
  const access = await openGatewayAccess(process.env, logger);
  const gateway = await createGateway({ config, logger, access });
  await gateway.start();
  const listening = await listen(gateway.handler, { port: config.port, host: config.host });
  logger.info({ url: `${listening.url}/graphql`, health: `${listening.url}/healthz` }, 'gateway listening');

  let stopping = false;
  const shutdown = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    // A stuck connection must not keep the process alive forever.
    setTimeout(() => {
      logger.warn('shutdown took too long; exiting');
      process.exit(1);
    }, SHUTDOWN_GRACE_MS).unref();
    // Health turns 503 and new connections are refused; in-flight requests finish; then Apollo stops.
    gateway.health.markStopping();
    listening
      .close()
      .then(() => gateway.stop())
      .then(() => access.close())
      .then(() => {
        logger.info('stopped');
        process.exit(0);
      })
      .catch((error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      });
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) logger.fatal(error.message);
  else logger.fatal({ err: error }, 'gateway failed to start');
  process.exit(1);
});
