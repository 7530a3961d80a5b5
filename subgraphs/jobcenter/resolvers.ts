import type DataLoader from 'dataloader';
import type { GraphQLResolverMap } from '../kit/resolverMap.js';
import type { SubgraphContext } from '../kit/server.js';
import { releaseBasis } from '../kit/consent.js';
import { requireCategory } from '../kit/needToKnow.js';
import { isActiveOn } from '../kit/dates.js';
import type { JobcenterRecord } from '../kit/systems/jobcenterClient.js';

export interface JobcenterContext extends SubgraphContext {
  citizens: DataLoader<string, JobcenterRecord | null>;
}

interface JobcenterYouth {
  cpr: string;
  record: JobcenterRecord | null;
  /** From the coordination, through the gateway (`@requires`): see kit/consent.ts. */
  consentUnits?: string[] | null;
  releasedCategories?: string[] | null;
}

export const resolvers: GraphQLResolverMap<JobcenterContext> = {
  Youth: {
    // Loaded per entity so that a failed call fails the entity, not just a field (see school).
    async __resolveReference(
      reference: { cpr: string; consentUnits?: string[] | null; releasedCategories?: string[] | null },
      context: JobcenterContext,
    ): Promise<JobcenterYouth> {
      return {
        cpr: reference.cpr,
        record: await context.citizens.load(reference.cpr),
        consentUnits: reference.consentUnits ?? null,
        releasedCategories: reference.releasedCategories ?? null,
      };
    },
    jobcenter: (youth: JobcenterYouth, _args: unknown, context: JobcenterContext) => {
      releaseBasis('JOBCENTER', youth, context.identity, context.today);
      requireCategory('jobcenter', youth);
      return youth.record;
    },
  },
  Effort: {
    active: (effort: JobcenterRecord['efforts'][number], _args: unknown, context: JobcenterContext) =>
      isActiveOn(context.today, effort.start, effort.end),
  },
};
