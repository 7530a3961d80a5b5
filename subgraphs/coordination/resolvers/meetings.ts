/**
 * Meetings about a young person (issue 15): recording one, listing a young person's, and what a meeting
 * links to. Need to know as for the plan: a caller writes and reads the meetings of the young people their
 * relation opens the coordinated plan of; for a 25-29-year-old the list needs the consent the plan needs.
 */
import type { GraphQLResolveInfo } from 'graphql';
import type { SourceUnit } from '../../../platform/authorization/legalBasis.js';
import type { CoordinationContext } from '../resolvers.js';
import type { Meeting } from '../store/meetings.js';
import { guard, idempotencyKeyOf } from './guard.js';
import { requireKnownYouth, requireReleased, requireSharing } from './needToKnow.js';

/** The units whose data the coordinated plan combines (as `Youth.coordinatedPlan`). */
const PLAN_UNITS: readonly SourceUnit[] = ['SCHOOL', 'GUIDANCE', 'JOBCENTER', 'SOCIAL'];

/** The caller's role and unit, kept in a plan action's history beside the subject. */
export function actorDetail(context: CoordinationContext): { actorRole: string | null; actorUnit: string | null } {
  return { actorRole: context.identity.role, actorUnit: context.identity.unit ?? context.identity.organisation ?? null };
}

export interface RecordMeetingArgs {
  input: {
    youthId: string;
    heldOn: string;
    kind: string;
    place: string;
    placeNote?: string | null;
    units: string[];
    participants: string[];
    jointDecisionIds?: string[] | null;
    planActionIds?: string[] | null;
    idempotencyKey?: string | null;
  };
}

export const meetingMutations = {
  async recordMeeting(_root: unknown, args: RecordMeetingArgs, context: CoordinationContext, info: GraphQLResolveInfo) {
    // Need to know (NOT_FOUND outside the caller's relation), and the birth date the day is checked against.
    const facts = await requireKnownYouth(args.input.youthId, context, 'coordinated plan');
    return guard(
      () =>
        context.store.recordMeeting({
          ...args.input,
          youthBirthDate: facts.birthDate,
          today: context.today,
          recordedBy: context.actor,
          ...actorDetail(context),
          idempotencyKey: idempotencyKeyOf(args.input.idempotencyKey, context, info),
        }),
      'input',
    );
  },
};

/** `Youth.meetings`: newest first; null with UNAUTHORIZED_FIELD_OR_TYPE or CONSENT_REQUIRED as the plan. */
export async function youthMeetings(youth: { id: string; birthDate?: string }, context: CoordinationContext): Promise<Meeting[]> {
  await requireReleased(youth.id, context, 'coordinated plan');
  await requireSharing(youth, PLAN_UNITS, context);
  return context.meetings.load(youth.id);
}

export const meetingResolvers = {
  Meeting: {
    youth: (meeting: Meeting) => ({ id: meeting.youthId }),
    // The young person's own lists (one batched query each), narrowed to the meeting's links.
    jointDecisions: async (meeting: Meeting, _args: unknown, context: CoordinationContext) =>
      (await context.jointDecisions.load(meeting.youthId)).filter((decision) => decision.meetingId === meeting.id),
    planActions: async (meeting: Meeting, _args: unknown, context: CoordinationContext) =>
      (await context.planActions.load(meeting.youthId)).filter((action) => action.meetingId === meeting.id),
  },
};
