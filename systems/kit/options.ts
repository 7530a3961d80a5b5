/**
 * The simulation knobs every system takes. The object a system holds is live: tests change
 * `system.options.latencyMs` or `failureRate` mid-run and the next call obeys.
 */
export interface SimulationOptions {
  /** Added to every call (not to /health). */
  latencyMs: number;
  /** Up to this much more, uniformly at random. */
  jitterMs: number;
  /** 0..1: the share of calls that answer 503 with an internal-looking body. */
  failureRate: number;
  /** Seeds the jitter and failure draws (read once, when the system is created). */
  seed: number;
  /**
   * How every call fails, on top of `failureRate` (default `ok`: not at all): `error500` answers 500
   * with an internal-looking body, `invalidJson` answers 200 with a body that is not JSON, `reset`
   * resets the connection, `hang` never answers (until the caller gives up).
   */
  mode?: FaultMode;
  /** When > 0, `mode` flaps: on for `flapMs`, off for `flapMs`, on again (by the wall clock). */
  flapMs?: number;
  /** When set, only this many more calls get `mode`'s fault (each counts it down): a transient failure. */
  faultsLeft?: number;
  /** The change feed's window (read once, when the system is created; changeFeed.ts): events kept, default 10,000. */
  feedMaxEvents?: number;
  /** ... and the longest an event is kept, default 24 hours. */
  feedMaxAgeMs?: number;
}

export type FaultMode = 'ok' | 'error500' | 'invalidJson' | 'reset' | 'hang';

export interface SystemOptions<C> extends SimulationOptions {
  /** The credential the system accepts; see credentials.ts for the development defaults. */
  credential: C;
}

export const DEFAULT_SIMULATION: Readonly<SimulationOptions> = { latencyMs: 0, jitterMs: 0, failureRate: 0, seed: 1 };

export function resolveOptions<C>(given: Partial<SystemOptions<C>> | undefined, credential: C): SystemOptions<C> {
  const options: SystemOptions<C> = { ...DEFAULT_SIMULATION, credential, ...stripUndefined(given ?? {}) };
  if (!(options.latencyMs >= 0) || !(options.jitterMs >= 0)) throw new RangeError('latencyMs and jitterMs must be >= 0');
  if (!(options.failureRate >= 0 && options.failureRate <= 1)) throw new RangeError('failureRate must be within 0..1');
  return options;
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
