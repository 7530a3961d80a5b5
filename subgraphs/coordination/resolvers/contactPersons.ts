/** The contact-person mutations: assigning and ending assignments, and the coordinator's administration of contact persons. */
import type { GraphQLResolveInfo } from 'graphql';
import { ErrorCode, userError } from '../../kit/errors.js';
import type { CoordinationContext } from '../resolvers.js';
import { assignmentAdvice } from '../rules/assignmentBasis.js';
import { evaluateEligibility } from '../rules/eligibility.js';
import { StoreError } from '../store/errors.js';
import { YOUTH_ID_FORMAT } from '../store/limits.js';
import { guard, idempotencyKeyOf } from './guard.js';
import { requireRelation } from './needToKnow.js';

export const contactPersonMutations = {
  async assignContactPerson(
    _root: unknown,
    args: {
      input: {
        youthId: string;
        contactPersonId: string;
        note?: string | null;
        justification?: string | null;
        supportCoordination?: string | null;
        acceptOverCapacity?: boolean | null;
        idempotencyKey?: string | null;
      };
    },
    context: CoordinationContext,
    info: GraphQLResolveInfo,
  ) {
    const input = args.input;
    await requireRelation(input.youthId, context, 'contact person');
    const facts = await context.facts.forYouth(input.youthId, context.today, context.requestId);
    if (!facts) throw userError(ErrorCode.NOT_FOUND, `No young person has the id "${input.youthId}"`, { field: 'input.youthId' });
    // The rules advise (rules/eligibility.ts); only the scheme's bounds refuse (rules/assignmentBasis.ts).
    const eligibility = evaluateEligibility(facts, context.today);
    const advice = assignmentAdvice(facts, eligibility, context.today);
    if (!advice.possible)
      throw userError(ErrorCode[advice.limit], `A continuous contact person cannot be assigned: ${advice.reason}`, {
        field: 'input.youthId',
      });
    return guard(
      () =>
        context.store.assignContactPerson({
          youthId: input.youthId,
          contactPersonId: input.contactPersonId,
          assignedBy: context.actor,
          note: input.note ?? undefined,
          basis: advice.basis,
          eligibilityStatus: eligibility.status,
          candidateRule: eligibility.candidateRule,
          justification: input.justification,
          supportCoordination: input.supportCoordination,
          youthBirthDate: facts.birthDate,
          startedOn: context.today,
          fundedCapacity: context.fundedCapacity,
          acceptOverCapacity: input.acceptOverCapacity ?? false,
          idempotencyKey: idempotencyKeyOf(input.idempotencyKey, context, info),
        }),
      'input',
    );
  },
  endContactPersonAssignment: (
    _root: unknown,
    args: {
      input: {
        youthId?: string | null;
        assignmentId?: string | null;
        endReason?: string | null;
        reason?: string | null;
        endedOn?: string | null;
        outcome?: string | null;
        idempotencyKey?: string | null;
      };
    },
    context: CoordinationContext,
    info: GraphQLResolveInfo,
  ) =>
    guard(async () => {
      // Need to know: outside the caller's relation the answer is the store's for a young person, or an
      // assignment, it does not know; nothing is ended.
      const { youthId, assignmentId } = args.input;
      const active =
        typeof assignmentId === 'string' ? (await context.store.activeAssignmentList()).find((a) => a.id === assignmentId) : undefined;
      const byYouth = typeof youthId === 'string' && YOUTH_ID_FORMAT.test(youthId);
      const named = byYouth ? youthId : active?.youthId;
      if (named !== undefined) {
        const unknown = () =>
          !byYouth
            ? new StoreError('NOT_FOUND', `no contact-person assignment has the id "${assignmentId}"`, { field: 'assignmentId' })
            : new StoreError('NOT_ASSIGNED', `young person "${named}" has no active contact person`, { youthId: named });
        await requireRelation(named, context, 'contact person', unknown);
      }
      return context.store.endAssignment({
        youthId: args.input.youthId,
        assignmentId: args.input.assignmentId,
        endCode: args.input.endReason,
        reason: args.input.reason,
        endedOn: args.input.endedOn,
        today: context.today,
        outcome: args.input.outcome,
        endedBy: context.actor,
        idempotencyKey: idempotencyKeyOf(args.input.idempotencyKey, context, info),
      });
    }, 'input'),
  createContactPerson: (
    _root: unknown,
    args: {
      input: {
        id?: string | null;
        name: string;
        email: string;
        unit?: string | null;
        caseloadLimit?: number | null;
        idempotencyKey?: string | null;
      };
    },
    context: CoordinationContext,
    info: GraphQLResolveInfo,
  ) =>
    guard(
      () =>
        context.store.createContactPerson(
          { ...args.input, changedBy: context.actor, idempotencyKey: idempotencyKeyOf(args.input.idempotencyKey, context, info) },
          context.defaultCaseload,
        ),
      'input',
    ),
  deactivateContactPerson: (
    _root: unknown,
    args: { input: { contactPersonId: string; idempotencyKey?: string | null } },
    context: CoordinationContext,
    info: GraphQLResolveInfo,
  ) =>
    guard(
      () =>
        context.store.deactivateContactPerson({
          contactPersonId: args.input.contactPersonId,
          changedBy: context.actor,
          idempotencyKey: idempotencyKeyOf(args.input.idempotencyKey, context, info),
        }),
      'input',
    ),
  setContactPersonCaseloadLimit: (
    _root: unknown,
    args: { input: { contactPersonId: string; caseloadLimit: number; idempotencyKey?: string | null } },
    context: CoordinationContext,
    info: GraphQLResolveInfo,
  ) =>
    guard(
      () =>
        context.store.setCaseloadLimit({
          contactPersonId: args.input.contactPersonId,
          caseloadLimit: args.input.caseloadLimit,
          changedBy: context.actor,
          idempotencyKey: idempotencyKeyOf(args.input.idempotencyKey, context, info),
        }),
      'input',
    ),
};
