import { createLogger } from '../../platform/logger.js';
import { runSubgraph } from '../kit/run.js';
import { loadSchoolConfig } from './config.js';
import { createSchoolSubgraph } from './server.js';

const logger = createLogger('subgraph-school');
const config = loadSchoolConfig();
await runSubgraph(createSchoolSubgraph(config, logger), config.port, logger);
