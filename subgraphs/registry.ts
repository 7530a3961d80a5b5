import type { RequestListener } from 'node:http';
import type { Logger } from 'pino';
import type { Health } from '../platform/health.js';
import type { SystemName } from '../systems/kit/system.js';
import type { Authenticate } from './kit/server.js';
import type { CoordinationStore } from './coordination/store/index.js';
import type { ScreeningResult } from './coordination/screening/screeningJob.js';
import type { AssignmentReviewResult } from './coordination/screening/assignmentReview.js';
import type { Lead, LeaderJob, Leadership } from './coordination/screening/leadership.js';
import type { Database } from '../platform/db/database.js';
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';

/**
 * The one registry of subgraphs: name, default port, SDL and how to build each. Composition
 * (schema/subgraphs.ts → schema/compose.ts), the stack (stack/startStack.ts: `npm start`, the
 * end-to-end tests, the graph benchmark) and each subgraph's config.ts (its default port) read it;
 * nothing else lists them. A build loads its subgraph on demand (dynamic import): composing the schema
 * or reading a default port loads no server code, and config.ts → registry → server.ts is no cycle.
 */
export const SUBGRAPH_NAMES = ['guidance', 'school', 'jobcenter', 'social', 'benefits', 'coordination'] as const;
export type SubgraphName = (typeof SUBGRAPH_NAMES)[number];

type Env = Record<string, string | undefined>;

export interface BuildOptions {
  env: Env;
  logger: Logger;
  authenticate: Authenticate;
  /** Addresses of existing systems that replace `<SYSTEM>_URL` (the stack starts them on free ports). */
  systemUrls?: Partial<Record<SystemName, string>>;
  /** The day every subgraph answers for (`SubgraphContext.today`; the stack pins it to the population's day); default today. */
  today?: () => string;
}

/** A subgraph built (never listening): what the stack mounts, and what it closes afterwards. */
export interface BuiltPart {
  subgraph: { name: string; health: Health; start(): Promise<RequestListener>; stop(): Promise<void> };
  /** The port its config reads (`<NAME>_SUBGRAPH_PORT`, default the registry's). */
  port: number;
  /** Closes what it holds beside its server (schedule, database); called after the server stopped. */
  close(): Promise<void>;
}

/** The coordination also owns the store and the screening register. */
export interface CoordinationPart extends BuiltPart {
  store: CoordinationStore;
  /** Whether this replica leads, i.e. runs the jobs (coordination/screening/leadership.ts). */
  leadership: Leadership;
  screen: () => Promise<ScreeningResult>;
  /**
   * Settles when the first screening run has finished (or failed, which is logged). On a replica that
   * does not lead at its start: when the register has a successful run (at once if it had one).
   */
  firstScreening: Promise<void>;
  /** Today's assignment review, as the daily schedule runs it (tests move the clock and call it). */
  reviewAssignments: () => Promise<AssignmentReviewResult>;
}

export interface CoordinationBuildOptions extends BuildOptions {
  /** A database the caller opened and closes, instead of the configured one (tests: replicas over one embedded PGlite). */
  database?: Database;
}

export interface SubgraphDefinition<Built extends BuiltPart = BuiltPart> {
  name: SubgraphName;
  /** Where it listens when everything runs on one machine (`<NAME>_SUBGRAPH_PORT` overrides it). */
  defaultPort: number;
  /** SDL file, relative to the repository root. */
  schemaPath: string;
  build(options: BuildOptions): Promise<Built>;
}

const withUrl = <C extends { url: string }>(connection: C, url: string | undefined): C => (url ? { ...connection, url } : connection);
const nothing = async () => undefined;

export const SUBGRAPH_REGISTRY = {
  guidance: {
    name: 'guidance',
    defaultPort: 4002,
    schemaPath: 'subgraphs/guidance/schema.graphql',
    async build({ env, logger, authenticate, systemUrls, today }) {
      const [{ loadGuidanceConfig }, { createGuidanceSubgraph }] = await Promise.all([
        import('./guidance/config.js'),
        import('./guidance/server.js'),
      ]);
      const config = loadGuidanceConfig(env);
      return {
        subgraph: createGuidanceSubgraph({ ...config, system: withUrl(config.system, systemUrls?.guidance) }, logger, authenticate, today),
        port: config.port,
        close: nothing,
      };
    },
  },
  school: {
    name: 'school',
    defaultPort: 4001,
    schemaPath: 'subgraphs/school/schema.graphql',
    async build({ env, logger, authenticate, systemUrls, today }) {
      const [{ loadSchoolConfig }, { createSchoolSubgraph }] = await Promise.all([
        import('./school/config.js'),
        import('./school/server.js'),
      ]);
      const config = loadSchoolConfig(env);
      return {
        subgraph: createSchoolSubgraph({ ...config, system: withUrl(config.system, systemUrls?.school) }, logger, authenticate, today),
        port: config.port,
        close: nothing,
      };
    },
  },
  jobcenter: {
    name: 'jobcenter',
    defaultPort: 4003,
    schemaPath: 'subgraphs/jobcenter/schema.graphql',
    async build({ env, logger, authenticate, systemUrls, today }) {
      const [{ loadJobcenterConfig }, { createJobcenterSubgraph }] = await Promise.all([
        import('./jobcenter/config.js'),
        import('./jobcenter/server.js'),
      ]);
      const config = loadJobcenterConfig(env);
      return {
        subgraph: createJobcenterSubgraph(
          { ...config, system: withUrl(config.system, systemUrls?.jobcenter) },
          logger,
          authenticate,
          today,
        ),
        port: config.port,
        close: nothing,
      };
    },
  },
  social: {
    name: 'social',
    defaultPort: 4004,
    schemaPath: 'subgraphs/social/schema.graphql',
    async build({ env, logger, authenticate, systemUrls, today }) {
      const [{ loadSocialConfig }, { createSocialSubgraph }] = await Promise.all([
        import('./social/config.js'),
        import('./social/server.js'),
      ]);
      const config = loadSocialConfig(env);
      return {
        subgraph: createSocialSubgraph({ ...config, system: withUrl(config.system, systemUrls?.social) }, logger, authenticate, today),
        port: config.port,
        close: nothing,
      };
    },
  },
  benefits: {
    name: 'benefits',
    defaultPort: 4005,
    schemaPath: 'subgraphs/benefits/schema.graphql',
    async build({ env, logger, authenticate, systemUrls, today }) {
      const [{ loadBenefitsConfig }, { createBenefitsSubgraph }] = await Promise.all([
        import('./benefits/config.js'),
        import('./benefits/server.js'),
      ]);
      const config = loadBenefitsConfig(env);
      return {
        subgraph: createBenefitsSubgraph({ ...config, system: withUrl(config.system, systemUrls?.benefits) }, logger, authenticate, today),
        port: config.port,
        close: nothing,
      };
    },
  },
  coordination: {
    name: 'coordination',
    defaultPort: 4006,
    schemaPath: 'subgraphs/coordination/schema.graphql',
    async build({ env, logger, authenticate, systemUrls, today, database }: CoordinationBuildOptions): Promise<CoordinationPart> {
      const [
        { loadCoordinationConfig },
        { createCoordinationSubgraph },
        { openCoordinationStore, coordinationStoreOver },
        { screeningJob, claimedJob, waitForScreeningRun },
        { Leadership },
        { withLeaseFence },
        { databaseCheck },
      ] = await Promise.all([
        import('./coordination/config.js'),
        import('./coordination/server.js'),
        import('./coordination/store/index.js'),
        import('./coordination/screening/schedule.js'),
        import('./coordination/screening/leadership.js'),
        import('./coordination/store/leaderLease.js'),
        import('../platform/health.js'),
      ]);
      const config = loadCoordinationConfig(env);
      const systems = {
        school: withUrl(config.systems.school, systemUrls?.school),
        guidance: withUrl(config.systems.guidance, systemUrls?.guidance),
        jobcenter: withUrl(config.systems.jobcenter, systemUrls?.jobcenter),
        social: withUrl(config.systems.social, systemUrls?.social),
      };
      const { db, store } = database
        ? { db: database, store: await coordinationStoreOver(database, logger) }
        : await openCoordinationStore({ url: config.databaseUrl, dataDir: config.dataDir, schema: config.databaseSchema, logger });
      const closeDatabase = () => (database ? Promise.resolve() : db.close());
      try {
        const coordination = createCoordinationSubgraph({ ...config, systems }, store, logger, authenticate, today);
        coordination.subgraph.health.addCheck('database', databaseCheck(db));
        // The jobs only the leader runs (coordination/screening/leadership.ts): started when this replica
        // takes the lead, stopped when it loses it. A new job is one more entry here.
        const screening = screeningJob(coordination.screen, store, config.screeningIntervalMinutes, logger);
        const leaderJobs: LeaderJob[] = [
          // First the change feeds (coordination/screening/changeFeed.ts), so the first screening is the
          // follower's own rebuild (it follows the feeds from the heads read before it), not a second one.
          // Started inside the lease's fence: its register writes are refused once another replica leads.
          ...(config.changeFeeds.enabled
            ? [{ name: 'change feeds', start: (lead: Lead) => withLeaseFence(lead.fence, async () => coordination.followChanges()) }]
            : []),
          screening,
          // The per-period jobs: the first tick waits for the systems to be up.
          claimedJob('assignment review', coordination.reviewAssignments, config.assignmentReviewIntervalMinutes, logger, 60_000),
          claimedJob('measure snapshot', coordination.snapshotMeasures, config.measureSnapshotIntervalMinutes, logger, 90_000),
        ];
        const leadership = new Leadership({
          store,
          holder: `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`,
          leaseMs: config.leaderLeaseSeconds * 1000,
          jobs: leaderJobs,
          logger,
        });
        coordination.subgraph.health.addCheck('leadership', () => ({ ok: true, detail: leadership.status() }));
        let closed = false;
        // The leader at start runs the first screening at once, as a single replica always did; a
        // follower waits for the register the leader fills (or already filled).
        const ledAtStart = await leadership.start();
        const firstScreening = (ledAtStart ? screening.first : null) ?? waitForScreeningRun(store, { stopped: () => closed });
        return {
          subgraph: coordination.subgraph,
          port: config.port,
          store,
          leadership,
          // Under the lease this replica holds (or last held): refused on a replica that does not lead.
          screen: () => withLeaseFence(leadership.fence(), coordination.screen),
          firstScreening,
          reviewAssignments: coordination.reviewAssignments,
          async close() {
            closed = true;
            await leadership.stop();
            await closeDatabase();
          },
        };
      } catch (error) {
        await closeDatabase();
        throw error;
      }
    },
  },
} satisfies { [Name in SubgraphName]: SubgraphDefinition & { name: Name } };

/** Every subgraph, in composition order (guidance, which owns the root queries, first). */
export const SUBGRAPH_DEFINITIONS: readonly SubgraphDefinition[] = SUBGRAPH_NAMES.map((name) => SUBGRAPH_REGISTRY[name]);
