import pLimit from 'p-limit';
import type { Logger } from 'pino';
import { anchoring } from '../rules/anchoring.js';
import { contactPersonEndDate } from '../rules/assignmentBasis.js';
import type { CoordinationStore } from '../store/coordinationStore.js';
import { runClaimedPeriod } from './schedule.js';
import { REVIEW_CONCURRENCY } from '../store/limits.js';
import type { YouthFacts } from '../rules/facts.js';

/**
 * The daily assignment review (issue 13, section 2). The note lets the scheme run "frem til det 25. år
 * eller indtil den unge er forankret i en ungdomsuddannelse eller har fast tilknytning til
 * arbejdsmarkedet" (seeds/000, "Gennemgående kontaktperson"):
 * - an assignment ends by itself on the 25th birthday (TURNED_25, dated the birthday even when the job
 *   runs later), from the birth date kept on the assignment (or UU's, for assignments made before 004);
 * - an assignment is marked due for review while the systems show the young person anchored
 *   (rules/anchoring.ts), and unmarked when they no longer do; a professional decides whether it ends.
 * One replica runs each day's review (store/dailyJobs.ts); the others skip it.
 */

/** Who the job's ends are recorded under (`endedBy`). */
export const REVIEW_ACTOR = 'system:assignment-review';

export interface AssignmentReviewResult {
  /** False when another replica holds or has finished today's run. */
  ran: boolean;
  runDate: string;
  endedAt25: number;
  markedForReview: number;
  reviewCleared: number;
  /** Young people whose facts could not be read (the run is FAILED and tried again at the next tick). */
  unreadable: number;
}

export interface AssignmentReviewDeps {
  store: CoordinationStore;
  /** One young person's facts from the systems; null when UU does not know them. */
  factsFor(youthId: string, today: string): Promise<YouthFacts | null>;
  today: string;
  /** This replica, for the claim (hostname and pid in production). */
  holder: string;
  logger: Logger;
}

export async function runAssignmentReview(deps: AssignmentReviewDeps): Promise<AssignmentReviewResult> {
  const { store, today, logger } = deps;
  const result: AssignmentReviewResult = { ran: false, runDate: today, endedAt25: 0, markedForReview: 0, reviewCleared: 0, unreadable: 0 };
  const run = await runClaimedPeriod(store, 'assignment-review', today, deps.holder, async () => {
    const active = await store.activeAssignmentList();
    const limit = pLimit(REVIEW_CONCURRENCY);
    await Promise.all(
      active.map((assignment) =>
        limit(async () => {
          let facts: YouthFacts | null | undefined;
          let birthDate = assignment.youthBirthDate;
          if (birthDate === null) {
            facts = await readFacts(assignment.youthId);
            birthDate = facts?.birthDate ?? null;
          }
          if (birthDate !== null && contactPersonEndDate(birthDate) <= today) {
            const end = contactPersonEndDate(birthDate);
            const endedOn = assignment.startedOn !== null && assignment.startedOn > end ? assignment.startedOn : end;
            if (await store.endAtTwentyFive(assignment.id, endedOn, REVIEW_ACTOR)) result.endedAt25 += 1;
            return;
          }
          facts ??= await readFacts(assignment.youthId);
          if (facts === undefined) return;
          const anchored = facts === null ? null : anchoring(facts.guidance, today);
          if (anchored === assignment.reviewReason) return;
          if (await store.setReview(assignment.id, anchored, today)) {
            if (anchored === null) result.reviewCleared += 1;
            else result.markedForReview += 1;
          }
        }),
      ),
    );
    const summary = `ended at 25: ${result.endedAt25}, marked for review: ${result.markedForReview}, review cleared: ${result.reviewCleared}, unreadable: ${result.unreadable}`;
    return { succeeded: result.unreadable === 0, summary };
  });
  if (!run) return result;
  result.ran = true;
  logger.info({ ...result, attempt: run.attempt }, 'assignment review done');
  return result;

  /** Undefined when a system could not be read (counted; the run is tried again). */
  async function readFacts(youthId: string): Promise<YouthFacts | null | undefined> {
    try {
      return await deps.factsFor(youthId, today);
    } catch (error) {
      result.unreadable += 1;
      logger.warn({ err: error, youthId }, "assignment review could not read the young person's facts");
      return undefined;
    }
  }
}
