/**
 * On what legal basis one unit's data about a young person may reach a caller (issue 14, section 2).
 *
 * The statutory coordinated youth effort (den sammenhængende ungeindsats, LAB/ungeindsatsloven) covers
 * young people **under 25**; Aalborg extends its effort to under 30 by its own choice (seed 000,
 * "Målgruppen for den sammenhængende ungeindsats"), so for 25-29-year-olds data from a unit other than
 * the caller's own cannot lean on the youth-effort basis: it is shared only with the young person's
 * recorded consent. One pure rule, used where a category is resolved (the five systems' subgraphs and
 * the coordination's derived fields) and where the access log records why it was released (the
 * gateway), so the two cannot disagree. The caller never chooses the basis.
 */
import { isIsoDate } from '../dates.js';

/** The units whose systems hold a category of data (the coordination's `Unit`, less the contact persons). */
export const SOURCE_UNITS = ['SCHOOL', 'GUIDANCE', 'JOBCENTER', 'SOCIAL', 'BENEFITS'] as const;
export type SourceUnit = (typeof SOURCE_UNITS)[number];

/** Below this age the statutory youth effort is the basis for sharing across units. */
export const STATUTORY_AGE_LIMIT = 25;

export const LEGAL_BASES = ['OWN_UNIT', 'YOUTH_EFFORT', 'CONSENT', 'SUBJECT_ACCESS', 'MUNICIPAL_EXTENSION'] as const;
/**
 * - `OWN_UNIT`: the caller's own unit's data, under that unit's own law (the unit's own case work).
 * - `YOUTH_EFFORT`: the statutory coordinated youth effort (under 25).
 * - `CONSENT`: the young person's recorded consent (25-29, another unit's data).
 * - `SUBJECT_ACCESS`: the young person reading their own data (GDPR art. 15).
 * - `MUNICIPAL_EXTENSION`: what the coordination itself holds for Aalborg's extension to under 30
 *   (identity from the register, the contact person, the consent itself): no unit's case data.
 */
export type LegalBasis = (typeof LEGAL_BASES)[number];

/** The organisation claim (`org`) → the units whose data is the caller's own. Partners and others own none. */
const UNITS_BY_ORGANISATION: Readonly<Record<string, readonly SourceUnit[]>> = {
  'aalborg/school': ['SCHOOL'],
  'aalborg/uu': ['GUIDANCE'],
  // The benefits office sits with the jobcenter in Familie- og Beskæftigelsesforvaltningen.
  'aalborg/jobcenter': ['JOBCENTER', 'BENEFITS'],
  'aalborg/social': ['SOCIAL'],
};

/** The caller's own units, from the verified `org` claim (never from anything the request says). */
export function ownUnitsOf(organisation: string | null | undefined): ReadonlySet<SourceUnit> {
  return new Set(organisation ? (UNITS_BY_ORGANISATION[organisation] ?? []) : []);
}

/** The role of a young person reading their own data (a citizen login's token; `sub` = their id). */
export const YOUTH_ROLE = 'youth';

export interface SharingFacts {
  /** The caller's own units (`ownUnitsOf`). */
  ownUnits: ReadonlySet<string>;
  /** The caller is the young person themself. */
  subjectAccess: boolean;
  /** The young person's age today; null when unknown (treated as 25 or over: consent needed). */
  age: number | null;
  /**
   * Whether the young person is under 25, when that is known without the age itself (the access log reads
   * the coordination's `consent.required`, which is this rule's own `consentRequired(age)`); wins over `age`.
   */
  underStatutoryAge?: boolean | undefined;
  /** The units the young person's active consent covers (empty without one, or after withdrawal). */
  consentUnits: readonly string[];
}

/** The basis on which `unit`'s data may reach the caller, or null: withheld (`CONSENT_REQUIRED`). */
export function legalBasisFor(unit: SourceUnit, facts: SharingFacts): LegalBasis | null {
  if (facts.subjectAccess) return 'SUBJECT_ACCESS';
  if (facts.ownUnits.has(unit)) return 'OWN_UNIT';
  if (underStatutoryAge(facts)) return 'YOUTH_EFFORT';
  if (facts.consentUnits.includes(unit)) return 'CONSENT';
  return null;
}

/** Consent matters at all: 25 or over (or age unknown), not the caller's own data, not the young person. */
export function consentRequired(age: number | null): boolean {
  return age === null || age >= STATUTORY_AGE_LIMIT;
}

/**
 * The access log's data categories (platform/authorization/roles.ts) → the unit whose system holds them;
 * null for what no unit's system holds (identity, CPR, the coordinated plan, the contact person).
 */
const UNIT_OF_CATEGORY: Readonly<Record<string, SourceUnit>> = {
  school: 'SCHOOL',
  'guidance (UU)': 'GUIDANCE',
  'partner access': 'GUIDANCE',
  jobcenter: 'JOBCENTER',
  'social in detail': 'SOCIAL',
  'social in summary': 'SOCIAL',
  benefits: 'BENEFITS',
};

/** Derived categories built from several units' data: their basis is the weakest of their inputs'. */
const DERIVED_CATEGORY_UNITS: Readonly<Record<string, readonly SourceUnit[]>> = {
  'coordinated plan': ['SCHOOL', 'GUIDANCE', 'JOBCENTER', 'SOCIAL'],
};

const STRENGTH: Readonly<Record<LegalBasis, number>> = {
  SUBJECT_ACCESS: 4,
  OWN_UNIT: 3,
  YOUTH_EFFORT: 2,
  CONSENT: 1,
  MUNICIPAL_EXTENSION: 0,
};

/**
 * The basis recorded for a released category. Null only when the category's data should not have been
 * released at all (the gateway then logs an error: a subgraph released what the rule withholds).
 */
export function legalBasisOfCategory(category: string, facts: SharingFacts): LegalBasis | null {
  const unit = UNIT_OF_CATEGORY[category];
  if (unit) return legalBasisFor(unit, facts);
  const inputs = DERIVED_CATEGORY_UNITS[category];
  if (inputs) {
    let weakest: LegalBasis | null = 'SUBJECT_ACCESS';
    for (const input of inputs) {
      const basis = legalBasisFor(input, facts);
      if (basis === null) return null;
      if (weakest === null || STRENGTH[basis] < STRENGTH[weakest]) weakest = basis;
    }
    return weakest;
  }
  if (facts.subjectAccess) return 'SUBJECT_ACCESS';
  return underStatutoryAge(facts) ? 'YOUTH_EFFORT' : 'MUNICIPAL_EXTENSION';
}

function underStatutoryAge(facts: SharingFacts): boolean {
  return facts.underStatutoryAge ?? (facts.age !== null && facts.age < STATUTORY_AGE_LIMIT);
}

/**
 * The basis of each released category, for the access log: `{category: basis}`. A category the rule
 * withholds is named in `unexplained` (a subgraph released what it should not have: the gateway logs it).
 */
export function legalBasesOf(
  categories: Iterable<string>,
  facts: SharingFacts,
): { bases: Record<string, LegalBasis>; unexplained: string[] } {
  const bases: Record<string, LegalBasis> = {};
  const unexplained: string[] = [];
  for (const category of categories) {
    const basis = legalBasisOfCategory(category, facts);
    if (basis === null) unexplained.push(category);
    else bases[category] = basis;
  }
  return { bases, unexplained };
}

/**
 * The birth date a CPR number (`DDMMYY-NNNN` or ten digits) encodes, by the seventh digit's century
 * rule; null when it is not a well-formed CPR number. The systems' subgraphs know the young person by
 * CPR only, and need the age to apply the rule without asking anyone.
 */
export function birthDateFromCpr(cpr: string): string | null {
  const digits = cpr.replace('-', '');
  if (!/^\d{10}$/.test(digits)) return null;
  const day = digits.slice(0, 2);
  const month = digits.slice(2, 4);
  const yy = Number(digits.slice(4, 6));
  const seventh = Number(digits[6]);
  let century: number;
  if (seventh <= 3) century = 1900;
  else if (seventh === 4 || seventh === 9) century = yy <= 36 ? 2000 : 1900;
  else century = yy <= 57 ? 2000 : 1800;
  const iso = `${century + yy}-${month}-${day}`;
  // A day that does not exist (31 February) is no birth date: `ageOn` would throw on it.
  return isIsoDate(iso) ? iso : null;
}
