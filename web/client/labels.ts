/** Plain-language labels for the graph's codes, as a caseworker reads them (from the schema's descriptions). */

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
