/**
 * Need to know, for the auditors (docs/access.md, "Need to know"): the break-the-glass uses, claimed
 * against a daily limit per user in the log's own database (so every gateway replica counts the same),
 * and the review list: every break-the-glass access with its reason, and every user who opened more
 * distinct young people in an hour than the bulk-reading threshold, both computed from the access log.
 */
import type { Database } from '../../platform/db/database.js';

/** The municipality's calendar day of `at` (Europe/Copenhagen), `YYYY-MM-DD`. */
export function copenhagenDay(at: Date): string {
  return new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Copenhagen', year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
}

/**
 * Claims one break-the-glass use for `subject` today; false when the limit is used up. One atomic
 * statement: two replicas claiming at once cannot both take the last use.
 */
export async function claimBreakTheGlass(db: Database, subject: string, limit: number, at: Date = new Date()): Promise<boolean> {
  if (limit <= 0) return false;
  const { rows } = await db.query<{ uses: number }>(
    `INSERT INTO break_the_glass_uses AS u (subject, day, uses) VALUES ($1, $2::date, 1)
     ON CONFLICT (subject, day) DO UPDATE SET uses = u.uses + 1 WHERE u.uses < $3
     RETURNING uses`,
    [subject, copenhagenDay(at), limit],
  );
  return rows.length === 1;
}

export interface BreakTheGlassAccess {
  at: string;
  subject: string | null;
  role: string | null;
  organisation: string | null;
  youthId: string | null;
  reason: string | null;
  requestId: string;
}

export interface BulkReader {
  subject: string | null;
  role: string | null;
  /** The hour (UTC, ISO 8601) in which the user opened `youths` distinct young people. */
  hour: string;
  youths: number;
}

export interface ReviewList {
  since: string;
  bulkThreshold: number;
  breakTheGlass: BreakTheGlassAccess[];
  bulkReaders: BulkReader[];
}

/** The review list over the log since `since` (at most `limit` rows per section, newest first). */
export async function reviewList(db: Database, options: { since: Date; bulkThreshold: number; limit: number }): Promise<ReviewList> {
  const since = options.since.toISOString();
  const btg = await db.query<{
    at: string;
    subject: string | null;
    role: string | null;
    organisation: string | null;
    youth_id: string | null;
    reason: string | null;
    request_id: string;
  }>(
    `SELECT to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS at, subject, role, organisation, youth_id,
            break_the_glass_reason AS reason, request_id
       FROM access_log WHERE relation = 'BREAK_THE_GLASS' AND at >= $1::timestamptz ORDER BY at DESC LIMIT $2`,
    [since, options.limit],
  );
  const bulk = await db.query<{ subject: string | null; role: string | null; hour: string; youths: number }>(
    `SELECT subject, max(role) AS role, to_char(date_trunc('hour', at AT TIME ZONE 'UTC'), 'YYYY-MM-DD"T"HH24:00:00"Z"') AS hour,
            count(DISTINCT youth_id)::int AS youths
       FROM access_log
      WHERE youth_id IS NOT NULL AND outcome <> 'DENIED' AND at >= $1::timestamptz
      GROUP BY subject, date_trunc('hour', at AT TIME ZONE 'UTC')
     HAVING count(DISTINCT youth_id) > $2
      ORDER BY hour DESC, youths DESC LIMIT $3`,
    [since, options.bulkThreshold, options.limit],
  );
  return {
    since,
    bulkThreshold: options.bulkThreshold,
    breakTheGlass: btg.rows.map((row) => ({
      at: row.at,
      subject: row.subject,
      role: row.role,
      organisation: row.organisation,
      youthId: row.youth_id,
      reason: row.reason,
      requestId: row.request_id,
    })),
    bulkReaders: bulk.rows,
  };
}

/** The review list as a plain table (one line per row), for a terminal or a mail. */
export function reviewTable(list: ReviewList): string {
  const lines = [`Break-the-glass accesses since ${list.since}`, 'at\tsubject\trole\tyouthId\treason'];
  for (const a of list.breakTheGlass)
    lines.push([a.at, a.subject, a.role, a.youthId, a.reason].map((v) => String(v ?? '').replace(/[\t\n]/g, ' ')).join('\t'));
  lines.push('', `Bulk readers (more than ${list.bulkThreshold} distinct young people in an hour)`, 'hour\tsubject\trole\tyouths');
  for (const b of list.bulkReaders)
    lines.push([b.hour, b.subject, b.role, b.youths].map((v) => String(v ?? '').replace(/[\t\n]/g, ' ')).join('\t'));
  return `${lines.join('\n')}\n`;
}
