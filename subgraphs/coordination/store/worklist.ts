import type { Queryable } from '../../../platform/db/database.js';
import type { RelationCaller } from '../../../platform/authorization/relation.js';
import { addDays, addMonths, addMonthsSql, endOfSchoolYear } from '../rules/dates.js';
import { DUE_KINDS, windowEnd, type DueFacts, type DueKind } from '../rules/due.js';
import { HANDOVER_KINDS, TRANSITION_MONTHS } from '../rules/transitions.js';
import { DUE_WITHIN_DAYS } from './limits.js';
import { StoreError } from './errors.js';
import { relationColumns, relationCondition } from './relations.js';
import { integer, keyList, setOf } from './validate.js';

/**
 * Worklists over the screening register (issue 13, section 4): the due dates of rules/due.ts as SQL, so
 * `youths` filters on "due within N days" and sorts by due date in its own query, and "mine" (the caller
 * is the one the systems name) as a condition on the register's need-to-know columns.
 *
 * Cost: each transition counted from the birth date selects a birth-date range (index
 * youth_screening_birth_date / _handover_birth) before the exact date is checked, so a window reads the
 * young people born in it, never the whole register; reviews come from a partial index of the marked
 * assignments. A page sorted by due date sorts only those rows.
 */

const REVIEW_DUE = (alias: string) =>
  `(SELECT a.review_due_since FROM contact_person_assignments a
     WHERE a.youth_id = ${alias}.youth_id AND a.ended_at IS NULL AND a.review_due_since IS NOT NULL LIMIT 1)`;

export interface DueWindow {
  asOf: string;
  withinDays: number;
  kinds: readonly DueKind[];
}

/** Checks a window's bounds and kinds (BAD_USER_INPUT names `filter.<field>`). */
export function dueWindow(asOf: string, withinDays: unknown, kinds: unknown): DueWindow {
  const days = integer('filter.dueWithinDays', withinDays, DUE_WITHIN_DAYS.min, DUE_WITHIN_DAYS.max);
  const chosen = kinds === undefined || kinds === null ? DUE_KINDS : setOf('filter.dueKinds', kinds, DUE_KINDS);
  if (chosen.length === 0)
    throw new StoreError('BAD_USER_INPUT', 'filter.dueKinds must name at least one kind', { field: 'filter.dueKinds' });
  return { asOf, withinDays: days, kinds: chosen };
}

/**
 * Per kind in the window: a condition that the kind is due (with an index-friendly birth-date range)
 * and its date as an expression; `param` binds a value and returns its placeholder.
 */
function dueParts(window: DueWindow, alias: string, param: (value: unknown) => string): { due: string; date: () => string }[] {
  const from = window.asOf;
  const to = windowEnd(window.asOf, window.withinDays);
  // `date` binds its parameters only when used: an unused bound parameter has no type PostgreSQL can infer.
  const parts: { due: string; date: () => string }[] = [];
  for (const kind of window.kinds) {
    if (kind === 'CONTACT_PERSON_REVIEW') {
      const date = REVIEW_DUE(alias);
      parts.push({ due: `${date} <= ${param(to)}::date`, date: () => date });
    } else if (kind === 'LEAVING_COMPULSORY_SCHOOL') {
      const leaves = endOfSchoolYear(from);
      if (leaves < from || leaves > to) continue;
      parts.push({ due: `${alias}.grade IN (9, 10)`, date: () => `${param(leaves)}::date` });
    } else {
      const months = TRANSITION_MONTHS[kind];
      const date = addMonthsSql(`${alias}.birth_date`, months);
      // addMonths is monotone in the birth date: the births whose date falls in [from, to] lie within a few
      // days of the window shifted back; the exact check follows.
      const births = `${alias}.birth_date BETWEEN ${param(addDays(addMonths(from, -months), -4))}::date AND ${param(addDays(addMonths(to, -months), 4))}::date`;
      const handover = (HANDOVER_KINDS as readonly string[]).includes(kind) ? `${alias}.childrens_case AND ` : '';
      parts.push({ due: `(${handover}${births} AND ${date} BETWEEN ${param(from)}::date AND ${param(to)}::date)`, date: () => date });
    }
  }
  return parts;
}

/** A WHERE condition: something of the window's kinds is due. */
export function dueCondition(window: DueWindow, alias: string, param: (value: unknown) => string): string {
  const parts = dueParts(window, alias, param);
  return parts.length === 0 ? 'false' : `(${parts.map((p) => p.due).join(' OR ')})`;
}

/** The soonest date due in the window (NULL when nothing is): the DUE_DATE order's key. */
export function firstDueSql(window: DueWindow, alias: string, param: (value: unknown) => string): string {
  const parts = dueParts(window, alias, param);
  if (parts.length === 0) return 'NULL::date';
  return `LEAST(${parts.map((p) => `CASE WHEN ${p.due} THEN ${p.date()} END`).join(', ')})`;
}

/**
 * "Mine": the caller is the one a system names for the young person, by their `staff_id` claim and in
 * their role's system (UU's counsellor initials, the jobcenter's advisor id, social services' caseworker
 * ids), or the active contact person. A unit, a coordinated effort or UU's statutory duty is a relation
 * (need to know) but not "mine". Without a staff id nobody is the caller's.
 */
export function mineCondition(caller: RelationCaller, alias: string, param: (value: unknown) => string): string {
  const staff = caller.staffId;
  if (staff === null || staff === '') return 'false';
  const c = relationColumns(alias);
  switch (caller.role) {
    case 'uu-counsellor':
      return `${c.counsellor} = ${param(staff)}`;
    case 'jobcenter-advisor':
      return `${c.advisorId} = ${param(staff)}`;
    case 'social-caseworker':
      return `${c.caseworkerIds} @> ARRAY[${param(staff)}]::text[]`;
    case 'contact-person':
      return `${c.contactPersonId} = ${param(staff)}`;
    default:
      return 'false';
  }
}

/**
 * Need to know for the due filter: the due dates are the coordinated plan's data, which UU's statutory
 * relation (everyone under 25: identity and guidance only, platform/authorization/relation.ts) does not open. So
 * a counsellor's worklist by due date lists their caseload and the coordinated efforts UU takes part in,
 * not every young person under 25; the other roles have no statutory relation and keep theirs.
 * tests/coordination-store/worklist.test.ts checks this against `relationOf` and `opensCategory`.
 */
export function planRelationCondition(caller: RelationCaller, alias: string, today: string, param: (value: unknown) => string): string {
  if (caller.role !== 'uu-counsellor') return relationCondition(caller, alias, today, param);
  const c = relationColumns(alias);
  const parts: string[] = [];
  if (caller.staffId !== null && caller.staffId !== '') parts.push(`${c.counsellor} = ${param(caller.staffId)}`);
  if (caller.unit === 'UU') parts.push(`(${c.inEffort} AND ${c.effortUnits} @> ARRAY[${param('UU')}]::text[])`);
  return parts.length === 0 ? 'false' : `(${parts.join(' OR ')})`;
}

/** `nameContains`: a case-insensitive substring of the first name, the last name or "first last". */
export function nameCondition(text: string, alias: string, param: (value: unknown) => string): string {
  const pattern = `%${text.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
  const p = param(pattern);
  return `(${alias}.first_name ILIKE ${p} OR ${alias}.last_name ILIKE ${p} OR (${alias}.first_name || ' ' || ${alias}.last_name) ILIKE ${p})`;
}

interface DueFactsRow {
  youth_id: string;
  birth_date: string;
  childrens_case: boolean;
  grade: number | null;
  review_due_since: string | null;
}

/** The due facts of a batch of young people, in key order, null for one the register does not hold. One query. */
export async function dueFacts(db: Queryable, youthIds: readonly string[]): Promise<(DueFacts | null)[]> {
  const ids = keyList('youthIds', youthIds);
  if (ids.length === 0) return [];
  const { rows } = await db.query<DueFactsRow>(
    `SELECT s.youth_id, s.birth_date::text AS birth_date, s.childrens_case, s.grade, ${REVIEW_DUE('s')}::text AS review_due_since
       FROM youth_screening s WHERE s.youth_id = ANY($1::text[])`,
    [ids],
  );
  const byId = new Map(rows.map((row) => [row.youth_id, row]));
  return ids.map((id) => {
    const row = byId.get(id);
    return row
      ? { birthDate: row.birth_date, childrensCase: row.childrens_case, grade: row.grade, reviewDueSince: row.review_due_since }
      : null;
  });
}
