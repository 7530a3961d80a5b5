import type { Database, Queryable } from '../../../platform/db/database.js';
import * as assignments from './assignments.js';
import * as contactPersons from './contactPersons.js';
import * as jointDecisions from './jointDecisions.js';
import * as planActions from './planActions.js';
import * as screening from './screening.js';
import type {
  AddPlanActionInput,
  AssignContactPersonInput,
  Assignment,
  Capacity,
  CompletePlanActionInput,
  ContactPerson,
  EndAssignmentInput,
  JointDecision,
  PlanAction,
  RecordJointDecisionInput,
  ScreeningPage,
  ScreeningQuery,
  ScreeningRow,
  ScreeningRun,
  ScreeningRunInfo,
  ScreeningStatus,
} from './types.js';

export { StoreError, isStoreError, type StoreErrorCode } from './errors.js';
export * from './types.js';

/**
 * The coordination subgraph's repository: contact-person assignments under the capacity rules, the
 * coordinated plan's actions, joint decisions, and the screening register. This class only composes
 * the aggregates' modules (one file each, beside it) over one database, so that the resolvers, the
 * batch job and the tests hold one object. Every method validates its input first (`BAD_USER_INPUT`,
 * bounds in limits.ts) and writes in one transaction, so a refused call writes nothing; idempotent
 * writes go through idempotency.ts, keyed per caller.
 */
export class CoordinationStore {
  constructor(private readonly db: Database) {}

  // contact persons and capacity (contactPersons.ts)
  listContactPersons(options: { includeInactive?: boolean } = {}): Promise<ContactPerson[]> {
    return contactPersons.listContactPersons(this.db, options);
  }
  getContactPerson(id: string): Promise<ContactPerson | null> {
    return contactPersons.getContactPerson(this.db, id);
  }
  /** Batched for DataLoader: one result per id, in key order, null for an unknown id (inactive ones included). */
  getContactPersons(ids: readonly string[]): Promise<(ContactPerson | null)[]> {
    return contactPersons.getContactPersons(this.db, ids);
  }
  capacity(fundedCapacity: number): Promise<Capacity> {
    return contactPersons.capacity(this.db, fundedCapacity);
  }

  // assignments (assignments.ts)
  assignContactPerson(input: AssignContactPersonInput): Promise<Assignment> {
    return assignments.assignContactPerson(this.db, input);
  }
  endAssignment(input: EndAssignmentInput): Promise<Assignment> {
    return assignments.endAssignment(this.db, input);
  }
  async activeAssignment(youthId: string): Promise<Assignment | null> {
    const [assignment] = await assignments.activeAssignments(this.db, [youthId]);
    return assignment ?? null;
  }
  /** Batched for DataLoader: one result per key, in key order, null where none is active. */
  activeAssignments(youthIds: readonly string[]): Promise<(Assignment | null)[]> {
    return assignments.activeAssignments(this.db, youthIds);
  }
  assignmentHistory(youthId: string): Promise<Assignment[]> {
    return assignments.assignmentHistory(this.db, youthId);
  }
  assignmentsFor(contactPersonId: string, options: { activeOnly?: boolean } = {}): Promise<Assignment[]> {
    return assignments.assignmentsFor(this.db, contactPersonId, options);
  }

  // plan actions (planActions.ts)
  addPlanAction(input: AddPlanActionInput): Promise<PlanAction> {
    return planActions.addPlanAction(this.db, input);
  }
  getPlanAction(actionId: string): Promise<PlanAction | null> {
    return planActions.getPlanAction(this.db, actionId);
  }
  completePlanAction(input: CompletePlanActionInput): Promise<PlanAction> {
    return planActions.completePlanAction(this.db, input);
  }
  /** Batched for DataLoader: each young person's actions (oldest first), in key order, [] where none. */
  planActions(youthIds: readonly string[]): Promise<PlanAction[][]> {
    return planActions.planActions(this.db, youthIds);
  }

  // joint decisions (jointDecisions.ts)
  recordJointDecision(input: RecordJointDecisionInput): Promise<JointDecision> {
    return jointDecisions.recordJointDecision(this.db, input);
  }
  /** Batched for DataLoader: each young person's joint decisions (oldest first), in key order. */
  jointDecisions(youthIds: readonly string[]): Promise<JointDecision[][]> {
    return jointDecisions.jointDecisions(this.db, youthIds);
  }

  // screening register (screening.ts)
  replaceScreening(rows: readonly ScreeningRow[], runInfo: ScreeningRunInfo = {}): Promise<ScreeningRun> {
    return screening.replaceScreening(this.db, rows, runInfo);
  }
  recordScreeningFailure(error: string, runInfo: Pick<ScreeningRunInfo, 'startedAt' | 'asOf'> = {}): Promise<ScreeningRun> {
    return screening.recordScreeningFailure(this.db, error, runInfo);
  }
  queryScreening(query: ScreeningQuery): Promise<ScreeningPage> {
    return screening.queryScreening(this.db, query);
  }
  screeningStatus(): Promise<ScreeningStatus> {
    return screening.screeningStatus(this.db);
  }

  /**
   * Runs read-only queries in one snapshot (repeatable read), so that figures computed by several
   * statements agree with each other. For the reporting aggregates (../reporting/reports.ts).
   */
  snapshot<T>(work: (tx: Queryable) => Promise<T>): Promise<T> {
    return this.db.transaction(work, { isolation: 'repeatable read', readOnly: true });
  }
}
