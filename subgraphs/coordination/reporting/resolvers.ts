import type { GraphQLResolverMap } from '../../kit/resolverMap.js';
import { badUserInput } from '../../kit/errors.js';
import type { CoordinationContext } from '../resolvers.js';
import { toGraphQLError } from '../storeErrors.js';
import { HANDOVER_TRANSITIONS, type HandoverTransition } from '../store/coordinationStore.js';
import { parseIsoDate } from '../../../platform/dates.js';
import { capacityReport, handoverDue, handoverReport, outcomeReport, targetGroupReport } from './reports.js';
import { PeriodError, reportPeriod } from './periods.js';

/**
 * `Query.report` and the `Report` sections for the reporting tools (scope `reporting:read`). Each
 * section is computed only when asked for; everything is an aggregate, suppressed where small and
 * rounded down to a multiple of 5, and the handover period is one of the fixed shapes of ./periods.ts.
 */

/** What `Query.report` hands to the `Report` fields. */
interface ReportRoot {
  asOf: string;
  screenedAt: string | null;
}

async function guard<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw toGraphQLError(error);
  }
}

function checkDate(value: string, field: string): string {
  try {
    parseIsoDate(value);
    return value;
  } catch {
    throw badUserInput(`${field} must be a date written YYYY-MM-DD, got "${value}"`, field);
  }
}

export const reportQueryResolver = async (_root: unknown, _args: unknown, context: CoordinationContext): Promise<ReportRoot> => {
  const status = await guard(() => context.store.screeningStatus());
  const run = status.lastSucceededRun;
  return { asOf: context.today, screenedAt: run ? (run.finishedAt ?? run.startedAt) : null };
};

export const reportResolvers: GraphQLResolverMap<CoordinationContext> = {
  Report: {
    targetGroup: (report: ReportRoot, _args: unknown, context: CoordinationContext) =>
      guard(() => targetGroupReport(context.store, report.asOf)),
    contactPersonCapacity: (_report: ReportRoot, _args: unknown, context: CoordinationContext) =>
      guard(() => capacityReport(context.store, context.fundedCapacity)),
    handovers: (report: ReportRoot, args: { from?: string | null; to?: string | null }, context: CoordinationContext) => {
      const from = args.from == null ? undefined : checkDate(args.from, 'from');
      const to = args.to == null ? undefined : checkDate(args.to, 'to');
      let period;
      try {
        period = reportPeriod(report.asOf, from, to);
      } catch (error) {
        if (error instanceof PeriodError) throw badUserInput(error.message, error.field);
        throw error;
      }
      return guard(() => handoverReport(context.store, report.asOf, period));
    },
    outcomes: (report: ReportRoot, _args: unknown, context: CoordinationContext) => guard(() => outcomeReport(context.store, report.asOf)),
  },
};

/**
 * The handover transition a new plan action fulfils, with its due date from the birth date; only the
 * three handover transitions can be fulfilled by an action (BAD_USER_INPUT otherwise).
 */
export function planActionTransition(
  transition: string | null | undefined,
  birthDate: string,
): { transition: HandoverTransition; transitionDue: string } | { transition: null; transitionDue: null } {
  if (transition == null) return { transition: null, transitionDue: null };
  if (!(HANDOVER_TRANSITIONS as readonly string[]).includes(transition)) {
    throw badUserInput(`input.transition must be one of ${HANDOVER_TRANSITIONS.join(', ')}, got ${transition}`, 'input.transition');
  }
  const kind = transition as HandoverTransition;
  return { transition: kind, transitionDue: handoverDue(kind, birthDate) };
}
