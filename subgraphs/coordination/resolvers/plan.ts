/** The coordinated plan's mutations: agreed actions, joint decisions, and what of the education plan a partner may read. */
import type { GraphQLResolveInfo } from 'graphql';
import { ownUnitsOf } from '../../../platform/authorization/legalBasis.js';
import { ErrorCode, userError } from '../../kit/errors.js';
import { planActionTransition } from '../reporting/resolvers.js';
import type { CoordinationContext } from '../resolvers.js';
import { StoreError } from '../store/errors.js';
import { guard, idempotencyKeyOf } from './guard.js';
import { requireKnownYouth, requireRelation } from './needToKnow.js';

export const planMutations = {
  async addPlanAction(
    _root: unknown,
    args: {
      input: {
        youthId: string;
        title: string;
        description?: string | null;
        ownerUnit: string;
        due?: string | null;
        transition?: string | null;
        idempotencyKey?: string | null;
      };
    },
    context: CoordinationContext,
    info: GraphQLResolveInfo,
  ) {
    const facts = await requireKnownYouth(args.input.youthId, context, 'coordinated plan');
    const handover = planActionTransition(args.input.transition, facts.birthDate);
    return guard(
      () =>
        context.store.addPlanAction({
          youthId: args.input.youthId,
          title: args.input.title,
          description: args.input.description ?? undefined,
          ownerUnit: args.input.ownerUnit,
          due: args.input.due ?? handover.transitionDue ?? undefined,
          ...handover,
          createdBy: context.actor,
          idempotencyKey: idempotencyKeyOf(args.input.idempotencyKey, context, info),
        }),
      'input',
    );
  },
  completePlanAction: (
    _root: unknown,
    args: { input: { actionId: string; idempotencyKey?: string | null } },
    context: CoordinationContext,
    info: GraphQLResolveInfo,
  ) =>
    guard(async () => {
      // Need to know: an action of a young person outside the caller's relation answers as an unknown action.
      const action = typeof args.input.actionId === 'string' ? await context.store.getPlanAction(args.input.actionId) : null;
      if (action) {
        const unknownAction = () =>
          new StoreError('NOT_FOUND', `no plan action with id "${args.input.actionId}"`, { actionId: args.input.actionId });
        await requireRelation(action.youthId, context, 'coordinated plan', unknownAction);
      }
      return context.store.completePlanAction({
        actionId: args.input.actionId,
        completedBy: context.actor,
        idempotencyKey: idempotencyKeyOf(args.input.idempotencyKey, context, info),
      });
    }, 'input'),
  async setEducationPlanSharing(
    _root: unknown,
    args: { input: { youthId: string; institutionId: string; shared: boolean } },
    context: CoordinationContext,
  ) {
    // UU's judgement: the plan is UU's, so only UU marks what of it a partner may read.
    if (!ownUnitsOf(context.identity.organisation).has('GUIDANCE')) {
      throw userError(
        ErrorCode.FORBIDDEN,
        'Only UU (Ungdommens Uddannelsesvejledning) marks an education plan shareable with a partner institution.',
      );
    }
    await requireKnownYouth(args.input.youthId, context, 'guidance (UU)');
    const sharing = await guard(
      () =>
        context.store.setPlanSharing({
          youthId: args.input.youthId,
          institutionId: args.input.institutionId,
          shared: args.input.shared,
          markedBy: context.actor,
        }),
      'input',
    );
    return { youth: { id: sharing.youthId }, institutionIds: sharing.institutionIds };
  },
  async recordJointDecision(
    _root: unknown,
    args: { input: { youthId: string; summary: string; units: string[]; idempotencyKey?: string | null } },
    context: CoordinationContext,
    info: GraphQLResolveInfo,
  ) {
    await requireKnownYouth(args.input.youthId, context, 'coordinated plan');
    return guard(
      () =>
        context.store.recordJointDecision({
          youthId: args.input.youthId,
          summary: args.input.summary,
          units: args.input.units,
          recordedBy: context.actor,
          idempotencyKey: idempotencyKeyOf(args.input.idempotencyKey, context, info),
        }),
      'input',
    );
  },
};
