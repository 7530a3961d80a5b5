/** Plain-language labels for the graph's codes, as a caseworker reads them (from the schema's descriptions). */
import type { ErrorCode } from '../../platform/errorCodes.js';
import { wordCount } from '../../subgraphs/coordination/rules/assignmentBasis.js';
import { JUSTIFICATION_MIN, SUPPORT_COORDINATION_MIN } from '../../subgraphs/coordination/store/limits.js';

export const INDICATOR_LABELS: Readonly<Record<string, string>> = {
  ABSENCE_OVER_20: 'School absence over 20 % in a school year',
  CONCERNING_ABSENCE: 'Concerning unlawful absence',
  NOT_EDUCATION_READY: 'Assessed not education-ready (grades 8-10)',
  SOCIAL_CASE: 'Social-services case with a school or education concern',
  NOT_IN_EDUCATION: 'Not in or finished with youth education, not in full-time work',
  NEEDS_SUPPORT_IN_EDUCATION: 'In education and needing support to complete it',
};

export const ELIGIBILITY_LABELS: Readonly<Record<string, string>> = {
  ELIGIBLE: 'Eligible for a continuous contact person',
  HAS_EXISTING_SUPPORT: 'Has existing support: coordinate with it',
  NOT_CANDIDATE: 'Not a candidate for a continuous contact person',
};

/** Where the young person's consent to share across units stands (Youth.consent.status). */
export const CONSENT_STATUS_LABELS: Readonly<Record<string, string>> = {
  NOT_REQUIRED: 'Not needed: under 25, shared under the statutory youth effort',
  GIVEN: 'Given',
  WITHDRAWN: 'Withdrawn: other units’ data is not shared',
  NONE: 'None recorded: other units’ data is not shared',
};

export const UNIT_LABELS: Readonly<Record<string, string>> = {
  SCHOOL: 'School',
  GUIDANCE: 'UU',
  JOBCENTER: 'Jobcenter',
  SOCIAL: 'Social services',
  BENEFITS: 'Benefits',
  CONTACT_PERSON: 'Contact person',
};

export const SOCIAL_UNIT_LABELS: Readonly<Record<string, string>> = {
  FAMILY_GROUP_1: 'Family group 1',
  FAMILY_GROUP_2: 'Family group 2',
  FAMILY_GROUP_3: 'Family group 3',
  FAMILY_GROUP_4: 'Family group 4',
  SPECIAL_GROUP_CHILDREN: 'Special group (children)',
  SPECIAL_GROUP_ADULTS: 'Special group (adults)',
};

export const READINESS_LABELS: Readonly<Record<string, string>> = { READY: 'ready', NOT_READY: 'not ready' };

export const JOBCENTER_CATEGORY_LABELS: Readonly<Record<string, string>> = {
  EDUCATION_READY: 'Education-ready',
  ACTIVITY_READY: 'Activity-ready',
};

export const ACTIVITY_LABELS: Readonly<Record<string, string>> = {
  EDUCATION: 'In education',
  FULL_TIME_WORK: 'Full-time work',
  PART_TIME_WORK: 'Part-time work',
  UNEMPLOYED: 'Unemployed',
  OTHER: 'Other',
};

/** The municipal systems behind `extensions.service`, as a notice names them. */
export const SERVICE_LABELS: Readonly<Record<string, string>> = {
  school: "The schools' system",
  guidance: "UU's system",
  jobcenter: "Jobcenter's system",
  social: "Social services' system",
  benefits: "The benefits office's system",
  coordination: 'The coordination service',
};

/** A code's label, or the code in words when the screen does not know it yet. */
export function label(labels: Readonly<Record<string, string>>, code: string): string {
  return labels[code] ?? code.toLowerCase().replace(/_/g, ' ');
}

export function serviceLabel(service: string | undefined): string {
  return (service === undefined ? undefined : SERVICE_LABELS[service]) ?? 'One of the systems';
}

const DATE_FORMAT = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });

/** `2027-06-30` → `30 Jun 2027` (dates are calendar days: formatted in UTC so they never shift). */
export function formatDate(iso: string | null | undefined): string {
  if (!iso) return '—';
  const date = new Date(iso.length === 10 ? `${iso}T00:00:00Z` : iso);
  return Number.isNaN(date.getTime()) ? iso : DATE_FORMAT.format(date);
}

export function formatPercent(share: number): string {
  return `${(share * 100).toFixed(1)} %`;
}

export function formatDkk(amount: number): string {
  return `${new Intl.NumberFormat('da-DK', { maximumFractionDigits: 0 }).format(amount)} kr.`;
}

// ---- Issue 13: the worklist and the contact person as a judgement ------------------------------------

/** What falls due for a young person (`DueItem.kind`), as the worklist names it. */
export const DUE_KIND_LABELS: Readonly<Record<string, string>> = {
  COORDINATING_MEETING_16_5: 'Coordinating meeting at 16½',
  JOBCENTER_ADVISOR_17: 'Jobcenter advisor at 17',
  TRANSFER_18: 'Transfer to adults’ services at 18',
  LEAVING_COMPULSORY_SCHOOL: 'Leaves compulsory school',
  TURNING_25: 'Turns 25',
  CONTACT_PERSON_REVIEW: 'Contact person: review the assignment',
};

/** On what an assignment rests (`ContactPersonAssignment.basis`). */
export const BASIS_LABELS: Readonly<Record<string, string>> = {
  RULE: 'By the candidate rules (RULE)',
  JUDGEMENT: 'By a professional judgement (JUDGEMENT)',
};

/** The scheme's bounds (`ContactPersonEligibility.hardLimit`): no assignment is possible. */
export const CONTACT_PERSON_LIMIT_LABELS: Readonly<Record<string, string>> = {
  NOT_YET_GRADE_8: 'A continuous contact person is possible from grade 8: not yet.',
  AGED_25_OR_OVER: 'The scheme runs until the 25th birthday: no new assignment.',
};

/**
 * The graph's lower bounds for the written reasons and its way of counting words, taken from the
 * coordination itself (the graph checks them; the screen only counts along so the caseworker sees how
 * far there is to go).
 */
export { JUSTIFICATION_MIN, SUPPORT_COORDINATION_MIN };

/** The refusals of `assignContactPerson`, said next to the form; the graph wrote nothing. Keys are platform/errorCodes.ts codes (checked when compiling). */
export const ASSIGN_ERROR_LABELS: Readonly<Record<string, string>> = {
  NOT_YET_GRADE_8: 'Not assigned: a continuous contact person is possible from grade 8.',
  AGED_25_OR_OVER: 'Not assigned: the young person is 25 or over, when the scheme ends.',
  ALREADY_ASSIGNED: 'Not assigned: the young person already has a contact person (end that assignment first).',
  CASELOAD_FULL: 'Not assigned: this contact person’s caseload is full. Choose another.',
  CAPACITY_EXCEEDED: 'Not assigned: the municipality’s funded capacity is used up. Tick the box to assign anyway (an extra cost).',
  JUSTIFICATION_REQUIRED: `Not assigned: the rules do not mark this young person, so write why a contact person is needed (at least ${JUSTIFICATION_MIN.characters} characters and ${JUSTIFICATION_MIN.words} words).`,
  COORDINATION_REQUIRED: `Not assigned: the young person already has a mentor or a social-law contact person, and the scheme replaces neither. Write how the two will work together (at least ${SUPPORT_COORDINATION_MIN.characters} characters and ${SUPPORT_COORDINATION_MIN.words} words).`,
  NOT_ELIGIBLE: 'Not assigned: the young person is no longer eligible for a continuous contact person.',
  NOT_FOUND: 'Not assigned: the young person or the contact person is no longer known.',
  BAD_USER_INPUT: 'Not assigned: the form holds a value the graph does not accept.',
  UNAUTHORIZED_FIELD_OR_TYPE: 'Assigning a contact person is not possible with your role.',
  UPSTREAM_UNAVAILABLE: 'A system the decision depends on did not answer; nothing was assigned. Try again shortly.',
  SUBGRAPH_UNAVAILABLE: 'The coordination did not answer; nothing was assigned. Try again shortly.',
} satisfies Partial<Record<ErrorCode, string>>;

/** The worklist's and the assign form's own words. */
export const CASEWORK_TEXT = {
  worklistSummary: (count: number, days: number | null) =>
    `${count} young ${count === 1 ? 'person' : 'people'}${days === null ? '' : ` with something due in the next ${days} days`}`,
  noDue: 'Nothing due in the period.',
  justificationLabel: 'Justification: why this young person needs a continuous contact person',
  justificationHint: `The rules do not mark this young person: an assignment is a professional judgement. Required, at least ${JUSTIFICATION_MIN.characters} characters and ${JUSTIFICATION_MIN.words} words; kept on the assignment and shown in the plan.`,
  coordinationLabel: 'Coordination with the existing support',
  coordinationHint: `The young person already has a mentor or a social-law contact person; the scheme replaces neither. Say how they will work together. Required, at least ${SUPPORT_COORDINATION_MIN.characters} characters and ${SUPPORT_COORDINATION_MIN.words} words.`,
  counter: (text: string, min: { characters: number; words: number }) => {
    const trimmed = text.trim();
    return `${trimmed.length} of at least ${min.characters} characters, ${wordCount(trimmed)} of at least ${min.words} words`;
  },
  ruleBasis: 'The candidate rules mark the young person eligible: an assignment by RULE.',
  judgementBasis: 'Outside the candidate rules: an assignment by JUDGEMENT, with written reasons.',
  basis: 'Basis',
  justification: 'Justification',
  coordination: 'Coordination with existing support',
  since: 'Since',
  planContactPerson: 'Continuous contact person',
  planNoContactPerson: 'No continuous contact person.',
} as const;
