import { createLogger } from '../../platform/logger.js';
import { runSubgraph } from '../kit/run.js';
import { createAuthenticate } from '../kit/auth.js';
import { loadBenefitsConfig } from './config.js';
import { createBenefitsSubgraph } from './server.js';

const logger = createLogger('subgraph-benefits');
const config = loadBenefitsConfig();
await runSubgraph(createBenefitsSubgraph(config, logger, await createAuthenticate(process.env, logger)), config.port, logger);
