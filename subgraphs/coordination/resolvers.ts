/**
 * The coordination's resolver map: the queries and the fields it adds to a Youth here; the mutations by
 * aggregate beside it (resolvers/contactPersons.ts, plan.ts, consent.ts), the need-to-know and consent
 * checks they share in resolvers/needToKnow.ts.
 */
import type DataLoader from 'dataloader';
import type { GraphQLResolveInfo } from 'graphql';
import type { GraphQLResolverMap } from '../kit/resolverMap.js';
import type { SubgraphContext } from '../kit/server.js';
import { badUserInput } from '../kit/errors.js';
import type { GoalFacts, MeasureType, SocialUnit, YouthFacts } from './rules/facts.js';
import { evaluateTargetGroup } from './rules/targetGroup.js';
import { evaluateEligibility } from './rules/eligibility.js';
import { buildCoordinatedPlan } from './rules/coordinatedPlan.js';
import type { Assignment, ContactPerson, CoordinationStore, JointDecision, PlanAction } from './store/coordinationStore.js';
import type { YouthFactsSource } from './youthFactsSource.js';
import type { CursorSealer, ListIdentity } from './cursor.js';
import { toGraphQLError } from './storeErrors.js';
import { PAGE_SIZE, YOUTH_ID_FORMAT } from './store/limits.js';
import { ageRange } from './store/validate.js';
import { relationOf, type RegisterEntry, type RelationKind } from './store/relations.js';
import { releasedCategories } from '../../platform/authorization/relation.js';
import { reportQueryResolver, reportResolvers } from './reporting/resolvers.js';
import { guard } from './resolvers/guard.js';
import { selectsField } from './resolvers/selection.js';
import { entryRelation, relationCaller, requireReleased, requireSharing, visibleAssignments } from './resolvers/needToKnow.js';
import { contactPersonMutations } from './resolvers/contactPersons.js';
import { planMutations, planResolvers } from './resolvers/plan.js';
import { meetingMutations, meetingResolvers, youthMeetings } from './resolvers/meetings.js';
import type { Meeting } from './store/meetings.js';
import type { PlanActionChange } from './store/planHistory.js';
import { consentMutations } from './resolvers/consent.js';
import { textResolvers } from './resolvers/texts.js';
import { ageOn } from '../../platform/dates.js';
import { consentRequired, ownUnitsOf, YOUTH_ROLE, type SourceUnit } from '../../platform/authorization/legalBasis.js';
import { consentedUnits, type Consent } from './store/consents.js';
import { dueOutput, worklistQuery, youthDue, type YouthOrderInput } from './worklist.js';
import type { DueFacts } from './rules/due.js';
import type { DueWindow } from './store/worklist.js';

export interface CoordinationContext extends SubgraphContext {
  store: CoordinationStore;
  facts: YouthFactsSource;
  fundedCapacity: number;
  /** CONTACT_PERSON_CASELOAD: a new contact person's caseload limit unless the coordinator gives one. */
  defaultCaseload: number;
  /** Seals and opens the `youths` cursors (cursor.ts). */
  cursors: CursorSealer;
  today: string;
  /** Who acts, for the record (`assignedBy`, `createdBy`, ...). */
  actor: string;
  activeAssignment: DataLoader<string, Assignment | null>;
  planActions: DataLoader<string, PlanAction[]>;
  jointDecisions: DataLoader<string, JointDecision[]>;
  /** Each young person's meetings, newest first (store/meetings.ts). */
  meetings: DataLoader<string, Meeting[]>;
  /** Each plan action's history, oldest first (store/planHistory.ts). */
  planActionHistory: DataLoader<string, PlanActionChange[]>;
  contactPersonById: DataLoader<string, ContactPerson | null>;
  /** Each young person's latest consent (active or withdrawn), batched: store/consents.ts. */
  latestConsent: DataLoader<string, Consent | null>;
  /** The partner institutions each young person's education-plan free text is shared with (store/planSharing.ts). */
  planSharedWith: DataLoader<string, string[]>;
  /** The register's need-to-know facts, one query per batch (store/relations.ts). */
  register: DataLoader<string, RegisterEntry | null>;
  /** What makes each young person due on a worklist (store/worklist.ts), one query per page. */
  dueFacts: DataLoader<string, DueFacts | null>;
  /** The relation under which each young person of this request was released (reported to the gateway's access log). */
  relations: Map<string, RelationKind>;
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
  if (
    typeof youth.birthDate !== 'string' ||
    youth.school === undefined ||
    youth.guidance === undefined ||
    youth.socialSummary === undefined
  )
    return null;
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

const TARGET_GROUP_UNITS: readonly SourceUnit[] = ['SCHOOL', 'GUIDANCE', 'SOCIAL'];
const PLAN_UNITS: readonly SourceUnit[] = ['SCHOOL', 'GUIDANCE', 'JOBCENTER', 'SOCIAL'];

/**
 * The units a list's filter reads through derived facts (the same units as those fields' `requireSharing`),
 * less the caller's own: a 25-29-year-old is listed under such a filter only with a consent covering them,
 * or the list would say what the field withholds (store/consents.ts `sharingCondition`).
 */
function sharingOf(filter: YouthFilterInput, due: boolean, context: CoordinationContext): { units: SourceUnit[] } | undefined {
  const units = new Set<SourceUnit>();
  if (filter.inTargetGroup != null || filter.indicator != null) TARGET_GROUP_UNITS.forEach((unit) => units.add(unit));
  if (filter.contactPersonStatus != null || filter.contactPersonCandidate != null || due) PLAN_UNITS.forEach((unit) => units.add(unit));
  const own = ownUnitsOf(context.identity.organisation);
  const needed = [...units].filter((unit) => !own.has(unit));
  return needed.length > 0 ? { units: needed } : undefined;
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
  // Worklists (worklist.ts)
  dueWithinDays?: number | null;
  dueKinds?: string[] | null;
  mine?: boolean | null;
  nameContains?: string | null;
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

export const resolvers: GraphQLResolverMap<CoordinationContext> = {
  Query: {
    async youths(
      _root: unknown,
      args: { filter?: YouthFilterInput | null; first?: number | null; after?: string | null; orderBy?: YouthOrderInput | null },
      context: CoordinationContext,
      info: GraphQLResolveInfo,
    ) {
      const first = args.first ?? 20;
      if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE)
        throw badUserInput(`first must be from 1 to ${MAX_PAGE}, got ${first}`, 'first');
      const filter = args.filter ?? {};
      checkFilter(filter);
      const caller = relationCaller(context);
      const worklist = worklistQuery(filter, args.orderBy, caller, context.today);
      // A young person's own login lists nobody (their own record is `youth(id:)`): nothing about anyone else.
      if (context.identity.role === YOUTH_ROLE) return { edges: [], totalCount: 0, pageInfo: { hasNextPage: false, endCursor: null } };
      // A cursor continues only the list it came from: the same filter, order and institution.
      const list: ListIdentity = {
        filter: { ...filter },
        order: args.orderBy ?? 'register',
        institution: context.identity.institution ?? null,
      };
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
            (filter.contactPersonCandidate === true
              ? ['ELIGIBLE', 'HAS_EXISTING_SUPPORT']
              : filter.contactPersonCandidate === false
                ? 'NOT_CANDIDATE'
                : undefined),
          schoolId: filter.schoolId ?? undefined,
          // A partner institution lists only its own young people (row rule), counts included.
          institutionId: context.identity.institution ?? undefined,
          // Need to know: a municipal caller lists their relations only (lists never break the glass).
          relation: caller.institution === null ? { caller, today: context.today } : undefined,
          sharing: sharingOf(filter, worklist.due !== undefined, context),
          ...worklist,
          after,
          first,
          // A page stays O(page) when nobody asked how many there are.
          count: selectsField(info, 'totalCount'),
        }),
      );
      if (caller.institution === null) {
        // The relation each listed young person was released under, for the access log (one batched query).
        const entries = await context.register.loadMany(page.rows.map((row) => row.youthId));
        page.rows.forEach((row, index) => {
          const entry = entries[index];
          const relation = entry && !(entry instanceof Error) ? relationOf(caller, entry.facts, context.today) : null;
          if (relation !== null) context.relations.set(row.youthId, relation);
        });
      }
      const edges = page.rows.map((row, index) => ({
        cursor: context.cursors.seal(page.positions[index] ?? row.youthId, list),
        node: { id: row.youthId },
        dueWindow: worklist.due,
      }));
      return {
        edges,
        totalCount: page.totalCount ?? 0,
        pageInfo: { hasNextPage: page.hasNextPage, endCursor: edges.at(-1)?.cursor ?? null },
      };
    },
    async youth(_root: unknown, args: { id: string }, context: CoordinationContext) {
      if (!YOUTH_ID_FORMAT.test(args.id)) throw badUserInput('youth(id): an id is 1-64 letters, digits, "-" or "_"', 'id');
      // A young person's own login (issue 14): their own id only; any other answers as unknown.
      if (context.identity.role === YOUTH_ROLE && args.id !== context.identity.subject) return null;
      const relation = await entryRelation(args.id, context, true);
      if (relation === null) return null;
      if (relation !== 'OWN_ROW_RULE') context.relations.set(args.id, relation);
      return { id: args.id };
    },
    contactPersons: (_root: unknown, _args: unknown, context: CoordinationContext) => guard(() => context.store.listContactPersons()),
    contactPerson: (_root: unknown, args: { id: string }, context: CoordinationContext) => context.contactPersonById.load(args.id),
    contactPersonCapacity: (_root: unknown, _args: unknown, context: CoordinationContext) =>
      guard(() => context.store.capacity(context.fundedCapacity)),
    async screeningStatus(_root: unknown, _args: unknown, context: CoordinationContext) {
      const status = await guard(() => context.store.screeningStatus());
      return status.lastRun && { ...status.lastRun, youths: status.lastRun.youths ?? 0 };
    },
    report: reportQueryResolver,
  },

  Mutation: {
    ...contactPersonMutations,
    ...planMutations,
    ...consentMutations,
    ...meetingMutations,
  },

  YouthEdge: {
    // Why the young person is on the worklist: what the list's window and kinds found due.
    due: async (edge: { node: { id: string }; dueWindow?: DueWindow }, _args: unknown, context: CoordinationContext) => {
      if (!edge.dueWindow) return [];
      const facts = await context.dueFacts.load(edge.node.id);
      return dueOutput(facts, context.today, edge.dueWindow.withinDays, edge.dueWindow.kinds);
    },
  },

  Youth: {
    __resolveReference: (reference: YouthRepresentation) => reference,
    due: async (youth: YouthRepresentation, args: { withinDays?: number | null }, context: CoordinationContext) =>
      youthDue(youth.id, args.withinDays ?? 30, context.today, context.dueFacts, await entryRelation(youth.id, context, true)),
    // Null when the facts are missing: the gateway could not read a system they come from.
    targetGroup: async (youth: YouthRepresentation, _args: unknown, context: CoordinationContext) => {
      await requireReleased(youth.id, context, 'target group');
      await requireSharing(youth, TARGET_GROUP_UNITS, context);
      const facts = toFacts(youth);
      return facts && evaluateTargetGroup(facts, context.today);
    },
    contactPersonEligibility: async (youth: YouthRepresentation, _args: unknown, context: CoordinationContext) => {
      await requireReleased(youth.id, context, 'contact person');
      await requireSharing(youth, PLAN_UNITS, context);
      const facts = toFacts(youth);
      return facts && facts.jobcenter !== undefined ? evaluateEligibility(facts, context.today) : null;
    },
    coordinatedPlan: async (youth: YouthRepresentation, _args: unknown, context: CoordinationContext) => {
      await requireReleased(youth.id, context, 'coordinated plan');
      await requireSharing(youth, PLAN_UNITS, context);
      const facts = toFacts(youth);
      return facts && facts.jobcenter !== undefined ? { youthId: youth.id, ...buildCoordinatedPlan(facts, context.today) } : null;
    },
    contactPerson: async (youth: YouthRepresentation, _args: unknown, context: CoordinationContext) => {
      await requireReleased(youth.id, context, 'contact person');
      return context.activeAssignment.load(youth.id);
    },
    contactPersonHistory: async (youth: YouthRepresentation, _args: unknown, context: CoordinationContext) => {
      await requireReleased(youth.id, context, 'contact person');
      return guard(() => context.store.assignmentHistory(youth.id));
    },
    meetings: (youth: YouthRepresentation, _args: unknown, context: CoordinationContext) => youthMeetings(youth, context),
    // The age from the register's birth date (UU's, as screened), not a `@requires` on UU's subgraph: the
    // gateway's access log selects this field for every young person (legal bases), and a `@requires`
    // made the plan wait for UU's answer before it could ask the other systems (one more sequential hop
    // per dossier, issue 16). A young person `youth(id:)` answers for is always in the register.
    consent: async (youth: YouthRepresentation, _args: unknown, context: CoordinationContext) => {
      const [entry, latest] = await Promise.all([context.register.load(youth.id), context.latestConsent.load(youth.id)]);
      if (!entry) return null;
      const required = consentRequired(ageOn(entry.facts.birthDate, context.today));
      const units = consentedUnits(latest);
      const status = !required ? 'NOT_REQUIRED' : latest === null ? 'NONE' : latest.withdrawnAt === null ? 'GIVEN' : 'WITHDRAWN';
      return { required, status, units, latest };
    },
    consentUnits: async (youth: YouthRepresentation, _args: unknown, context: CoordinationContext) =>
      consentedUnits(await context.latestConsent.load(youth.id)),
    planSharedWith: (youth: YouthRepresentation, _args: unknown, context: CoordinationContext) => context.planSharedWith.load(youth.id),
    releasedCategories: async (youth: YouthRepresentation, _args: unknown, context: CoordinationContext) => {
      const relation = await entryRelation(youth.id, context, true);
      return releasedCategories(relation === 'OWN_ROW_RULE' ? 'OTHER_RULE' : relation);
    },
  },

  Consent: {
    youth: (consent: Consent) => ({ id: consent.youthId }),
  },

  CoordinatedPlan: {
    agreedActions: (plan: { youthId: string }, _args: unknown, context: CoordinationContext) => context.planActions.load(plan.youthId),
    jointDecisions: (plan: { youthId: string }, _args: unknown, context: CoordinationContext) => context.jointDecisions.load(plan.youthId),
    contactPerson: (plan: { youthId: string }, _args: unknown, context: CoordinationContext) => context.activeAssignment.load(plan.youthId),
  },

  ContactPerson: {
    caseload: (person: ContactPerson) => person.activeCaseload,
    assignments: async (person: ContactPerson, _args: unknown, context: CoordinationContext) =>
      visibleAssignments(await guard(() => context.store.assignmentsFor(person.id, { activeOnly: true })), context),
  },

  ContactPersonAssignment: {
    youth: (assignment: Assignment) => ({ id: assignment.youthId }),
    // An active assignment the dossier read comes with its contact person (`activeAssignmentsWithContactPersons`).
    contactPerson: (assignment: Assignment & { contactPerson?: ContactPerson | null }, _args: unknown, context: CoordinationContext) =>
      assignment.contactPerson ?? context.contactPersonById.load(assignment.contactPersonId),
    eligibilityAtAssignment: (assignment: Assignment) => assignment.eligibilityAtAssignment,
    reviewDue: (assignment: Assignment) => assignment.reviewReason !== null,
  },

  ...planResolvers,
  ...meetingResolvers,

  ...reportResolvers,
  ...textResolvers,
};
