import { createLogger } from '../../platform/logger.js';
import { databaseCheck } from '../../platform/health.js';
import { runSubgraph } from '../kit/run.js';
import { createAuthenticate } from '../kit/auth.js';
import { loadCoordinationConfig } from './config.js';
import { openCoordinationStore } from './store/index.js';
import { createCoordinationSubgraph } from './server.js';
import { scheduleScreening } from './screening/schedule.js';
import { scheduleAssignmentReview } from './screening/assignmentReview.js';
import { scheduleMeasureSnapshot } from './reporting/snapshots.js';

const logger = createLogger('subgraph-coordination');
const config = loadCoordinationConfig();
const { db, store } = await openCoordinationStore({
  url: config.databaseUrl,
  dataDir: config.dataDir,
  schema: config.databaseSchema,
  logger,
});
const coordination = createCoordinationSubgraph(config, store, logger, await createAuthenticate(process.env, logger));
coordination.subgraph.health.addCheck('database', databaseCheck(db));
const schedule = scheduleScreening(coordination.screen, config.screeningIntervalMinutes, logger);
const review = scheduleAssignmentReview(coordination.reviewAssignments, config.assignmentReviewIntervalMinutes, logger);
const snapshots = scheduleMeasureSnapshot(coordination.snapshotMeasures, config.measureSnapshotIntervalMinutes, logger);
await runSubgraph(coordination.subgraph, config.port, logger, async () => {
  schedule.stop();
  review.stop();
  snapshots.stop();
  await db.close();
});
