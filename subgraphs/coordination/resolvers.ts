import type DataLoader from 'dataloader';
import type { GraphQLResolveInfo } from 'graphql';
import type { GraphQLResolverMap } from '../kit/resolverMap.js';
import type { SubgraphContext } from '../kit/server.js';
import { badUserInput, userError, ErrorCode } from '../kit/errors.js';
import type { GoalFacts, MeasureType, SocialUnit, YouthFacts } from './rules/facts.js';
import { evaluateTargetGroup } from './rules/targetGroup.js';
import { evaluateEligibility } from './rules/eligibility.js';
import { assignmentAdvice } from './rules/assignmentBasis.js';
import { buildCoordinatedPlan } from './rules/coordinatedPlan.js';
import type { Assignment, ContactPerson, CoordinationStore, JointDecision, PlanAction } from './store/coordinationStore.js';
import type { YouthFactsSource } from './youthFactsSource.js';
import type { CursorSealer, ListIdentity } from './cursor.js';
import { toGraphQLError } from './storeErrors.js';
import { StoreError } from './store/errors.js';
import { PAGE_SIZE, YOUTH_ID_FORMAT } from './store/limits.js';
import { ageRange } from './store/validate.js';
import { relationOf, type RegisterEntry, type RelationKind } from './store/relations.js';
import { appliesTo, opensCategory, releasedCategories, type RelationCaller } from '../../platform/access/relation.js';
import { planActionTransition, reportQueryResolver, reportResolvers } from './reporting/resolvers.js';
import { consentRequired as consentRequiredError } from '../kit/errors.js';
import { ageOn } from '../../platform/dates.js';
import { consentRequired, legalBasisFor, ownUnitsOf, YOUTH_ROLE, type SourceUnit } from '../../platform/access/legalBasis.js';
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

/** The caller as the relation rule reads them. */
function relationCaller(context: CoordinationContext): RelationCaller {
  const { role, institution, unit, staffId } = context.identity;
  return { role, institution, unit: unit ?? null, staffId: staffId ?? null };
}

/**
 * Need to know at an entry point: the relation under which the caller may see the young person, or null
 * (answered exactly like an unknown id). Partner institutions keep their row rule (linked institutions),
 * a young person's own login sees themself only; everyone else goes through platform/access/relation.ts,
 * and a single read with a granted break-the-glass opens a young person outside every relation.
 */
async function entryRelation(
  youthId: string,
  context: CoordinationContext,
  single: boolean,
): Promise<RelationKind | 'OWN_ROW_RULE' | null> {
  const entry = await context.register.load(youthId);
  if (!entry) return null;
  const caller = relationCaller(context);
  if (caller.institution !== null) return entry.institutionIds.includes(caller.institution) ? 'OWN_ROW_RULE' : null;
  if (caller.role === YOUTH_ROLE) return context.identity.subject === youthId ? 'OWN_ROW_RULE' : null;
  const relation = relationOf(caller, entry.facts, context.today);
  if (relation !== null) return relation;
  return single && context.breakTheGlass === true ? 'BREAK_THE_GLASS' : null;
}

/**
 * Need to know for a write: the caller must have a relation to the young person that opens the category
 * written (UU's statutory relation opens identity and guidance only). Outside it the answer is that of
 * an unknown young person, NOT_FOUND, and nothing is written; a write never breaks the glass.
 */
async function requireRelation(
  youthId: string,
  context: CoordinationContext,
  category: string,
  notFound: () => Error = () => unknownYouth(youthId),
): Promise<void> {
  const relation = await entryRelation(youthId, context, false);
  if (relation === null || (relation !== 'OWN_ROW_RULE' && !opensCategory(relation, category))) throw notFound();
  if (relation !== 'OWN_ROW_RULE') context.relations.set(youthId, relation);
}

/**
 * Need to know below a contact person: a municipal caller sees the assignments of the young people they
 * relate to (one register query for the list); the others are left out, as if not there.
 */
async function visibleAssignments(assignments: Assignment[], context: CoordinationContext): Promise<Assignment[]> {
  const caller = relationCaller(context);
  if (!appliesTo(caller) || assignments.length === 0) return assignments;
  const entries = await context.register.loadMany(assignments.map((a) => a.youthId));
  return assignments.filter((assignment, index) => {
    const entry = entries[index];
    const relation = entry && !(entry instanceof Error) ? relationOf(caller, entry.facts, context.today) : null;
    if (relation === null || !opensCategory(relation, 'contact person')) return false;
    context.relations.set(assignment.youthId, relation);
    return true;
  });
}

/**
 * Need to know for the coordination's own categories (target group, plan, contact person): null with
 * UNAUTHORIZED_FIELD_OR_TYPE unless the caller's relation opens the category (UU's statutory relation
 * opens identity and guidance only). Batched through the register loader.
 */
async function requireReleased(youthId: string, context: CoordinationContext, category: string): Promise<void> {
  const relation = await entryRelation(youthId, context, true);
  if (relation === 'OWN_ROW_RULE' || (relation !== null && opensCategory(relation, category))) return;
  throw userError(ErrorCode.UNAUTHORIZED_FIELD_OR_TYPE, 'Unauthorized field or type');
}

const unknownYouth = (youthId: string) =>
  userError(ErrorCode.NOT_FOUND, `No young person has the id "${youthId}"`, { field: 'input.youthId' });

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

/**
 * A mutation's idempotency key: the input's own, else the client's `Idempotency-Key` header (passed on
 * by the gateway) with the field's response key appended, so two mutations in one request never share
 * a key, and the same request sent again maps to the same keys.
 */
function idempotencyKeyOf(given: string | null | undefined, context: CoordinationContext, info: GraphQLResolveInfo): string | undefined {
  if (given !== null && given !== undefined && given.trim() !== '') return given;
  return context.idempotencyKey ? `${context.idempotencyKey}:${String(info.path.key)}` : undefined;
}

/**
 * Derived fields are built from several units' data: for a 25-29-year-old each input unit must be the
 * caller's own or covered by the active consent, else the field is null with CONSENT_REQUIRED (nothing
 * derived from withheld data leaks). The coordination decides it itself, from the birth date it
 * requires and its own consent store, with the same rule the systems' subgraphs apply.
 */
async function requireSharing(youth: YouthRepresentation, units: readonly SourceUnit[], context: CoordinationContext): Promise<void> {
  if (typeof youth.birthDate !== 'string') return; // no facts: the field is null anyway
  const age = ageOn(youth.birthDate, context.today);
  if (!consentRequired(age)) return;
  const consent = await context.latestConsent.load(youth.id);
  const facts = {
    ownUnits: ownUnitsOf(context.identity.organisation),
    subjectAccess: context.identity.role === YOUTH_ROLE && context.identity.subject === youth.id,
    age,
    consentUnits: consentedUnits(consent),
  };
  const missing = units.find((unit) => legalBasisFor(unit, facts) === null);
  if (missing) throw consentRequiredError(missing);
}

const TARGET_GROUP_UNITS: readonly SourceUnit[] = ['SCHOOL', 'GUIDANCE', 'SOCIAL'];
const PLAN_UNITS: readonly SourceUnit[] = ['SCHOOL', 'GUIDANCE', 'JOBCENTER', 'SOCIAL'];

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
    async youths(
      _root: unknown,
      args: { filter?: YouthFilterInput | null; first?: number | null; after?: string | null; orderBy?: YouthOrderInput | null },
      context: CoordinationContext,
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
          ...worklist,
          after,
          first,
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
        totalCount: page.totalCount,
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
    consent: async (youth: YouthRepresentation, _args: unknown, context: CoordinationContext) => {
      if (typeof youth.birthDate !== 'string') return null;
      const latest = await context.latestConsent.load(youth.id);
      const required = consentRequired(ageOn(youth.birthDate, context.today));
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
    contactPerson: (assignment: Assignment, _args: unknown, context: CoordinationContext) =>
      context.contactPersonById.load(assignment.contactPersonId),
    eligibilityAtAssignment: (assignment: Assignment) => assignment.eligibilityAtAssignment,
    reviewDue: (assignment: Assignment) => assignment.reviewReason !== null,
  },

  PlanAction: {
    youth: (action: PlanAction) => ({ id: action.youthId }),
  },

  ...reportResolvers,
};

/** Plan entries may only be written for a young person UU's register knows. */
async function requireKnownYouth(youthId: string, context: CoordinationContext, category: string): Promise<YouthFacts> {
  if (typeof youthId !== 'string' || youthId.trim() === '') throw badUserInput('input.youthId must not be empty', 'input.youthId');
  await requireRelation(youthId, context, category);
  const facts = await context.facts.forYouth(youthId, context.today, context.requestId);
  if (!facts) throw userError(ErrorCode.NOT_FOUND, `No young person has the id "${youthId}"`, { field: 'input.youthId' });
  return facts;
}
