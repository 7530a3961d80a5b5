import { ageOn } from '../../platform/dates.js';
import {
  birthDateFromCpr,
  legalBasisFor,
  ownUnitsOf,
  YOUTH_ROLE,
  type LegalBasis,
  type SourceUnit,
} from '../../platform/authorization/legalBasis.js';
import { consentRequired } from './errors.js';
import type { CallerIdentity } from './server.js';

/**
 * Consent is enforced where a category is resolved (issue 14): each system's subgraph decides, for
 * each young person, whether its unit's data may reach this caller (platform/authorization/legalBasis.ts).
 * It knows the age from the CPR number it is keyed by and the caller's unit from the gateway's
 * credential; the units the young person consented to come with the entity's representation
 * (`consentUnits`, the coordination's, which the gateway fetches for the whole batch in one
 * `_entities` call before it asks this subgraph: `@requires`, never a call per young person). Missing
 * consent data (the coordination could not be read) counts as no consent: closed, not open.
 */
export interface ConsentRepresentation {
  cpr: string;
  consentUnits?: readonly string[] | null;
}

/** The basis for releasing `unit`'s data about this young person to the caller; throws CONSENT_REQUIRED when there is none. */
export function releaseBasis(unit: SourceUnit, youth: ConsentRepresentation, identity: CallerIdentity, today: string): LegalBasis {
  const birthDate = birthDateFromCpr(youth.cpr);
  const basis = legalBasisFor(unit, {
    ownUnits: ownUnitsOf(identity.organisation),
    // The youth role's rows are the young person's own (guidance and the coordination refuse any other id).
    subjectAccess: identity.role === YOUTH_ROLE,
    age: birthDate ? ageOn(birthDate, today) : null,
    consentUnits: youth.consentUnits ?? [],
  });
  if (basis === null) throw consentRequired(unit);
  return basis;
}
