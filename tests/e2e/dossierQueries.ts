/**
 * The dossier documents the suites and the benchmark share, one copy each (tests import them; so does
 * bench/graph/run.ts, as it imports tests/load). Two on purpose: DOSSIER asks every field a caseworker's
 * dossier shows, for the end-to-end check and for the limits that must let the largest real operation
 * through; SYSTEMS_DOSSIER asks a few fields of each system and of the coordination, the benchmark's
 * workload and the fault suites' baseline (its shape is what the published numbers measured).
 * operations/examples/caseworker-dossier.graphql is the caseworker's own copy, checked by
 * tests/operations/examples.test.ts: it asks `socialSummary` and `consent`, not `social`, so it serves
 * neither purpose here. tests/e2e/fetchBatching.test.ts keeps its own smaller one (the three `@requires`
 * fetches it counts).
 */

export const DOSSIER = /* GraphQL */ `
  query Dossier($id: ID!) {
    youth(id: $id) {
      id
      firstName
      lastName
      birthDate
      age
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
      school {
        school {
          name
        }
        grade
        absence {
          schoolYear
          absenceRate
          unlawfulAbsenceDates
        }
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
      social {
        cases {
          unit
          open
          measures {
            type
            active
          }
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
        payments {
          type
          monthlyAmountDkk
        }
      }
      targetGroup {
        inTargetGroup
        indicators
        asOf
      }
      contactPersonEligibility {
        status
        candidateRule
        reasons
        existingSupport {
          kind
          unit
        }
      }
      coordinatedPlan {
        educationGoal {
          unit
          track
        }
        goals {
          unit
          track
          text
        }
        conflicts {
          units
          tracks
          description
        }
        unitActions {
          unit
          title
        }
        agreedActions {
          id
          title
          status
        }
        jointDecisions {
          id
          summary
          units
        }
        nextTransitions {
          kind
          date
        }
      }
      contactPerson {
        id
        contactPerson {
          id
          name
        }
      }
    }
  }
`;

/** A few fields of every system and of the coordination: the dossier the benchmark and the fault suites ask. */
export const SYSTEMS_DOSSIER = /* GraphQL */ `
  query Dossier($id: ID!) {
    youth(id: $id) {
      id
      firstName
      lastName
      age
      school {
        grade
        absence {
          schoolYear
          absenceRate
        }
      }
      guidance {
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
        efforts {
          type
          active
        }
      }
      social {
        cases {
          unit
          open
          measures {
            type
            active
          }
        }
      }
      benefits {
        currentMonthlyAmountDkk
      }
      targetGroup {
        inTargetGroup
        indicators
      }
      contactPersonEligibility {
        status
        reasons
      }
      coordinatedPlan {
        conflicts {
          description
        }
        nextTransitions {
          kind
          date
        }
        agreedActions {
          title
          status
        }
      }
      contactPerson {
        contactPerson {
          name
        }
      }
    }
  }
`;
