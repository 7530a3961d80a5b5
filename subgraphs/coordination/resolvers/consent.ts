/** Consent (25-29-year-olds): recording and withdrawing it. */
import type { GraphQLResolveInfo } from 'graphql';
import type { CoordinationContext } from '../resolvers.js';
import { YOUTH_ID_FORMAT } from '../store/limits.js';
import { guard, idempotencyKeyOf } from './guard.js';
import { requireKnownYouth, requireRelation } from './needToKnow.js';

export const consentMutations = {
  async recordConsent(
    _root: unknown,
    args: { input: { youthId: string; units: string[]; givenOn?: string | null; note?: string | null; idempotencyKey?: string | null } },
    context: CoordinationContext,
    info: GraphQLResolveInfo,
  ) {
    await requireKnownYouth(args.input.youthId, context, 'consent');
    return guard(
      () =>
        context.store.recordConsent({
          youthId: args.input.youthId,
          units: args.input.units,
          givenOn: args.input.givenOn ?? null,
          note: args.input.note ?? null,
          recordedBy: context.actor,
          today: context.today,
          idempotencyKey: idempotencyKeyOf(args.input.idempotencyKey, context, info),
        }),
      'input',
    );
  },
  withdrawConsent: (
    _root: unknown,
    args: { input: { youthId: string; withdrawnOn?: string | null; idempotencyKey?: string | null } },
    context: CoordinationContext,
    info: GraphQLResolveInfo,
  ) =>
    guard(async () => {
      // Need to know: a malformed id is the store's to refuse; a well-formed one must be in the caller's relation.
      if (YOUTH_ID_FORMAT.test(args.input.youthId)) await requireRelation(args.input.youthId, context, 'consent');
      return context.store.withdrawConsent({
        youthId: args.input.youthId,
        withdrawnOn: args.input.withdrawnOn ?? null,
        withdrawnBy: context.actor,
        today: context.today,
        idempotencyKey: idempotencyKeyOf(args.input.idempotencyKey, context, info),
      });
    }, 'input'),
};
