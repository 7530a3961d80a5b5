/**
 * The coordinated plan's mutations: agreed actions (added, completed, edited and cancelled with a reason,
 * each change kept as the action's history), joint decisions, and what of the education plan a partner
 * may read.
 */
import type { GraphQLResolveInfo } from 'graphql';
import { ownUnitsOf } from '../../../platform/authorization/legalBasis.js';
import { ErrorCode, userError } from '../../kit/errors.js';
import { planActionTransition } from '../reporting/resolvers.js';
import type { CoordinationContext } from '../resolvers.js';
import { StoreError } from '../store/errors.js';
import { guard, idempotencyKeyOf } from './guard.js';
import { requireKnownYouth, requireRelation } from './needToKnow.js';
import { actorDetail } from './meetings.js';
import type { PlanAction } from '../store/coordinationStore.js';
import { PLAN_ACTION_FIELDS, type PlanActionChange, type PlanActionField } from '../store/planHistory.js';

/**
 * Need to know for a write to an existing action: an action of a young person outside the caller's
 * relation answers as an unknown action (NOT_FOUND), and nothing is written. A malformed or unknown id
 * is the store's to refuse.
 */
async function requireActionRelation(actionId: unknown, context: CoordinationContext): Promise<void> {
  const action = typeof actionId === 'string' ? await context.store.getPlanAction(actionId) : null;
  if (!action) return;
  const unknownAction = () =>
    new StoreError('NOT_FOUND', `no plan action with id "${action.id}"`, { actionId: action.id, field: 'actionId' });
  await requireRelation(action.youthId, context, 'coordinated plan', unknownAction);
}

/** The graph's names of the history's fields (`PlanActionField`). */
const FIELD_NAMES: Record<PlanActionField, string> = {
  title: 'TITLE',
  description: 'DESCRIPTION',
  ownerUnit: 'OWNER_UNIT',
  due: 'DUE',
  status: 'STATUS',
  transition: 'TRANSITION',
  meetingId: 'MEETING',
};

export const planResolvers = {
  PlanAction: {
    youth: (action: PlanAction) => ({ id: action.youthId }),
    history: (action: PlanAction, _args: unknown, context: CoordinationContext) => context.planActionHistory.load(action.id),
  },
  PlanActionChange: {
    // In the fields' fixed order, whatever order the JSON kept.
    changes: (change: PlanActionChange) =>
      PLAN_ACTION_FIELDS.filter((field) => field in change.after || field in change.before).map((field) => ({
        field: FIELD_NAMES[field],
        before: change.before[field] ?? null,
        after: change.after[field] ?? null,
      })),
  },
};

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
        meetingId?: string | null;
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
          meetingId: args.input.meetingId,
          createdBy: context.actor,
          ...actorDetail(context),
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
      await requireActionRelation(args.input.actionId, context);
      return context.store.completePlanAction({
        actionId: args.input.actionId,
        completedBy: context.actor,
        ...actorDetail(context),
        idempotencyKey: idempotencyKeyOf(args.input.idempotencyKey, context, info),
      });
    }, 'input'),
  editPlanAction: (
    _root: unknown,
    args: {
      input: {
        actionId: string;
        title?: string | null;
        description?: string | null;
        ownerUnit?: string | null;
        due?: string | null;
        reason: string;
        idempotencyKey?: string | null;
      };
    },
    context: CoordinationContext,
    info: GraphQLResolveInfo,
  ) =>
    guard(async () => {
      await requireActionRelation(args.input.actionId, context);
      // Absent leaves a field as it is, null clears it: the input's own keys say which (GraphQL keeps the two apart).
      const { actionId, title, description, ownerUnit, due, reason } = args.input;
      return context.store.editPlanAction({
        actionId,
        ...('title' in args.input ? { title } : {}),
        ...('description' in args.input ? { description } : {}),
        ...('ownerUnit' in args.input ? { ownerUnit } : {}),
        ...('due' in args.input ? { due } : {}),
        reason,
        changedBy: context.actor,
        ...actorDetail(context),
        idempotencyKey: idempotencyKeyOf(args.input.idempotencyKey, context, info),
      });
    }, 'input'),
  cancelPlanAction: (
    _root: unknown,
    args: { input: { actionId: string; reason: string; idempotencyKey?: string | null } },
    context: CoordinationContext,
    info: GraphQLResolveInfo,
  ) =>
    guard(async () => {
      await requireActionRelation(args.input.actionId, context);
      return context.store.cancelPlanAction({
        actionId: args.input.actionId,
        reason: args.input.reason,
        cancelledBy: context.actor,
        ...actorDetail(context),
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
    args: { input: { youthId: string; summary: string; units: string[]; meetingId?: string | null; idempotencyKey?: string | null } },
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
          meetingId: args.input.meetingId,
          recordedBy: context.actor,
          idempotencyKey: idempotencyKeyOf(args.input.idempotencyKey, context, info),
        }),
      'input',
    );
  },
};
