/**
 * Runs the gateway: `npx tsx gateway/main.ts`. Configuration: see `config.ts`.
 */
// Before anything from @apollo/gateway is constructed: no hourly telemetry to Apollo (createGateway sets it too).
process.env.APOLLO_TELEMETRY_DISABLED = '1';

import { createLogger } from '../platform/logger.js';
import { ConfigError, loadGatewayConfig } from './config.js';
import { shutdownOnSignals } from '../platform/lifecycle.js';
import { loadTracingConfig, startTracing } from '../platform/tracing.js';

const logger = createLogger('gateway');

async function main(): Promise<void> {
  const config = loadGatewayConfig();
  // Tracing first (when on), so its instrumentations see the modules the gateway loads next.
  const tracing = await startTracing(loadTracingConfig('ungegraf-gateway'), logger);
  const [{ listen }, { createGateway }, { openGatewaySecurity }] = await Promise.all([
    import('../platform/graphqlHttp.js'),
    import('./server.js'),
    import('./authentication.js'),
  ]);

  const access = await openGatewaySecurity(process.env, logger);
  // GATEWAY_SIGNING_KEY is read here, before the gateway starts: a missing or bad key stops it at once.
  const { createGatewayCredentials, loadGatewaySigningConfig } = await import('../platform/authentication/gatewayCredential.js');
  const credentials = await createGatewayCredentials(loadGatewaySigningConfig(), logger);
  const gateway = await createGateway({ config, logger, access, credentials });
  await gateway.start();
  const listening = await listen(gateway.handler, { port: config.port, host: config.host });
  const base = listening.url;
  logger.info(
    { url: `${base}/graphql`, health: `${base}/healthz`, ready: `${base}/readyz`, metrics: `${base}/metrics` },
    'gateway listening',
  );

  // SIGTERM: unready, stop accepting, drain within the grace period, then Apollo and the gateway stop
  // (the supergraph watch too), the access log is closed (every answer's records were written before it
  // left), tracing flushes, exit 0 (platform/lifecycle.ts).
  shutdownOnSignals({
    logger,
    health: gateway.health,
    listening,
    config: config.lifecycle,
    async stop() {
      await gateway.stop();
      await access.close();
      logger.info('access log closed');
      await tracing.shutdown();
    },
  });
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) logger.fatal(error.message);
  else logger.fatal({ err: error }, 'gateway failed to start');
  process.exit(1);
});
