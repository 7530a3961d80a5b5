import { ConfigError, readInt, readNumber, readString } from '../platform/env.js';
import { isIsoDate } from '../platform/dates.js';
import { DEFAULT_AS_OF, DEFAULT_SEED, MAX_SCALE, NATIONAL_SCALE } from './population/generate.js';
import { readCredentials, type SystemCredentials } from './credentials.js';
import type { SimulationOptions } from './kit/options.js';
import { SYSTEM_NAMES, type SystemName } from './kit/system.js';

/**
 * The simulated systems' configuration, parsed once from the environment.
 *
 * | variable | default | meaning |
 * |---|---|---|
 * | `SYSTEMS_HOST` | `127.0.0.1` | interface to listen on |
 * | `SCHOOL_PORT` ... `BENEFITS_PORT` | 4101 ... 4105 | ports (0 = any free port) |
 * | `<SYSTEM>_LATENCY_MS`, `<SYSTEM>_JITTER_MS` | 0 | added to every call |
 * | `<SYSTEM>_FAILURE_RATE` | 0 | 0..1, share of calls answering 503 |
 * | `POPULATION_SEED` | 2019 | population (and simulation) seed |
 * | `POPULATION_AS_OF` | 2026-11-01 | the day the population describes |
 * | `POPULATION_SCALE` | 1 | 0 < scale <= 25 (1 = Aalborg), or `national` (about 1,000,000 aged 13-29) |
 * | `CHANGE_RATE` | 0 | simulated changes per second over the systems (kit/changes.ts); 0 = the records stay as generated |
 * | `CHANGE_FEED_EVENTS`, `CHANGE_FEED_HOURS` | 10000, 24 | each system's change feed keeps the last N events, none older (kit/changeFeed.ts) |
 * | credentials | development-only defaults | see credentials.ts |
 */
export interface SystemsConfig {
  host: string;
  ports: Record<SystemName, number>;
  simulation: Record<SystemName, SimulationOptions>;
  credentials: SystemCredentials;
  population: { seed: number; asOf: string; scale: number };
  /** Simulated changes per second (0 = none: tests rely on the population as generated). */
  changeRate: number;
}

export const DEFAULT_PORTS: Readonly<Record<SystemName, number>> = {
  school: 4101,
  guidance: 4102,
  jobcenter: 4103,
  social: 4104,
  benefits: 4105,
};

type Env = Record<string, string | undefined>;

/** `POPULATION_SCALE`: a number (1 = Aalborg, above 1 more areas of Aalborg's size) or `national` (Denmark). */
function readPopulationScale(env: Env): number {
  if (env.POPULATION_SCALE?.trim().toLowerCase() === 'national') return NATIONAL_SCALE;
  return readNumber(env, 'POPULATION_SCALE', 1, Number.MIN_VALUE, MAX_SCALE);
}

export function loadSystemsConfig(env: Env = process.env): SystemsConfig {
  const seed = readInt(env, 'POPULATION_SEED', DEFAULT_SEED, 0, 2 ** 32 - 1);
  const asOf = readString(env, 'POPULATION_AS_OF', DEFAULT_AS_OF);
  if (!isIsoDate(asOf)) throw new ConfigError(`POPULATION_AS_OF must be a date as YYYY-MM-DD, got "${asOf}"`);
  const scale = readPopulationScale(env);
  const ports = {} as Record<SystemName, number>;
  const simulation = {} as Record<SystemName, SimulationOptions>;
  SYSTEM_NAMES.forEach((name, i) => {
    const prefix = name.toUpperCase();
    ports[name] = readInt(env, `${prefix}_PORT`, DEFAULT_PORTS[name], 0, 65535);
    simulation[name] = {
      latencyMs: readInt(env, `${prefix}_LATENCY_MS`, 0, 0, 60_000),
      jitterMs: readInt(env, `${prefix}_JITTER_MS`, 0, 0, 60_000),
      failureRate: readNumber(env, `${prefix}_FAILURE_RATE`, 0, 0, 1),
      seed: seed + i + 1,
      feedMaxEvents: readInt(env, 'CHANGE_FEED_EVENTS', 10_000, 1, 10_000_000),
      feedMaxAgeMs: readInt(env, 'CHANGE_FEED_HOURS', 24, 1, 24 * 365) * 3600_000,
    };
  });
  return {
    host: readString(env, 'SYSTEMS_HOST', '127.0.0.1'),
    ports,
    simulation,
    credentials: readCredentials(env),
    population: { seed, asOf, scale },
    changeRate: readNumber(env, 'CHANGE_RATE', 0, 0, 1000),
  };
}
