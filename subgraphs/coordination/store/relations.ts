import type { Queryable } from '../../../platform/db/database.js';
import {
  relationOf,
  relationSql,
  type RelationCaller,
  type RelationColumns,
  type RelationFacts,
  type RelationKind,
} from '../../../platform/authorization/relation.js';
import { keyList } from './validate.js';

/**
 * Need to know over the register (docs/access.md, "Need to know"): the facts the relation rule reads
 * (platform/authorization/relation.ts), for a batch of young people in ONE query, and the same facts as SQL
 * expressions so `youths` filters a list by relation inside its own query. What the screening run wrote
 * (who the systems name, which systems hold a record) is combined with the coordination's live tables
 * (contact person, plan actions, joint decisions), so an assignment counts at once, not after a run.
 */

/** Plan and decision units in the register's unit names (GUIDANCE is UU's; SOCIAL is already in the social units). */
const COORDINATION_UNITS = (alias: string) => `ARRAY(
    SELECT DISTINCT CASE u WHEN 'GUIDANCE' THEN 'UU' ELSE u END FROM (
      SELECT p.owner_unit AS u FROM plan_actions p WHERE p.youth_id = ${alias}.youth_id
      UNION ALL
      SELECT unnest(j.units) AS u FROM joint_decisions j WHERE j.youth_id = ${alias}.youth_id
    ) AS named WHERE u <> 'SOCIAL')`;

const CONTACT_PERSON = (alias: string) =>
  `(SELECT a.contact_person_id FROM contact_person_assignments a WHERE a.youth_id = ${alias}.youth_id AND a.ended_at IS NULL LIMIT 1)`;

const IN_EFFORT = (alias: string) => `(${alias}.in_target_group
    OR EXISTS (SELECT 1 FROM plan_actions p WHERE p.youth_id = ${alias}.youth_id)
    OR EXISTS (SELECT 1 FROM joint_decisions j WHERE j.youth_id = ${alias}.youth_id)
    OR EXISTS (SELECT 1 FROM contact_person_assignments a WHERE a.youth_id = ${alias}.youth_id AND a.ended_at IS NULL))`;

const EFFORT_UNITS = (alias: string) => `(${alias}.record_units || ${COORDINATION_UNITS(alias)}
    || CASE WHEN ${CONTACT_PERSON(alias)} IS NULL THEN '{}'::text[] ELSE ARRAY['CONTACT_PERSON'] END)`;

/** The rule's inputs as SQL over `youth_screening AS <alias>` (for `relationSql`). */
export function relationColumns(alias: string): RelationColumns {
  return {
    birthDate: `${alias}.birth_date`,
    counsellor: `${alias}.counsellor`,
    advisorId: `${alias}.advisor_id`,
    caseworkerIds: `${alias}.caseworker_ids`,
    socialUnits: `${alias}.social_units`,
    inEffort: IN_EFFORT(alias),
    effortUnits: EFFORT_UNITS(alias),
    contactPersonId: CONTACT_PERSON(alias),
  };
}

/** A WHERE condition: the caller has a relation to the row (`relationOf(...) !== null`). */
export function relationCondition(caller: RelationCaller, alias: string, today: string, param: (value: unknown) => string): string {
  return relationSql(caller, relationColumns(alias), today, param);
}

interface FactsRow {
  youth_id: string;
  birth_date: string;
  counsellor: string | null;
  advisor_id: string | null;
  caseworker_ids: string[];
  social_units: string[];
  in_effort: boolean;
  effort_units: string[];
  contact_person_id: string | null;
  institution_ids: string[];
}

export interface RegisterEntry {
  facts: RelationFacts;
  /** Institutions the young person is enrolled at or applying to (the partner row rule). */
  institutionIds: readonly string[];
}

/** The register's entries for `youthIds`, in key order, null for a young person the register does not hold. One query. */
export async function registerEntries(db: Queryable, youthIds: readonly string[]): Promise<(RegisterEntry | null)[]> {
  const ids = keyList('youthIds', youthIds);
  if (ids.length === 0) return [];
  const c = relationColumns('s');
  const { rows } = await db.query<FactsRow>(
    `SELECT s.youth_id, s.birth_date::text AS birth_date, s.counsellor, s.advisor_id, s.caseworker_ids, s.social_units,
            ${c.inEffort} AS in_effort, ${c.effortUnits} AS effort_units, ${c.contactPersonId} AS contact_person_id, s.institution_ids
       FROM youth_screening s WHERE s.youth_id = ANY($1::text[])`,
    [ids],
  );
  const byId = new Map(rows.map((row) => [row.youth_id, row]));
  return ids.map((id) => {
    const row = byId.get(id);
    if (!row) return null;
    return {
      facts: {
        birthDate: row.birth_date,
        counsellor: row.counsellor,
        advisorId: row.advisor_id,
        caseworkerIds: row.caseworker_ids,
        socialUnits: row.social_units,
        inEffort: row.in_effort,
        effortUnits: row.effort_units,
        contactPersonId: row.contact_person_id,
      },
      institutionIds: row.institution_ids,
    };
  });
}

export { relationOf, type RelationKind };
