import type { Count, HandoverCounts, ReportData, Share } from '../../scripts/report/query.js';

export const n = (value: number): Count => ({ value, suppressed: false });
export const hidden: Count = { value: null, suppressed: true };
const share = (value: number | null, goal: number | null, suppressed = false): Share => ({
  value: suppressed ? null : value,
  goal,
  suppressed,
});

function handover(due: number, onTime: Count, late: Count, missing: Count, notYetDue: Count, onTimeShare: Share): HandoverCounts {
  return { due: n(due), pastDue: n(due), onTime, late, missing, notYetDue, onTimeShare };
}

/** A report as the gateway answers it, with suppressed cells in every section. */
export function sampleReport(overrides: Partial<ReportData> = {}): ReportData {
  return {
    asOf: '2026-11-23',
    screenedAt: '2026-11-23T02:00:05.123Z',
    targetGroup: {
      screened: n(58210),
      inTargetGroup: n(3312),
      notInTargetGroup: n(54898),
      byIndicator: [
        { indicator: 'ABSENCE_OVER_20', count: n(612) },
        { indicator: 'CONCERNING_ABSENCE', count: n(301) },
        { indicator: 'NOT_EDUCATION_READY', count: n(455) },
        { indicator: 'SOCIAL_CASE', count: hidden },
        { indicator: 'NOT_IN_EDUCATION', count: n(2104) },
        { indicator: 'NEEDS_SUPPORT_IN_EDUCATION', count: n(0) },
      ],
      combinations: [
        { indicators: ['ABSENCE_OVER_20'], count: n(420) },
        { indicators: ['NOT_IN_EDUCATION'], count: n(2104) },
        { indicators: ['ABSENCE_OVER_20', 'CONCERNING_ABSENCE'], count: hidden },
        { indicators: ['NOT_EDUCATION_READY', 'SOCIAL_CASE'], count: hidden },
      ],
      pairs: [
        { first: 'ABSENCE_OVER_20', second: 'CONCERNING_ABSENCE', count: n(190) },
        { first: 'NOT_EDUCATION_READY', second: 'SOCIAL_CASE', count: hidden },
      ],
      byAgeBand: [
        { band: 'AGE_13_15', count: n(1012) },
        { band: 'AGE_16_17', count: n(380) },
        { band: 'AGE_18_24', count: n(1420) },
        { band: 'AGE_25_29', count: n(500) },
        { band: 'OTHER', count: n(0) },
      ],
      bySchool: {
        pupils: n(1200),
        notPupils: n(2112),
        schools: [
          { schoolId: 'S-0012', count: n(96) },
          { schoolId: 'S-0031', count: hidden },
          { schoolId: 'S-0044', count: hidden },
        ],
      },
    },
    contactPersonCapacity: {
      funded: 60,
      isOverCapacity: true,
      active: hidden,
      overCapacity: hidden,
      available: n(0),
      contactPersons: [
        { contactPersonName: 'Jonas Brandt', caseload: n(25), caseloadLimit: 25, overLimit: false, active: true },
        { contactPersonName: 'Mette <Kjær>', caseload: n(25), caseloadLimit: 25, overLimit: false, active: true },
        { contactPersonName: 'Sara Holm', caseload: hidden, caseloadLimit: 25, overLimit: false, active: true },
      ],
    },
    handovers: {
      from: '2025-11-23',
      to: '2026-11-23',
      transitions: [
        { kind: 'COORDINATING_MEETING_16_5', ...handover(40, n(30), hidden, hidden, n(0), share(0.75, 1)) },
        { kind: 'JOBCENTER_ADVISOR_17', ...handover(38, n(20), n(10), n(8), n(0), share(0.5263, 1)) },
        { kind: 'TRANSFER_18', ...handover(35, hidden, hidden, n(9), n(0), share(null, 1, true)) },
      ],
      total: handover(113, n(71), n(19), n(23), n(0), share(0.6283, 1)),
    },
    outcomes: {
      endedAssignments: n(31),
      withOutcome: n(26),
      withoutOutcome: n(5),
      byOutcome: [
        { outcome: 'ORDINARY_EDUCATION', count: n(20), share: share(0.7692, null) },
        { outcome: 'PREPARATORY_OR_UPSKILLING', count: hidden, share: share(null, null, true) },
        { outcome: 'OTHER', count: hidden, share: share(null, null, true) },
      ],
      youthEducationAt25: { aged25: n(2310), completed: n(1910), notCompleted: n(400), share: share(0.8268, 0.9) },
    },
    ...overrides,
  };
}
