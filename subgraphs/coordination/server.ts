import type { Logger } from 'pino';
import { createSubgraph, loadSchema, type Authenticate } from '../kit/server.js';
import { keptPerClientRequest, sharedBatchLoader } from '../kit/loaders.js';
import { keyList } from './store/validate.js';
import { todayIso } from '../kit/dates.js';
import { createGuidanceClient } from '../kit/systems/guidanceClient.js';
import { createSchoolClient } from '../kit/systems/schoolClient.js';
import { createJobcenterClient } from '../kit/systems/jobcenterClient.js';
import { createSocialClient } from '../kit/systems/socialClient.js';
import type { CoordinationStore } from './store/coordinationStore.js';
import { resolvers, type CoordinationContext } from './resolvers.js';
import { YouthFactsSource } from './youthFactsSource.js';
import { runScreening, type ScreeningResult } from './screening/screeningJob.js';
import { followChangeFeeds, registerChangeFeeds, type ChangeFollower, type ChangeFollowerOptions } from './screening/changeFeed.js';
import { runAssignmentReview, type AssignmentReviewResult } from './screening/assignmentReview.js';
import { runMeasureSnapshot, type MeasureSnapshotResult } from './reporting/snapshots.js';
import { hostname } from 'node:os';
import type { CoordinationConfig } from './config.js';
import { createCursorSealer } from './cursor.js';
import { devCursorKey } from './devCursorKey.js';
import { relationsReportPlugin } from './relationsReport.js';

export const coordinationTypeDefs = loadSchema(new URL('./schema.graphql', import.meta.url));

export interface CoordinationSubgraph {
  subgraph: ReturnType<typeof createSubgraph<CoordinationContext>>;
  /**
   * Rebuilds the screening register from the systems' extracts (one run at a time). While this replica
   * follows the change feeds, through the follower (paused meanwhile, resumed from the heads before it).
   */
  screen: () => Promise<ScreeningResult>;
  /**
   * Starts following the systems' change feeds (screening/changeFeed.ts): the leader's job, one at a time.
   * Settings from `config.changeFeeds`, `options` over them; `stop()` ends it.
   */
  followChanges: (options?: ChangeFollowerOptions) => ChangeFollower<ScreeningResult>;
  /** Today's assignment review (ends at 25, marks anchoring), unless another replica has it (screening/assignmentReview.ts). */
  reviewAssignments: () => Promise<AssignmentReviewResult>;
  /** The snapshot of the success measures for the month just ended, unless another replica has it (reporting/snapshots.ts). */
  snapshotMeasures: () => Promise<MeasureSnapshotResult>;
}

/**
 * Register rows kept for a client request's later calls: a few seconds of dossiers at a few hundred a
 * second; a row is ~1 KB, so at most a few MiB whatever a list loads. Ten seconds: a request's calls lie
 * within its deadline.
 */
const REGISTER_KEPT = { maxRows: 2_000, ttlMs: 10_000 };

/**
 * Builds the coordination subgraph over an open store. It reads the systems directly for two things
 * only: the screening register (bulk extracts) and the checks a mutation makes before it writes.
 */
export function createCoordinationSubgraph(
  config: CoordinationConfig,
  store: CoordinationStore,
  logger: Logger,
  authenticate: Authenticate,
  today: () => string = todayIso,
): CoordinationSubgraph {
  const systems = {
    guidance: createGuidanceClient(config.systems.guidance, logger),
    school: createSchoolClient(config.systems.school, logger),
    jobcenter: createJobcenterClient(config.systems.jobcenter, logger),
    social: createSocialClient(config.systems.social, logger),
  };
  const facts = new YouthFactsSource(systems);
  const cursors = createCursorSealer(config.cursorKey ?? devCursorKey(config.dataDir));

  let running: Promise<ScreeningResult> | null = null;
  const rebuild = () => {
    running ??= runScreening(systems, store, { pageSize: config.extractPageSize, today: today(), logger }).finally(() => {
      running = null;
    });
    return running;
  };
  let follower: ChangeFollower<ScreeningResult> | null = null;
  const screen = () => (follower ? follower.rebuild('scheduled') : rebuild());
  const followChanges = (options: ChangeFollowerOptions = {}): ChangeFollower<ScreeningResult> => {
    if (follower) throw new Error('this replica already follows the change feeds');
    const started = followChangeFeeds(
      {
        feeds: registerChangeFeeds(config.systems),
        sources: systems,
        store,
        // A run that started before the follower read the feeds' heads would miss what changed in between.
        rebuild: async () => {
          await running?.catch(() => undefined);
          return rebuild();
        },
        today,
        logger,
      },
      { ...config.changeFeeds, ...options },
    );
    follower = started;
    return {
      ready: started.ready,
      rebuild: started.rebuild,
      stop: async () => {
        if (follower === started) follower = null;
        await started.stop();
      },
    };
  };

  const holder = `${hostname()}:${process.pid}:${Math.random().toString(36).slice(2, 8)}`;
  const reviewAssignments = () =>
    runAssignmentReview({ store, factsFor: (youthId, day) => facts.forYouth(youthId, day), today: today(), holder, logger });
  const snapshotMeasures = () => runMeasureSnapshot({ store, today: today(), holder, fundedCapacity: config.fundedCapacity, logger });

  // The reads a Youth's fields make, batched across concurrent requests (the same answers as one query
  // per request; kit/loaders.ts). A key the store would refuse fails alone, with the store's message.
  const batchOptions = (field: string) => ({ maxBatchSize: 1_000, checkKey: (key: string) => void keyList(field, [key]) });
  const activeAssignments = sharedBatchLoader(
    (ids: readonly string[]) => store.activeAssignmentsWithContactPersons(ids),
    batchOptions('youthIds'),
  );
  const planActions = sharedBatchLoader((ids: readonly string[]) => store.planActions(ids), batchOptions('youthIds'));
  const jointDecisions = sharedBatchLoader((ids: readonly string[]) => store.jointDecisions(ids), batchOptions('youthIds'));
  const meetings = sharedBatchLoader((ids: readonly string[]) => store.meetings(ids), batchOptions('youthIds'));
  const planActionHistory = sharedBatchLoader((ids: readonly string[]) => store.planActionHistory(ids), batchOptions('actionIds'));
  const contactPersons = sharedBatchLoader((ids: readonly string[]) => store.getContactPersons(ids), batchOptions('ids'));
  const latestConsents = sharedBatchLoader((ids: readonly string[]) => store.latestConsents(ids), batchOptions('youthIds'));
  const planSharedWith = sharedBatchLoader((ids: readonly string[]) => store.planSharedWith(ids), batchOptions('youthIds'));
  // The register is written by the screening alone, never by a client's mutation: a dossier's plan asks
  // the coordination up to three times for the same row, read once per client request (issue 16).
  const register = keptPerClientRequest(
    sharedBatchLoader((ids: readonly string[]) => store.registerEntries(ids), batchOptions('youthIds')),
    REGISTER_KEPT,
  );
  const dueFacts = sharedBatchLoader((ids: readonly string[]) => store.dueFacts(ids), batchOptions('youthIds'));

  const subgraph = createSubgraph<CoordinationContext>({
    name: 'coordination',
    typeDefs: coordinationTypeDefs,
    resolvers,
    logger,
    authenticate,
    plugins: [relationsReportPlugin<CoordinationContext>()],
    today,
    context: (base) => ({
      ...base,
      store,
      facts,
      fundedCapacity: config.fundedCapacity,
      defaultCaseload: config.defaultCaseload,
      cursors,
      // Read when a mutation records who did it: a getter, so a query that never asks does not depend on who asks
      // (platform/authorization/answerVaries.ts).
      get actor() {
        return base.identity.subject;
      },
      activeAssignment: activeAssignments.forRequest(),
      planActions: planActions.forRequest(),
      jointDecisions: jointDecisions.forRequest(),
      meetings: meetings.forRequest(),
      planActionHistory: planActionHistory.forRequest(),
      contactPersonById: contactPersons.forRequest(),
      latestConsent: latestConsents.forRequest(),
      planSharedWith: planSharedWith.forRequest(),
      register: register(`${base.requestId}\n${base.authorization ?? ''}`),
      dueFacts: dueFacts.forRequest(),
      relations: new Map(),
    }),
  });
  return { subgraph, screen, followChanges, reviewAssignments, snapshotMeasures };
}
