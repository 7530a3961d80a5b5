/**
 * Meetings and the plan's history (issue 15): the selections the dossier query takes in (queries.ts
 * interpolates them), the three mutations the screen sends, and the shapes of their answers.
 */

/** `Youth.meetings`, newest first: roles only, nothing about the parents beyond their role. */
export const MEETINGS_SELECTION = /* GraphQL */ `
      meetings {
        id
        heldOn
        kind
        place
        placeNote
        units
        participants
        recordedBy
        recordedAt
        jointDecisions {
          id
          summary
        }
        planActions {
          id
          title
        }
      }`;

/** What an agreed action carries for its history and for the edit/cancel form. */
export const PLAN_ACTION_SELECTION = /* GraphQL */ `
          description
          meetingId
          cancelledReason
          history {
            kind
            changedAt
            changedBy
            changedByRole
            changedByUnit
            reason
            changes {
              field
              before
              after
            }
          }`;

/** The joint decisions, so a meeting can be linked to those it took. */
export const JOINT_DECISIONS_SELECTION = /* GraphQL */ `
        jointDecisions {
          id
          summary
          decidedAt
          meetingId
        }`;

export type MeetingKind = 'COORDINATING_MEETING_16_5' | 'HANDOVER' | 'WELL_BEING_FORUM' | 'OTHER';
export const MEETING_KINDS: readonly MeetingKind[] = ['COORDINATING_MEETING_16_5', 'HANDOVER', 'WELL_BEING_FORUM', 'OTHER'];
export const MEETING_PLACES = ['UDDANNELSESHUSET', 'SCHOOL', 'JOBCENTER', 'SOCIAL_SERVICES', 'HOME', 'OTHER'] as const;
export const MEETING_ROLES = [
  'YOUNG_PERSON',
  'PARENT_OR_GUARDIAN',
  'UU_COUNSELLOR',
  'SOCIAL_CASEWORKER',
  'JOBCENTER_ADVISOR',
  'CONTACT_PERSON',
  'SCHOOL',
] as const;
export const UNITS = ['SCHOOL', 'GUIDANCE', 'JOBCENTER', 'SOCIAL', 'BENEFITS', 'CONTACT_PERSON'] as const;

export interface MeetingRecord {
  id: string;
  heldOn: string;
  kind: string;
  place: string;
  placeNote: string | null;
  units: string[];
  participants: string[];
  recordedBy: string;
  recordedAt: string;
  jointDecisions: { id: string; summary: string }[];
  planActions: { id: string; title: string }[];
}

export interface JointDecisionItem {
  id: string;
  summary: string;
  decidedAt: string;
  meetingId: string | null;
}

export interface PlanActionChange {
  kind: string;
  changedAt: string;
  changedBy: string;
  changedByRole: string | null;
  changedByUnit: string | null;
  reason: string | null;
  changes: { field: string; before: string | null; after: string | null }[];
}

/** An agreed action as the dossier reads it (queries.ts' fields plus PLAN_ACTION_SELECTION's). */
export interface AgreedAction {
  id: string;
  title: string;
  status: string;
  due: string | null;
  ownerUnit: string;
  description: string | null;
  meetingId: string | null;
  cancelledReason: string | null;
  history: PlanActionChange[];
}

export const RECORD_MEETING_MUTATION = /* GraphQL */ `
  mutation ScreenRecordMeeting($input: RecordMeetingInput!) {
    recordMeeting(input: $input) {
      id
      heldOn
      kind
    }
  }
`;

export const EDIT_PLAN_ACTION_MUTATION = /* GraphQL */ `
  mutation ScreenEditPlanAction($input: EditPlanActionInput!) {
    editPlanAction(input: $input) {
      id
      status
    }
  }
`;

export const CANCEL_PLAN_ACTION_MUTATION = /* GraphQL */ `
  mutation ScreenCancelPlanAction($input: CancelPlanActionInput!) {
    cancelPlanAction(input: $input) {
      id
      status
    }
  }
`;

export interface RecordMeetingInput {
  youthId: string;
  heldOn: string;
  kind: string;
  place: string;
  placeNote?: string;
  units: string[];
  participants: string[];
  jointDecisionIds?: string[];
  planActionIds?: string[];
}

export interface RecordMeetingAnswer {
  recordMeeting: { id: string; heldOn: string; kind: string } | null;
}
export interface EditPlanActionAnswer {
  editPlanAction: { id: string; status: string } | null;
}
export interface CancelPlanActionAnswer {
  cancelPlanAction: { id: string; status: string } | null;
}
