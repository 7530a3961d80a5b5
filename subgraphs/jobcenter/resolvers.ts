import type DataLoader from 'dataloader';
import type { GraphQLResolverMap } from '../kit/resolverMap.js';
import type { SubgraphContext } from '../kit/server.js';
import { isActiveOn, todayIso } from '../kit/dates.js';
import type { JobcenterRecord } from '../kit/systems/jobcenterClient.js';

export interface JobcenterContext extends SubgraphContext {
  citizens: DataLoader<string, JobcenterRecord | null>;
}

interface JobcenterYouth {
  cpr: string;
  record: JobcenterRecord | null;
}

export const resolvers: GraphQLResolverMap<JobcenterContext> = {
  Youth: {
    // Loaded per entity so that a failed call fails the entity, not just a field (see school).
    async __resolveReference(reference: { cpr: string }, context: JobcenterContext): Promise<JobcenterYouth> {
      return { cpr: reference.cpr, record: await context.citizens.load(reference.cpr) };
    },
    jobcenter: (youth: JobcenterYouth) => youth.record,
  },
  Effort: {
    active: (effort: JobcenterRecord['efforts'][number]) => isActiveOn(todayIso(), effort.start, effort.end),
  },
};
