import type { GraphQLResolverMap } from '../../kit/resolverMap.js';
import { badUserInput } from '../../kit/errors.js';
import type { CoordinationContext } from '../resolvers.js';
import { toGraphQLError } from '../storeErrors.js';
import { HANDOVER_TRANSITIONS, type HandoverTransition } from '../store/coordinationStore.js';
import { parseIsoDate } from '../../../platform/dates.js';
import { capacityReport, handoverDue, handoverReport, outcomeReport, targetGroupReport } from './reports.js';
import { PeriodError, reportPeriod, type ReportPeriod } from './periods.js';
import { checkMeasureMonth, firstOfMonth, measureSeries, measuresForMonth, SERIES_MONTHS } from './snapshots.js';
import { reportCsvTables, type CsvLocale } from './csv.js';

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

function handoverPeriod(asOf: string, args: { from?: string | null; to?: string | null }): ReportPeriod {
  const from = args.from == null ? undefined : checkDate(args.from, 'from');
  const to = args.to == null ? undefined : checkDate(args.to, 'to');
  try {
    return reportPeriod(asOf, from, to);
  } catch (error) {
    if (error instanceof PeriodError) throw badUserInput(error.message, error.field);
    throw error;
  }
}

function seriesMonths(months: number | null | undefined): number {
  const value = months ?? 12;
  if (!(SERIES_MONTHS as readonly number[]).includes(value)) throw badUserInput(`months must be 12 or 24, got ${value}`, 'months');
  return value;
}

export const reportResolvers: GraphQLResolverMap<CoordinationContext> = {
  Report: {
    measures: (report: ReportRoot, args: { month?: string | null }, context: CoordinationContext) => {
      const month = args.month == null ? firstOfMonth(report.asOf) : checkDate(args.month, 'month');
      try {
        checkMeasureMonth(month, report.asOf);
      } catch (error) {
        throw badUserInput((error as Error).message, 'month');
      }
      return guard(() => measuresForMonth(context.store, month, { today: report.asOf, fundedCapacity: context.fundedCapacity }));
    },
    measureSeries: (report: ReportRoot, args: { months?: number | null }, context: CoordinationContext) => {
      const months = seriesMonths(args.months);
      return guard(() => measureSeries(context.store, months, { today: report.asOf, fundedCapacity: context.fundedCapacity }));
    },
    csv: (
      report: ReportRoot,
      args: { locale?: CsvLocale | null; from?: string | null; to?: string | null; months?: number | null },
      context: CoordinationContext,
    ) => {
      const period = handoverPeriod(report.asOf, args);
      const months = seriesMonths(args.months);
      return guard(async () => {
        const [targetGroup, contactPersonCapacity, handovers, outcomes, series] = await Promise.all([
          targetGroupReport(context.store, report.asOf),
          capacityReport(context.store, context.fundedCapacity),
          handoverReport(context.store, report.asOf, period),
          outcomeReport(context.store, report.asOf),
          measureSeries(context.store, months, { today: report.asOf, fundedCapacity: context.fundedCapacity }),
        ]);
        return reportCsvTables(
          { asOf: report.asOf, targetGroup, contactPersonCapacity, handovers, outcomes, measureSeries: series },
          args.locale ?? 'EN',
        );
      });
    },
    targetGroup: (report: ReportRoot, _args: unknown, context: CoordinationContext) =>
      guard(() => targetGroupReport(context.store, report.asOf)),
    contactPersonCapacity: (_report: ReportRoot, _args: unknown, context: CoordinationContext) =>
      guard(() => capacityReport(context.store, context.fundedCapacity)),
    handovers: (report: ReportRoot, args: { from?: string | null; to?: string | null }, context: CoordinationContext) => {
      const period = handoverPeriod(report.asOf, args);
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
