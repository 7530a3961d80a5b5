/**
 * The success measures over time (issue 15 s3). Once a month is over, one replica takes its snapshot:
 * the raw figures of every measure (./measures.ts), kept in `measure_snapshots` (migration 010). The
 * month is claimed through the daily jobs' lease (store/dailyJobs.ts, job `measure-snapshot`, run date
 * the month's first day), so however many replicas tick, each month is taken once; a failed run is
 * taken over at the next tick. The first run back-fills the 24 months before from what the database
 * holds (handovers, joint decisions, meetings and assignments are dated; the register's present state
 * is not, so those two measures stay empty for back-filled months).
 *
 * `report` answers a month from its snapshot, the running month live, and a month without a snapshot
 * (the job has not run yet) by computing it now, marked so; the suppression is the same for all.
 */
import type { Logger } from 'pino';
import type { CoordinationStore } from '../store/coordinationStore.js';
import { addMonths } from '../rules/dates.js';
import { lastOfMonth, REPORT_HISTORY_MONTHS } from './periods.js';
import { computeMonth, publishMonth, type MonthFigures, type MonthlyMeasures } from './measures.js';
import { runClaimedPeriod } from '../screening/schedule.js';

/** How many months the first run back-fills (the longest series). */
export const BACKFILL_MONTHS = 24;
/** The series lengths `measureSeries` answers. */
export const SERIES_MONTHS = [12, 24] as const;
/** The layout of `measure_snapshots.figures` written now. */
export const FIGURES_VERSION = 1;

export function firstOfMonth(date: string): string {
  return `${date.slice(0, 7)}-01`;
}

export interface MeasureSnapshotResult {
  /** False when another replica holds or has finished this month's snapshot. */
  ran: boolean;
  /** The month taken (the one just ended). */
  month: string;
  backfilled: number;
}

export interface MeasureSnapshotDeps {
  store: CoordinationStore;
  today: string;
  holder: string;
  fundedCapacity: number;
  logger: Logger;
}

/** Takes the snapshot of the month just ended, back-filling on the first run; one replica per month. */
export async function runMeasureSnapshot(deps: MeasureSnapshotDeps): Promise<MeasureSnapshotResult> {
  const { store, logger } = deps;
  const month = addMonths(firstOfMonth(deps.today), -1);
  const result: MeasureSnapshotResult = { ran: false, month, backfilled: 0 };
  const run = await runClaimedPeriod(store, 'measure-snapshot', month, deps.holder, async () => {
    const funded = deps.fundedCapacity;
    if (!(await store.hasMeasureSnapshots())) {
      const rows = [];
      for (let m = addMonths(month, -BACKFILL_MONTHS); m < month; m = addMonths(m, 1)) {
        rows.push({
          month: m,
          source: 'BACKFILLED' as const,
          version: FIGURES_VERSION,
          figures: await computeMonth(store, m, lastOfMonth(m), { funded, registerState: false }),
        });
      }
      result.backfilled = await store.saveMeasureSnapshots(rows);
    }
    const figures = await computeMonth(store, month, lastOfMonth(month), { funded, registerState: true });
    await store.saveMeasureSnapshots([{ month, source: 'SNAPSHOT', version: FIGURES_VERSION, figures }]);
    return { succeeded: true, summary: `snapshot of ${month}; back-filled ${result.backfilled} months` };
  });
  if (!run) return result;
  result.ran = true;
  logger.info({ ...result, attempt: run.attempt }, 'measure snapshot taken');
  return result;
}

// ---------------------------------------------------------------- reading

/** A month `measures(month:)` may be asked for; throws a message saying what is allowed. */
export function checkMeasureMonth(month: string, today: string): string {
  const current = firstOfMonth(today);
  const earliest = addMonths(current, -REPORT_HISTORY_MONTHS);
  if (month !== firstOfMonth(month))
    throw new RangeError(`month must be the first day of a month, got ${month}; for example ${firstOfMonth(month)}`);
  if (month > current || month < earliest) {
    throw new RangeError(
      `month must lie between ${earliest} and ${current} (${REPORT_HISTORY_MONTHS} months back to this month), got ${month}`,
    );
  }
  return month;
}

interface ReadOptions {
  today: string;
  fundedCapacity: number;
}

/** One month's measures: the running month live, a month over from its snapshot, else computed now. */
export async function measuresForMonth(store: CoordinationStore, month: string, options: ReadOptions): Promise<MonthlyMeasures> {
  const current = firstOfMonth(options.today);
  if (month === current) {
    const figures = await computeMonth(store, month, options.today, { funded: options.fundedCapacity, registerState: true });
    return publishMonth(figures, 'LIVE', new Date().toISOString());
  }
  const [stored] = await store.measureSnapshots(month, month);
  return stored ? publishStored(stored) : computed(store, month, options);
}

/** The last `months` months that are over, oldest first: stored where taken, computed where not. */
export async function measureSeries(store: CoordinationStore, months: number, options: ReadOptions): Promise<MonthlyMeasures[]> {
  const last = addMonths(firstOfMonth(options.today), -1);
  const first = addMonths(last, -(months - 1));
  const stored = new Map((await store.measureSnapshots(first, last)).map((row) => [row.month, row]));
  const series: MonthlyMeasures[] = [];
  for (let m = first; m <= last; m = addMonths(m, 1)) {
    const row = stored.get(m);
    series.push(row ? publishStored(row) : await computed(store, m, options));
  }
  return series;
}

function publishStored(row: { source: 'SNAPSHOT' | 'BACKFILLED'; takenAt: string; figures: unknown }): MonthlyMeasures {
  return publishMonth(row.figures as MonthFigures, row.source, row.takenAt);
}

async function computed(store: CoordinationStore, month: string, options: ReadOptions): Promise<MonthlyMeasures> {
  // The register's present state speaks for the month just ended (as the snapshot would take it), not older ones.
  const registerState = month === addMonths(firstOfMonth(options.today), -1);
  const figures = await computeMonth(store, month, lastOfMonth(month), { funded: options.fundedCapacity, registerState });
  return publishMonth(figures, 'COMPUTED', new Date().toISOString());
}
