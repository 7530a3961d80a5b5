/**
 * The human text of the graph's codes (issue 15 s4), Danish and English, in this one place: a target-group
 * indicator, a reason for a contact-person status and a transition are stable codes (with the few numbers
 * that go into a sentence); a frontend asks for `text(language:)` and never parses a sentence. Danish is
 * the default: the caseworkers' and the seeds' own words (uddannelsesparat, familiegruppe, overdragelse).
 */
import type { EffortType, MeasureType, SocialUnit, Track, Unit } from './facts.js';
import type { TargetGroupIndicator } from './targetGroup.js';
import type { TransitionKind } from './transitions.js';

/** The SDL's `Language`. */
export type Language = 'DA' | 'EN';

export const DEFAULT_LANGUAGE: Language = 'DA';

/** `text(language:)` as a field argument; anything but EN is Danish (the SDL enum admits only DA and EN). */
export function languageArg(args: { language?: Language | null } | undefined): Language {
  return args?.language === 'EN' ? 'EN' : DEFAULT_LANGUAGE;
}

type Texts<K extends string> = Readonly<Record<Language, Readonly<Record<K, string>>>>;

// ---- target-group indicators (the SDL's TargetGroupIndicator) ----------------------------------------

const INDICATOR_TEXTS: Texts<TargetGroupIndicator> = {
  DA: {
    ABSENCE_OVER_20: 'Skolefravær over 20 % i et skoleår',
    NOT_EDUCATION_READY: 'Vurderet ikke-uddannelsesparat (8.-10. klasse)',
    SOCIAL_CASE: 'Sag i familiegrupperne med bekymring for skole eller uddannelse',
    NOT_IN_EDUCATION: 'Hverken i gang med eller færdig med en ungdomsuddannelse og ikke i fuldtidsarbejde',
    NEEDS_SUPPORT_IN_EDUCATION: 'I uddannelse og med behov for støtte til at gennemføre den',
  },
  EN: {
    ABSENCE_OVER_20: 'School absence over 20 % in a school year',
    NOT_EDUCATION_READY: 'Assessed not education-ready (grades 8-10)',
    SOCIAL_CASE: 'Social-services case with a school or education concern',
    NOT_IN_EDUCATION: 'Not in or finished with youth education, not in full-time work',
    NEEDS_SUPPORT_IN_EDUCATION: 'In education and needing support to complete it',
  },
};

export function indicatorText(code: TargetGroupIndicator, language: Language = DEFAULT_LANGUAGE): string {
  return INDICATOR_TEXTS[language][code];
}

// ---- reasons for a contact-person status (the SDL's EligibilityReasonCode) ---------------------------

export type EligibilityReasonCode =
  | 'PUPIL_NOT_EDUCATION_READY'
  | 'OPEN_SOCIAL_CASE'
  | 'AGED_WITHOUT_YOUTH_EDUCATION'
  | 'NOT_ENROLLED_NOT_IN_WORK'
  | 'HAS_MENTOR'
  | 'HAS_SOCIAL_CONTACT_PERSON'
  | 'NO_EXISTING_SUPPORT'
  | 'BELOW_GRADE_8'
  | 'NO_READINESS_ASSESSMENT'
  | 'PUPIL_EDUCATION_READY'
  | 'NO_CHILDRENS_CASE'
  | 'OUT_OF_SCHOOL_UNDER_18'
  | 'NO_GUIDANCE_RECORD'
  | 'COMPLETED_YOUTH_EDUCATION'
  | 'ENROLLED_IN_EDUCATION'
  | 'IN_FULL_TIME_WORK'
  | 'NO_ADULTS_CASE'
  | 'AGED_25_OR_OVER';

/** One reason: its code and the facts its sentence names (the grade, the age, the social unit). */
export interface EligibilityReason {
  code: EligibilityReasonCode;
  grade?: number | null;
  age?: number;
  socialUnit?: SocialUnit;
}

const SOCIAL_UNIT_NAMES: Texts<SocialUnit> = {
  DA: {
    FAMILY_GROUP_1: 'Familiegruppe 1',
    FAMILY_GROUP_2: 'Familiegruppe 2',
    FAMILY_GROUP_3: 'Familiegruppe 3',
    FAMILY_GROUP_4: 'Familiegruppe 4',
    SPECIAL_GROUP_CHILDREN: 'Specialgruppen Børn',
    SPECIAL_GROUP_ADULTS: 'Specialgruppen Voksne',
  },
  EN: {
    FAMILY_GROUP_1: 'Family group 1',
    FAMILY_GROUP_2: 'Family group 2',
    FAMILY_GROUP_3: 'Family group 3',
    FAMILY_GROUP_4: 'Family group 4',
    SPECIAL_GROUP_CHILDREN: "the children's special group",
    SPECIAL_GROUP_ADULTS: "the adults' special group",
  },
};

type Sentence = (reason: EligibilityReason) => string;

const REASON_TEXTS: Readonly<Record<Language, Readonly<Record<EligibilityReasonCode, Sentence>>>> = {
  DA: {
    PUPIL_NOT_EDUCATION_READY: (r) => `Elev i ${r.grade}. klasse, vurderet ikke-uddannelsesparat`,
    OPEN_SOCIAL_CASE: (r) => `Åben sag i ${r.socialUnit ? SOCIAL_UNIT_NAMES.DA[r.socialUnit] : 'socialområdet'}`,
    AGED_WITHOUT_YOUTH_EDUCATION: (r) => `${r.age} år, uden en afsluttet ungdomsuddannelse`,
    NOT_ENROLLED_NOT_IN_WORK: () => 'Ikke i uddannelse og ikke i fuldtidsarbejde',
    HAS_MENTOR: () => 'Har allerede en mentor fra jobcentret: koordinér med mentoren i stedet for at tildele endnu en person',
    HAS_SOCIAL_CONTACT_PERSON: () =>
      'Har allerede en kontaktperson fra socialområdet: koordinér med kontaktpersonen i stedet for at tildele endnu en person',
    NO_EXISTING_SUPPORT: () => 'Endnu ingen mentor eller kontaktperson efter serviceloven: en gennemgående kontaktperson kan tildeles',
    BELOW_GRADE_8: (r) => `Elev i ${r.grade}. klasse: en gennemgående kontaktperson er mulig fra 8. klasse`,
    NO_READINESS_ASSESSMENT: (r) => `Elev i ${r.grade}. klasse uden uddannelsesparathedsvurdering`,
    PUPIL_EDUCATION_READY: (r) => `Elev i ${r.grade}. klasse, vurderet uddannelsesparat`,
    NO_CHILDRENS_CASE: () => 'Ingen åben sag i en familiegruppe eller Specialgruppen Børn',
    OUT_OF_SCHOOL_UNDER_18: (r) =>
      `${r.age} år og ude af skolen: ingen af kandidatreglerne dækker 15-17-årige uden for 8.-10. klasse ` +
      '(reglerne tæller elever i 8.-10. klasse og 18-24-årige); vurdér behovet, en kontaktperson kan tildeles efter en faglig vurdering',
    NO_GUIDANCE_RECORD: () => 'Ikke registreret i Ungdommens Uddannelsesvejledning (UU)',
    COMPLETED_YOUTH_EDUCATION: () => 'Har afsluttet en ungdomsuddannelse',
    ENROLLED_IN_EDUCATION: () => 'Indskrevet på en uddannelse',
    IN_FULL_TIME_WORK: () => 'I fuldtidsarbejde',
    NO_ADULTS_CASE: () => 'Ingen åben sag i en familiegruppe eller Specialgruppen Voksne',
    AGED_25_OR_OVER: (r) => `${r.age} år: en gennemgående kontaktperson er mulig indtil det fyldte 25. år`,
  },
  // The sentences `ContactPersonEligibility.reasons` has always served, word for word.
  EN: {
    PUPIL_NOT_EDUCATION_READY: (r) => `Grade ${r.grade} pupil assessed not education-ready`,
    OPEN_SOCIAL_CASE: (r) => `Open case in ${r.socialUnit ? SOCIAL_UNIT_NAMES.EN[r.socialUnit] : 'social services'}`,
    AGED_WITHOUT_YOUTH_EDUCATION: (r) => `Aged ${r.age}, without a completed youth education`,
    NOT_ENROLLED_NOT_IN_WORK: () => 'Not enrolled in education and not in full-time work',
    HAS_MENTOR: () => 'Already has a mentor from the jobcenter: coordinate with the mentor instead of assigning a second person',
    HAS_SOCIAL_CONTACT_PERSON: () =>
      'Already has a contact person from social services: coordinate with the contact person instead of assigning a second person',
    NO_EXISTING_SUPPORT: () => 'No mentor or social-law contact person yet: a continuous contact person may be assigned',
    BELOW_GRADE_8: (r) => `Grade ${r.grade} pupil: a continuous contact person is possible from grade 8`,
    NO_READINESS_ASSESSMENT: (r) => `Grade ${r.grade} pupil without a readiness assessment`,
    PUPIL_EDUCATION_READY: (r) => `Grade ${r.grade} pupil assessed education-ready`,
    NO_CHILDRENS_CASE: () => "No open case in a family group or the children's special group",
    OUT_OF_SCHOOL_UNDER_18: (r) =>
      `Aged ${r.age} and out of school: neither candidate rule covers 15-17-year-olds outside grades 8-10 ` +
      '(the rules count pupils in grades 8-10 and ages 18-24); assess the need, a contact person may be assigned by judgement',
    NO_GUIDANCE_RECORD: () => 'No record at youth guidance (UU)',
    COMPLETED_YOUTH_EDUCATION: () => 'Has completed a youth education',
    ENROLLED_IN_EDUCATION: () => 'Enrolled in education',
    IN_FULL_TIME_WORK: () => 'In full-time work',
    NO_ADULTS_CASE: () => "No open case in a family group or the adults' special group",
    AGED_25_OR_OVER: (r) => `Aged ${r.age}: a continuous contact person is possible until 25`,
  },
};

export function eligibilityReasonText(reason: EligibilityReason, language: Language = DEFAULT_LANGUAGE): string {
  return REASON_TEXTS[language][reason.code](reason);
}

// ---- transitions (the SDL's TransitionKind) ------------------------------------------------------------

const TRANSITION_TEXTS: Readonly<Record<Language, Readonly<Record<TransitionKind, (grade: number | null) => string>>>> = {
  DA: {
    COORDINATING_MEETING_16_5: () => 'Koordinerende møde om og med den unge ved 16½ år, før overgangen til voksenområdet',
    JOBCENTER_ADVISOR_17: () => 'Jobcentret tildeler en rådgiver ved 17 år',
    TRANSFER_18: () => 'Formel overdragelse af ansvaret fra børne- til voksenområdet ved 18 år',
    LEAVING_COMPULSORY_SCHOOL: (grade) => `Afslutter grundskolen efter ${String(grade)}. klasse`,
    TURNING_25: () => 'Fylder 25: målgruppen og den gennemgående kontaktperson ophører',
  },
  EN: {
    COORDINATING_MEETING_16_5: () => "Coordinating meeting about and with the young person at 16½, before the handover to adults' services",
    JOBCENTER_ADVISOR_17: () => 'The jobcenter assigns an advisor at 17',
    TRANSFER_18: () => "Formal transfer of responsibility from children's to adults' services at 18",
    LEAVING_COMPULSORY_SCHOOL: (grade) => `Leaves compulsory school at the end of grade ${String(grade)}`,
    TURNING_25: () => 'Turns 25: the end of the legal target group and of the continuous contact person',
  },
};

/** A transition in words; leaving school names the grade it ends with. */
export function transitionText(kind: TransitionKind, grade: number | null, language: Language = DEFAULT_LANGUAGE): string {
  return TRANSITION_TEXTS[language][kind](grade);
}

// ---- a conflict between two units' goals (the SDL's GoalConflict) -------------------------------------

const TRACK_TEXTS: Texts<Track> = {
  DA: {
    EUD: 'en erhvervsuddannelse (EUD)',
    EUX: 'en erhvervsuddannelse med studentereksamen (EUX)',
    GYM: 'en gymnasial uddannelse',
    FGU: 'forberedende grunduddannelse (FGU)',
    STU: 'en særligt tilrettelagt ungdomsuddannelse (STU)',
    HIGHER: 'en videregående uddannelse',
    JOB: 'arbejde',
    OTHER: 'et andet mål',
  },
  EN: {
    EUD: 'vocational education (EUD)',
    EUX: 'vocational education with an upper-secondary exam (EUX)',
    GYM: 'upper-secondary education (GYM)',
    FGU: 'preparatory basic education (FGU)',
    STU: 'specially planned youth education (STU)',
    HIGHER: 'higher education',
    JOB: 'work',
    OTHER: 'another goal',
  },
};

const UNIT_TEXTS: Texts<Unit> = {
  DA: {
    SCHOOL: 'skolen',
    GUIDANCE: 'UU',
    JOBCENTER: 'jobcentret',
    SOCIAL: 'socialområdet',
    BENEFITS: 'ydelseskontoret',
    CONTACT_PERSON: 'kontaktpersonen',
  },
  EN: {
    SCHOOL: 'the school',
    GUIDANCE: 'youth guidance (UU)',
    JOBCENTER: 'the jobcenter',
    SOCIAL: 'social services',
    BENEFITS: 'the benefits office',
    CONTACT_PERSON: 'the contact person',
  },
};

/** "UU sigter mod en erhvervsuddannelse (EUD), mens jobcentret sigter mod arbejde", from the conflict's codes. */
export function goalConflictText(
  conflict: { tracks: readonly Track[]; sides: readonly (readonly Unit[])[] },
  language: Language = DEFAULT_LANGUAGE,
): string {
  const [and, aims, aim, toward, whileWord] =
    language === 'DA' ? ['og', 'sigter', 'sigter', 'mod', 'mens'] : ['and', 'aims', 'aim', 'at', 'while'];
  const clause = (units: readonly Unit[], track: Track) =>
    `${units.map((unit) => UNIT_TEXTS[language][unit]).join(` ${and} `)} ${units.length > 1 ? aim : aims} ${toward} ${TRACK_TEXTS[language][track]}`;
  const first = clause(conflict.sides[0] ?? [], conflict.tracks[0]!);
  return `${first.charAt(0).toUpperCase()}${first.slice(1)}, ${whileWord} ${clause(conflict.sides[1] ?? [], conflict.tracks[1]!)}`;
}

// ---- a unit's own action (the SDL's UnitAction) -----------------------------------------------------

const EFFORT_TEXTS: Texts<EffortType> = {
  DA: {
    COMPANY_INTERNSHIP: 'Virksomhedspraktik',
    WAGE_SUBSIDY: 'Job med løntilskud',
    PROJECT: 'Projektforløb',
    BRIDGE_BUILDING: 'Brobygning til uddannelse',
    MENTOR: 'Mentor',
  },
  EN: {
    COMPANY_INTERNSHIP: 'Company internship',
    WAGE_SUBSIDY: 'Wage subsidy job',
    PROJECT: 'Project-based course',
    BRIDGE_BUILDING: 'Bridge-building to education',
    MENTOR: 'Mentor',
  },
};

const MEASURE_TEXTS: Texts<MeasureType> = {
  DA: {
    CONTACT_PERSON: 'Kontaktperson',
    FAMILY_TREATMENT: 'Familiebehandling',
    PLACEMENT_NETWORK: 'Anbringelse i netværket',
    PLACEMENT_FOSTER_FAMILY: 'Anbringelse i plejefamilie',
    PLACEMENT_INSTITUTION: 'Anbringelse på institution',
    AFTERCARE: 'Efterværn',
    HOUSING_SUPPORT: 'Bostøtte',
    SUPPORTED_HOUSING: 'Botilbud',
  },
  EN: {
    CONTACT_PERSON: 'Contact person',
    FAMILY_TREATMENT: 'Family treatment',
    PLACEMENT_NETWORK: 'Placement in the family network',
    PLACEMENT_FOSTER_FAMILY: 'Placement in a foster family',
    PLACEMENT_INSTITUTION: 'Placement in an institution',
    AFTERCARE: 'Aftercare',
    HOUSING_SUPPORT: 'Housing support',
    SUPPORTED_HOUSING: 'Supported housing',
  },
};

/** What a unit's action is, by its code: a social measure, a jobcenter effort (with the system's own note), or a UU plan step (the system's text). */
export type UnitActionName =
  { kind: 'MEASURE'; type: MeasureType } | { kind: 'EFFORT'; type: EffortType; note: string | null } | { kind: 'STEP'; text: string };

/** The action's title in a language; the systems' own words (a step, an effort's note) stay as the system holds them. */
export function unitActionText(name: UnitActionName, language: Language = DEFAULT_LANGUAGE): string {
  if (name.kind === 'STEP') return name.text;
  if (name.kind === 'MEASURE') return MEASURE_TEXTS[language][name.type];
  const effort = EFFORT_TEXTS[language][name.type];
  return name.note ? `${effort}: ${name.note}` : effort;
}
