import type { RequestListener } from 'node:http';
import type { Logger } from 'pino';
import type { Health } from '../platform/health.js';
import type { SystemName } from '../systems/kit/system.js';
import type { Authenticate } from './kit/server.js';
import type { CoordinationStore } from './coordination/store/index.js';
import type { ScreeningResult } from './coordination/screening/screeningJob.js';
import type { AssignmentReviewResult } from './coordination/screening/assignmentReview.js';

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
  screen: () => Promise<ScreeningResult>;
  /** Settles when the first screening run has finished (or failed, which is logged). */
  firstScreening: Promise<void>;
  /** Today's assignment review, as the daily schedule runs it (tests move the clock and call it). */
  reviewAssignments: () => Promise<AssignmentReviewResult>;
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
    async build({ env, logger, authenticate, systemUrls, today }): Promise<CoordinationPart> {
      const [
        { loadCoordinationConfig },
        { createCoordinationSubgraph },
        { openCoordinationStore },
        { scheduleScreening, scheduleClaimedJob },
        { databaseCheck },
      ] = await Promise.all([
        import('./coordination/config.js'),
        import('./coordination/server.js'),
        import('./coordination/store/index.js'),
        import('./coordination/screening/schedule.js'),
        import('../platform/health.js'),
      ]);
      const config = loadCoordinationConfig(env);
      const systems = {
        school: withUrl(config.systems.school, systemUrls?.school),
        guidance: withUrl(config.systems.guidance, systemUrls?.guidance),
        jobcenter: withUrl(config.systems.jobcenter, systemUrls?.jobcenter),
        social: withUrl(config.systems.social, systemUrls?.social),
      };
      const { db, store } = await openCoordinationStore({
        url: config.databaseUrl,
        dataDir: config.dataDir,
        schema: config.databaseSchema,
        logger,
      });
      try {
        const coordination = createCoordinationSubgraph({ ...config, systems }, store, logger, authenticate, today);
        coordination.subgraph.health.addCheck('database', databaseCheck(db));
        const schedule = scheduleScreening(coordination.screen, config.screeningIntervalMinutes, logger);
        // The jobs one replica runs per period: the first tick waits for the systems to be up.
        const review = scheduleClaimedJob(coordination.reviewAssignments, config.assignmentReviewIntervalMinutes, logger, {
          name: 'assignment review',
          firstDelayMs: 60_000,
        });
        const snapshots = scheduleClaimedJob(coordination.snapshotMeasures, config.measureSnapshotIntervalMinutes, logger, {
          name: 'measure snapshot',
          firstDelayMs: 90_000,
        });
        return {
          subgraph: coordination.subgraph,
          port: config.port,
          store,
          screen: coordination.screen,
          firstScreening: schedule.first,
          reviewAssignments: coordination.reviewAssignments,
          async close() {
            schedule.stop();
            review.stop();
            snapshots.stop();
            await db.close();
          },
        };
      } catch (error) {
        await db.close();
        throw error;
      }
    },
  },
} satisfies { [Name in SubgraphName]: SubgraphDefinition & { name: Name } };

/** Every subgraph, in composition order (guidance, which owns the root queries, first). */
export const SUBGRAPH_DEFINITIONS: readonly SubgraphDefinition[] = SUBGRAPH_NAMES.map((name) => SUBGRAPH_REGISTRY[name]);
