import type DataLoader from 'dataloader';
import type { GraphQLResolverMap } from '../kit/resolverMap.js';
import type { SubgraphContext } from '../kit/server.js';
import { badUserInput } from '../kit/errors.js';
import { todayIso } from '../kit/dates.js';
import { ageOn } from '../../platform/dates.js';
import type { GuidanceRecord, GuidanceYouth } from '../kit/systems/guidanceClient.js';
import { currentEnrolment, latestReadiness } from '../kit/systems/guidanceDerived.js';
import { visibleInstitutions, visibleOrNull } from './rowAccess.js';

export interface GuidanceContext extends SubgraphContext {
  byId: DataLoader<string, GuidanceYouth | null>;
  byCpr: DataLoader<string, GuidanceYouth | null>;
}

/** UU keys are short opaque tokens; anything else cannot name a young person. */
const YOUTH_ID = /^[A-Za-z0-9_-]{1,64}$/;

export const resolvers: GraphQLResolverMap<GuidanceContext> = {
  Query: {
    async youth(_root: unknown, args: { id: string }, context: GuidanceContext) {
      if (!YOUTH_ID.test(args.id)) throw badUserInput('youth(id): an id is 1-64 letters, digits, "-" or "_"', 'id');
      return visibleOrNull(await context.byId.load(args.id), context.identity);
    },
  },
  Youth: {
    async __resolveReference(reference: { id?: string; cpr?: string }, context: GuidanceContext) {
      let youth: GuidanceYouth | null = null;
      if (reference.id !== undefined) youth = YOUTH_ID.test(reference.id) ? await context.byId.load(reference.id) : null;
      else if (reference.cpr !== undefined) youth = await context.byCpr.load(reference.cpr);
      return visibleOrNull(youth, context.identity);
    },
    age: (youth: GuidanceYouth) => ageOn(youth.birthDate, todayIso()),
    cprNumber: (youth: GuidanceYouth) => youth.cpr,
  },
  GuidanceRecord: {
    readiness: (record: GuidanceRecord) => latestReadiness(record),
    currentEnrolment: (record: GuidanceRecord, _args: unknown, context: GuidanceContext) =>
      currentEnrolment({ ...record, institutions: visibleInstitutions(record.institutions, context.identity) }, todayIso()),
    institutions: (record: GuidanceRecord, _args: unknown, context: GuidanceContext) => visibleInstitutions(record.institutions, context.identity),
  },
};
