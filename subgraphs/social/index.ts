import { createLogger } from '../../platform/logger.js';
import { runSubgraph } from '../kit/run.js';
import { createAuthenticate } from '../kit/auth.js';
import { loadSocialConfig } from './config.js';
import { createSocialSubgraph } from './server.js';

const logger = createLogger('subgraph-social');
const config = loadSocialConfig();
await runSubgraph(createSocialSubgraph(config, logger, await createAuthenticate(process.env, logger)), config.port, logger);
