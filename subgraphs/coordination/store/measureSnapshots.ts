import type { Database } from '../../../platform/db/database.js';
import { isoDate } from './validate.js';

/**
 * The monthly snapshots of the success measures (migration 010, reporting/snapshots.ts): one row per
 * month holding the raw figures as JSON. Suppression is applied when a row is published, never here.
 */

export interface MeasureSnapshotRow {
  /** The first day of the month. */
  month: string;
  source: 'SNAPSHOT' | 'BACKFILLED';
  takenAt: string;
  version: number;
  figures: unknown;
}

/**
 * Stores snapshots. A taken snapshot replaces what the month held (a retried run); a back-filled one
 * never replaces anything.
 */
export async function saveMeasureSnapshots(db: Database, rows: readonly Omit<MeasureSnapshotRow, 'takenAt'>[]): Promise<number> {
  let written = 0;
  await db.transaction(async (tx) => {
    for (const row of rows) {
      const month = isoDate('month', row.month);
      const result = await tx.query(
        `INSERT INTO measure_snapshots (month, source, version, figures) VALUES ($1::date, $2, $3, $4::jsonb)
         ON CONFLICT (month) DO UPDATE SET source = EXCLUDED.source, version = EXCLUDED.version, figures = EXCLUDED.figures, taken_at = now()
          WHERE EXCLUDED.source = 'SNAPSHOT'
         RETURNING month`,
        [month, row.source, row.version, JSON.stringify(row.figures)],
      );
      written += result.rows.length;
    }
  });
  return written;
}

/** The snapshots of the months from `from` to `to` (first days, inclusive), oldest first. */
export async function measureSnapshots(db: Database, from: string, to: string): Promise<MeasureSnapshotRow[]> {
  const { rows } = await db.query<{
    month: string;
    source: MeasureSnapshotRow['source'];
    taken_at: Date | string;
    version: number;
    figures: unknown;
  }>(
    `SELECT month::text AS month, source, taken_at, version, figures FROM measure_snapshots
      WHERE month BETWEEN $1::date AND $2::date ORDER BY month`,
    [isoDate('from', from), isoDate('to', to)],
  );
  return rows.map((row) => ({
    month: row.month,
    source: row.source,
    takenAt: new Date(row.taken_at).toISOString(),
    version: row.version,
    figures: typeof row.figures === 'string' ? (JSON.parse(row.figures) as unknown) : row.figures,
  }));
}

/** Whether any snapshot has been stored (the first run back-fills). */
export async function hasMeasureSnapshots(db: Database): Promise<boolean> {
  const { rows } = await db.query<{ any: boolean }>('SELECT EXISTS (SELECT 1 FROM measure_snapshots) AS any');
  return rows[0]?.any === true;
}
