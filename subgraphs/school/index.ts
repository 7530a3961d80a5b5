import { createLogger } from '../../platform/logger.js';
import { runSubgraph } from '../kit/run.js';
import { createAuthenticate } from '../kit/auth.js';
import { loadSchoolConfig } from './config.js';
import { createSchoolSubgraph } from './server.js';

const logger = createLogger('subgraph-school');
const config = loadSchoolConfig();
await runSubgraph(createSchoolSubgraph(config, logger, await createAuthenticate(process.env, logger)), config.port, logger);
