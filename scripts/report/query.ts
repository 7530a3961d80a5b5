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

export interface ReportData {
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

export const REPORT_QUERY = /* GraphQL */ `
  query ManagementReport($from: Date, $to: Date) {
    report {
      asOf
      screenedAt
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

/** Asks the gateway for the report; throws GatewayError with what went wrong (never the token). */
export async function fetchReport(
  url: string,
  token: string,
  period: { from?: string | undefined; to?: string | undefined } = {},
  fetchImpl: typeof fetch = fetch,
): Promise<ReportData> {
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
      body: JSON.stringify({
        query: REPORT_QUERY,
        operationName: 'ManagementReport',
        variables: { from: period.from ?? null, to: period.to ?? null },
      }),
    });
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code;
    throw new GatewayError(`cannot reach the gateway at ${url}${cause ? ` (${cause})` : ''}: is it running (npm start)?`);
  }
  const text = await response.text();
  let body: { data?: { report?: ReportData | null } | null; errors?: { message: string; extensions?: { code?: string } }[] };
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
  const report = body.data?.report;
  if (!report) throw new GatewayError(`the gateway answered HTTP ${response.status} without a report`);
  return report;
}
