import type { Logger } from 'pino';
import { createLogger } from '../platform/logger.js';
import { listen, type Listening } from '../platform/graphqlHttp.js';
import { startSystems, type RunningSystems, type SystemName } from '../systems/index.js';
import type { GenerateOptions, Population } from '../systems/population/generate.js';
import {
  SUBGRAPH_NAMES,
  SUBGRAPH_REGISTRY,
  type BuildOptions,
  type BuiltPart,
  type CoordinationPart,
  type SubgraphName,
} from '../subgraphs/registry.js';
import type { CoordinationStore } from '../subgraphs/coordination/store/index.js';
import type { ScreeningResult } from '../subgraphs/coordination/screening/screeningJob.js';
import { createAuthenticate } from '../subgraphs/kit/auth.js';
import { loadGatewayConfig } from '../gateway/config.js';
import { createGateway, type Gateway } from '../gateway/server.js';
import { openGatewaySecurity, type GatewaySecurity } from '../gateway/authentication.js';
import { createGatewayCredentials, loadGatewaySigningConfig } from '../platform/authentication/gatewayCredential.js';

/**
 * Everything up in one process, the way `npm start` and the end-to-end tests run it: the simulated
 * systems, the six subgraphs and the gateway, each on its own port (0 = any free port), wired to each
 * other by URL exactly as separate deployments would be. Configuration comes from `env` like in
 * production; the options only override ports and wiring. The subgraphs are the registry's
 * (subgraphs/registry.ts), each built as its own process builds it.
 */
export type { SubgraphName } from '../subgraphs/registry.js';

export interface StackOptions {
  env?: Record<string, string | undefined>;
  /** Ports; 0 = any free port. Defaults: the ports each part's config reads from `env`. */
  ports?: { gateway?: number; subgraphs?: Partial<Record<SubgraphName, number>>; systems?: Parameters<typeof startSystems>[0]['ports'] };
  /** A population to serve, or how to generate one. */
  population?: Population | GenerateOptions;
  systemOptions?: Parameters<typeof startSystems>[0]['options'];
  /** Wait for the first screening run before answering (tests); otherwise it runs in the background. */
  awaitScreening?: boolean;
  /**
   * The day the rules are evaluated for (tests pin it). Over the simulated systems the default is the day
   * their population describes (POPULATION_AS_OF), so the screening and the population agree and the counts
   * do not drift with the clock; over systems that run elsewhere, today.
   */
  today?: () => string;
  logger?: Logger;
}

export interface Stack {
  gatewayUrl: string;
  gateway: Gateway;
  subgraphUrls: Record<SubgraphName, string>;
  systems: RunningSystems;
  store: CoordinationStore;
  /** Token checks and the access log of the gateway. */
  access: GatewaySecurity;
  screen(): Promise<ScreeningResult>;
  /** Settles when the first screening run has finished (or failed, which is logged). */
  firstScreening: Promise<void>;
  /** Today's assignment review (issue 13): ends assignments at 25, marks anchoring; once a day across replicas. */
  reviewAssignments: CoordinationPart['reviewAssignments'];
  close(): Promise<void>;
}

/** The systems and the six subgraphs without a gateway: for a gateway in a process of its own (benchmarks). */
export type Backend = Omit<Stack, 'gatewayUrl' | 'gateway' | 'access'>;

export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const env = options.env ?? process.env;
  const logger = options.logger ?? createLogger('stack');
  const backend = await startBackend({ ...options, logger });
  const warn = (error: unknown) => logger.warn({ err: error }, 'close failed');
  let access: GatewaySecurity | undefined;
  let gateway: Gateway | undefined;
  let gatewayServer: Listening | undefined;
  const close = async () => {
    if (gatewayServer) {
      // Unready, stop accepting, drain the requests in flight, then stop the gateway.
      gateway?.health.markStopping();
      await gatewayServer.close().catch(warn);
    }
    if (gateway) await gateway.stop().catch(warn);
    if (access) await access.close().catch(warn);
    await backend.close();
  };
  try {
    const gatewayConfig = loadGatewayConfig(env);
    access = await openGatewaySecurity(env, logger.child({ part: 'gateway' }));
    // The gateway signs its credential to the subgraphs with the key their GATEWAY_TRUSTED_KEYS hold
    // (development: the same local key under GATEWAY_DEV_KEY_DIR).
    const credentials = await createGatewayCredentials(loadGatewaySigningConfig(env), logger.child({ part: 'gateway' }));
    gateway = await createGateway({
      config: gatewayConfig,
      logger: logger.child({ part: 'gateway' }),
      subgraphUrls: backend.subgraphUrls,
      access,
      credentials,
    });
    await gateway.start();
    gatewayServer = await listen(gateway.handler, { port: options.ports?.gateway ?? gatewayConfig.port, host: gatewayConfig.host });
    return { ...backend, gatewayUrl: `${gatewayServer.url}/graphql`, gateway, access, close };
  } catch (error) {
    await close();
    throw error;
  }
}

/**
 * The simulated systems and the six subgraphs, wired to each other by URL; `startStack` adds the
 * gateway in the same process.
 */
export async function startBackend(
  options: Omit<StackOptions, 'ports'> & { ports?: Omit<NonNullable<StackOptions['ports']>, 'gateway'> } = {},
): Promise<Backend> {
  const env = options.env ?? process.env;
  const systems = await startSystems({
    population: options.population,
    ports: options.ports?.systems,
    options: options.systemOptions,
    env,
  });
  try {
    const systemUrls = Object.fromEntries(Object.entries(systems.systems).map(([name, system]) => [name, system.url])) as Record<
      SystemName,
      string
    >;
    const populationDay = systems.population.asOf;
    const subgraphs = await startSubgraphs({ ...options, systemUrls, today: options.today ?? (() => populationDay) });
    return {
      ...subgraphs,
      systems,
      async close() {
        await subgraphs.close();
        await systems.close();
      },
    };
  } catch (error) {
    await systems.close();
    throw error;
  }
}

/** The six subgraphs without the systems or a gateway. */
export type Subgraphs = Omit<Backend, 'systems'>;

/**
 * The six subgraphs over existing systems that run elsewhere (`systemUrls`): for a benchmark that
 * measures the systems, the subgraphs and the gateway each in a process of their own.
 */
export async function startSubgraphs(
  options: Omit<StackOptions, 'ports' | 'population' | 'systemOptions'> & {
    ports?: Pick<NonNullable<StackOptions['ports']>, 'subgraphs'>;
    systemUrls: Record<SystemName, string>;
  },
): Promise<Subgraphs> {
  const env = options.env ?? process.env;
  const logger = options.logger ?? createLogger('stack');
  const closers: (() => Promise<unknown>)[] = [];
  const close = async () => {
    for (const closer of closers.reverse()) await closer().catch((error: unknown) => logger.warn({ err: error }, 'close failed'));
  };

  try {
    const authenticate = await createAuthenticate(env, logger.child({ part: 'auth' }));
    const listening: Partial<Record<SubgraphName, Listening>> = {};
    const mount = async (name: SubgraphName, part: BuiltPart) => {
      closers.push(() => part.close());
      const handler = await part.subgraph.start();
      const server = await listen(handler, { port: options.ports?.subgraphs?.[name] ?? part.port, host: '127.0.0.1' });
      closers.push(async () => {
        // Stop accepting and drain first, then stop the subgraph (its own things close after).
        await server.close();
        await part.subgraph.stop();
      });
      listening[name] = server;
      logger.info(
        { subgraph: name, url: `${server.url}/graphql`, ready: `${server.url}/readyz`, metrics: `${server.url}/metrics` },
        'subgraph listening',
      );
    };

    let coordination: CoordinationPart | undefined;
    for (const name of SUBGRAPH_NAMES) {
      const build: BuildOptions = {
        env,
        logger: logger.child({ subgraph: name }),
        authenticate,
        systemUrls: options.systemUrls,
        today: options.today,
      };
      await mount(
        name,
        name === 'coordination'
          ? (coordination = await SUBGRAPH_REGISTRY.coordination.build(build))
          : await SUBGRAPH_REGISTRY[name].build(build),
      );
    }
    if (!coordination) throw new Error('the registry lists no coordination subgraph');
    if (options.awaitScreening) await coordination.firstScreening;

    const subgraphUrls = Object.fromEntries(Object.entries(listening).map(([name, server]) => [name, `${server.url}/graphql`])) as Record<
      SubgraphName,
      string
    >;

    return {
      subgraphUrls,
      store: coordination.store,
      screen: coordination.screen,
      firstScreening: coordination.firstScreening,
      reviewAssignments: coordination.reviewAssignments,
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}
