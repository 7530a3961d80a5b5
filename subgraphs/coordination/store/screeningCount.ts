import type { Database, Queryable } from '../../../platform/db/database.js';
import { SCREENING_COUNT_CACHE } from './limits.js';

/**
 * The `totalCount` of a `youths` list, bounded in cost at a national register: a count of a million rows
 * costs tens of milliseconds, on every page of a list that is paged to its end. A count of at least
 * SCREENING_COUNT_CACHE.above is kept, per database and per list (its filter's SQL and parameters, the
 * caller's relation conditions included, so no caller is told another's count), and reused for up to
 * `maxAgeMs`: a large count may then be that much behind the register (a rebuild, a change feed), while a
 * page stays O(page). Smaller counts are counted exactly with the page, in the page's snapshot.
 */
const counts = new WeakMap<Database, Map<string, { total: number; at: number }>>();

export async function listCount(
  db: Database,
  tx: Queryable,
  filter: string,
  params: readonly unknown[],
  now = Date.now(),
): Promise<number> {
  const key = `${filter}\u0000${JSON.stringify(params)}`;
  const cache = counts.get(db) ?? new Map<string, { total: number; at: number }>();
  counts.set(db, cache);
  const kept = cache.get(key);
  if (kept && now - kept.at <= SCREENING_COUNT_CACHE.maxAgeMs) return kept.total;
  const { rows } = await tx.query<{ total: number }>(`SELECT count(*)::int AS total FROM youth_screening ${filter}`, params);
  const total = rows[0]?.total ?? 0;
  cache.delete(key);
  if (total >= SCREENING_COUNT_CACHE.above) {
    // The oldest list goes first when full (a Map iterates in insertion order).
    if (cache.size >= SCREENING_COUNT_CACHE.entries) cache.delete(cache.keys().next().value!);
    cache.set(key, { total, at: now });
  }
  return total;
}

/** Forgets the kept counts of a database: its register was just replaced by this process. */
export function forgetCounts(db: Database): void {
  counts.delete(db);
}
