import type DataLoader from 'dataloader';
import type { GraphQLResolverMap } from '../kit/resolverMap.js';
import type { SubgraphContext } from '../kit/server.js';
import { releaseBasis } from '../kit/consent.js';
import { requireCategory } from '../kit/needToKnow.js';
import { isActiveOn } from '../kit/dates.js';
import type { SocialCase, SocialRecord } from '../kit/systems/socialClient.js';

export interface SocialContext extends SubgraphContext {
  cases: DataLoader<string, SocialRecord | null>;
}

interface SocialYouth {
  cpr: string;
  record: SocialRecord | null;
  /** From the coordination, through the gateway (`@requires`): see kit/consent.ts. */
  consentUnits?: string[] | null;
  releasedCategories?: string[] | null;
}

/** The part of social services' record the other units may know (see the SDL's SocialSummary). */
export function summarize(record: SocialRecord, day: string) {
  return {
    openCases: record.cases
      .filter((c) => isActiveOn(day, c.opened, c.closed))
      .map((c) => ({
        unit: c.unit,
        caseworker: c.caseworker,
        goal: c.goal,
        activeMeasures: [...new Set(c.measures.filter((m) => isActiveOn(day, m.from, m.to)).map((m) => m.type))],
      })),
  };
}

export const resolvers: GraphQLResolverMap<SocialContext> = {
  Youth: {
    // Loaded per entity so that a failed call fails the entity, not just a field (see school).
    async __resolveReference(
      reference: { cpr: string; consentUnits?: string[] | null; releasedCategories?: string[] | null },
      context: SocialContext,
    ): Promise<SocialYouth> {
      return {
        cpr: reference.cpr,
        record: await context.cases.load(reference.cpr),
        consentUnits: reference.consentUnits ?? null,
        releasedCategories: reference.releasedCategories ?? null,
      };
    },
    social: (youth: SocialYouth, _args: unknown, context: SocialContext) => {
      releaseBasis('SOCIAL', youth, context.identity, context.today);
      requireCategory('social in detail', youth);
      return youth.record;
    },
    socialSummary: (youth: SocialYouth, _args: unknown, context: SocialContext) => {
      releaseBasis('SOCIAL', youth, context.identity, context.today);
      requireCategory('social in summary', youth);
      return youth.record && summarize(youth.record, context.today);
    },
  },
  SocialCase: {
    open: (socialCase: SocialCase, _args: unknown, context: SocialContext) =>
      isActiveOn(context.today, socialCase.opened, socialCase.closed),
  },
  SocialMeasure: {
    active: (measure: SocialCase['measures'][number], _args: unknown, context: SocialContext) =>
      isActiveOn(context.today, measure.from, measure.to),
  },
};
