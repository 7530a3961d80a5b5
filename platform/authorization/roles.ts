/**
 * The access vocabulary of docs/access.md: the scopes (by data category) and the roles that bundle them.
 * `tests/authentication/rolesDoc.test.ts` parses the tables in the document and compares them with this file, so
 * the two cannot drift apart.
 */

/** Every scope the graph knows, with the data category it opens (the "category" column of the doc). */
export const SCOPES = [
  { scope: 'youth:identity', category: 'identity' },
  { scope: 'youth:cpr', category: 'CPR' },
  { scope: 'school:read', category: 'school' },
  { scope: 'guidance:read', category: 'guidance (UU)' },
  { scope: 'jobcenter:read', category: 'jobcenter' },
  { scope: 'social:read', category: 'social in detail' },
  { scope: 'social:summary', category: 'social in summary' },
  { scope: 'benefits:read', category: 'benefits' },
  { scope: 'plan:read', category: 'coordinated plan' },
  { scope: 'plan:write', category: 'coordinated plan' },
  { scope: 'contact-person:assign', category: 'contact person' },
  { scope: 'contact-person:read', category: 'contact person' },
  { scope: 'contact-person:admin', category: 'contact person' },
  { scope: 'reporting:read', category: 'reporting' },
  { scope: 'partner:education', category: 'partner access' },
  { scope: 'audit:read', category: 'audit' },
  // Issue 14: recording the young person's consent, and a young person reading their own access history.
  { scope: 'consent:write', category: 'consent' },
  { scope: 'audit:own', category: 'audit' },
  // Not data: the schema itself. With IDE=scoped, introspection (the IDE's docs and completion) needs it.
  { scope: 'schema:read', category: 'schema' },
] as const satisfies readonly { scope: string; category: string }[];

export type Scope = (typeof SCOPES)[number]['scope'];

const scopeCategories: ReadonlyMap<string, string> = new Map(SCOPES.map(({ scope, category }) => [scope, category]));

/** The names of all known scopes. */
export const SCOPE_NAMES: ReadonlySet<string> = new Set(scopeCategories.keys());

export function isScope(value: string): value is Scope {
  return scopeCategories.has(value);
}

/** The data category a scope opens, e.g. `social:summary` → `social in summary`. */
export function categoryOf(scope: Scope): string {
  // Every Scope is in the map by construction.
  return scopeCategories.get(scope) ?? scope;
}

export type RoleName =
  | 'uu-counsellor'
  | 'jobcenter-advisor'
  | 'social-caseworker'
  | 'contact-person'
  | 'reporting-tool'
  | 'partner-institution'
  | 'auditor'
  | 'youth'
  | 'coordinator';

export interface Role {
  scopes: Scope[];
  /** Who holds the role; the Danish title first where a caseworker would use one. */
  description: string;
  /** Recorded in the access log as the purpose when a request states none (`X-Purpose`). */
  defaultPurpose: string;
}

/** The roles of docs/access.md ("Roles"): bundles of scopes. Scopes decide; the role is recorded. */
export const ROLES: Record<RoleName, Role> = {
  'uu-counsellor': {
    scopes: [
      'youth:identity',
      'school:read',
      'guidance:read',
      'jobcenter:read',
      'social:summary',
      'plan:read',
      'plan:write',
      'contact-person:read',
      'contact-person:assign',
      'consent:write',
      'schema:read',
    ],
    description: 'UU-vejleder: youth guidance counsellor at Ungdommens Uddannelsesvejledning',
    defaultPurpose: 'education and employment guidance of the young person (UU)',
  },
  'jobcenter-advisor': {
    scopes: [
      'youth:identity',
      'youth:cpr',
      'school:read',
      'guidance:read',
      'jobcenter:read',
      'social:summary',
      'benefits:read',
      'plan:read',
      'plan:write',
      'contact-person:read',
      'consent:write',
      'schema:read',
    ],
    description: 'rådgiver: advisor at the jobcenter',
    defaultPurpose: 'jobcenter case work for the young person',
  },
  'social-caseworker': {
    scopes: [
      'youth:identity',
      'youth:cpr',
      'school:read',
      'guidance:read',
      'jobcenter:read',
      'social:read',
      'social:summary',
      'benefits:read',
      'plan:read',
      'plan:write',
      'contact-person:read',
      'consent:write',
      'schema:read',
    ],
    description: 'sagsbehandler: social services caseworker',
    defaultPurpose: 'social case work for the young person',
  },
  'contact-person': {
    scopes: [
      'youth:identity',
      'school:read',
      'guidance:read',
      'jobcenter:read',
      'social:summary',
      'plan:read',
      'plan:write',
      'contact-person:read',
      'consent:write',
      'schema:read',
    ],
    description: 'gennemgående kontaktperson: the one contact person who follows the young person across services',
    defaultPurpose: 'coordinated support as the young person’s contact person',
  },
  'reporting-tool': {
    scopes: ['reporting:read', 'schema:read'],
    description: 'reporting tool: reads aggregates only, small cells suppressed',
    defaultPurpose: 'aggregate reporting',
  },
  'partner-institution': {
    scopes: ['partner:education'],
    description: 'partner education institution: sees its own young people only (needs the institution claim)',
    defaultPurpose: 'education enrolment and retention at the partner institution',
  },
  auditor: {
    scopes: ['audit:read'],
    description: 'auditor: reads the access log',
    defaultPurpose: 'audit of access to personal data',
  },
  youth: {
    // Their own rows only (the subject is the young person's id): guidance and the coordination refuse any other id.
    scopes: [
      'youth:identity',
      'school:read',
      'guidance:read',
      'jobcenter:read',
      'social:summary',
      'benefits:read',
      'plan:read',
      'audit:own',
    ],
    description: 'den unge: the young person themself, by a citizen login (sub = their Youth.id); their own data and access history only',
    defaultPurpose: 'the young person’s access to their own data (subject access)',
  },
  coordinator: {
    // Staff administration only: the contact persons and their caseloads, no young person's data.
    scopes: ['contact-person:read', 'contact-person:admin', 'schema:read'],
    description: 'koordinator: administers the continuous contact persons (in service, caseload limits)',
    defaultPurpose: 'administration of the continuous contact persons',
  },
};

export const ROLE_NAMES = Object.keys(ROLES) as RoleName[];

export function isRoleName(value: string): value is RoleName {
  return Object.hasOwn(ROLES, value);
}

/**
 * Federation `@requiresScopes` semantics: the outer list ORs, each inner list ANDs. An empty outer list
 * grants nothing. An empty inner list also grants nothing (deliberately stricter than plain logic, so a
 * rule written as `[[]]` by mistake cannot open a field to everyone).
 */
export function hasScopes(granted: ReadonlySet<string>, anyOf: readonly (readonly string[])[]): boolean {
  return anyOf.some((allOf) => allOf.length > 0 && allOf.every((scope) => granted.has(scope)));
}
