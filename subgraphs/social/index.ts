import { createLogger } from '../../platform/logger.js';
import { runSubgraph } from '../kit/run.js';
import { loadSocialConfig } from './config.js';
import { createSocialSubgraph } from './server.js';

const logger = createLogger('subgraph-social');
const config = loadSocialConfig();
await runSubgraph(createSocialSubgraph(config, logger), config.port, logger);
