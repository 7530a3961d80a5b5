/**
 * Break-the-glass (docs/access.md, "Need to know"): a municipal caller opens a young person outside every
 * relation by stating why in `X-Break-The-Glass-Reason`. The gateway checks the reason (at least
 * BREAK_THE_GLASS_REASON_MIN characters, BAD_USER_INPUT otherwise, nothing runs), claims one of the
 * user's uses for the day in the access log's database (BREAK_THE_GLASS_DAILY_LIMIT, shared by every
 * replica; BREAK_THE_GLASS_LIMIT past it, nothing runs), and tells the subgraphs in a header of its own
 * authenticated call. The subgraph decides whether a young person was in fact outside the relation; the
 * access log records those as BREAK_THE_GLASS with the reason, and the auditors' review list shows them.
 */
import type { IncomingMessage } from 'node:http';
import { GraphQLError } from 'graphql';
import { Counter } from 'prom-client';
import { registry } from '../platform/metrics.js';
import { readInt } from '../platform/env.js';

type Env = Record<string, string | undefined>;
import { BREAK_THE_GLASS_HEADER, BREAK_THE_GLASS_REASON_MAX, BREAK_THE_GLASS_REASON_MIN } from '../platform/authorization/relation.js';
import type { Database } from '../platform/db/database.js';
import { claimBreakTheGlass } from './accessLog/review.js';
import { ErrorCode } from '../platform/errorCodes.js';

export const breakTheGlassRequests = new Counter({
  name: 'ungegraf_break_the_glass_requests_total',
  help: 'Requests stating a break-the-glass reason, by outcome (granted, bad_reason, limit).',
  labelNames: ['outcome'] as const,
  registers: [registry],
});

export interface BreakTheGlassConfig {
  /** BREAK_THE_GLASS_DAILY_LIMIT: uses per user per day (Europe/Copenhagen). Default 5. */
  dailyLimit: number;
  /** REVIEW_BULK_THRESHOLD: distinct young people per user per hour above which the user is on the review list. Default 100. */
  bulkThreshold: number;
}

export function loadBreakTheGlassConfig(env: Env = process.env): BreakTheGlassConfig {
  return {
    dailyLimit: readInt(env, 'BREAK_THE_GLASS_DAILY_LIMIT', 5, 0, 10_000),
    bulkThreshold: readInt(env, 'REVIEW_BULK_THRESHOLD', 100, 1, 1_000_000),
  };
}

export const BREAK_THE_GLASS_LIMIT = ErrorCode.BREAK_THE_GLASS_LIMIT;

/** The stated reason, or undefined when the request states none; throws BAD_USER_INPUT for a reason too short or too long. */
export function statedReason(req: IncomingMessage): string | undefined {
  const raw = req.headers[BREAK_THE_GLASS_HEADER];
  if (raw === undefined) return undefined;
  const reason = (Array.isArray(raw) ? raw.join(' ') : raw).trim();
  if (reason.length < BREAK_THE_GLASS_REASON_MIN || reason.length > BREAK_THE_GLASS_REASON_MAX) {
    breakTheGlassRequests.inc({ outcome: 'bad_reason' });
    throw new GraphQLError(
      `X-Break-The-Glass-Reason must state why, in ${BREAK_THE_GLASS_REASON_MIN} to ${BREAK_THE_GLASS_REASON_MAX} characters`,
      { extensions: { code: ErrorCode.BAD_USER_INPUT, http: { status: 400 } } },
    );
  }
  return reason;
}

/** Claims one of `subject`'s uses today; throws BREAK_THE_GLASS_LIMIT past the daily limit. */
export async function grantBreakTheGlass(db: Database, subject: string, config: BreakTheGlassConfig): Promise<void> {
  if (!(await claimBreakTheGlass(db, subject, config.dailyLimit))) {
    breakTheGlassRequests.inc({ outcome: 'limit' });
    throw new GraphQLError(`Break-the-glass refused: the daily limit of ${config.dailyLimit} uses is reached`, {
      extensions: { code: BREAK_THE_GLASS_LIMIT, http: { status: 429 } },
    });
  }
  breakTheGlassRequests.inc({ outcome: 'granted' });
}
