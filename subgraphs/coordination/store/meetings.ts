import type { Database, Queryable } from '../../../platform/db/database.js';
import { ageOn } from '../../../platform/dates.js';
import { addYears } from '../rules/dates.js';
import { StoreError } from './errors.js';
import { idempotentWrite } from './idempotency.js';
import { ACTOR_MAX, ID_MAX, MEETING_LINKS_MAX, MEETING_MIN_AGE, MEETING_PARTICIPANTS_MAX, PARENTS_UNTIL_AGE, TEXT_MAX } from './limits.js';
import { changeActor, recordChange } from './planHistory.js';
import { groupInKeyOrder, iso, single, translate, unique } from './rows.js';
import { UNITS, type ChangeActor, type Unit } from './types.js';
import { isoDate, keyList, oneOf, optionalText, requiredText, setOf, uuid } from './validate.js';

/**
 * Meetings about and with a young person (issue 15): the coordinating meeting at 16½, a handover, the
 * school's well-being forum, or another. A meeting records the day, the place (a code, so the reports
 * can count meetings held in Uddannelseshuset, a success measure of the handover in seeds/000), the units
 * present and the participants by role only (a parent or guardian is a role, never a person), and links
 * the joint decisions and plan actions it made: existing ones by id here, new ones through
 * `addPlanAction`/`recordJointDecision` with the meeting's id. A link is set once and never removed.
 */

export const MEETING_KINDS = ['COORDINATING_MEETING_16_5', 'HANDOVER', 'WELL_BEING_FORUM', 'OTHER'] as const;
export type MeetingKind = (typeof MEETING_KINDS)[number];
export const MEETING_PLACES = ['UDDANNELSESHUSET', 'SCHOOL', 'JOBCENTER', 'SOCIAL_SERVICES', 'HOME', 'OTHER'] as const;
export type MeetingPlace = (typeof MEETING_PLACES)[number];
/** In this order in a meeting's record (the graph's enum order). */
export const MEETING_ROLES = [
  'YOUNG_PERSON',
  'PARENT_OR_GUARDIAN',
  'UU_COUNSELLOR',
  'SOCIAL_CASEWORKER',
  'JOBCENTER_ADVISOR',
  'CONTACT_PERSON',
  'SCHOOL',
] as const;
export type MeetingRole = (typeof MEETING_ROLES)[number];

export interface Meeting {
  id: string;
  youthId: string;
  heldOn: string;
  kind: MeetingKind;
  place: MeetingPlace;
  placeNote: string | null;
  units: Unit[];
  /** One entry per person present, by role, in MEETING_ROLES order. */
  participants: MeetingRole[];
  /** The joint decisions and plan actions taken at the meeting (oldest first). */
  jointDecisionIds: string[];
  planActionIds: string[];
  recordedBy: string;
  recordedAt: string;
}

export interface RecordMeetingInput extends ChangeActor {
  youthId: string;
  /** `YYYY-MM-DD`: not after `today`, not before the 13th birthday. */
  heldOn: string;
  kind: string;
  place: string;
  /** Required for place OTHER. */
  placeNote?: string | null | undefined;
  units: readonly string[];
  participants: readonly string[];
  /** Existing joint decisions and plan actions of the same young person, not linked to a meeting yet. */
  jointDecisionIds?: readonly string[] | null | undefined;
  planActionIds?: readonly string[] | null | undefined;
  /** `YYYY-MM-DD`, from UU's register: the meeting's day is checked against it. */
  youthBirthDate: string;
  /** `YYYY-MM-DD`: the municipality's day now. */
  today: string;
  recordedBy: string;
  idempotencyKey?: string | null | undefined;
}

interface MeetingRow {
  id: string;
  youth_id: string;
  held_on: string;
  kind: MeetingKind;
  place: MeetingPlace;
  place_note: string | null;
  units: Unit[];
  participants: MeetingRole[];
  joint_decision_ids: string[];
  plan_action_ids: string[];
  recorded_by: string;
  recorded_at: Date | string;
}

const MEETING_COLUMNS = `m.id::text AS id, m.youth_id, m.held_on::text AS held_on, m.kind, m.place, m.place_note, m.units, m.participants,
  ARRAY(SELECT j.id::text FROM joint_decisions j WHERE j.meeting_id = m.id ORDER BY j.decided_at, j.id) AS joint_decision_ids,
  ARRAY(SELECT p.id::text FROM plan_actions p WHERE p.meeting_id = m.id ORDER BY p.created_at, p.id) AS plan_action_ids,
  m.recorded_by, m.recorded_at`;

function toMeeting(row: MeetingRow): Meeting {
  return {
    id: row.id,
    youthId: row.youth_id,
    heldOn: row.held_on,
    kind: row.kind,
    place: row.place,
    placeNote: row.place_note,
    units: row.units,
    participants: row.participants,
    jointDecisionIds: row.joint_decision_ids,
    planActionIds: row.plan_action_ids,
    recordedBy: row.recorded_by,
    recordedAt: iso(row.recorded_at),
  };
}

/** Participants by role, in MEETING_ROLES order (a repeated role is several people). */
function participantList(value: unknown): MeetingRole[] {
  if (!Array.isArray(value)) throw new StoreError('BAD_USER_INPUT', 'participants must be a list', { field: 'participants' });
  if (value.length === 0) {
    throw new StoreError('BAD_USER_INPUT', 'participants must name at least one person present, by role', { field: 'participants' });
  }
  if (value.length > MEETING_PARTICIPANTS_MAX) {
    throw new StoreError('BAD_USER_INPUT', `too many participants: at most ${MEETING_PARTICIPANTS_MAX}, got ${value.length}`, {
      field: 'participants',
    });
  }
  const roles = value.map((role) => oneOf('each of participants', role, MEETING_ROLES));
  if (roles.filter((role) => role === 'YOUNG_PERSON').length > 1) {
    throw new StoreError('BAD_USER_INPUT', 'participants names YOUNG_PERSON more than once', { field: 'participants' });
  }
  return roles.sort((a, b) => MEETING_ROLES.indexOf(a) - MEETING_ROLES.indexOf(b));
}

function linkIds(field: string, value: unknown): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new StoreError('BAD_USER_INPUT', `${field} must be a list`, { field });
  if (value.length > MEETING_LINKS_MAX) {
    throw new StoreError('BAD_USER_INPUT', `${field} has too many entries: at most ${MEETING_LINKS_MAX}, got ${value.length}`, { field });
  }
  return unique(value.map((id) => uuid(`each of ${field}`, id)));
}

/** The meeting's day: not after today, not before the young person turned 13. */
function meetingDay(value: unknown, birthDate: string, today: string): string {
  const heldOn = isoDate('heldOn', value);
  if (heldOn > today)
    throw new StoreError('BAD_USER_INPUT', `heldOn lies in the future: ${heldOn} is after today (${today})`, { field: 'heldOn' });
  const from = addYears(birthDate, MEETING_MIN_AGE);
  if (heldOn < from) {
    throw new StoreError('BAD_USER_INPUT', `heldOn (${heldOn}) is before the young person turned ${MEETING_MIN_AGE} (${from})`, {
      field: 'heldOn',
    });
  }
  return heldOn;
}

const sameList = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((item, index) => item === b[index]);

export async function recordMeeting(db: Database, input: RecordMeetingInput): Promise<Meeting> {
  const youthId = requiredText('youthId', input.youthId, ID_MAX);
  const today = isoDate('today', input.today);
  const birthDate = isoDate('youthBirthDate', input.youthBirthDate);
  const heldOn = meetingDay(input.heldOn, birthDate, today);
  const kind = oneOf('kind', input.kind, MEETING_KINDS);
  const place = oneOf('place', input.place, MEETING_PLACES);
  const placeNote = optionalText('placeNote', input.placeNote, TEXT_MAX.placeNote);
  if (place === 'OTHER' && placeNote === null) {
    throw new StoreError('BAD_USER_INPUT', 'place OTHER needs placeNote saying where the meeting was held', { field: 'placeNote' });
  }
  const units = setOf('units', input.units, UNITS);
  if (units.length === 0) throw new StoreError('BAD_USER_INPUT', 'units must name at least one unit present', { field: 'units' });
  const participants = participantList(input.participants);
  if (participants.includes('PARENT_OR_GUARDIAN') && ageOn(birthDate, heldOn) >= PARENTS_UNTIL_AGE) {
    throw new StoreError(
      'AGED_18_OR_OVER',
      `the young person was ${ageOn(birthDate, heldOn)} on ${heldOn}: parents or guardians are recorded only for a young person under ${PARENTS_UNTIL_AGE}`,
      { field: 'participants' },
    );
  }
  const jointDecisionIds = linkIds('jointDecisionIds', input.jointDecisionIds);
  const planActionIds = linkIds('planActionIds', input.planActionIds);
  const recordedBy = requiredText('recordedBy', input.recordedBy, ACTOR_MAX);
  const actor = changeActor(input);

  try {
    return await idempotentWrite(db, {
      operation: 'recordMeeting',
      caller: recordedBy,
      key: input.idempotencyKey,
      load: meetingById,
      sameRequest: (earlier) =>
        earlier.youthId === youthId &&
        earlier.heldOn === heldOn &&
        earlier.kind === kind &&
        earlier.place === place &&
        sameList([...earlier.units].sort(), [...units].sort()) &&
        sameList(earlier.participants, participants),
      async write(tx) {
        // Every link is checked before anything is written: a refused one writes nothing.
        await requireLinkable(tx, 'joint_decisions', 'jointDecisionIds', jointDecisionIds, youthId);
        await requireLinkable(tx, 'plan_actions', 'planActionIds', planActionIds, youthId);
        const { rows } = await tx.query<{ id: string }>(
          `INSERT INTO meetings (youth_id, held_on, kind, place, place_note, units, participants, recorded_by)
           VALUES ($1, $2::date, $3, $4, $5, $6::text[], $7::text[], $8)
           RETURNING id::text AS id`,
          [youthId, heldOn, kind, place, placeNote, units, participants, recordedBy],
        );
        const meetingId = single(rows).id;
        if (jointDecisionIds.length > 0) {
          await tx.query('UPDATE joint_decisions SET meeting_id = $1::uuid WHERE id = ANY($2::uuid[])', [meetingId, jointDecisionIds]);
        }
        for (const actionId of planActionIds) {
          await tx.query('UPDATE plan_actions SET meeting_id = $1::uuid WHERE id = $2::uuid', [meetingId, actionId]);
          await recordChange(tx, {
            actionId,
            kind: 'LINKED_TO_MEETING',
            changedBy: recordedBy,
            actor,
            before: { meetingId: null },
            after: { meetingId },
          });
        }
        const meeting = await meetingById(tx, meetingId);
        if (!meeting) throw new Error('the meeting just recorded is gone');
        return meeting;
      },
    });
  } catch (err) {
    throw translate(err);
  }
}

/**
 * The rows to link must be the young person's and not yet linked to a meeting: another young person's
 * answers as unknown (NOT_FOUND, as need to know would), one already linked is refused. Locked until
 * the transaction ends, so two meetings cannot both take the same decision.
 */
async function requireLinkable(
  tx: Queryable,
  table: 'joint_decisions' | 'plan_actions',
  field: string,
  ids: readonly string[],
  youthId: string,
): Promise<void> {
  if (ids.length === 0) return;
  const { rows } = await tx.query<{ id: string; youth_id: string; meeting_id: string | null }>(
    `SELECT id::text AS id, youth_id, meeting_id::text AS meeting_id FROM ${table} WHERE id = ANY($1::uuid[]) FOR UPDATE`,
    [ids],
  );
  const byId = new Map(rows.map((row) => [row.id, row]));
  const what = table === 'joint_decisions' ? 'joint decision' : 'plan action';
  for (const id of ids) {
    const row = byId.get(id);
    if (!row || row.youth_id !== youthId)
      throw new StoreError('NOT_FOUND', `no ${what} of this young person has the id "${id}"`, { field });
    if (row.meeting_id !== null) {
      throw new StoreError('BAD_USER_INPUT', `${what} "${id}" is already linked to the meeting "${row.meeting_id}"`, { field });
    }
  }
}

/** For `addPlanAction`/`recordJointDecision` with a meeting: it must be the same young person's (else NOT_FOUND). */
export async function requireMeetingOf(tx: Queryable, meetingId: string, youthId: string): Promise<void> {
  const { rows } = await tx.query<{ youth_id: string }>('SELECT youth_id FROM meetings WHERE id = $1::uuid', [meetingId]);
  if (rows[0]?.youth_id !== youthId) {
    throw new StoreError('NOT_FOUND', `no meeting of this young person has the id "${meetingId}"`, { field: 'meetingId' });
  }
}

export async function getMeeting(db: Queryable, meetingId: string): Promise<Meeting | null> {
  return (await meetingById(db, uuid('meetingId', meetingId))) ?? null;
}

async function meetingById(db: Queryable, id: string): Promise<Meeting | undefined> {
  const { rows } = await db.query<MeetingRow>(`SELECT ${MEETING_COLUMNS} FROM meetings m WHERE m.id = $1::uuid`, [id]);
  return rows[0] && toMeeting(rows[0]);
}

/** Batched for DataLoader: each young person's meetings, newest first (by day, then by recording), in key order. */
export async function meetings(db: Database, youthIds: readonly string[]): Promise<Meeting[][]> {
  const keys = keyList('youthIds', youthIds);
  if (keys.length === 0) return [];
  const { rows } = await db.query<MeetingRow>(
    `SELECT ${MEETING_COLUMNS} FROM meetings m WHERE m.youth_id = ANY($1::text[]) ORDER BY m.held_on DESC, m.recorded_at DESC, m.id`,
    [unique(keys)],
  );
  return groupInKeyOrder(keys, rows, toMeeting);
}
