import type { Database, Queryable } from '../../../platform/db/database.js';
import { SOURCE_UNITS, STATUTORY_AGE_LIMIT, type SourceUnit } from '../../../platform/authorization/legalBasis.js';
import { StoreError } from './errors.js';
import { idempotentWrite } from './idempotency.js';
import { ACTOR_MAX, ID_MAX } from './limits.js';
import { iso, single, translate, unique } from './rows.js';
import { isoDate, keyList, optionalText, requiredText, setOf } from './validate.js';

/**
 * The young person's consent to share data across units (issue 14, migration 005). For 25-29-year-olds
 * (Aalborg's extension beyond the statutory youth effort) another unit's data reaches a caller only
 * while a consent covering that unit is active (platform/authorization/legalBasis.ts). Giving is recorded with
 * the day, who recorded it and the units it covers; withdrawing takes effect at once (the next read).
 * At most one consent is active per young person: to change its units, withdraw and record anew.
 */

export interface Consent {
  id: string;
  youthId: string;
  units: SourceUnit[];
  givenOn: string;
  recordedBy: string;
  recordedAt: string;
  note: string | null;
  withdrawnOn: string | null;
  withdrawnBy: string | null;
  withdrawnAt: string | null;
}

export interface RecordConsentInput {
  youthId: string;
  units: readonly string[];
  /** The day the young person gave it (default today); not in the future. */
  givenOn?: string | null;
  note?: string | null;
  recordedBy: string;
  idempotencyKey?: string | null;
  /** Today, on the municipality's calendar (the resolvers' `today`). */
  today: string;
}

export interface WithdrawConsentInput {
  youthId: string;
  /** The day the young person withdrew it (default today); not before it was given, not in the future. */
  withdrawnOn?: string | null;
  withdrawnBy: string;
  idempotencyKey?: string | null;
  today: string;
}

interface ConsentRow {
  id: string;
  youth_id: string;
  units: string[];
  given_on: string;
  recorded_by: string;
  recorded_at: Date | string;
  note: string | null;
  withdrawn_on: string | null;
  withdrawn_by: string | null;
  withdrawn_at: Date | string | null;
}

const CONSENT_COLUMNS = `id::text AS id, youth_id, units, given_on::text AS given_on, recorded_by, recorded_at, note,
  withdrawn_on::text AS withdrawn_on, withdrawn_by, withdrawn_at`;

export const CONSENT_NOTE_MAX = 2000;

function toConsent(row: ConsentRow): Consent {
  return {
    id: row.id,
    youthId: row.youth_id,
    units: row.units.filter((unit): unit is SourceUnit => (SOURCE_UNITS as readonly string[]).includes(unit)),
    givenOn: row.given_on,
    recordedBy: row.recorded_by,
    recordedAt: iso(row.recorded_at),
    note: row.note,
    withdrawnOn: row.withdrawn_on,
    withdrawnBy: row.withdrawn_by,
    withdrawnAt: iso(row.withdrawn_at),
  };
}

function notInFuture(field: string, day: string, today: string): string {
  if (day > today) throw new StoreError('BAD_USER_INPUT', `${field} lies in the future: ${day}`, { field });
  return day;
}

export async function recordConsent(db: Database, input: RecordConsentInput): Promise<Consent> {
  const youthId = requiredText('youthId', input.youthId, ID_MAX);
  const units = setOf('units', input.units, SOURCE_UNITS);
  if (units.length === 0) throw new StoreError('BAD_USER_INPUT', 'units must name at least one unit', { field: 'units' });
  const givenOn = notInFuture(
    'givenOn',
    input.givenOn == null || input.givenOn === '' ? input.today : isoDate('givenOn', input.givenOn),
    input.today,
  );
  const note = optionalText('note', input.note, CONSENT_NOTE_MAX);
  const recordedBy = requiredText('recordedBy', input.recordedBy, ACTOR_MAX);
  try {
    return await idempotentWrite(db, {
      operation: 'recordConsent',
      caller: recordedBy,
      key: input.idempotencyKey,
      load: consentById,
      sameRequest: (earlier) =>
        earlier.youthId === youthId && [...earlier.units].sort().join() === [...units].sort().join() && earlier.givenOn === givenOn,
      async write(tx) {
        const active = await tx.query<{ id: string }>(
          'SELECT id::text AS id FROM consents WHERE youth_id = $1 AND withdrawn_at IS NULL FOR UPDATE',
          [youthId],
        );
        if (active.rows.length > 0) {
          throw new StoreError('ALREADY_EXISTS', 'the young person already has an active consent; withdraw it before recording another', {
            field: 'youthId',
          });
        }
        const { rows } = await tx.query<ConsentRow>(
          `INSERT INTO consents (youth_id, units, given_on, recorded_by, note)
           VALUES ($1, $2::text[], $3::date, $4, $5)
           RETURNING ${CONSENT_COLUMNS}`,
          [youthId, units, givenOn, recordedBy, note],
        );
        return toConsent(single(rows));
      },
    });
  } catch (err) {
    throw translateConsent(err);
  }
}

export async function withdrawConsent(db: Database, input: WithdrawConsentInput): Promise<Consent> {
  const youthId = requiredText('youthId', input.youthId, ID_MAX);
  const withdrawnOn = notInFuture(
    'withdrawnOn',
    input.withdrawnOn == null || input.withdrawnOn === '' ? input.today : isoDate('withdrawnOn', input.withdrawnOn),
    input.today,
  );
  const withdrawnBy = requiredText('withdrawnBy', input.withdrawnBy, ACTOR_MAX);
  try {
    return await idempotentWrite(db, {
      operation: 'withdrawConsent',
      caller: withdrawnBy,
      key: input.idempotencyKey,
      load: consentById,
      sameRequest: (earlier) => earlier.youthId === youthId && earlier.withdrawnOn === withdrawnOn,
      async write(tx) {
        const active = await tx.query<{ id: string; given_on: string }>(
          'SELECT id::text AS id, given_on::text AS given_on FROM consents WHERE youth_id = $1 AND withdrawn_at IS NULL FOR UPDATE',
          [youthId],
        );
        const current = active.rows[0];
        if (!current) throw new StoreError('NOT_FOUND', 'the young person has no active consent to withdraw', { field: 'youthId' });
        if (withdrawnOn < current.given_on) {
          throw new StoreError('BAD_USER_INPUT', `withdrawnOn lies before the consent was given (${current.given_on})`, {
            field: 'withdrawnOn',
          });
        }
        const { rows } = await tx.query<ConsentRow>(
          `UPDATE consents SET withdrawn_on = $2::date, withdrawn_by = $3, withdrawn_at = now()
            WHERE id = $1::uuid RETURNING ${CONSENT_COLUMNS}`,
          [current.id, withdrawnOn, withdrawnBy],
        );
        return toConsent(single(rows));
      },
    });
  } catch (err) {
    throw translateConsent(err);
  }
}

/**
 * Batched for DataLoader: each young person's latest consent (the active one, else the last withdrawn;
 * a new one cannot be recorded while one is active, so the newest is the one that counts), in key
 * order, null where none was ever given.
 */
export async function latestConsents(db: Queryable, youthIds: readonly string[]): Promise<(Consent | null)[]> {
  const keys = keyList('youthIds', youthIds);
  if (keys.length === 0) return [];
  const { rows } = await db.query<ConsentRow>(
    `SELECT DISTINCT ON (youth_id) ${CONSENT_COLUMNS} FROM consents WHERE youth_id = ANY($1::text[]) ORDER BY youth_id, recorded_at DESC, id`,
    [unique(keys)],
  );
  const byYouth = new Map(rows.map((row) => [row.youth_id, toConsent(row)]));
  return keys.map((key) => byYouth.get(key) ?? null);
}

/** The units a consent lets the effort share now: its own while active, none once withdrawn. */
export function consentedUnits(consent: Consent | null): SourceUnit[] {
  return consent && consent.withdrawnAt === null ? consent.units : [];
}

/** Every consent a young person has given, newest first (the subject report and the dossier's history). */
export async function consentHistory(db: Queryable, youthId: string): Promise<Consent[]> {
  const id = requiredText('youthId', youthId, ID_MAX);
  const { rows } = await db.query<ConsentRow>(`SELECT ${CONSENT_COLUMNS} FROM consents WHERE youth_id = $1 ORDER BY recorded_at DESC, id`, [
    id,
  ]);
  return rows.map(toConsent);
}

async function consentById(db: Queryable, id: string): Promise<Consent | undefined> {
  const { rows } = await db.query<ConsentRow>(`SELECT ${CONSENT_COLUMNS} FROM consents WHERE id = $1::uuid`, [id]);
  return rows[0] && toConsent(rows[0]);
}

function translateConsent(err: unknown): unknown {
  // Two recordings racing past the check: the partial unique index holds the line.
  if ((err as { code?: unknown } | null)?.code === '23505') {
    return new StoreError('ALREADY_EXISTS', 'the young person already has an active consent; withdraw it before recording another', {
      field: 'youthId',
    });
  }
  return translate(err);
}

/**
 * `legalBasisFor` (platform/authorization/legalBasis.ts) for lists, as a WHERE condition over the screening
 * register: the row is under 25 at `asOf`, or its active consent covers every one of `units` (the caller's
 * own units already left out by the caller of this). One condition in the list's own query: no read per
 * young person. tests/coordination-store/consentSharing.test.ts checks it agrees with the rule.
 */
export function sharingCondition(units: readonly string[], alias: string, asOf: string, param: (value: unknown) => string): string {
  const needed = units.filter((unit): unit is SourceUnit => (SOURCE_UNITS as readonly string[]).includes(unit));
  if (needed.length === 0) return 'true';
  return `(${alias}.birth_date > (${param(asOf)}::date - make_interval(years => ${param(STATUTORY_AGE_LIMIT)}::int))::date
    OR EXISTS (SELECT 1 FROM consents AS c WHERE c.youth_id = ${alias}.youth_id AND c.withdrawn_at IS NULL
               AND c.units @> ${param(needed)}::text[]))`;
}
