import type DataLoader from 'dataloader';
import type { GraphQLResolverMap } from '../kit/resolverMap.js';
import type { SubgraphContext } from '../kit/server.js';
import { isActiveOn, todayIso } from '../kit/dates.js';
import type { BenefitsRecord } from '../kit/systems/benefitsClient.js';

export interface BenefitsContext extends SubgraphContext {
  recipients: DataLoader<string, BenefitsRecord | null>;
}

interface BenefitsYouth {
  cpr: string;
  record: BenefitsRecord | null;
}

type Payment = BenefitsRecord['payments'][number];

export const resolvers: GraphQLResolverMap<BenefitsContext> = {
  Youth: {
    // Loaded per entity so that a failed call fails the entity, not just a field (see school).
    async __resolveReference(reference: { cpr: string }, context: BenefitsContext): Promise<BenefitsYouth> {
      return { cpr: reference.cpr, record: await context.recipients.load(reference.cpr) };
    },
    benefits: (youth: BenefitsYouth) => youth.record,
  },
  BenefitsRecord: {
    currentMonthlyAmountDkk: (record: BenefitsRecord) => {
      const today = todayIso();
      return record.payments.filter((p) => isActiveOn(today, p.from, p.to)).reduce((sum, p) => sum + p.monthlyAmountDkk, 0);
    },
  },
  BenefitPayment: {
    active: (payment: Payment) => isActiveOn(todayIso(), payment.from, payment.to),
  },
};
