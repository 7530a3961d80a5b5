import type DataLoader from 'dataloader';
import type { GraphQLResolveInfo } from 'graphql';
import type { GraphQLResolverMap } from '../kit/resolverMap.js';
import type { SubgraphContext } from '../kit/server.js';
import { badUserInput, userError, ErrorCode } from '../kit/errors.js';
import type { GoalFacts, MeasureType, SocialUnit, YouthFacts } from './rules/facts.js';
import { evaluateTargetGroup } from './rules/targetGroup.js';
import { evaluateEligibility } from './rules/eligibility.js';
import { buildCoordinatedPlan } from './rules/coordinatedPlan.js';
import type { Assignment, ContactPerson, CoordinationStore, JointDecision, PlanAction } from './store/coordinationStore.js';
import type { YouthFactsSource } from './youthFactsSource.js';
import type { CursorSealer, ListIdentity } from './cursor.js';
import { toGraphQLError } from './storeErrors.js';
import { PAGE_SIZE } from './store/limits.js';
import { ageRange } from './store/validate.js';
import { planActionTransition, reportQueryResolver, reportResolvers } from './reporting/resolvers.js';

export interface CoordinationContext extends SubgraphContext {
  store: CoordinationStore;
  facts: YouthFactsSource;
  fundedCapacity: number;
  /** Seals and opens the `youths` cursors (cursor.ts). */
  cursors: CursorSealer;
  today: string;
  /** Who acts, for the record (`assignedBy`, `createdBy`, ...). */
  actor: string;
  activeAssignment: DataLoader<string, Assignment | null>;
  planActions: DataLoader<string, PlanAction[]>;
  jointDecisions: DataLoader<string, JointDecision[]>;
  contactPersonById: DataLoader<string, ContactPerson | null>;
}


/** Social services' summary as the coordination requires it (see the SDL's SocialSummary). */
interface SocialSummaryFacts {
  openCases: { unit: SocialUnit; caseworker?: { name: string }; goal?: GoalFacts | null; activeMeasures?: MeasureType[] }[];
}

/** A Youth as the gateway hands it over: its id, and the required facts when a field asked for them. */
type YouthRepresentation = { id: string; socialSummary?: SocialSummaryFacts | null } & Partial<Omit<YouthFacts, 'social'>>;

/**
 * The rules read social services' cases; other units only see the summary of the open ones, which
 * is all the rules need (open cases, their units, goals and running measures).
 */
function toFacts(youth: YouthRepresentation): YouthFacts | null {
  if (typeof youth.birthDate !== 'string' || youth.school === undefined || youth.guidance === undefined || youth.socialSummary === undefined) return null;
  return {
    birthDate: youth.birthDate,
    school: youth.school,
    guidance: youth.guidance,
    jobcenter: youth.jobcenter,
    social: youth.socialSummary && {
      cases: youth.socialSummary.openCases.map((c) => ({
        unit: c.unit,
        open: true,
        caseworker: c.caseworker,
        goal: c.goal,
        measures: (c.activeMeasures ?? []).map((type) => ({ type, active: true })),
      })),
    },
  };
}

/**
 * A mutation's idempotency key: the input's own, else the client's `Idempotency-Key` header (passed on
 * by the gateway) with the field's response key appended, so two mutations in one request never share
 * a key, and the same request sent again maps to the same keys.
 */
function idempotencyKeyOf(given: string | null | undefined, context: CoordinationContext, info: GraphQLResolveInfo): string | undefined {
  if (given !== null && given !== undefined && given.trim() !== '') return given;
  return context.idempotencyKey ? `${context.idempotencyKey}:${String(info.path.key)}` : undefined;
}

/** The store's bound (store/limits.ts): the graph and the store refuse the same page sizes. */
const MAX_PAGE = PAGE_SIZE.max;

interface YouthFilterInput {
  inTargetGroup?: boolean | null;
  indicator?: string | null;
  ageMin?: number | null;
  ageMax?: number | null;
  contactPersonStatus?: 'NOT_CANDIDATE' | 'HAS_EXISTING_SUPPORT' | 'ELIGIBLE' | null;
  contactPersonCandidate?: boolean | null;
  schoolId?: string | null;
}


function checkFilter(filter: YouthFilterInput): void {
  try {
    // The store's own check under the graph's names: the two refuse the same ages (store/limits.ts).
    ageRange(filter.ageMin, filter.ageMax, { min: 'filter.ageMin', max: 'filter.ageMax' });
  } catch (error) {
    throw toGraphQLError(error);
  }
  if (filter.contactPersonCandidate != null && filter.contactPersonStatus != null) {
    throw badUserInput('use filter.contactPersonCandidate or filter.contactPersonStatus, not both', 'filter.contactPersonCandidate');
  }
}

/** Store errors as GraphQL errors; a refused input field is named under `argument` (a mutation's `input`). */
async function guard<T>(work: () => Promise<T>, argument?: string): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw toGraphQLError(error, argument);
  }
}

export const resolvers: GraphQLResolverMap<CoordinationContext> = {
  Query: {
    async youths(_root: unknown, args: { filter?: YouthFilterInput | null; first?: number | null; after?: string | null }, context: CoordinationContext) {
      const first = args.first ?? 20;
      if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE) throw badUserInput(`first must be from 1 to ${MAX_PAGE}, got ${first}`, 'first');
      const filter = args.filter ?? {};
      checkFilter(filter);
      // A cursor continues only the list it came from: the same filter, order and institution.
      const list: ListIdentity = { filter: { ...filter }, order: 'register', institution: context.identity.institution ?? null };
      const after = args.after == null ? undefined : context.cursors.open(args.after, list);
      const page = await guard(() =>
        context.store.queryScreening({
          inTargetGroup: filter.inTargetGroup ?? undefined,
          indicator: filter.indicator ?? undefined,
          ageMin: filter.ageMin ?? undefined,
          ageMax: filter.ageMax ?? undefined,
          asOf: context.today,
          contactPersonStatus:
            filter.contactPersonStatus ??
            (filter.contactPersonCandidate === true ? ['ELIGIBLE', 'HAS_EXISTING_SUPPORT'] : filter.contactPersonCandidate === false ? 'NOT_CANDIDATE' : undefined),
          schoolId: filter.schoolId ?? undefined,
          // A partner institution lists only its own young people (row rule), counts included.
          institutionId: context.identity.institution ?? undefined,
          after,
          first,
        }),
      );
      const edges = page.rows.map((row) => ({ cursor: context.cursors.seal(row.youthId, list), node: { id: row.youthId } }));
      return {
        edges,
        totalCount: page.totalCount,
        pageInfo: { hasNextPage: page.hasNextPage, endCursor: edges.at(-1)?.cursor ?? null },
      };
    },
    contactPersons: (_root: unknown, _args: unknown, context: CoordinationContext) => guard(() => context.store.listContactPersons()),
    contactPerson: (_root: unknown, args: { id: string }, context: CoordinationContext) => context.contactPersonById.load(args.id),
    contactPersonCapacity: (_root: unknown, _args: unknown, context: CoordinationContext) => guard(() => context.store.capacity(context.fundedCapacity)),
    async screeningStatus(_root: unknown, _args: unknown, context: CoordinationContext) {
      const status = await guard(() => context.store.screeningStatus());
      return status.lastRun && { ...status.lastRun, youths: status.lastRun.youths ?? 0 };
    },
    report: reportQueryResolver,
  },

  Mutation: {
    async assignContactPerson(
      _root: unknown,
      args: { input: { youthId: string; contactPersonId: string; note?: string | null; acceptOverCapacity?: boolean | null; idempotencyKey?: string | null } },
      context: CoordinationContext,
      info: GraphQLResolveInfo,
    ) {
      const input = args.input;
      const facts = await context.facts.forYouth(input.youthId, context.today, context.requestId);
      if (!facts) throw userError(ErrorCode.NOT_FOUND, `No young person has the id "${input.youthId}"`, { field: 'input.youthId' });
      const eligibility = evaluateEligibility(facts, context.today);
      if (eligibility.status !== 'ELIGIBLE') {
        throw userError(ErrorCode.NOT_ELIGIBLE, `A continuous contact person cannot be assigned: ${eligibility.reasons.join('; ')}`, { field: 'input.youthId' });
      }
      return guard(() =>
        context.store.assignContactPerson({
          youthId: input.youthId,
          contactPersonId: input.contactPersonId,
          assignedBy: context.actor,
          note: input.note ?? undefined,
          fundedCapacity: context.fundedCapacity,
          acceptOverCapacity: input.acceptOverCapacity ?? false,
          idempotencyKey: idempotencyKeyOf(input.idempotencyKey, context, info),
        }),
        'input',
      );
    },
    endContactPersonAssignment: (
      _root: unknown,
      args: { input: { youthId: string; reason: string; outcome: string; idempotencyKey?: string | null } },
      context: CoordinationContext,
      info: GraphQLResolveInfo,
    ) =>
      guard(() =>
        context.store.endAssignment({
          youthId: args.input.youthId,
          reason: args.input.reason,
          outcome: args.input.outcome,
          endedBy: context.actor,
          idempotencyKey: idempotencyKeyOf(args.input.idempotencyKey, context, info),
        }),
        'input',
      ),
    async addPlanAction(
      _root: unknown,
      args: { input: { youthId: string; title: string; description?: string | null; ownerUnit: string; due?: string | null; transition?: string | null; idempotencyKey?: string | null } },
      context: CoordinationContext,
      info: GraphQLResolveInfo,
    ) {
      const facts = await requireKnownYouth(args.input.youthId, context);
      const handover = planActionTransition(args.input.transition, facts.birthDate);
      return guard(() =>
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
    completePlanAction: (_root: unknown, args: { input: { actionId: string; idempotencyKey?: string | null } }, context: CoordinationContext, info: GraphQLResolveInfo) =>
      guard(() =>
        context.store.completePlanAction({
          actionId: args.input.actionId,
          completedBy: context.actor,
          idempotencyKey: idempotencyKeyOf(args.input.idempotencyKey, context, info),
        }),
        'input',
      ),
    async recordJointDecision(
      _root: unknown,
      args: { input: { youthId: string; summary: string; units: string[]; idempotencyKey?: string | null } },
      context: CoordinationContext,
      info: GraphQLResolveInfo,
    ) {
      await requireKnownYouth(args.input.youthId, context);
      return guard(() =>
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
  },

  Youth: {
    __resolveReference: (reference: YouthRepresentation) => reference,
    // Null when the facts are missing: the gateway could not read a system they come from.
    targetGroup: (youth: YouthRepresentation, _args: unknown, context: CoordinationContext) => {
      const facts = toFacts(youth);
      return facts && evaluateTargetGroup(facts, context.today);
    },
    contactPersonEligibility: (youth: YouthRepresentation, _args: unknown, context: CoordinationContext) => {
      const facts = toFacts(youth);
      return facts && facts.jobcenter !== undefined ? evaluateEligibility(facts, context.today) : null;
    },
    coordinatedPlan: (youth: YouthRepresentation, _args: unknown, context: CoordinationContext) => {
      const facts = toFacts(youth);
      return facts && facts.jobcenter !== undefined ? { youthId: youth.id, ...buildCoordinatedPlan(facts, context.today) } : null;
    },
    contactPerson: (youth: YouthRepresentation, _args: unknown, context: CoordinationContext) => context.activeAssignment.load(youth.id),
    contactPersonHistory: (youth: YouthRepresentation, _args: unknown, context: CoordinationContext) =>
      guard(() => context.store.assignmentHistory(youth.id)),
  },

  CoordinatedPlan: {
    agreedActions: (plan: { youthId: string }, _args: unknown, context: CoordinationContext) => context.planActions.load(plan.youthId),
    jointDecisions: (plan: { youthId: string }, _args: unknown, context: CoordinationContext) => context.jointDecisions.load(plan.youthId),
  },

  ContactPerson: {
    caseload: (person: ContactPerson) => person.activeCaseload,
    assignments: (person: ContactPerson, _args: unknown, context: CoordinationContext) => guard(() => context.store.assignmentsFor(person.id, { activeOnly: true })),
  },

  ContactPersonAssignment: {
    youth: (assignment: Assignment) => ({ id: assignment.youthId }),
    contactPerson: (assignment: Assignment, _args: unknown, context: CoordinationContext) => context.contactPersonById.load(assignment.contactPersonId),
  },

  PlanAction: {
    youth: (action: PlanAction) => ({ id: action.youthId }),
  },

  ...reportResolvers,
};

/** Plan entries may only be written for a young person UU's register knows. */
async function requireKnownYouth(youthId: string, context: CoordinationContext): Promise<YouthFacts> {
  if (typeof youthId !== 'string' || youthId.trim() === '') throw badUserInput('input.youthId must not be empty', 'input.youthId');
  const facts = await context.facts.forYouth(youthId, context.today, context.requestId);
  if (!facts) throw userError(ErrorCode.NOT_FOUND, `No young person has the id "${youthId}"`, { field: 'input.youthId' });
  return facts;
}
