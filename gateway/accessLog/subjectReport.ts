/**
 * The young person's subject access report (issue 14, section 3; GDPR art. 15): what the graph holds
 * about one young person across the five systems and the coordination, and every access to their data
 * over the access log's retention period, for an auditor to hand over. The dossier is read through the
 * gateway as the young person's own read (role `youth`, their id as subject: every category they may see,
 * on the basis SUBJECT_ACCESS, row rules that admit their id only), so the read is itself logged and the
 * report holds no more than the young person's own login would show. Rendering lives in
 * subjectReportHtml.ts; the words in subjectReportText.ts.
 */
import { ROLES } from '../../platform/authorization/roles.js';
import type { AccessLogPage, AccessLogQuery, AccessLogRecord, DeadlineOptions } from './store.js';

/** Every part of the dossier the report asks for; the young person's own view (the `youth` role's scopes). */
export const SUBJECT_DOSSIER_QUERY = /* GraphQL */ `
  query SubjectAccessDossier($id: ID!) {
    youth(id: $id) {
      id
      firstName
      lastName
      birthDate
      age
      gender
      school {
        school {
          name
        }
        grade
        className
        absence {
          schoolYear
          schoolDays
          absentDays
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
        completedYouthEducation
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
      coordinatedPlan {
        educationGoal {
          unit
          track
          text
        }
        conflicts {
          units
          description
        }
        nextTransitions {
          kind
          date
          description
        }
        agreedActions {
          title
          status
          due
          ownerUnit
        }
        unitActions {
          unit
          title
          due
          done
        }
      }
      consent {
        required
        status
        units
        latest {
          givenOn
          recordedAt
          withdrawnOn
        }
      }
    }
  }
`;

/** The scopes the report's read carries: the young person's own (their role's), less the access-history scope. */
export const SUBJECT_READ_SCOPES: readonly string[] = ROLES.youth.scopes.filter((scope) => scope !== 'audit:own');

/** The sections of the dossier, in the report's order (identity first: the fields directly on `Youth`). */
export const DOSSIER_SECTIONS = [
  'school',
  'guidance',
  'jobcenter',
  'socialSummary',
  'benefits',
  'targetGroup',
  'coordinatedPlan',
  'consent',
] as const;
export const IDENTITY_FIELDS = ['id', 'firstName', 'lastName', 'birthDate', 'age', 'gender'] as const;

/** An access as the young person may see it: who by role and organisation, not by name or staff id. */
export interface SubjectAccessEntry {
  at: string;
  role: string | null;
  organisation: string | null;
  purpose: string;
  outcome: string;
  categories: string[];
  legalBases: Record<string, string> | null;
  relation: string | null;
  breakTheGlass: boolean;
  breakTheGlassReason: string | null;
}

export function subjectAccessEntry(record: AccessLogRecord): SubjectAccessEntry {
  return {
    at: record.at,
    role: record.role,
    organisation: record.organisation,
    purpose: record.purpose,
    outcome: record.outcome,
    categories: record.categories,
    legalBases: record.legalBases ?? null,
    relation: record.relation ?? null,
    breakTheGlass: record.relation === 'BREAK_THE_GLASS',
    breakTheGlassReason: record.breakTheGlassReason ?? null,
  };
}

/** A part of the dossier that is not in the report, and why (a code, never an upstream message). */
export interface WithheldPart {
  path: string;
  code: string;
}

export interface SubjectReport {
  youthId: string;
  /** ISO 8601. */
  generatedAt: string;
  /** The auditor who produced it (their `sub`), or null for the young person's own copy. */
  generatedBy: string | null;
  retentionDays: number;
  /** The start of the period covered (ISO 8601): now less the retention period. */
  coveredFrom: string;
  /** The graph's answer about the young person; null when the graph does not know them. */
  dossier: Record<string, unknown> | null;
  withheld: WithheldPart[];
  accesses: SubjectAccessEntry[];
  /** More accesses than the report lists (`MAX_REPORT_ACCESSES`): the newest are shown. */
  accessesTruncated: boolean;
}

export interface DossierAnswer {
  data?: Record<string, unknown> | null | undefined;
  errors?: readonly { path?: readonly (string | number)[] | undefined; extensions?: Record<string, unknown> | undefined }[] | undefined;
}

export interface SubjectReportSources {
  /** Runs `SUBJECT_DOSSIER_QUERY` for the young person as their own read (logged by the gateway). */
  readDossier(youthId: string): Promise<DossierAnswer>;
  log: { forYouth(query: AccessLogQuery, options?: DeadlineOptions): Promise<AccessLogPage> };
  retentionDays: number;
  readTimeoutMs?: number;
}

/** At most this many accesses in one report (20 pages of the log); an auditor reads the rest in pages. */
export const MAX_REPORT_ACCESSES = 10_000;
const PAGE = 500;
const DAY_MS = 86_400_000;

export async function gatherSubjectReport(
  youthId: string,
  sources: SubjectReportSources,
  options: { generatedBy?: string | null; now?: Date } = {},
): Promise<SubjectReport> {
  const now = options.now ?? new Date();
  const from = new Date(now.getTime() - sources.retentionDays * DAY_MS);
  // The log first: the report's own read of the dossier is then not listed as a past access.
  const accesses: SubjectAccessEntry[] = [];
  let after: string | undefined;
  let truncated = false;
  for (;;) {
    const page = await sources.log.forYouth(
      { youthId, from, first: PAGE, ...(after ? { after } : {}) },
      sources.readTimeoutMs !== undefined ? { deadlineMs: sources.readTimeoutMs } : {},
    );
    accesses.push(...page.entries.map(subjectAccessEntry));
    if (!page.pageInfo.hasNextPage || !page.pageInfo.endCursor) break;
    if (accesses.length >= MAX_REPORT_ACCESSES) {
      truncated = true;
      break;
    }
    after = page.pageInfo.endCursor;
  }
  const answer = await sources.readDossier(youthId);
  const youth = answer.data?.['youth'];
  return {
    youthId,
    generatedAt: now.toISOString(),
    generatedBy: options.generatedBy ?? null,
    retentionDays: sources.retentionDays,
    coveredFrom: from.toISOString(),
    dossier: typeof youth === 'object' && youth !== null ? (youth as Record<string, unknown>) : null,
    withheld: (answer.errors ?? [])
      .filter((error) => error.path !== undefined && error.path.length > 1)
      .map((error) => ({
        path: (error.path ?? []).slice(1).join('.'),
        code: typeof error.extensions?.['code'] === 'string' ? error.extensions['code'] : 'INTERNAL_SERVER_ERROR',
      })),
    accesses: accesses.slice(0, MAX_REPORT_ACCESSES),
    accessesTruncated: truncated,
  };
}
