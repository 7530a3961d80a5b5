import { loadGatewayConfig } from '../gateway/config.js';
import { bundleKey, loadIdeBundle } from '../gateway/ide/bundle.js';
import { createLogger } from '../platform/logger.js';

/**
 * `npm run ide:build`: builds the IDE's bundle into IDE_CACHE_DIR ahead of time (the image does this, so
 * a gateway on a read-only file system serves the IDE without building it at its first request).
 */
const logger = createLogger('ide-build');
const { ide } = loadGatewayConfig();
const started = Date.now();
await loadIdeBundle(ide.cacheDir, logger);
process.stdout.write(`IDE bundle ${bundleKey()} in ${ide.cacheDir} (${Date.now() - started} ms)\n`);
