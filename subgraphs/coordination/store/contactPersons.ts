import type { Database, Queryable } from '../../../platform/db/database.js';
import { LOCK_NAMESPACE } from '../../../platform/db/migrate.js';
import { StoreError } from './errors.js';
import { idempotentWrite } from './idempotency.js';
import { ACTOR_MAX, CASELOAD_LIMIT, CONTACT_PERSON_ID_FORMAT, FUNDED_CAPACITY_MAX, ID_MAX, TEXT_MAX } from './limits.js';
import { CONTACT_PERSON_SELECT, toContactPerson, translate, unique, type ContactPersonRow } from './rows.js';
import type { Capacity, ContactPerson, ContactPersonChangeInput, CreateContactPersonInput } from './types.js';
import { integer, keyList, optionalText, requiredText } from './validate.js';

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

// ------------------------------------------------------------------ administration (issue 13)
// The coordinator role (`contact-person:admin`) creates contact persons, takes them out of service and
// sets their caseload limit. Each change is recorded in `contact_person_changes` (who, when), which is
// also what an idempotent administrative write points at.

interface ChangeRow {
  id: string;
  contact_person_id: string;
}

async function recordChange(
  tx: Queryable,
  contactPersonId: string,
  change: 'CREATED' | 'DEACTIVATED' | 'CASELOAD_LIMIT',
  changedBy: string,
  caseloadLimit: number | null,
): Promise<ContactPersonChange> {
  const { rows } = await tx.query<ChangeRow>(
    `INSERT INTO contact_person_changes (contact_person_id, change, caseload_limit, changed_by) VALUES ($1, $2, $3, $4)
     RETURNING id::text AS id, contact_person_id`,
    [contactPersonId, change, caseloadLimit, changedBy],
  );
  const row = rows[0];
  if (!row) throw new Error('expected the change row');
  return { id: row.id, contactPersonId: row.contact_person_id, change };
}

function changeLoader(change: ContactPersonChange['change']) {
  return async (tx: Queryable, id: string): Promise<ContactPersonChange | undefined> => {
    const { rows } = await tx.query<ChangeRow>(
      'SELECT id::text AS id, contact_person_id FROM contact_person_changes WHERE id = $1::uuid AND change = $2',
      [id, change],
    );
    return rows[0] && { id: rows[0].id, contactPersonId: rows[0].contact_person_id, change };
  };
}

export interface ContactPersonChange {
  id: string;
  contactPersonId: string;
  change: 'CREATED' | 'DEACTIVATED' | 'CASELOAD_LIMIT';
}

/** `gkp-` and the name's letters, as the development persons are named (gkp-mette-kjaer). */
export function contactPersonIdFor(name: string): string {
  const ascii = name
    .normalize('NFKD')
    .replace(/æ/gi, 'ae')
    .replace(/ø/gi, 'oe')
    .replace(/å/gi, 'aa')
    .replace(/[^A-Za-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .toLowerCase();
  return `gkp-${ascii}`.slice(0, 64).replace(/-+$/, '');
}

export async function createContactPerson(
  db: Database,
  input: CreateContactPersonInput,
  defaultCaseload: number = CASELOAD_LIMIT.default,
): Promise<ContactPerson> {
  const name = requiredText('name', input.name, TEXT_MAX.contactPersonName);
  const email = requiredText('email', input.email, TEXT_MAX.contactPersonEmail).toLowerCase();
  if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email))
    throw new StoreError('BAD_USER_INPUT', `email is not an e-mail address: "${email}"`, { field: 'email' });
  const id = optionalText('id', input.id, 64) ?? contactPersonIdFor(name);
  if (!CONTACT_PERSON_ID_FORMAT.test(id) || id === 'gkp') {
    throw new StoreError('BAD_USER_INPUT', 'id must be 1-64 letters, digits, - or _', { field: 'id' });
  }
  const unit = optionalText('unit', input.unit, TEXT_MAX.contactPersonUnit) ?? 'UU';
  const caseloadLimit =
    input.caseloadLimit === undefined || input.caseloadLimit === null
      ? defaultCaseload
      : integer('caseloadLimit', input.caseloadLimit, CASELOAD_LIMIT.min, CASELOAD_LIMIT.max);
  const changedBy = requiredText('changedBy', input.changedBy, ACTOR_MAX);
  try {
    const change = await idempotentWrite(db, {
      operation: 'createContactPerson',
      caller: changedBy,
      key: input.idempotencyKey,
      load: changeLoader('CREATED'),
      sameRequest: (earlier) => earlier.contactPersonId === id,
      async write(tx) {
        const clash = (
          await tx.query<{ id: string; email: string }>('SELECT id, email FROM contact_persons WHERE id = $1 OR lower(email) = $2', [
            id,
            email,
          ])
        ).rows[0];
        if (clash) {
          throw new StoreError(
            'ALREADY_EXISTS',
            clash.id === id
              ? `a contact person with the id "${id}" exists already`
              : `a contact person with the e-mail address "${email}" exists already`,
            { field: clash.id === id ? 'id' : 'email' },
          );
        }
        await tx.query('INSERT INTO contact_persons (id, name, email, unit, caseload_limit) VALUES ($1, $2, $3, $4, $5)', [
          id,
          name,
          email,
          unit,
          caseloadLimit,
        ]);
        return recordChange(tx, id, 'CREATED', changedBy, caseloadLimit);
      },
    });
    return await loadChanged(db, change.contactPersonId);
  } catch (err) {
    throw translate(err);
  }
}

/**
 * Takes a contact person out of service: no new assignments. Their active assignments stay (the young
 * person keeps one contact person until a colleague takes over) and show in the capacity report.
 */
export async function deactivateContactPerson(db: Database, input: ContactPersonChangeInput): Promise<ContactPerson> {
  const id = requiredText('contactPersonId', input.contactPersonId, ID_MAX);
  const changedBy = requiredText('changedBy', input.changedBy, ACTOR_MAX);
  try {
    await idempotentWrite(db, {
      operation: 'deactivateContactPerson',
      caller: changedBy,
      key: input.idempotencyKey,
      load: changeLoader('DEACTIVATED'),
      sameRequest: (earlier) => earlier.contactPersonId === id,
      async write(tx) {
        const person = (await tx.query<{ active: boolean }>('SELECT active FROM contact_persons WHERE id = $1 FOR UPDATE', [id])).rows[0];
        if (!person) throw new StoreError('NOT_FOUND', `no contact person has the id "${id}"`, { field: 'contactPersonId' });
        if (!person.active)
          throw new StoreError('ALREADY_INACTIVE', `the contact person "${id}" is already out of service`, { field: 'contactPersonId' });
        await tx.query('UPDATE contact_persons SET active = false WHERE id = $1', [id]);
        return recordChange(tx, id, 'DEACTIVATED', changedBy, null);
      },
    });
    return await loadChanged(db, id);
  } catch (err) {
    throw translate(err);
  }
}

/**
 * Sets a contact person's caseload limit (about 25, "Vurderingen er et skøn"). A limit below the current
 * caseload is allowed: nobody loses their contact person, new assignments wait (the report shows it).
 * Under the capacity lock, so it cannot interleave with an assignment's count.
 */
export async function setCaseloadLimit(db: Database, input: ContactPersonChangeInput & { caseloadLimit: number }): Promise<ContactPerson> {
  const id = requiredText('contactPersonId', input.contactPersonId, ID_MAX);
  const limit = integer('caseloadLimit', input.caseloadLimit, CASELOAD_LIMIT.min, CASELOAD_LIMIT.max);
  const changedBy = requiredText('changedBy', input.changedBy, ACTOR_MAX);
  try {
    await idempotentWrite(db, {
      operation: 'setContactPersonCaseloadLimit',
      caller: changedBy,
      key: input.idempotencyKey,
      load: changeLoader('CASELOAD_LIMIT'),
      sameRequest: (earlier) => earlier.contactPersonId === id,
      async write(tx) {
        await tx.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [LOCK_NAMESPACE, `capacity:${db.schema}`]);
        const updated = await tx.query('UPDATE contact_persons SET caseload_limit = $2 WHERE id = $1 RETURNING id', [id, limit]);
        if (updated.rows.length === 0)
          throw new StoreError('NOT_FOUND', `no contact person has the id "${id}"`, { field: 'contactPersonId' });
        return recordChange(tx, id, 'CASELOAD_LIMIT', changedBy, limit);
      },
    });
    return await loadChanged(db, id);
  } catch (err) {
    throw translate(err);
  }
}

async function loadChanged(db: Database, id: string): Promise<ContactPerson> {
  const person = await getContactPerson(db, id);
  if (!person) throw new StoreError('NOT_FOUND', `no contact person has the id "${id}"`, { field: 'contactPersonId' });
  return person;
}
