/**
 * Need to know (docs/access.md, "Need to know"): municipal staff see a young person only where they have a
 * relation to them. This file is the ONE place that decides it: `relationOf` (caller claims × the young
 * person's row in the screening register → the relation, or none) for single reads and entities, and
 * `relationSql`, the same rule as a WHERE condition over the register for lists, so a list is filtered in
 * one query and never by a call per young person. tests/authorization/relation.test.ts checks the two agree.
 */

import { SCOPES } from './roles.js';

/** Why a caller may see a young person; null = no relation (answered as not found). */
export type RelationKind =
  /** The system that holds the young person names the caller (counsellor initials, advisor id, caseworker id). */
  | 'CASELOAD'
  /** The caller's unit holds the young person (an open social case in the caller's family group or special group). */
  | 'UNIT'
  /** The caller is the young person's active continuous contact person. */
  | 'CONTACT_PERSON'
  /** The young person is in the coordinated effort and the caller's unit takes part in it. */
  | 'COORDINATED_EFFORT'
  /** UU's statutory duty: guidance data (and identity) for everyone under 25, nothing more. */
  | 'STATUTORY'
  /** Outside every relation, opened with a stated reason (logged, reviewed, limited per day). */
  | 'BREAK_THE_GLASS';

export const RELATION_KINDS: readonly RelationKind[] = [
  'CASELOAD',
  'UNIT',
  'CONTACT_PERSON',
  'COORDINATED_EFFORT',
  'STATUTORY',
  'BREAK_THE_GLASS',
];

/** The caller as the gateway's credential says. */
export interface RelationCaller {
  role: string | null;
  /** `unit` claim: `UU`, `JOBCENTER`, `CONTACT_PERSON`, or a social unit (`FAMILY_GROUP_1` ... `SPECIAL_GROUP_ADULTS`). */
  unit: string | null;
  /** `staff_id` claim: the caller's id in the system that names them (initials, `JC-001`, `SB-01`, `gkp-...`). */
  staffId: string | null;
  /** A partner institution's token: the partner row rule applies instead (rowAccess.ts). */
  institution: string | null;
}

/** What the screening register (and the coordination's own tables) know of a young person, for the rule. */
export interface RelationFacts {
  birthDate: string;
  /** UU counsellor's initials. */
  counsellor: string | null;
  /** The jobcenter advisor's id, when the jobcenter has the young person. */
  advisorId: string | null;
  /** Caseworkers of the open social cases. */
  caseworkerIds: readonly string[];
  /** Social units with an open case. */
  socialUnits: readonly string[];
  /** In the target group (last screening), with an agreed plan action or joint decision, or with a contact person. */
  inEffort: boolean;
  /** The units taking part in the effort: the systems holding a record (SCHOOL, UU, JOBCENTER, the social units), plan and decision units, CONTACT_PERSON when one is assigned. */
  effortUnits: readonly string[];
  /** The active contact person's id. */
  contactPersonId: string | null;
}

/** The roles the relation rule applies to (the municipal roles that read young people). */
export const MUNICIPAL_ROLES: ReadonlySet<string> = new Set([
  'uu-counsellor',
  'jobcenter-advisor',
  'social-caseworker',
  'contact-person',
  'coordinator',
]);

export const SOCIAL_UNITS = [
  'FAMILY_GROUP_1',
  'FAMILY_GROUP_2',
  'FAMILY_GROUP_3',
  'FAMILY_GROUP_4',
  'SPECIAL_GROUP_CHILDREN',
  'SPECIAL_GROUP_ADULTS',
] as const;

/** The units a role's token may carry in `unit` (the first is the default `npm run token` mints). */
export const ROLE_UNITS: Readonly<Record<string, readonly string[]>> = {
  'uu-counsellor': ['UU'],
  'jobcenter-advisor': ['JOBCENTER'],
  'social-caseworker': SOCIAL_UNITS,
  'contact-person': ['CONTACT_PERSON'],
  // The contact-person scheme's coordinator places contact persons across the whole coordinated effort.
  coordinator: ['CONTACT_PERSON'],
};

/** The relations each role can have, strongest first, as `relationOf` decides them (docs/access.md, "Need to know"). */
export const ROLE_RELATIONS: Readonly<Record<string, readonly RelationKind[]>> = {
  'uu-counsellor': ['CASELOAD', 'COORDINATED_EFFORT', 'STATUTORY'],
  'jobcenter-advisor': ['CASELOAD', 'COORDINATED_EFFORT'],
  'social-caseworker': ['CASELOAD', 'UNIT', 'COORDINATED_EFFORT'],
  'contact-person': ['CONTACT_PERSON', 'COORDINATED_EFFORT'],
  coordinator: ['COORDINATED_EFFORT'],
};

/** Age in whole years on `today` (ISO dates). */
function ageOn(birthDate: string, today: string): number {
  const years = Number(today.slice(0, 4)) - Number(birthDate.slice(0, 4));
  return today.slice(5) < birthDate.slice(5) ? years - 1 : years;
}

/** A unit claim the caller's role may carry; anything else counts as no unit. */
function unitOf(caller: RelationCaller): string | null {
  const allowed = caller.role === null ? undefined : ROLE_UNITS[caller.role];
  return caller.unit !== null && allowed?.includes(caller.unit) ? caller.unit : null;
}

/**
 * The relation of `caller` to the young person, strongest first; null when there is none. Roles the rule
 * does not cover (partner institutions, reporting, audit) get null: their own rules decide (`appliesTo`).
 */
export function relationOf(caller: RelationCaller, facts: RelationFacts, today: string): RelationKind | null {
  const unit = unitOf(caller);
  const staff = caller.staffId;
  switch (caller.role) {
    case 'uu-counsellor':
      if (staff !== null && facts.counsellor === staff) return 'CASELOAD';
      if (unit !== null && facts.inEffort && facts.effortUnits.includes(unit)) return 'COORDINATED_EFFORT';
      if (unit !== null && ageOn(facts.birthDate, today) < 25) return 'STATUTORY';
      return null;
    case 'jobcenter-advisor':
      if (staff !== null && facts.advisorId === staff) return 'CASELOAD';
      if (unit !== null && facts.inEffort && facts.effortUnits.includes(unit)) return 'COORDINATED_EFFORT';
      return null;
    case 'social-caseworker':
      if (staff !== null && facts.caseworkerIds.includes(staff)) return 'CASELOAD';
      if (unit !== null && facts.socialUnits.includes(unit)) return 'UNIT';
      if (unit !== null && facts.inEffort && facts.effortUnits.includes(unit)) return 'COORDINATED_EFFORT';
      return null;
    case 'contact-person':
      if (staff !== null && facts.contactPersonId === staff) return 'CONTACT_PERSON';
      if (unit !== null && facts.inEffort && facts.effortUnits.includes(unit)) return 'COORDINATED_EFFORT';
      return null;
    case 'coordinator':
      // The scheme takes part in every coordinated effort: its coordinator places the contact persons.
      if (unit !== null && facts.inEffort) return 'COORDINATED_EFFORT';
      return null;
    default:
      return null;
  }
}

/** Whether the need-to-know rule decides for this caller (municipal staff without a partner institution). */
export function appliesTo(caller: Pick<RelationCaller, 'role' | 'institution'>): boolean {
  return caller.institution === null && caller.role !== null && MUNICIPAL_ROLES.has(caller.role);
}

/**
 * The data categories a relation opens (within the role's scopes, which still decide the fields). Every
 * relation but STATUTORY opens all the role's categories; STATUTORY opens what UU's duty covers.
 */
export const RELATION_CATEGORIES: Readonly<Record<RelationKind, 'all' | readonly string[]>> = {
  CASELOAD: 'all',
  UNIT: 'all',
  CONTACT_PERSON: 'all',
  COORDINATED_EFFORT: 'all',
  STATUTORY: ['identity', 'guidance (UU)'],
  BREAK_THE_GLASS: 'all',
};

export function opensCategory(kind: RelationKind, category: string): boolean {
  const categories = RELATION_CATEGORIES[kind];
  return categories === 'all' || categories.includes(category);
}

/** The categories of a young person's data (docs/access.md): the scopes' and the derived target group. */
export const DATA_CATEGORIES: readonly string[] = [...new Set([...SCOPES.map((s) => s.category as string), 'target group'])];

/**
 * The categories a relation releases, as the coordination hands them to the systems' subgraphs with each
 * young person (`Youth.releasedCategories`): every category for a caller another rule decides (`null`:
 * a partner's linked institution, the young person's own login), none outside every relation.
 */
export function releasedCategories(relation: RelationKind | 'OTHER_RULE' | null): string[] {
  if (relation === null) return [];
  if (relation === 'OTHER_RULE') return [...DATA_CATEGORIES];
  return DATA_CATEGORIES.filter((category) => opensCategory(relation, category));
}

/** Columns of the register row and the coordination tables `relationSql` reads (store/relations.ts). */
export interface RelationColumns {
  birthDate: string;
  counsellor: string;
  advisorId: string;
  caseworkerIds: string;
  socialUnits: string;
  inEffort: string;
  effortUnits: string;
  contactPersonId: string;
}

/**
 * `relationOf(caller, row) !== null` as a SQL condition over the columns named in `columns`; `param`
 * adds a bound parameter and returns its placeholder. Kept next to `relationOf`, rule for rule.
 */
export function relationSql(caller: RelationCaller, columns: RelationColumns, today: string, param: (value: unknown) => string): string {
  const unit = unitOf(caller);
  const staff = caller.staffId;
  // A function, so that a placeholder is only added where the condition uses it.
  const effort = () => (unit === null ? null : `(${columns.inEffort} AND ${columns.effortUnits} @> ARRAY[${param(unit)}]::text[])`);
  const any = (...conditions: (string | null)[]) => {
    const present = conditions.filter((c): c is string => c !== null);
    return present.length === 0 ? 'false' : `(${present.join(' OR ')})`;
  };
  // The arms cheapest first: PostgreSQL evaluates an OR's arms in order and stops at the first true one, and
  // effort() runs subqueries per row (a UU counsellor's count at a million rows: most rows pass on birth date).
  switch (caller.role) {
    case 'uu-counsellor':
      return any(
        staff === null ? null : `${columns.counsellor} = ${param(staff)}`,
        unit === null ? null : `${columns.birthDate} > (${param(today)}::date - make_interval(years => 25))::date`,
        effort(),
      );
    case 'jobcenter-advisor':
      return any(staff === null ? null : `${columns.advisorId} = ${param(staff)}`, effort());
    case 'social-caseworker':
      return any(
        staff === null ? null : `${columns.caseworkerIds} @> ARRAY[${param(staff)}]::text[]`,
        unit === null ? null : `${columns.socialUnits} @> ARRAY[${param(unit)}]::text[]`,
        effort(),
      );
    case 'contact-person':
      return any(staff === null ? null : `${columns.contactPersonId} = ${param(staff)}`, effort());
    case 'coordinator':
      return any(unit === null ? null : columns.inEffort);
    default:
      return 'false';
  }
}

/** The break-the-glass header and its bounds (docs/access.md). */
export const BREAK_THE_GLASS_HEADER = 'x-break-the-glass-reason';
/** What the gateway tells a subgraph when the request's break-the-glass was granted (never from a client). */
export const BREAK_THE_GLASS_GRANTED_HEADER = 'x-ungegraf-break-the-glass';
export const BREAK_THE_GLASS_REASON_MIN = 20;
export const BREAK_THE_GLASS_REASON_MAX = 500;
