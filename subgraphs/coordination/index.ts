import { createLogger } from '../../platform/logger.js';
import { runSubgraph } from '../kit/run.js';
import { createAuthenticate } from '../kit/auth.js';
import { SUBGRAPH_REGISTRY } from '../registry.js';

// Built as the stack builds it (subgraphs/registry.ts: store, health check, screening and the per-period
// jobs), then served on its own port.
const logger = createLogger('subgraph-coordination');
const coordination = await SUBGRAPH_REGISTRY.coordination.build({
  env: process.env,
  logger,
  authenticate: await createAuthenticate(process.env, logger),
});
await runSubgraph(coordination.subgraph, coordination.port, logger, () => coordination.close());
