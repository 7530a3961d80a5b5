/**
 * The contract between the benchmark suites and `npm run bench` (bench/run.ts): each suite returns a
 * section; the runner prints every section as a text table, draws the charts and checks the targets.
 */

/** Latency percentiles in milliseconds (per request; per page for an extract). */
export interface LatencyPercentiles {
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
}

/** One measured configuration: a gateway under one load, or one extract. */
export interface BenchRow extends LatencyPercentiles {
  /** What was measured, e.g. "ungegraf", "@apollo/gateway (stock)", "dossier, 50 clients". */
  name: string;
  /** Completed requests (or young people, for an extract) per second. */
  throughput: number;
  /** Peak resident memory of the measured gateway process, in MiB (undefined if not measured). */
  peakRssMiB?: number;
  /** Requests that failed (non-2xx, GraphQL errors, timeouts, wrong answers). */
  errors: number;
  /** Further figures worth a column (e.g. total seconds, upstream calls per page). */
  extra?: Record<string, number | string>;
}

/** A target the issue sets, checked against the rows: the runner prints PASS/FAIL per target. */
export interface BenchCheck {
  name: string;
  /** The measured value and the bound it must meet, in the same unit. */
  value: number;
  bound: number;
  /** "atLeast": value >= bound; "atMost": value <= bound. */
  kind: 'atLeast' | 'atMost';
  unit: string;
  /** A target the issue calls a stretch: reported, but not a failure. */
  stretch?: boolean;
}

export interface BenchSection {
  title: string;
  /** How the measurement was made (load generator, concurrency, duration, Node version, L, ...). */
  setup: string[];
  rows: BenchRow[];
  checks: BenchCheck[];
  notes?: string[];
}

export interface SuiteOptions {
  /** Shorter runs for a smoke check (`npm run bench -- --quick`); the README's numbers use full runs. */
  quick: boolean;
  /** Progress lines for the person watching (stderr). */
  log: (line: string) => void;
}
