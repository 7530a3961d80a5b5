/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
/** What a young person does now (aktivitet), as UU has registered it. */
export type Activity =
  /** In education (uddannelse). */
  | 'EDUCATION'
  /** In full-time work (fuldtidsjob). */
  | 'FULL_TIME_WORK'
  /** Anything else (andet). */
  | 'OTHER'
  /** In part-time work (deltidsjob). */
  | 'PART_TIME_WORK'
  /** Unemployed (ledig). */
  | 'UNEMPLOYED';

/** The age bands of the target-group report, by age on the report's `asOf`. */
export type AgeBand =
  /** 13-15 years: grades 7-10. */
  | 'AGE_13_15'
  /** 16-17 years: the duty to be in education or work. */
  | 'AGE_16_17'
  /** 18-24 years: the legal target group. */
  | 'AGE_18_24'
  /** 25-29 years: Aalborg's extension to under 30. */
  | 'AGE_25_29'
  /** Outside 13-29 (should be none). */
  | 'OTHER';

/** Who gets which continuous contact person. */
export type AssignContactPersonInput = {
  /** Assign even past the municipality's funded capacity (an extra cost). */
  acceptOverCapacity?: boolean | null | undefined;
  /** The contact person's `ContactPerson.id`; they must be in service and below their caseload limit. */
  contactPersonId: string;
  /**
   * A key chosen by the client, at most 200 characters; repeating a submission with the same key takes
   * effect once and answers the first result. Default: the request's `Idempotency-Key` header.
   */
  idempotencyKey?: string | null | undefined;
  /**
   * Why the young person needs a continuous contact person, in the professional's words: required (at least
   * 40 characters and 6 words) unless the rules mark the young person ELIGIBLE.
   */
  justification?: string | null | undefined;
  /** A note for the record, at most 2,000 characters. */
  note?: string | null | undefined;
  /**
   * How the contact person and the existing mentor or social-law contact person work together: required
   * (at least 20 characters and 4 words) when the young person has one (the scheme replaces neither).
   */
  supportCoordination?: string | null | undefined;
  /** The young person's `Youth.id`. */
  youthId: string;
};

/** Where a young person's consent to share across units stands. */
export type ConsentStatus =
  /** A consent is active: the units it names are shared. */
  | 'GIVEN'
  /** 25 or over and no consent was ever recorded: other units' data is not shared. */
  | 'NONE'
  /** Under 25: the statutory youth effort is the basis for sharing; no consent is needed. */
  | 'NOT_REQUIRED'
  /** The last consent was withdrawn: other units' data is not shared. */
  | 'WITHDRAWN';

/**
 * Where a young person went when the contact-person assignment ended. The categories were borrowed from the
 * 2016-2018 social-fund project (Socialfondsprojektet Ungeindsats Aalborg), but its 80/10/10 goal belonged to that
 * project's own participants and period, not to the contact-person scheme: reported here without a goal.
 */
export type ContactPersonOutcome =
  /** Ordinary education right after (ordinær uddannelse). */
  | 'ORDINARY_EDUCATION'
  /** Other: illness, moved away, resource course (ressourceforløb) and the like. */
  | 'OTHER'
  /** A preparatory or upskilling course (forberedende eller opkvalificerende forløb). */
  | 'PREPARATORY_OR_UPSKILLING';

/** The kinds of effort (indsatstyper) under employment law. */
export type EffortType =
  /** Brobygning til uddannelse: bridge-building to education, trying out an education before starting it. */
  | 'BRIDGE_BUILDING'
  /** Virksomhedspraktik: an unpaid internship at a company. */
  | 'COMPANY_INTERNSHIP'
  /** Mentorstøtte (employment law): a mentor; a young person with one is coordinated with, not given a contact person too. */
  | 'MENTOR'
  /** Projektbaseret forløb: a project-based course. */
  | 'PROJECT'
  /** Løntilskud: a job with a wage subsidy. */
  | 'WAGE_SUBSIDY';

/** Where a young person stands for a continuous contact person. */
export type EligibilityStatus =
  /** A candidate without a mentor or a social-law contact person: a continuous contact person may be assigned. */
  | 'ELIGIBLE'
  /** A candidate who already has a mentor or a social-law contact person: coordinate with them. */
  | 'HAS_EXISTING_SUPPORT'
  /** Neither candidate rule applies (or aged 25 or more); `reasons` says what is missing. */
  | 'NOT_CANDIDATE';

/** Where an enrolment or application stands. */
export type EnrolmentStatus =
  /** Ansøger: has applied, not started. */
  | 'APPLYING'
  /** Fuldført: completed. */
  | 'COMPLETED'
  /** Afbrudt: dropped out (frafald). */
  | 'DROPPED_OUT'
  /** Indskrevet: enrolled. */
  | 'ENROLLED';

/** The jobcenter's visitation category (visitationskategori) for a young person on education or cash benefit. */
export type JobcenterCategory =
  /** Aktivitetsparat: activity-ready, needs support before an education or a job is within reach. */
  | 'ACTIVITY_READY'
  /** Uddannelsesparat: education-ready, expected to start an education within about a year. */
  | 'EDUCATION_READY';

/** The kinds of measure (foranstaltninger) under social law. */
export type MeasureType =
  /** Efterværn: aftercare for 18-22-year-olds who were placed or had a contact person. */
  | 'AFTERCARE'
  /** Kontaktperson (social law); a young person with one is coordinated with, not given a continuous contact person too. */
  | 'CONTACT_PERSON'
  /** Familiebehandling. */
  | 'FAMILY_TREATMENT'
  /** Bostøtte: housing support. */
  | 'HOUSING_SUPPORT'
  /** Anbringelse i plejefamilie. */
  | 'PLACEMENT_FOSTER_FAMILY'
  /** Anbringelse på institution. */
  | 'PLACEMENT_INSTITUTION'
  /** Anbringelse i netværkspleje. */
  | 'PLACEMENT_NETWORK'
  /** Botilbud: supported housing. */
  | 'SUPPORTED_HOUSING';

/** Where an agreed action stands. */
export type PlanActionStatus =
  /** Cancelled with a reason (`cancelledReason`); kept in the plan, not done. */
  | 'CANCELLED'
  /** Marked done. */
  | 'DONE'
  /** Not done yet. */
  | 'OPEN';

/** What kind of goal an education plan sets (from its track). */
export type PlanGoalCategory =
  /** Work. */
  | 'EMPLOYMENT'
  /** Higher education. */
  | 'HIGHER_EDUCATION'
  /** Something else. */
  | 'OTHER'
  /** The preparatory basic education (FGU) first. */
  | 'PREPARATORY'
  /** A youth education: EUD, EUX, upper-secondary (GYM) or STU. */
  | 'YOUTH_EDUCATION';

/** The outcome of a readiness assessment (UPV) for one kind of education. */
export type Readiness =
  /** Ikke-uddannelsesparat (IUP): not education-ready; the school and UU plan the support towards readiness. */
  | 'NOT_READY'
  /** Uddannelsesparat: education-ready. */
  | 'READY';

/** A consent to record (see `recordConsent`). */
export type RecordConsentInput = {
  /** The day the young person gave it; today when absent. Not in the future. */
  givenOn?: string | null | undefined;
  /** Idempotency key, at most 200 characters (see `RecordJointDecisionInput.idempotencyKey`). */
  idempotencyKey?: string | null | undefined;
  /** A note, at most 2,000 characters (how it was given, e.g. in writing at a meeting). */
  note?: string | null | undefined;
  /** The units whose data may be shared: SCHOOL, GUIDANCE, JOBCENTER, SOCIAL, BENEFITS (at least one). */
  units: Array<Unit>;
  /** The young person's `Youth.id`. */
  youthId: string;
};

/**
 * The units of social services that own cases: the four family groups (Familiegrupperne, 0-17, up to 23
 * through aftercare) and the two special groups.
 */
export type SocialUnit =
  /** Familiegruppe 1. */
  | 'FAMILY_GROUP_1'
  /** Familiegruppe 2. */
  | 'FAMILY_GROUP_2'
  /** Familiegruppe 3. */
  | 'FAMILY_GROUP_3'
  /** Familiegruppe 4. */
  | 'FAMILY_GROUP_4'
  /** Specialgruppen Voksne (18+). */
  | 'SPECIAL_GROUP_ADULTS'
  /** Specialgruppen Børn (0-17, aftercare to 23). */
  | 'SPECIAL_GROUP_CHILDREN';

/** The indicators that put a young person in the target group (figure 1 of the municipality's 2019 note). */
export type TargetGroupIndicator =
  /**
   * School absence over 20 % for any reason (skolefravær over 20 %: illness, lawful or unlawful) over a whole
   * school year: the latest completed one. A year in progress does not count until it has ended (30 June).
   */
  | 'ABSENCE_OVER_20'
  /**
   * Concerning unlawful absence (bekymrende fravær): the schools' early-warning rule, which the youth effort
   * deliberately does not use as an indicator. Never produced; read `SchoolRecord.absenceEarlyWarning`.
   */
  | 'CONCERNING_ABSENCE'
  /** Enrolled in a youth education, and UU has recorded a need for support to complete it (støttebehov). */
  | 'NEEDS_SUPPORT_IN_EDUCATION'
  /** Assessed not education-ready in grades 8-10 (ikke-uddannelsesparat). */
  | 'NOT_EDUCATION_READY'
  /**
   * Aged 15-29, not a pupil, not enrolled and not in full-time work, and without a completed youth education
   * (under 25) or a vocational qualification (25-29).
   */
  | 'NOT_IN_EDUCATION'
  /**
   * An open case in one of the family groups (indsats i familiegrupperne) combined with both school absence over
   * 20 % and the assessment not education-ready, as figure 1 puts it. Adds nobody by itself: it marks young
   * people already in the target group by those two indicators.
   */
  | 'SOCIAL_CASE';

/** Where a plan or a goal leads. */
export type Track =
  /** Erhvervsuddannelse (vocational education). */
  | 'EUD'
  /** Erhvervsuddannelse with upper-secondary exam. */
  | 'EUX'
  /** Forberedende grunduddannelse (preparatory basic education). */
  | 'FGU'
  /** Gymnasial uddannelse (STX, HHX, HTX, HF). */
  | 'GYM'
  /** Videregående uddannelse (higher education). */
  | 'HIGHER'
  /** Ordinary work. */
  | 'JOB'
  /** Another goal, or one a system names in words the graph does not know. */
  | 'OTHER'
  /** Særligt tilrettelagt ungdomsuddannelse. */
  | 'STU';

/**
 * The transitions the coordinated plan looks ahead to. The first three are the handover from children's to
 * adults' services, only for young people with a children's case.
 */
export type TransitionKind =
  /** Preparatory coordinating meeting at 16½ (children's to adults' services). */
  | 'COORDINATING_MEETING_16_5'
  /** The jobcenter assigns an advisor at 17. */
  | 'JOBCENTER_ADVISOR_17'
  /** Leaving compulsory school (end of grade 9 or 10). */
  | 'LEAVING_COMPULSORY_SCHOOL'
  /** Formal transfer of responsibility at 18. */
  | 'TRANSFER_18'
  /** Turning 25: the end of the legal target group. */
  | 'TURNING_25';

/** The municipal units behind the graph. */
export type Unit =
  /** The benefits office (Ydelsesafdelingen). */
  | 'BENEFITS'
  /** The continuous contact persons (gennemgående kontaktpersoner). */
  | 'CONTACT_PERSON'
  /** Youth guidance (UU, Ungdommens Uddannelsesvejledning). */
  | 'GUIDANCE'
  /** The jobcenter (Uddannelseshuset Jobcenter). */
  | 'JOBCENTER'
  /** The school administration (Skoleforvaltningen) and the schools. */
  | 'SCHOOL'
  /** Social services (Familiegrupperne, Specialgruppen Børn, Specialgruppen Voksne). */
  | 'SOCIAL';

export type AssignContactPersonMutationVariables = Exact<{
  input: AssignContactPersonInput;
}>;


export type AssignContactPersonMutation = { assignContactPerson: { id: string, startedAt: string, assignedBy: string, overCapacity: boolean, note: string | null, contactPerson: { id: string, name: string, caseload: number, caseloadLimit: number }, youth: { id: string, firstName: string, lastName: string } } };

export type CaseworkerDossierQueryVariables = Exact<{
  id: string;
}>;


export type CaseworkerDossierQuery = { youth: { id: string, firstName: string, lastName: string, birthDate: string, age: number, school: { grade: number, school: { name: string }, absence: Array<{ schoolYear: string, absenceRate: number }> } | null, guidance: { activity: Activity | null, counsellor: { name: string } | null, readiness: { vocational: Readiness, upperSecondary: Readiness } | null, educationPlan: { goal: string, track: Track } | null } | null, jobcenter: { category: JobcenterCategory, advisor: { name: string }, efforts: Array<{ type: EffortType, active: boolean }> } | null, socialSummary: { openCases: Array<{ unit: SocialUnit, activeMeasures: Array<MeasureType> }> } | null, benefits: { currentMonthlyAmountDkk: number } | null, targetGroup: { inTargetGroup: boolean, indicators: Array<TargetGroupIndicator>, asOf: string } | null, contactPersonEligibility: { status: EligibilityStatus, reasons: Array<string> } | null, consent: { required: boolean, status: ConsentStatus, units: Array<Unit>, latest: { givenOn: string, withdrawnOn: string | null } | null } | null, coordinatedPlan: { educationGoal: { unit: Unit, track: Track } | null, conflicts: Array<{ units: Array<Unit>, text: string }>, agreedActions: Array<{ id: string, title: string, status: PlanActionStatus }>, nextTransitions: Array<{ kind: TransitionKind, date: string }> } | null, contactPerson: { id: string, startedAt: string, contactPerson: { id: string, name: string, email: string } } | null } | null };

export type PartnerYoungPeopleQueryVariables = Exact<{
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type PartnerYoungPeopleQuery = { youths: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, edges: Array<{ node: { id: string, firstName: string, lastName: string, birthDate: string, age: number, guidance: { completedYouthEducation: boolean, currentEnrolment: { programme: string, status: EnrolmentStatus, start: string, end: string | null, needsSupport: boolean, institution: { id: string, name: string } } | null, educationPlan: { goalCategory: PlanGoalCategory, track: Track, updated: string, stepsTotal: number, stepsDone: number } | null } | null } }> } };

export type PartnerEnrolmentFragment = { programme: string, status: EnrolmentStatus, start: string, end: string | null, needsSupport: boolean, institution: { id: string, name: string } };

export type RecordConsentMutationVariables = Exact<{
  input: RecordConsentInput;
}>;


export type RecordConsentMutation = { recordConsent: { id: string, units: Array<Unit>, givenOn: string, recordedBy: string, youth: { id: string, consent: { required: boolean, status: ConsentStatus, units: Array<Unit> } | null } } };

export type ReportingBreakdownQueryVariables = Exact<{
  from?: string | null | undefined;
  to?: string | null | undefined;
}>;


export type ReportingBreakdownQuery = { report: { asOf: string, screenedAt: string | null, targetGroup: { screened: { value: number | null, suppressed: boolean }, inTargetGroup: { value: number | null, suppressed: boolean }, byIndicator: Array<{ indicator: TargetGroupIndicator, count: { value: number | null, suppressed: boolean } }>, byAgeBand: Array<{ band: AgeBand, count: { value: number | null, suppressed: boolean } }> }, contactPersonCapacity: { funded: number, isOverCapacity: boolean, active: { value: number | null, suppressed: boolean }, available: { value: number | null, suppressed: boolean } }, handovers: { from: string, to: string, transitions: Array<{ kind: TransitionKind, due: { value: number | null, suppressed: boolean }, onTimeShare: { value: number | null, goal: number | null, suppressed: boolean } }> }, outcomes: { byOutcome: Array<{ outcome: ContactPersonOutcome, count: { value: number | null, suppressed: boolean }, share: { value: number | null, goal: number | null, suppressed: boolean } }>, youthEducationAt25: { share: { value: number | null, goal: number | null, suppressed: boolean } } } } };

export class TypedDocumentString<TResult, TVariables>
  extends String
  implements DocumentTypeDecoration<TResult, TVariables>
{
  __apiType?: NonNullable<DocumentTypeDecoration<TResult, TVariables>['__apiType']>;
  private value: string;
  public __meta__?: Record<string, any> | undefined;

  constructor(value: string, __meta__?: Record<string, any> | undefined) {
    super(value);
    this.value = value;
    this.__meta__ = __meta__;
  }

  override toString(): string & DocumentTypeDecoration<TResult, TVariables> {
    return this.value;
  }
}
export const PartnerEnrolmentFragmentDoc = new TypedDocumentString(`
    fragment PartnerEnrolment on InstitutionLink {
  institution {
    id
    name
  }
  programme
  status
  start
  end
  needsSupport
}
    `, {"fragmentName":"PartnerEnrolment"}) as unknown as TypedDocumentString<PartnerEnrolmentFragment, unknown>;
export const AssignContactPersonDocument = new TypedDocumentString(`
    mutation AssignContactPerson($input: AssignContactPersonInput!) {
  assignContactPerson(input: $input) {
    id
    startedAt
    assignedBy
    overCapacity
    note
    contactPerson {
      id
      name
      caseload
      caseloadLimit
    }
    youth {
      id
      firstName
      lastName
    }
  }
}
    `) as unknown as TypedDocumentString<AssignContactPersonMutation, AssignContactPersonMutationVariables>;
export const CaseworkerDossierDocument = new TypedDocumentString(`
    query CaseworkerDossier($id: ID!) {
  youth(id: $id) {
    id
    firstName
    lastName
    birthDate
    age
    school {
      school {
        name
      }
      grade
      absence {
        schoolYear
        absenceRate
      }
    }
    guidance {
      counsellor {
        name
      }
      readiness {
        vocational
        upperSecondary
      }
      educationPlan {
        goal
        track
      }
      activity
    }
    jobcenter {
      category
      advisor {
        name
      }
      efforts {
        type
        active
      }
    }
    socialSummary {
      openCases {
        unit
        activeMeasures
      }
    }
    benefits {
      currentMonthlyAmountDkk
    }
    targetGroup {
      inTargetGroup
      indicators
      asOf
    }
    contactPersonEligibility {
      status
      reasons
    }
    consent {
      required
      status
      units
      latest {
        givenOn
        withdrawnOn
      }
    }
    coordinatedPlan {
      educationGoal {
        unit
        track
      }
      conflicts {
        units
        text
      }
      agreedActions {
        id
        title
        status
      }
      nextTransitions {
        kind
        date
      }
    }
    contactPerson {
      id
      startedAt
      contactPerson {
        id
        name
        email
      }
    }
  }
}
    `) as unknown as TypedDocumentString<CaseworkerDossierQuery, CaseworkerDossierQueryVariables>;
export const PartnerYoungPeopleDocument = new TypedDocumentString(`
    query PartnerYoungPeople($first: Int = 50, $after: String) {
  youths(first: $first, after: $after) {
    totalCount
    pageInfo {
      hasNextPage
      endCursor
    }
    edges {
      node {
        id
        firstName
        lastName
        birthDate
        age
        guidance {
          currentEnrolment {
            ...PartnerEnrolment
          }
          completedYouthEducation
          educationPlan {
            goalCategory
            track
            updated
            stepsTotal
            stepsDone
          }
        }
      }
    }
  }
}
    fragment PartnerEnrolment on InstitutionLink {
  institution {
    id
    name
  }
  programme
  status
  start
  end
  needsSupport
}`) as unknown as TypedDocumentString<PartnerYoungPeopleQuery, PartnerYoungPeopleQueryVariables>;
export const RecordConsentDocument = new TypedDocumentString(`
    mutation RecordConsent($input: RecordConsentInput!) {
  recordConsent(input: $input) {
    id
    units
    givenOn
    recordedBy
    youth {
      id
      consent {
        required
        status
        units
      }
    }
  }
}
    `) as unknown as TypedDocumentString<RecordConsentMutation, RecordConsentMutationVariables>;
export const ReportingBreakdownDocument = new TypedDocumentString(`
    query ReportingBreakdown($from: Date, $to: Date) {
  report {
    asOf
    screenedAt
    targetGroup {
      screened {
        value
        suppressed
      }
      inTargetGroup {
        value
        suppressed
      }
      byIndicator {
        indicator
        count {
          value
          suppressed
        }
      }
      byAgeBand {
        band
        count {
          value
          suppressed
        }
      }
    }
    contactPersonCapacity {
      funded
      isOverCapacity
      active {
        value
        suppressed
      }
      available {
        value
        suppressed
      }
    }
    handovers(from: $from, to: $to) {
      from
      to
      transitions {
        kind
        due {
          value
          suppressed
        }
        onTimeShare {
          value
          goal
          suppressed
        }
      }
    }
    outcomes {
      byOutcome {
        outcome
        count {
          value
          suppressed
        }
        share {
          value
          goal
          suppressed
        }
      }
      youthEducationAt25 {
        share {
          value
          goal
          suppressed
        }
      }
    }
  }
}
    `) as unknown as TypedDocumentString<ReportingBreakdownQuery, ReportingBreakdownQueryVariables>;