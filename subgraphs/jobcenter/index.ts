import { createLogger } from '../../platform/logger.js';
import { runSubgraph } from '../kit/run.js';
import { loadJobcenterConfig } from './config.js';
import { createJobcenterSubgraph } from './server.js';

const logger = createLogger('subgraph-jobcenter');
const config = loadJobcenterConfig();
await runSubgraph(createJobcenterSubgraph(config, logger), config.port, logger);
