import { loadSystemsConfig, type SystemsConfig } from './config.js';
import type { BenefitsCredential, GuidanceCredential, JobcenterCredential, SchoolCredential, SocialCredential } from './credentials.js';
import { generatePopulation, type GenerateOptions, type Population } from './population/generate.js';
import { listen } from './kit/listen.js';
import type { SystemOptions } from './kit/options.js';
import type { CallStats } from './kit/stats.js';
import { SYSTEM_NAMES, type SimulatedSystem, type SystemName } from './kit/system.js';
import { createSchoolSystem } from './school/server.js';
import { createGuidanceSystem } from './guidance/server.js';
import { createJobcenterSystem } from './jobcenter/server.js';
import { createSocialSystem } from './social/server.js';
import { createBenefitsSystem } from './benefits/server.js';
import type { ChangeFeed } from './kit/changeFeed.js';
import { simulateChanges } from './kit/changes.js';
import type { Person } from './population/model.js';

export { SYSTEM_NAMES, type SystemName, type SimulatedSystem } from './kit/system.js';
export type { SystemOptions } from './kit/options.js';
export type { CallStats } from './kit/stats.js';
export { listen, type Listening } from './kit/listen.js';
export type { GenerateOptions, Population } from './population/generate.js';
export { createSchoolSystem, createGuidanceSystem, createJobcenterSystem, createSocialSystem, createBenefitsSystem };

/** Which credential each system takes. */
export interface CredentialOf {
  school: SchoolCredential;
  guidance: GuidanceCredential;
  jobcenter: JobcenterCredential;
  social: SocialCredential;
  benefits: BenefitsCredential;
}

export type SystemOverrides = { [K in SystemName]?: Partial<SystemOptions<CredentialOf[K]>> };

export interface RunningSystem<C = unknown> {
  name: SystemName;
  url: string;
  port: number;
  stats: CallStats;
  /** Live knobs (latency, jitter, failure rate, credential). */
  options: SystemOptions<C>;
  close(): Promise<void>;
  /** Listens again on the same port after `close` (a system that was down comes back). */
  reopen(): Promise<void>;
  /** The system's change feed (kit/changeFeed.ts). */
  feed: ChangeFeed;
  /** Changes a young person's record while the system runs; an event goes to the feed (kit/system.ts). */
  change: (cpr: string, mutate: (person: Person) => void, kind?: string) => number;
}

export interface RunningSystems {
  population: Population;
  systems: { [K in SystemName]: RunningSystem<CredentialOf[K]> };
  close(): Promise<void>;
}

export interface StartSystemsOptions {
  /** The population to serve, or how to generate one (defaults from the config). */
  population?: Population | GenerateOptions;
  /** Ports per system; 0 = any free port. Unlisted systems use the configured port. */
  ports?: Partial<Record<SystemName, number>>;
  /** Simulation knobs and credentials per system, over the configured ones. */
  options?: SystemOverrides;
  host?: string;
  /** Read when no `config` is given (default: process.env). */
  env?: Record<string, string | undefined>;
  config?: SystemsConfig;
}

/** Builds one system (not listening) with the configured knobs, credential and overrides. */
export function createSystem<K extends SystemName>(
  name: K,
  population: Population,
  options?: Partial<SystemOptions<CredentialOf[K]>>,
): SimulatedSystem<CredentialOf[K]> {
  const factories: { [N in SystemName]: (p: Population, o?: Partial<SystemOptions<CredentialOf[N]>>) => SimulatedSystem<CredentialOf[N]> } =
    {
      school: createSchoolSystem,
      guidance: createGuidanceSystem,
      jobcenter: createJobcenterSystem,
      social: createSocialSystem,
      benefits: createBenefitsSystem,
    };
  return (factories[name] as (p: Population, o?: Partial<SystemOptions<CredentialOf[K]>>) => SimulatedSystem<CredentialOf[K]>)(
    population,
    options,
  );
}

/** Builds one system with the configured knobs and credential, then `overrides` on top. */
export function createConfiguredSystem<K extends SystemName>(
  name: K,
  population: Population,
  config: SystemsConfig,
  overrides?: Partial<SystemOptions<CredentialOf[K]>>,
): SimulatedSystem<CredentialOf[K]> {
  const credential = config.credentials[name];
  return createSystem(name, population, { ...config.simulation[name], credential, ...(overrides ?? {}) });
}

export function resolvePopulation(given: Population | GenerateOptions | undefined, config: SystemsConfig): Population {
  if (given && 'people' in given) return given;
  return generatePopulation({ ...config.population, ...given });
}

/**
 * All five systems in one process, sharing one population: what `npm start` and the end-to-end tests
 * use. Pass `ports: { school: 0, ... }` for free ports.
 */
export async function startSystems(options: StartSystemsOptions): Promise<RunningSystems> {
  const config = options.config ?? loadSystemsConfig(options.env ?? process.env);
  const population = resolvePopulation(options.population, config);
  const host = options.host ?? config.host;
  const started: RunningSystem[] = [];
  try {
    for (const name of SYSTEM_NAMES) {
      const system = createConfiguredSystem(name, population, config, options.options?.[name]);
      let listening = await listen(system.server, options.ports?.[name] ?? config.ports[name], host);
      const port = listening.port;
      started.push({
        name,
        url: listening.url,
        port,
        stats: system.stats,
        options: system.options,
        feed: system.feed,
        change: system.change,
        close: () => listening.close(),
        reopen: async () => {
          listening = await listen(system.server, port, host);
        },
      });
    }
  } catch (error) {
    await Promise.allSettled(started.map((s) => s.close()));
    throw error;
  }
  const systems = Object.fromEntries(started.map((s) => [s.name, s])) as unknown as RunningSystems['systems'];
  // CHANGE_RATE > 0: the records change while the systems run (kit/changes.ts); off by default.
  const changes = config.changeRate > 0 ? simulateChanges(systems, population, { ratePerSecond: config.changeRate }) : null;
  return {
    population,
    systems,
    close: async () => {
      changes?.stop();
      await Promise.all(started.map((s) => s.close()));
    },
  };
}
