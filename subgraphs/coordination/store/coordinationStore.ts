import type { Database, Queryable } from '../../../platform/db/database.js';
import * as assignments from './assignments.js';
import * as consents from './consents.js';
import * as contactPersons from './contactPersons.js';
import * as dailyJobs from './dailyJobs.js';
import * as jointDecisions from './jointDecisions.js';
import * as leaderLease from './leaderLease.js';
import * as meetings from './meetings.js';
import * as measureSnapshots from './measureSnapshots.js';
import * as planActions from './planActions.js';
import * as planHistory from './planHistory.js';
import * as planSharing from './planSharing.js';
import * as screening from './screening.js';
import * as screeningStaging from './screeningStaging.js';
import * as screeningChanges from './screeningChanges.js';
import * as relations from './relations.js';
import * as worklist from './worklist.js';
import type { DueFacts } from '../rules/due.js';
import type {
  AddPlanActionInput,
  AssignContactPersonInput,
  Assignment,
  Capacity,
  CompletePlanActionInput,
  ContactPerson,
  ContactPersonChangeInput,
  CreateContactPersonInput,
  DailyJobClaim,
  ReviewReason,
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

export { StoreError } from './errors.js';
export * from './types.js';

/**
 * The coordination subgraph's repository: contact-person assignments under the capacity rules, the
 * coordinated plan's actions and their history, joint decisions, meetings, and the screening register.
 * This class only composes the aggregates' modules (one file each, beside it) over one database, so that
 * the resolvers, the batch job and the tests hold one object. Every method validates its input first
 * (`BAD_USER_INPUT`, bounds in limits.ts) and writes in one transaction, so a refused call writes
 * nothing; idempotent writes go through idempotency.ts, keyed per caller.
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
  /** Need to know (relations.ts): the register's facts for a batch of young people, in key order, null when unknown. One query. */
  registerEntries(youthIds: readonly string[]): Promise<(relations.RegisterEntry | null)[]> {
    return relations.registerEntries(this.db, youthIds);
  }
  capacity(fundedCapacity: number): Promise<Capacity> {
    return contactPersons.capacity(this.db, fundedCapacity);
  }
  /** The coordinator's administration (`contact-person:admin`); `defaultCaseload` is CONTACT_PERSON_CASELOAD. */
  createContactPerson(input: CreateContactPersonInput, defaultCaseload?: number): Promise<ContactPerson> {
    return contactPersons.createContactPerson(this.db, input, defaultCaseload);
  }
  deactivateContactPerson(input: ContactPersonChangeInput): Promise<ContactPerson> {
    return contactPersons.deactivateContactPerson(this.db, input);
  }
  setCaseloadLimit(input: ContactPersonChangeInput & { caseloadLimit: number }): Promise<ContactPerson> {
    return contactPersons.setCaseloadLimit(this.db, input);
  }

  // the leader's lease: which replica runs the jobs (leaderLease.ts, screening/leadership.ts)
  acquireLease(name: string, holder: string, leaseMs: number): Promise<leaderLease.LeaseFence | null> {
    return leaderLease.acquireLease(this.db, name, holder, leaseMs);
  }
  releaseLease(fence: leaderLease.LeaseFence): Promise<boolean> {
    return leaderLease.releaseLease(this.db, fence);
  }
  leaseState(name: string): Promise<leaderLease.LeaseState | null> {
    return leaderLease.leaseState(this.db, name);
  }

  // daily jobs and the assignment review (dailyJobs.ts)
  claimDailyRun(job: dailyJobs.DailyJob, runDate: string, holder: string, leaseMs?: number): Promise<DailyJobClaim | null> {
    return dailyJobs.claimDailyRun(this.db, job, runDate, holder, leaseMs);
  }
  finishDailyRun(claim: DailyJobClaim, outcome: { succeeded: boolean; summary: string }): Promise<void> {
    return dailyJobs.finishDailyRun(this.db, claim, outcome);
  }
  dailyRuns(job: dailyJobs.DailyJob): Promise<dailyJobs.DailyRunRecord[]> {
    return dailyJobs.dailyRuns(this.db, job);
  }
  activeAssignmentList(): Promise<Assignment[]> {
    return dailyJobs.activeAssignmentList(this.db);
  }
  endAtTwentyFive(assignmentId: string, endedOn: string, endedBy: string): Promise<Assignment | null> {
    return dailyJobs.endAtTwentyFive(this.db, assignmentId, endedOn, endedBy);
  }
  setReview(assignmentId: string, reason: ReviewReason | null, since: string): Promise<boolean> {
    return dailyJobs.setReview(this.db, assignmentId, reason, since);
  }

  // the success measures' monthly snapshots (measureSnapshots.ts, reporting/snapshots.ts)
  saveMeasureSnapshots(rows: readonly Omit<measureSnapshots.MeasureSnapshotRow, 'takenAt'>[]): Promise<number> {
    return measureSnapshots.saveMeasureSnapshots(this.db, rows);
  }
  measureSnapshots(from: string, to: string): Promise<measureSnapshots.MeasureSnapshotRow[]> {
    return measureSnapshots.measureSnapshots(this.db, from, to);
  }
  hasMeasureSnapshots(): Promise<boolean> {
    return measureSnapshots.hasMeasureSnapshots(this.db);
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
  /** As `activeAssignments`, each with its contact person from the same query (what a dossier shows). */
  activeAssignmentsWithContactPersons(youthIds: readonly string[]): Promise<(assignments.AssignmentWithContactPerson | null)[]> {
    return assignments.activeAssignmentsWithContactPersons(this.db, youthIds);
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
  /** Batched for DataLoader: each young person's actions (oldest first, cancelled ones too), in key order, [] where none. */
  planActions(youthIds: readonly string[]): Promise<PlanAction[][]> {
    return planActions.planActions(this.db, youthIds);
  }
  /** Issue 15: change an action's fields with a reason (its history keeps who, when, what and why). */
  editPlanAction(input: planActions.EditPlanActionInput): Promise<PlanAction> {
    return planActions.editPlanAction(this.db, input);
  }
  /** Issue 15: cancel an open action with a reason; it stays, CANCELLED. */
  cancelPlanAction(input: planActions.CancelPlanActionInput): Promise<PlanAction> {
    return planActions.cancelPlanAction(this.db, input);
  }
  /** Batched for DataLoader: each action's history (planHistory.ts), oldest first, in key order. */
  planActionHistory(actionIds: readonly string[]): Promise<planHistory.PlanActionChange[][]> {
    return planHistory.planActionHistory(this.db, actionIds);
  }

  // meetings (meetings.ts)
  recordMeeting(input: meetings.RecordMeetingInput): Promise<meetings.Meeting> {
    return meetings.recordMeeting(this.db, input);
  }
  getMeeting(meetingId: string): Promise<meetings.Meeting | null> {
    return meetings.getMeeting(this.db, meetingId);
  }
  /** Batched for DataLoader: each young person's meetings, newest first, in key order, [] where none. */
  meetings(youthIds: readonly string[]): Promise<meetings.Meeting[][]> {
    return meetings.meetings(this.db, youthIds);
  }

  // joint decisions (jointDecisions.ts)
  recordJointDecision(input: RecordJointDecisionInput): Promise<JointDecision> {
    return jointDecisions.recordJointDecision(this.db, input);
  }
  /** Batched for DataLoader: each young person's joint decisions (oldest first), in key order. */
  jointDecisions(youthIds: readonly string[]): Promise<JointDecision[][]> {
    return jointDecisions.jointDecisions(this.db, youthIds);
  }

  // consent to share across units (consents.ts)
  recordConsent(input: consents.RecordConsentInput): Promise<consents.Consent> {
    return consents.recordConsent(this.db, input);
  }
  withdrawConsent(input: consents.WithdrawConsentInput): Promise<consents.Consent> {
    return consents.withdrawConsent(this.db, input);
  }
  /** Batched for DataLoader: each young person's latest consent (active or withdrawn), in key order, null where none. */
  latestConsents(youthIds: readonly string[]): Promise<(consents.Consent | null)[]> {
    return consents.latestConsents(this.db, youthIds);
  }
  consentHistory(youthId: string): Promise<consents.Consent[]> {
    return consents.consentHistory(this.db, youthId);
  }

  // the education plan's free text, shared with partner institutions (planSharing.ts)
  setPlanSharing(input: planSharing.SetPlanSharingInput): Promise<planSharing.PlanSharing> {
    return planSharing.setPlanSharing(this.db, input);
  }
  /** Batched for DataLoader: each young person's institutions, in key order (empty where none). */
  planSharedWith(youthIds: readonly string[]): Promise<string[][]> {
    return planSharing.planSharedWith(this.db, youthIds);
  }

  // the register kept current from the systems' change feeds (screeningChanges.ts)
  changeFeedPositions(): Promise<screeningChanges.FeedPosition[]> {
    return screeningChanges.feedPositions(this.db);
  }
  setChangeFeedPositions(positions: readonly screeningChanges.FeedPosition[]): Promise<void> {
    return screeningChanges.setFeedPositions(this.db, positions);
  }
  /** Fenced like `replaceScreening` when called from a leader's job. */
  applyScreeningChanges(changes: screeningChanges.ScreeningChanges): Promise<{ upserted: number; removed: number }> {
    return screeningChanges.applyScreeningChanges(this.db, changes, leaderLease.currentLeaseFence());
  }

  // screening register (screening.ts)
  /** Fenced when called from a leader's job (`withLeaseFence`): refused once another replica has taken the lead over. */
  replaceScreening(rows: readonly ScreeningRow[], runInfo: ScreeningRunInfo = {}): Promise<ScreeningRun> {
    return screening.replaceScreening(this.db, rows, runInfo, leaderLease.currentLeaseFence());
  }
  recordScreeningFailure(error: string, runInfo: Pick<ScreeningRunInfo, 'startedAt' | 'asOf'> = {}): Promise<ScreeningRun> {
    return screening.recordScreeningFailure(this.db, error, runInfo);
  }

  // the streamed rebuild (screeningStaging.ts): extracts and rows staged page by page, one swap at the end
  beginScreeningRun(runInfo: Pick<ScreeningRunInfo, 'startedAt' | 'asOf'> = {}): Promise<screeningStaging.StagedRun> {
    return screeningStaging.beginScreeningRun(this.db, runInfo);
  }
  stageRecords(runId: number, system: screeningStaging.StagedSystem, records: readonly { cpr: string; record: unknown }[]): Promise<void> {
    return screeningStaging.stageRecords(this.db, runId, system, records);
  }
  analyzeStagedRecords(): Promise<void> {
    return screeningStaging.analyzeStagedRecords(this.db);
  }
  stagedRecords(runId: number, cprs: readonly string[]): Promise<Map<string, Partial<Record<screeningStaging.StagedSystem, unknown>>>> {
    return screeningStaging.stagedRecords(this.db, runId, cprs);
  }
  stageScreeningRows(runId: number, rows: readonly ScreeningRow[], offset = 0): Promise<void> {
    return screeningStaging.stageRows(this.db, runId, rows, offset);
  }
  /** Fenced like replaceScreening when called from a leader's job (`withLeaseFence`). */
  finishScreeningRun(run: screeningStaging.StagedRun, options: { allowEmpty?: boolean } = {}): Promise<ScreeningRun> {
    return screeningStaging.finishScreeningRun(this.db, run, { ...options, fence: leaderLease.currentLeaseFence() });
  }
  failScreeningRun(run: Pick<screeningStaging.StagedRun, 'id'>, error: string): Promise<void> {
    return screeningStaging.failScreeningRun(this.db, run, error);
  }
  queryScreening(query: ScreeningQuery): Promise<ScreeningPage> {
    return screening.queryScreening(this.db, query);
  }
  /** Worklists (worklist.ts): what makes things due, for a batch of young people, in key order, null when unknown. One query. */
  dueFacts(youthIds: readonly string[]): Promise<(DueFacts | null)[]> {
    return worklist.dueFacts(this.db, youthIds);
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
