import type { Database } from '../../../platform/db/database.js';
import { FUNDED_CAPACITY_MAX, ID_MAX } from './limits.js';
import { CONTACT_PERSON_SELECT, toContactPerson, unique, type ContactPersonRow } from './rows.js';
import type { Capacity, ContactPerson } from './types.js';
import { integer, keyList, requiredText } from './validate.js';

/** The continuous contact persons (gennemgående kontaktperson) and the capacity their assignments use. */

export async function listContactPersons(db: Database, options: { includeInactive?: boolean } = {}): Promise<ContactPerson[]> {
  const { rows } = await db.query<ContactPersonRow>(`${CONTACT_PERSON_SELECT} WHERE cp.active OR $1 ORDER BY cp.name, cp.id`, [
    options.includeInactive === true,
  ]);
  return rows.map(toContactPerson);
}

export async function getContactPerson(db: Database, id: string): Promise<ContactPerson | null> {
  const contactPersonId = requiredText('id', id, ID_MAX);
  const { rows } = await db.query<ContactPersonRow>(`${CONTACT_PERSON_SELECT} WHERE cp.id = $1`, [contactPersonId]);
  return rows[0] ? toContactPerson(rows[0]) : null;
}

/** Batched for DataLoader: one result per id, in key order, null for an unknown id (inactive ones included). */
export async function getContactPersons(db: Database, ids: readonly string[]): Promise<(ContactPerson | null)[]> {
  const keys = keyList('ids', ids);
  if (keys.length === 0) return [];
  const { rows } = await db.query<ContactPersonRow>(`${CONTACT_PERSON_SELECT} WHERE cp.id = ANY($1::text[])`, [unique(keys)]);
  const byId = new Map(rows.map((row) => [row.id, toContactPerson(row)]));
  return keys.map((key) => byId.get(key) ?? null);
}

export async function capacity(db: Database, fundedCapacity: number): Promise<Capacity> {
  const funded = integer('fundedCapacity', fundedCapacity, 0, FUNDED_CAPACITY_MAX);
  const { rows } = await db.query<{ active: number; caseload_available: number }>(
    `SELECT
       (SELECT count(*)::int FROM contact_person_assignments WHERE ended_at IS NULL) AS active,
       (SELECT coalesce(sum(greatest(0, cp.caseload_limit - (
          SELECT count(*) FROM contact_person_assignments a WHERE a.contact_person_id = cp.id AND a.ended_at IS NULL
        ))), 0)::int FROM contact_persons cp WHERE cp.active) AS caseload_available`,
  );
  const active = rows[0]?.active ?? 0;
  return {
    funded,
    active,
    overCapacity: Math.max(0, active - funded),
    available: Math.max(0, funded - active),
    caseloadAvailable: rows[0]?.caseload_available ?? 0,
  };
}
