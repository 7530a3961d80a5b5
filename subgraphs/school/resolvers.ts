import type DataLoader from 'dataloader';
import type { GraphQLResolverMap } from '../kit/resolverMap.js';
import type { SubgraphContext } from '../kit/server.js';
import type { SchoolRecord } from '../kit/systems/schoolClient.js';
import { releaseBasis } from '../kit/consent.js';
import { requireCategory } from '../kit/needToKnow.js';
import { absenceEarlyWarning } from './absenceEarlyWarning.js';

export interface SchoolContext extends SubgraphContext {
  pupils: DataLoader<string, SchoolRecord | null>;
}

/** A Youth as this subgraph holds it: its key and the pupil record, loaded in `__resolveReference`. */
interface SchoolYouth {
  cpr: string;
  record: SchoolRecord | null;
  /** From the coordination, through the gateway (`@requires`): see kit/consent.ts. */
  consentUnits?: string[] | null;
  releasedCategories?: string[] | null;
}

export const resolvers: GraphQLResolverMap<SchoolContext> = {
  Youth: {
    // Loading here, not in the field, makes a failed system call fail the entity as a whole: the
    // gateway then knows the data is missing (not empty) and does not compute anything from it.
    async __resolveReference(
      reference: { cpr: string; consentUnits?: string[] | null; releasedCategories?: string[] | null },
      context: SchoolContext,
    ): Promise<SchoolYouth> {
      return {
        cpr: reference.cpr,
        record: await context.pupils.load(reference.cpr),
        consentUnits: reference.consentUnits ?? null,
        releasedCategories: reference.releasedCategories ?? null,
      };
    },
    school: (youth: SchoolYouth, _args: unknown, context: SchoolContext) => {
      releaseBasis('SCHOOL', youth, context.identity, context.today);
      requireCategory('school', youth);
      return youth.record;
    },
  },
  SchoolRecord: {
    absenceEarlyWarning: (record: SchoolRecord) => absenceEarlyWarning(record.absence),
  },
  SchoolYearAbsence: {
    absenceRate: (year: SchoolRecord['absence'][number]) =>
      year.schoolDays > 0 ? Math.round((year.absentDays / year.schoolDays) * 10_000) / 10_000 : 0,
  },
};
