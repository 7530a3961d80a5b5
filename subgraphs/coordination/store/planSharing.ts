import type { Database, Queryable } from '../../../platform/db/database.js';
import { StoreError } from './errors.js';
import { ACTOR_MAX, ID_MAX } from './limits.js';
import { translate, unique } from './rows.js';
import { keyList, requiredText } from './validate.js';

/**
 * Which partner institutions UU shares a young person's education-plan free text with (issue 14, section
 * 4; migration 007). The guidance subgraph reads the list with the plan (through the gateway, `@requires`)
 * and releases the goal's and steps' words to a partner only when its institution is on it. Setting is
 * idempotent by nature: marking a marked institution, or unmarking an unmarked one, changes nothing.
 */

export interface SetPlanSharingInput {
  youthId: string;
  institutionId: string;
  shared: boolean;
  markedBy: string;
}

export interface PlanSharing {
  youthId: string;
  /** The institutions the plan's free text is shared with, sorted. */
  institutionIds: string[];
}

const INSTITUTION_ID = /^[A-Za-z0-9._-]{1,64}$/;

export async function setPlanSharing(db: Database, input: SetPlanSharingInput): Promise<PlanSharing> {
  const youthId = requiredText('youthId', input.youthId, ID_MAX);
  const institutionId = requiredText('institutionId', input.institutionId, 64);
  if (!INSTITUTION_ID.test(institutionId)) {
    throw new StoreError('BAD_USER_INPUT', `institutionId must be an institution id like I-104, got "${institutionId}"`, {
      field: 'institutionId',
    });
  }
  if (typeof input.shared !== 'boolean') throw new StoreError('BAD_USER_INPUT', 'shared must be true or false', { field: 'shared' });
  const markedBy = requiredText('markedBy', input.markedBy, ACTOR_MAX);
  try {
    if (input.shared) {
      await db.query(
        `INSERT INTO education_plan_sharing (youth_id, institution_id, marked_by) VALUES ($1, $2, $3)
         ON CONFLICT (youth_id, institution_id) DO NOTHING`,
        [youthId, institutionId, markedBy],
      );
    } else {
      await db.query('DELETE FROM education_plan_sharing WHERE youth_id = $1 AND institution_id = $2', [youthId, institutionId]);
    }
    const [institutionIds] = await planSharedWith(db, [youthId]);
    return { youthId, institutionIds: institutionIds ?? [] };
  } catch (err) {
    throw translate(err);
  }
}

/** Batched for DataLoader: each young person's list, in key order (empty where nothing is shared). */
export async function planSharedWith(db: Queryable, youthIds: readonly string[]): Promise<string[][]> {
  const keys = keyList('youthIds', youthIds);
  if (keys.length === 0) return [];
  const { rows } = await db.query<{ youth_id: string; institution_id: string }>(
    'SELECT youth_id, institution_id FROM education_plan_sharing WHERE youth_id = ANY($1::text[]) ORDER BY youth_id, institution_id',
    [unique(keys)],
  );
  const byYouth = new Map<string, string[]>();
  for (const row of rows) {
    const list = byYouth.get(row.youth_id);
    if (list) list.push(row.institution_id);
    else byYouth.set(row.youth_id, [row.institution_id]);
  }
  return keys.map((key) => byYouth.get(key) ?? []);
}
