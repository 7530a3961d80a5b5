import { relationOf, SOCIAL_UNITS, type RelationFacts, type RelationKind } from '../../platform/authorization/relation.js';
import type { RoleName } from '../../platform/authorization/roles.js';

/**
 * Need to know in the end-to-end suites (docs/access.md, "Need to know"): a municipal caller sees a young
 * person only in a relation, so a suite that reads a young person asks as a caller the systems actually
 * name for them (their counsellor, advisor, caseworker, unit or contact person), never as a caller the
 * rule was loosened for. This finds those claims from the register's facts with the rule itself.
 */
export interface RelationClaims {
  /** `unit` claim; undefined = the role's default unit. */
  unit?: string;
  /** `staff_id` claim. */
  staffId?: string;
}

/** The claims under which `role` could relate to a young person with these facts, strongest first. */
function candidates(role: RoleName, facts: RelationFacts): RelationClaims[] {
  const socialUnits = [...facts.socialUnits, ...facts.effortUnits.filter((u) => (SOCIAL_UNITS as readonly string[]).includes(u))];
  switch (role) {
    case 'uu-counsellor':
      return [...(facts.counsellor ? [{ unit: 'UU', staffId: facts.counsellor }] : []), { unit: 'UU' }];
    case 'jobcenter-advisor':
      return [...(facts.advisorId ? [{ unit: 'JOBCENTER', staffId: facts.advisorId }] : []), { unit: 'JOBCENTER' }];
    case 'social-caseworker':
      return [
        ...facts.caseworkerIds.flatMap((staffId) => facts.socialUnits.map((unit) => ({ unit, staffId }))),
        ...socialUnits.map((unit) => ({ unit })),
      ];
    case 'contact-person':
      return [...(facts.contactPersonId ? [{ unit: 'CONTACT_PERSON', staffId: facts.contactPersonId }] : []), { unit: 'CONTACT_PERSON' }];
    case 'coordinator':
      return [{ unit: 'CONTACT_PERSON' }];
    default:
      return [{}];
  }
}

const claimsKey = (c: RelationClaims) => `${c.unit ?? ''}/${c.staffId ?? ''}`;

/**
 * Claims under which `role` relates to EVERY one of the young people (`facts`, one per young person):
 * preferably a relation that opens every category (not only UU's statutory one), else any relation.
 * Throws when the systems name no such caller: the suite then picks another young person or role.
 */
export function relationClaimsFor(role: RoleName, facts: readonly RelationFacts[], today: string): RelationClaims {
  const seen = new Set<string>();
  const all = facts.flatMap((f) => candidates(role, f)).filter((c) => !seen.has(claimsKey(c)) && seen.add(claimsKey(c)));
  const relations = (c: RelationClaims): (RelationKind | null)[] =>
    facts.map((f) => relationOf({ role, unit: c.unit ?? null, staffId: c.staffId ?? null, institution: null }, f, today));
  const full = all.find((c) => relations(c).every((r) => r !== null && r !== 'STATUTORY'));
  const any = full ?? all.find((c) => relations(c).every((r) => r !== null));
  if (!any) throw new Error(`no ${role} the systems name relates to all of these ${facts.length} young people`);
  return any;
}
