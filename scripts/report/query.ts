/**
 * The reporting tool's one query against the gateway (scope `reporting:read`) and the shape of its
 * answer. Counts come as `{ value, suppressed }`: value is null where suppressed.
 */

export interface Count {
  value: number | null;
  suppressed: boolean;
}

export interface Share {
  value: number | null;
  goal: number | null;
  suppressed: boolean;
}

export interface HandoverCounts {
  due: Count;
  pastDue: Count;
  onTime: Count;
  late: Count;
  missing: Count;
  notYetDue: Count;
  onTimeShare: Share;
}

/** One month of the seed's success measures (`Report.measureSeries`); null where the month cannot be counted. */
export interface MonthlyMeasures {
  month: string;
  asOf: string;
  source: 'SNAPSHOT' | 'BACKFILLED' | 'COMPUTED' | 'LIVE';
  handoverAt18: HandoverCounts;
  educationGoalInOpenCases: { openCases: Count; withEducationGoal: Count; share: Share } | null;
  meetingsInUddannelseshuset: { meetings: Count; inUddannelseshuset: Count; share: Share } | null;
  jointDecisions: Count;
  youthEducationAt25: { aged25: Count; completed: Count; underWay: Count; completedShare: Share; underWayShare: Share } | null;
  contactPersons: {
    funded: number;
    active: Count;
    byRule: Count;
    byJudgement: Count;
    contactPersonsWithCaseload: number;
    caseloadPerPerson: number | null;
    capacityUse: Share;
    ended: Count;
    endedByReason: { reason: string; count: Count }[];
  };
}

export interface ReportData {
  /** The last 12 or 24 months that are over (absent in answers from before issue 15). */
  measureSeries?: MonthlyMeasures[];
  asOf: string;
  screenedAt: string | null;
  targetGroup: {
    screened: Count;
    inTargetGroup: Count;
    notInTargetGroup: Count;
    byIndicator: { indicator: string; count: Count }[];
    combinations: { indicators: string[]; count: Count }[];
    pairs: { first: string; second: string; count: Count }[];
    byAgeBand: { band: string; count: Count }[];
    bySchool: { pupils: Count; notPupils: Count; schools: { schoolId: string; count: Count }[] };
  };
  contactPersonCapacity: {
    funded: number;
    isOverCapacity: boolean;
    active: Count;
    overCapacity: Count;
    available: Count;
    contactPersons: { contactPersonName: string; caseload: Count; caseloadLimit: number; overLimit: boolean; active: boolean }[];
  };
  handovers: {
    from: string;
    to: string;
    transitions: ({ kind: string } & HandoverCounts)[];
    total: HandoverCounts;
  };
  outcomes: {
    endedAssignments: Count;
    withOutcome: Count;
    withoutOutcome: Count;
    byOutcome: { outcome: string; count: Count; share: Share }[];
    youthEducationAt25: { aged25: Count; completed: Count; notCompleted: Count; share: Share };
  };
}

const COUNT = '{ value suppressed }';
const SHARE = '{ value goal suppressed }';
const HANDOVER = `due ${COUNT} pastDue ${COUNT} onTime ${COUNT} late ${COUNT} missing ${COUNT} notYetDue ${COUNT} onTimeShare ${SHARE}`;

const MEASURES = `month asOf source
        handoverAt18 { ${HANDOVER} }
        educationGoalInOpenCases { openCases ${COUNT} withEducationGoal ${COUNT} share ${SHARE} }
        meetingsInUddannelseshuset { meetings ${COUNT} inUddannelseshuset ${COUNT} share ${SHARE} }
        jointDecisions ${COUNT}
        youthEducationAt25 { aged25 ${COUNT} completed ${COUNT} underWay ${COUNT} completedShare ${SHARE} underWayShare ${SHARE} }
        contactPersons {
          funded active ${COUNT} byRule ${COUNT} byJudgement ${COUNT} contactPersonsWithCaseload caseloadPerPerson
          capacityUse ${SHARE} ended ${COUNT} endedByReason { reason count ${COUNT} }
        }`;

export const REPORT_QUERY = /* GraphQL */ `
  query ManagementReport($from: Date, $to: Date, $months: Int) {
    report {
      asOf
      screenedAt
      measureSeries(months: $months) { ${MEASURES} }
      targetGroup {
        screened ${COUNT}
        inTargetGroup ${COUNT}
        notInTargetGroup ${COUNT}
        byIndicator { indicator count ${COUNT} }
        combinations { indicators count ${COUNT} }
        pairs { first second count ${COUNT} }
        byAgeBand { band count ${COUNT} }
        bySchool { pupils ${COUNT} notPupils ${COUNT} schools { schoolId count ${COUNT} } }
      }
      contactPersonCapacity {
        funded
        isOverCapacity
        active ${COUNT}
        overCapacity ${COUNT}
        available ${COUNT}
        contactPersons { contactPersonName caseload ${COUNT} caseloadLimit overLimit active }
      }
      handovers(from: $from, to: $to) {
        from
        to
        transitions { kind ${HANDOVER} }
        total { ${HANDOVER} }
      }
      outcomes {
        endedAssignments ${COUNT}
        withOutcome ${COUNT}
        withoutOutcome ${COUNT}
        byOutcome { outcome count ${COUNT} share ${SHARE} }
        youthEducationAt25 { aged25 ${COUNT} completed ${COUNT} notCompleted ${COUNT} share ${SHARE} }
      }
    }
  }
`;

export class GatewayError extends Error {
  override name = 'GatewayError';
}

export const CSV_QUERY = /* GraphQL */ `
  query ManagementReportCsv($locale: CsvLocale, $from: Date, $to: Date, $months: Int) {
    report {
      csv(locale: $locale, from: $from, to: $to, months: $months) {
        table
        fileName
        columns
        content
      }
    }
  }
`;

export interface CsvTable {
  table: string;
  fileName: string;
  columns: string[];
  content: string;
}

export interface ReportRequest {
  from?: string | undefined;
  to?: string | undefined;
  months?: number | undefined;
}

/** Asks the gateway for the report; throws GatewayError with what went wrong (never the token). */
export async function fetchReport(
  url: string,
  token: string,
  period: ReportRequest = {},
  fetchImpl: typeof fetch = fetch,
): Promise<ReportData> {
  const data = await ask<{ report?: ReportData | null }>(
    url,
    token,
    'ManagementReport',
    REPORT_QUERY,
    {
      from: period.from ?? null,
      to: period.to ?? null,
      months: period.months ?? 12,
    },
    fetchImpl,
  );
  if (!data.report) throw new GatewayError('the gateway answered without a report');
  return data.report;
}

/** Every table of the report as CSV, written by the coordination (`Report.csv`): the same suppression, cell for cell. */
export async function fetchCsv(
  url: string,
  token: string,
  request: ReportRequest & { locale: 'EN' | 'DA' },
  fetchImpl: typeof fetch = fetch,
): Promise<CsvTable[]> {
  const data = await ask<{ report?: { csv: CsvTable[] } | null }>(
    url,
    token,
    'ManagementReportCsv',
    CSV_QUERY,
    {
      locale: request.locale,
      from: request.from ?? null,
      to: request.to ?? null,
      months: request.months ?? 12,
    },
    fetchImpl,
  );
  if (!data.report) throw new GatewayError('the gateway answered without a report');
  return data.report.csv;
}

async function ask<T>(
  url: string,
  token: string,
  operationName: string,
  query: string,
  variables: Record<string, unknown>,
  fetchImpl: typeof fetch,
): Promise<T> {
  let response: Response;
  try {
    response = await fetchImpl(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json',
        authorization: `Bearer ${token}`,
        'x-purpose': 'Management report on the coordinated youth effort (aggregates only)',
      },
      body: JSON.stringify({ query, operationName, variables }),
    });
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code;
    throw new GatewayError(`cannot reach the gateway at ${url}${cause ? ` (${cause})` : ''}: is it running (npm start)?`);
  }
  const text = await response.text();
  let body: { data?: T | null; errors?: { message: string; extensions?: { code?: string } }[] };
  try {
    body = JSON.parse(text) as typeof body;
  } catch {
    throw new GatewayError(`the gateway answered HTTP ${response.status} without a GraphQL response`);
  }
  if (body.errors && body.errors.length > 0) {
    const messages = body.errors.map((e) => `${e.extensions?.code ?? 'ERROR'}: ${e.message}`);
    const hint = response.status === 401 ? ' (the token was refused: expired, or signed by a key the gateway does not trust?)' : '';
    throw new GatewayError(`the gateway refused the report${hint}:\n  ${messages.join('\n  ')}`);
  }
  if (!body.data) throw new GatewayError(`the gateway answered HTTP ${response.status} without a report`);
  return body.data;
}
