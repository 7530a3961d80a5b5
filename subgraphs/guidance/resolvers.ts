import type DataLoader from 'dataloader';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/index.js';
import type { SubgraphContext } from '../kit/server.js';
import { badUserInput } from '../kit/errors.js';
import { todayIso } from '../kit/dates.js';
import { ageOn } from '../kit/age.js';
import type { GuidanceRecord, GuidanceYouth } from './guidanceClient.js';
import { currentEnrolment, latestReadiness } from './derived.js';

export interface GuidanceContext extends SubgraphContext {
  byId: DataLoader<string, GuidanceYouth | null>;
  byCpr: DataLoader<string, GuidanceYouth | null>;
}

/** UU keys are short opaque tokens; anything else cannot name a young person. */
const YOUTH_ID = /^[A-Za-z0-9_-]{1,64}$/;

export const resolvers: GraphQLResolverMap<GuidanceContext> = {
  Query: {
    youth(_root: unknown, args: { id: string }, context: GuidanceContext) {
      if (!YOUTH_ID.test(args.id)) throw badUserInput('youth(id): an id is 1-64 letters, digits, "-" or "_"', 'id');
      return context.byId.load(args.id);
    },
  },
  Youth: {
    __resolveReference(reference: { id?: string; cpr?: string }, context: GuidanceContext) {
      if (reference.id !== undefined) return YOUTH_ID.test(reference.id) ? context.byId.load(reference.id) : null;
      if (reference.cpr !== undefined) return context.byCpr.load(reference.cpr);
      return null;
    },
    age: (youth: GuidanceYouth) => ageOn(youth.birthDate, todayIso()),
    cprNumber: (youth: GuidanceYouth) => youth.cpr,
  },
  GuidanceRecord: {
    readiness: (record: GuidanceRecord) => latestReadiness(record),
    currentEnrolment: (record: GuidanceRecord) => currentEnrolment(record, todayIso()),
  },
};
