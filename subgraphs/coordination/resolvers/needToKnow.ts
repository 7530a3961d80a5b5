/**
 * Need to know and consent in the coordination's resolvers: the relation a caller has to a young person
 * (platform/authorization/relation.ts, through the request's register loader: one query per batch however many
 * fields ask) and, for a 25-29-year-old, the consent that lets derived fields combine several units' data.
 */
import { appliesTo, opensCategory, type RelationCaller } from '../../../platform/authorization/relation.js';
import { consentRequired, legalBasisFor, ownUnitsOf, YOUTH_ROLE, type SourceUnit } from '../../../platform/authorization/legalBasis.js';
import { ageOn } from '../../../platform/dates.js';
import { badUserInput, consentRequired as consentRequiredError, ErrorCode, userError } from '../../kit/errors.js';
import type { CoordinationContext } from '../resolvers.js';
import type { YouthFacts } from '../rules/facts.js';
import type { Assignment } from '../store/coordinationStore.js';
import { consentedUnits } from '../store/consents.js';
import { relationOf, type RelationKind } from '../store/relations.js';

/** The caller as the relation rule reads them. */
export function relationCaller(context: CoordinationContext): RelationCaller {
  const { role, institution, unit, staffId } = context.identity;
  return { role, institution, unit: unit ?? null, staffId: staffId ?? null };
}

/**
 * Need to know at an entry point: the relation under which the caller may see the young person, or null
 * (answered exactly like an unknown id). Partner institutions keep their row rule (linked institutions),
 * a young person's own login sees themself only; everyone else goes through platform/authorization/relation.ts,
 * and a single read with a granted break-the-glass opens a young person outside every relation.
 */
export async function entryRelation(
  youthId: string,
  context: CoordinationContext,
  single: boolean,
): Promise<RelationKind | 'OWN_ROW_RULE' | null> {
  const entry = await context.register.load(youthId);
  if (!entry) return null;
  const caller = relationCaller(context);
  if (caller.institution !== null) return entry.institutionIds.includes(caller.institution) ? 'OWN_ROW_RULE' : null;
  if (caller.role === YOUTH_ROLE) return context.identity.subject === youthId ? 'OWN_ROW_RULE' : null;
  const relation = relationOf(caller, entry.facts, context.today);
  if (relation !== null) return relation;
  return single && context.breakTheGlass === true ? 'BREAK_THE_GLASS' : null;
}

/**
 * Need to know for a write: the caller must have a relation to the young person that opens the category
 * written (UU's statutory relation opens identity and guidance only). Outside it the answer is that of
 * an unknown young person, NOT_FOUND, and nothing is written; a write never breaks the glass.
 */
export async function requireRelation(
  youthId: string,
  context: CoordinationContext,
  category: string,
  notFound: () => Error = () => unknownYouth(youthId),
): Promise<void> {
  const relation = await entryRelation(youthId, context, false);
  if (relation === null || (relation !== 'OWN_ROW_RULE' && !opensCategory(relation, category))) throw notFound();
  if (relation !== 'OWN_ROW_RULE') context.relations.set(youthId, relation);
}

/**
 * Need to know below a contact person: a municipal caller sees the assignments of the young people they
 * relate to (one register query for the list); the others are left out, as if not there.
 */
export async function visibleAssignments(assignments: Assignment[], context: CoordinationContext): Promise<Assignment[]> {
  const caller = relationCaller(context);
  if (!appliesTo(caller) || assignments.length === 0) return assignments;
  const entries = await context.register.loadMany(assignments.map((a) => a.youthId));
  return assignments.filter((assignment, index) => {
    const entry = entries[index];
    const relation = entry && !(entry instanceof Error) ? relationOf(caller, entry.facts, context.today) : null;
    if (relation === null || !opensCategory(relation, 'contact person')) return false;
    context.relations.set(assignment.youthId, relation);
    return true;
  });
}

/**
 * Need to know for the coordination's own categories (target group, plan, contact person): null with
 * UNAUTHORIZED_FIELD_OR_TYPE unless the caller's relation opens the category (UU's statutory relation
 * opens identity and guidance only). Batched through the register loader.
 */
export async function requireReleased(youthId: string, context: CoordinationContext, category: string): Promise<void> {
  const relation = await entryRelation(youthId, context, true);
  if (relation === 'OWN_ROW_RULE' || (relation !== null && opensCategory(relation, category))) return;
  throw userError(ErrorCode.UNAUTHORIZED_FIELD_OR_TYPE, 'Unauthorized field or type');
}

export const unknownYouth = (youthId: string) =>
  userError(ErrorCode.NOT_FOUND, `No young person has the id "${youthId}"`, { field: 'input.youthId' });

/**
 * Derived fields are built from several units' data: for a 25-29-year-old each input unit must be the
 * caller's own or covered by the active consent, else the field is null with CONSENT_REQUIRED (nothing
 * derived from withheld data leaks). The coordination decides it itself, from the birth date it
 * requires and its own consent store, with the same rule the systems' subgraphs apply.
 */
export async function requireSharing(
  youth: { id: string; birthDate?: string },
  units: readonly SourceUnit[],
  context: CoordinationContext,
): Promise<void> {
  if (typeof youth.birthDate !== 'string') return; // no facts: the field is null anyway
  const age = ageOn(youth.birthDate, context.today);
  if (!consentRequired(age)) return;
  const consent = await context.latestConsent.load(youth.id);
  const facts = {
    ownUnits: ownUnitsOf(context.identity.organisation),
    subjectAccess: context.identity.role === YOUTH_ROLE && context.identity.subject === youth.id,
    age,
    consentUnits: consentedUnits(consent),
  };
  const missing = units.find((unit) => legalBasisFor(unit, facts) === null);
  if (missing) throw consentRequiredError(missing);
}

/** Plan entries may only be written for a young person UU's register knows. */
export async function requireKnownYouth(youthId: string, context: CoordinationContext, category: string): Promise<YouthFacts> {
  if (typeof youthId !== 'string' || youthId.trim() === '') throw badUserInput('input.youthId must not be empty', 'input.youthId');
  await requireRelation(youthId, context, category);
  const facts = await context.facts.forYouth(youthId, context.today, context.requestId);
  if (!facts) throw userError(ErrorCode.NOT_FOUND, `No young person has the id "${youthId}"`, { field: 'input.youthId' });
  return facts;
}
