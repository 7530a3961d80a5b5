/**
 * The operations the screen sends, and the shapes of their answers. Every section of the dossier is
 * nullable: a system that does not answer, or a field the role may not see, is null with an error.
 */
import {
  JOINT_DECISIONS_SELECTION,
  MEETINGS_SELECTION,
  PLAN_ACTION_SELECTION,
  type AgreedAction,
  type JointDecisionItem,
  type MeetingRecord,
} from './meetingQueries.js';

export const YOUTHS_QUERY = /* GraphQL */ `
  query ScreenYouths(
    $filter: YouthFilter
    $first: Int!
    $after: String
    $orderBy: YouthOrder
    $withDue: Boolean = false
    $language: Language = DA
  ) {
    youths(filter: $filter, first: $first, after: $after, orderBy: $orderBy) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        due @include(if: $withDue) {
          kind
          date
          reason
          text(language: $language)
        }
        node {
          id
          firstName
          lastName
          age
        }
      }
    }
    screeningStatus {
      status
      finishedAt
    }
  }
`;

export interface YouthListItem {
  id: string;
  firstName: string | null;
  lastName: string | null;
  age: number | null;
}

/** Something due for a young person in the worklist's period (issue 13). */
export interface DueItem {
  kind: string;
  date: string;
  /** Why the young person is on the worklist, in plain words (Danish, with an ISO date). */
  reason: string;
  /** What falls due in words, in the screen's language, without the date (issue 15). */
  text: string;
}

export interface YouthsAnswer {
  youths: {
    totalCount: number;
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
    /** `due` on the worklist only: what falls due in the list's period, and why (soonest first). */
    edges: { node: YouthListItem; due?: DueItem[] }[];
  } | null;
  /** The register's last rebuild: the list is only as current as it. */
  screeningStatus: { status: 'RUNNING' | 'SUCCEEDED' | 'FAILED'; finishedAt: string | null } | null;
}

export const DOSSIER_QUERY = /* GraphQL */ `
  query ScreenDossier($id: ID!, $language: Language = DA) {
    youth(id: $id) {
      id
      firstName
      lastName
      age
      birthDate
      school {
        school {
          name
        }
        grade
        className
        absence {
          schoolYear
          absenceRate
        }
        pprInvolvedSince
        wellbeingForum
      }
      guidance {
        counsellor {
          name
          email
        }
        readiness {
          date
          grade
          vocational
          upperSecondary
        }
        educationPlan {
          goal
          track
          updated
          steps {
            text
            due
            done
          }
        }
        currentEnrolment {
          institution {
            name
          }
          programme
          status
          needsSupport
        }
        activity
      }
      jobcenter {
        category
        advisor {
          name
        }
        referred
        goal {
          track
          text
        }
        efforts {
          type
          start
          end
          active
          description
        }
      }
      social {
        cases {
          unit
          open
          opened
          caseworker {
            name
          }
          measures {
            type
            active
          }
        }
      }
      socialSummary {
        openCases {
          unit
          caseworker {
            name
          }
          activeMeasures
        }
      }
      benefits {
        currentMonthlyAmountDkk
        payments {
          type
          active
          monthlyAmountDkk
        }
      }
      targetGroup {
        inTargetGroup
        indicators
        asOf
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
      contactPersonEligibility {
        status
        candidateRule
        reasonDetails {
          code
          text(language: $language)
        }
        existingSupport {
          kind
          unit
        }
        assignableBy
        hardLimit
      }
      coordinatedPlan {
        educationGoal {
          unit
          track
          text
        }
        conflicts {
          units
          text(language: $language)
        }
        nextTransitions {
          kind
          date
          text(language: $language)
        }
        agreedActions {
          id
          title
          status
          due
          ownerUnit${PLAN_ACTION_SELECTION}
        }${JOINT_DECISIONS_SELECTION}
        unitActions {
          unit
          text(language: $language)
          due
          done
        }
        contactPerson {
          id
          basis
          justification
          supportCoordination
          startedOn
          contactPerson {
            id
            name
          }
        }
      }
${MEETINGS_SELECTION}
      contactPerson {
        id
        startedAt
        startedOn
        assignedBy
        overCapacity
        basis
        justification
        supportCoordination
        contactPerson {
          id
          name
          email
        }
      }
    }
    contactPersons {
      id
      name
      caseload
      caseloadLimit
    }
    contactPersonCapacity {
      funded
      active
      available
    }
  }
`;

export const ASSIGN_MUTATION = /* GraphQL */ `
  mutation ScreenAssignContactPerson($input: AssignContactPersonInput!) {
    assignContactPerson(input: $input) {
      id
      startedAt
      overCapacity
      basis
      justification
      supportCoordination
      contactPerson {
        id
        name
      }
    }
  }
`;

export interface Named {
  name: string;
}

export interface Dossier {
  id: string;
  firstName: string | null;
  lastName: string | null;
  age: number | null;
  birthDate: string | null;
  school: {
    school: Named;
    grade: number;
    className: string;
    absence: { schoolYear: string; absenceRate: number }[];
    pprInvolvedSince: string | null;
    wellbeingForum: boolean;
  } | null;
  guidance: {
    counsellor: { name: string; email: string } | null;
    readiness: { date: string; grade: number; vocational: string; upperSecondary: string } | null;
    educationPlan: { goal: string; track: string; updated: string; steps: { text: string; due: string; done: boolean }[] } | null;
    currentEnrolment: { institution: Named; programme: string; status: string; needsSupport: boolean } | null;
    activity: string | null;
  } | null;
  jobcenter: {
    category: string;
    advisor: Named;
    referred: string;
    goal: { track: string; text: string };
    efforts: { type: string; start: string; end: string | null; active: boolean; description: string }[];
  } | null;
  social: {
    cases: { unit: string; open: boolean; opened: string; caseworker: Named; measures: { type: string; active: boolean }[] }[];
  } | null;
  socialSummary: { openCases: { unit: string; caseworker: Named; activeMeasures: string[] }[] } | null;
  benefits: { currentMonthlyAmountDkk: number; payments: { type: string; active: boolean; monthlyAmountDkk: number }[] } | null;
  targetGroup: { inTargetGroup: boolean; indicators: string[]; asOf: string } | null;
  /** Consent to share across units (issue 14): needed from 25 for another unit's data. */
  consent: {
    required: boolean;
    status: 'NOT_REQUIRED' | 'GIVEN' | 'WITHDRAWN' | 'NONE';
    units: string[];
    latest: { givenOn: string; withdrawnOn: string | null } | null;
  } | null;
  contactPersonEligibility: {
    status: string;
    candidateRule: string | null;
    /** Each reason as a code and its text in the screen's language (issue 15). */
    reasonDetails: { code: string; text: string }[];
    existingSupport: { kind: string; unit: string }[];
    /** RULE, JUDGEMENT, or null when `hardLimit` forbids an assignment. */
    assignableBy: AssignmentBasis | null;
    hardLimit: string | null;
  } | null;
  coordinatedPlan: {
    educationGoal: { unit: string; track: string; text: string } | null;
    conflicts: { units: string[]; text: string }[];
    nextTransitions: { kind: string; date: string; text: string }[];
    agreedActions: AgreedAction[];
    /** Joint decisions, for linking a meeting to those it took (issue 15). */
    jointDecisions: JointDecisionItem[];
    unitActions: { unit: string; text: string; due: string | null; done: boolean }[];
    /** Null without an active assignment, and for a role without `contact-person:read` (with an error). */
    contactPerson: (AssignmentRecord & { id: string; contactPerson: { id: string; name: string } }) | null;
  } | null;
  /** Meetings about the young person, newest first (issue 15); null with an error like `coordinatedPlan`. */
  meetings: MeetingRecord[] | null;
  contactPerson:
    | (AssignmentRecord & {
        id: string;
        startedAt: string;
        assignedBy: string;
        overCapacity: boolean;
        contactPerson: { id: string; name: string; email: string };
      })
    | null;
}

export type AssignmentBasis = 'RULE' | 'JUDGEMENT';

/** What an assignment records about its basis (issue 13): shown in the contact-person section and the plan. */
export interface AssignmentRecord {
  basis: AssignmentBasis;
  justification: string | null;
  supportCoordination: string | null;
  startedOn: string | null;
}

export interface ContactPersonOption {
  id: string;
  name: string;
  caseload: number;
  caseloadLimit: number;
}

export interface DossierAnswer {
  youth: Dossier | null;
  contactPersons: ContactPersonOption[] | null;
  contactPersonCapacity: { funded: number; active: number; available: number } | null;
}

export interface AssignAnswer {
  assignContactPerson: {
    id: string;
    startedAt: string;
    overCapacity: boolean;
    basis: AssignmentBasis;
    justification: string | null;
    supportCoordination: string | null;
    contactPerson: { id: string; name: string };
  } | null;
}
