import type DataLoader from 'dataloader';
import type { GraphQLResolverMap } from '../kit/resolverMap.js';
import type { SubgraphContext } from '../kit/server.js';
import { releaseBasis } from '../kit/consent.js';
import { requireCategory } from '../kit/needToKnow.js';
import { isActiveOn } from '../kit/dates.js';
import type { BenefitsRecord } from '../kit/systems/benefitsClient.js';

export interface BenefitsContext extends SubgraphContext {
  recipients: DataLoader<string, BenefitsRecord | null>;
}

interface BenefitsYouth {
  cpr: string;
  record: BenefitsRecord | null;
  /** From the coordination, through the gateway (`@requires`): see kit/consent.ts. */
  consentUnits?: string[] | null;
  releasedCategories?: string[] | null;
}

type Payment = BenefitsRecord['payments'][number];

export const resolvers: GraphQLResolverMap<BenefitsContext> = {
  Youth: {
    // Loaded per entity so that a failed call fails the entity, not just a field (see school).
    async __resolveReference(
      reference: { cpr: string; consentUnits?: string[] | null; releasedCategories?: string[] | null },
      context: BenefitsContext,
    ): Promise<BenefitsYouth> {
      return {
        cpr: reference.cpr,
        record: await context.recipients.load(reference.cpr),
        consentUnits: reference.consentUnits ?? null,
        releasedCategories: reference.releasedCategories ?? null,
      };
    },
    benefits: (youth: BenefitsYouth, _args: unknown, context: BenefitsContext) => {
      releaseBasis('BENEFITS', youth, context.identity, context.today);
      requireCategory('benefits', youth);
      return youth.record;
    },
  },
  BenefitsRecord: {
    currentMonthlyAmountDkk: (record: BenefitsRecord, _args: unknown, context: BenefitsContext) => {
      return record.payments.filter((p) => isActiveOn(context.today, p.from, p.to)).reduce((sum, p) => sum + p.monthlyAmountDkk, 0);
    },
  },
  BenefitPayment: {
    active: (payment: Payment, _args: unknown, context: BenefitsContext) => isActiveOn(context.today, payment.from, payment.to),
  },
};
