import { createLogger } from '../../platform/logger.js';
import { runSubgraph } from '../kit/run.js';
import { createAuthenticate } from '../kit/auth.js';
import { loadJobcenterConfig } from './config.js';
import { createJobcenterSubgraph } from './server.js';

const logger = createLogger('subgraph-jobcenter');
const config = loadJobcenterConfig();
await runSubgraph(createJobcenterSubgraph(config, logger, await createAuthenticate(process.env, logger)), config.port, logger);
