import type { GuidanceYouth, InstitutionLink } from '../kit/systems/guidanceClient.js';
import { YOUTH_ROLE } from '../../platform/authorization/legalBasis.js';

/**
 * Row rules for partner institutions: a token bound to an institution sees only the young people UU
 * links to it (enrolled or applying), and of their enrolments only its own. Everyone else is
 * answered exactly as if they did not exist. A young person's own token (role `youth`) sees only the
 * young person whose id is its subject.
 */
export interface RowScope {
  /** The partner institution the caller is bound to; null for municipal staff. */
  institution: string | null;
  /** The caller's role: a young person (`youth`) sees only themself. */
  role?: string | null;
  /** The caller's subject: for the `youth` role, the young person's own id. */
  subject?: string;
}

const LINKED: ReadonlySet<InstitutionLink['status']> = new Set(['ENROLLED', 'APPLYING']);

export function isVisible(youth: GuidanceYouth, scope: RowScope): boolean {
  // A young person's own login (issue 14): their own record only; any other id is as if unknown.
  if (scope.role === YOUTH_ROLE) return youth.id === scope.subject;
  if (scope.institution === null) return true;
  return youth.guidance.institutions.some((link) => link.institution.id === scope.institution && LINKED.has(link.status));
}

/** The young person if the caller may see them, else null (indistinguishable from unknown). */
export function visibleOrNull(youth: GuidanceYouth | null, scope: RowScope): GuidanceYouth | null {
  return youth && isVisible(youth, scope) ? youth : null;
}

export function visibleInstitutions(links: InstitutionLink[], scope: RowScope): InstitutionLink[] {
  return scope.institution === null ? links : links.filter((link) => link.institution.id === scope.institution);
}
