/**
 * The graph's shared vocabulary (enum values of the SDL) as TypeScript types, so that the clients'
 * mappings and the coordination's rules speak the same words.
 */
export type Track = 'EUD' | 'EUX' | 'GYM' | 'FGU' | 'STU' | 'HIGHER' | 'JOB' | 'OTHER';
export type EffortType = 'COMPANY_INTERNSHIP' | 'WAGE_SUBSIDY' | 'PROJECT' | 'BRIDGE_BUILDING' | 'MENTOR';
export type SocialUnit =
  'FAMILY_GROUP_1' | 'FAMILY_GROUP_2' | 'FAMILY_GROUP_3' | 'FAMILY_GROUP_4' | 'SPECIAL_GROUP_CHILDREN' | 'SPECIAL_GROUP_ADULTS';
export type MeasureType =
  | 'CONTACT_PERSON'
  | 'FAMILY_TREATMENT'
  | 'PLACEMENT_NETWORK'
  | 'PLACEMENT_FOSTER_FAMILY'
  | 'PLACEMENT_INSTITUTION'
  | 'AFTERCARE'
  | 'HOUSING_SUPPORT'
  | 'SUPPORTED_HOUSING';
export type BenefitType = 'EDUCATION_BENEFIT' | 'CASH_BENEFIT' | 'RESOURCE_COURSE_BENEFIT' | 'TRANSITION_BENEFIT';

/** The legacy systems' Danish track codes (UU, jobcenter and social services use the same list). */
export const TRACK_FROM_DANISH: Record<string, Track> = {
  EUD: 'EUD',
  EUX: 'EUX',
  GYM: 'GYM',
  FGU: 'FGU',
  STU: 'STU',
  VIDEREGAAENDE: 'HIGHER',
  JOB: 'JOB',
  ANDET: 'OTHER',
};
