import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import type { GatewayConfig } from './config.js';
import { ideRoutes } from './ide/routes.js';
import { screenRoutes } from '../web/routes.js';

/** A plain HTTP route the gateway answers besides `/graphql` (exact path, or a prefix ending in `/`). */
export type FrontendRoute = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

/**
 * The browser frontends the gateway serves from the project's own files (no CDN): the GraphQL IDE and
 * the reference screen. Each frontend adds its routes here; server.ts mounts them.
 */
export function frontendRoutes(config: GatewayConfig, logger: Logger): Record<string, FrontendRoute> {
  return {
    ...ideRoutes({ ide: config.ide, production: config.production, logger }),
    ...screenRoutes({ logger, watch: !config.production }),
  };
}
