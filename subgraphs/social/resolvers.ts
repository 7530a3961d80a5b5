import type DataLoader from 'dataloader';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/index.js';
import type { SubgraphContext } from '../kit/server.js';
import { isActiveOn, todayIso } from '../kit/dates.js';
import type { SocialCase, SocialRecord } from './socialClient.js';

export interface SocialContext extends SubgraphContext {
  cases: DataLoader<string, SocialRecord | null>;
}

interface SocialYouth {
  cpr: string;
  record: SocialRecord | null;
}

export const resolvers: GraphQLResolverMap<SocialContext> = {
  Youth: {
    // Loaded per entity so that a failed call fails the entity, not just a field (see school).
    async __resolveReference(reference: { cpr: string }, context: SocialContext): Promise<SocialYouth> {
      return { cpr: reference.cpr, record: await context.cases.load(reference.cpr) };
    },
    social: (youth: SocialYouth) => youth.record,
  },
  SocialCase: {
    open: (socialCase: SocialCase) => isActiveOn(todayIso(), socialCase.opened, socialCase.closed),
  },
  SocialMeasure: {
    active: (measure: SocialCase['measures'][number]) => isActiveOn(todayIso(), measure.from, measure.to),
  },
};
