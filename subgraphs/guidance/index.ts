import { createLogger } from '../../platform/logger.js';
import { runSubgraph } from '../kit/run.js';
import { createAuthenticate } from '../kit/auth.js';
import { loadGuidanceConfig } from './config.js';
import { createGuidanceSubgraph } from './server.js';

const logger = createLogger('subgraph-guidance');
const config = loadGuidanceConfig();
await runSubgraph(createGuidanceSubgraph(config, logger, await createAuthenticate(process.env, logger)), config.port, logger);
