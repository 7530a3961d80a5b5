/**
 * Issue 11, finding 1: suppressed report cells recoverable by differencing two questions.
 *
 * The attacker asks `report { handovers(from:, to:) }` for two periods one day apart: the difference
 * of the published counts is the day's count, which asking for that day alone suppresses (one young
 * person's transfer at 18). These tests play that attack and its class: overlapping periods, a
 * subgroup against its whole (a transition's row against the total, one status against past due),
 * one section's figures against another's, and the same section a day later, when the data has moved.
 *
 * The attacker's arithmetic (`range`): a published count that is a multiple of 5 stands for that
 * value to value + 4 (the rounding in suppression.ts); any other published value is exact (as the
 * old code published them); a suppressed count is 1-4 when it is small and anything otherwise (the
 * attacker is told which, which is more than a real one knows). Two counts whose true difference is a
 * small count d (1-4) "pin" it when their ranges leave only one value of d in 1-4.
 */
import { ApolloServer } from '@apollo/server';
import { buildSubgraphSchema } from '@apollo/subgraph';
import DataLoader from 'dataloader';
import { parse, type GraphQLFormattedError } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatSubgraphError } from '../../subgraphs/kit/errors.js';
import { coordinationTypeDefs } from '../../subgraphs/coordination/server.js';
import { resolvers, type CoordinationContext } from '../../subgraphs/coordination/resolvers.js';
import type { CoordinationStore, HandoverTransition } from '../../subgraphs/coordination/store/coordinationStore.js';
import { HANDOVER_TRANSITIONS } from '../../subgraphs/coordination/store/coordinationStore.js';
import {
  buildHandoverReport,
  buildTargetGroupReport,
  HANDOVER_STATUSES,
  type HandoverStatus,
} from '../../subgraphs/coordination/reporting/reports.js';
import { PERIOD_MONTHS, periodWindow, reportPeriod } from '../../subgraphs/coordination/reporting/periods.js';
import { suppress, type PublishedCount } from '../../subgraphs/coordination/reporting/suppression.js';
import { backends, openMigrated, resetData } from '../coordination-store/backends.js';
import { AS_OF, youths } from '../reporting/fixtures.js';

// ---------------------------------------------------------------- the attacker's arithmetic

interface Cell {
  published: PublishedCount;
  truth: number;
}

/** The counts a published count can stand for, as the attacker works it out. */
function range({ published, truth }: Cell): [number, number] {
  if (published.suppressed || published.value === null) return truth >= 1 && truth <= 4 ? [1, 4] : [0, Infinity];
  if (published.value === 0) return [0, 0];
  return published.value % 5 === 0 ? [published.value, published.value + 4] : [published.value, published.value];
}

/** The values of d = bigger - smaller (both published) in 1-4 that the two published counts allow. */
function candidates(bigger: Cell, smaller: Cell): number[] {
  const [bLo, bHi] = range(bigger);
  const [sLo, sHi] = range(smaller);
  return [1, 2, 3, 4].filter((d) => d >= bLo - sHi && d <= bHi - sLo);
}

/** Every pair of cells whose true difference is a small count, with what the attacker can narrow it to. */
function pinnedPairs(cells: readonly (Cell & { label: string })[]): string[] {
  const pins: string[] = [];
  for (const a of cells) {
    for (const b of cells) {
      const d = a.truth - b.truth;
      if (d < 1 || d > 4) continue;
      const left = candidates(a, b);
      if (!left.includes(d)) throw new Error(`the attacker's arithmetic is unsound for ${a.label} - ${b.label}`);
      if (left.length < 2) pins.push(`${a.label} (${JSON.stringify(a.published)}) - ${b.label} (${JSON.stringify(b.published)}) = ${d}`);
    }
  }
  return pins;
}

// ---------------------------------------------------------------- through the graph

interface Answer {
  data?: Record<string, unknown> | null;
  errors?: readonly GraphQLFormattedError[];
}

const HANDOVERS = /* GraphQL */ `
  query ($from: Date, $to: Date) {
    report {
      handovers(from: $from, to: $to) {
        from
        to
        transitions {
          kind
          due {
            value
            suppressed
          }
        }
        total {
          due {
            value
            suppressed
          }
        }
      }
    }
  }
`;

interface HandoverAnswer {
  from: string;
  to: string;
  transitions: { kind: HandoverTransition; due: PublishedCount }[];
  total: { due: PublishedCount };
}

describe('the one-day differencing attack on handovers(from:, to:), through the coordination subgraph', () => {
  const backend = backends[0]!;
  let store: CoordinationStore;
  let cleanup: () => Promise<void>;
  let apollo: ApolloServer<CoordinationContext>;

  beforeAll(async () => {
    let db;
    ({ db, store, cleanup } = await openMigrated(backend));
    // The coordination subgraph's own schema and resolvers (no gateway: the report is the subgraph's).
    const schema = buildSubgraphSchema([{ typeDefs: parse(coordinationTypeDefs), resolvers }]);
    apollo = new ApolloServer<CoordinationContext>({ schema, formatError: formatSubgraphError, includeStacktraceInErrorResponses: false });
    await apollo.start();
    await resetData(db);
    // 12 transfers at 18 in May 2026 (born in May 2008), none in June 2025, and ONE on 2026-06-02.
    await store.replaceScreening(
      [
        ...youths(6, { birthDate: '2008-05-04', schoolId: null, grade: null, indicators: [], childrensCase: true }),
        ...youths(6, { birthDate: '2008-05-20', schoolId: null, grade: null, indicators: [], childrensCase: true }),
        ...youths(1, { birthDate: '2008-06-02', schoolId: null, grade: null, indicators: [], childrensCase: true }),
      ],
      { asOf: AS_OF },
    );
  });
  afterAll(async () => {
    await apollo.stop();
    await cleanup();
  });

  function context(): CoordinationContext {
    return {
      requestId: 'attack',
      authorization: undefined,
      identity: {
        subject: 'attacker',
        role: 'reporting-tool',
        organisation: 'aalborg/reporting',
        institution: null,
        scopes: new Set(['reporting:read']),
      },
      store,
      facts: { forYouth: async () => null },
      fundedCapacity: 60,
      today: AS_OF,
      actor: 'attacker',
      activeAssignment: new DataLoader((ids: readonly string[]) => store.activeAssignments(ids)),
      planActions: new DataLoader((ids: readonly string[]) => store.planActions(ids)),
      jointDecisions: new DataLoader((ids: readonly string[]) => store.jointDecisions(ids)),
      contactPersonById: new DataLoader((ids: readonly string[]) => store.getContactPersons(ids)),
    } as unknown as CoordinationContext;
  }

  async function ask(from: string, to: string): Promise<Answer> {
    const response = await apollo.executeOperation({ query: HANDOVERS, variables: { from, to } }, { contextValue: context() });
    if (response.body.kind !== 'single') throw new Error('expected a single result');
    return response.body.singleResult;
  }

  /** The transfers at 18 the attacker is after, per question: the truth the test knows. */
  function transfersIn(from: string, to: string): number {
    const days = ['2026-05-04', '2026-05-20', '2026-06-02'];
    const counts = [6, 6, 1];
    return days.reduce((acc, day, i) => acc + (day >= from && day <= to ? counts[i]! : 0), 0);
  }

  it('no two questions the attacker can get answered pin the one transfer on 2026-06-02', async () => {
    // The finding's questions (days), and the nearest whole-period ones: June against May, the 12
    // months to June against the 12 months to May (June 2025 had none), the quarter against its months.
    const questions: [string, string][] = [
      ['2026-01-01', '2026-06-01'],
      ['2026-01-01', '2026-06-02'],
      ['2026-06-02', '2026-06-02'],
      ['2026-06-01', '2026-06-30'],
      ['2026-05-01', '2026-05-31'],
      ['2026-04-01', '2026-04-30'],
      ['2026-04-01', '2026-06-30'],
      ['2025-07-01', '2026-06-30'],
      ['2025-06-01', '2026-05-31'],
      ['2025-06-01', '2025-06-30'],
    ];
    const cells: (Cell & { label: string })[] = [];
    for (const [from, to] of questions) {
      const answer = await ask(from, to);
      if (answer.errors) {
        expect(answer.errors[0]?.extensions?.code, `${from}..${to}`).toBe('BAD_USER_INPUT');
        continue;
      }
      const handovers = (answer.data!.report as { handovers: HandoverAnswer }).handovers;
      const transfer = handovers.transitions.find((t) => t.kind === 'TRANSFER_18')!;
      cells.push({ label: `TRANSFER_18 ${from}..${to}`, published: transfer.due, truth: transfersIn(from, to) });
    }
    // The one young person's day alone is never shown: refused, or suppressed.
    expect(cells.filter((c) => c.truth === 1).every((c) => c.published.suppressed)).toBe(true);
    expect(cells.length).toBe(7); // the seven whole periods are answered, the three day ranges refused
    expect(pinnedPairs(cells)).toEqual([]);
  });

  it('a day range is refused with BAD_USER_INPUT naming the periods allowed', async () => {
    for (const [from, to, field] of [
      ['2026-01-01', '2026-06-02', 'to'],
      ['2026-06-02', '2026-06-02', 'from'],
      ['2026-01-02', '2026-12-31', 'from'],
      ['2026-05-01', '2026-06-30', 'to'], // 2 months: not a fixed shape
      ['2026-02-01', '2026-04-30', 'from'], // 3 months, not a calendar quarter
    ] as const) {
      const answer = await ask(from, to);
      expect(answer.data?.report ?? null, `${from}..${to}`).toBeNull();
      expect(answer.errors?.[0]?.extensions?.code, `${from}..${to}`).toBe('BAD_USER_INPUT');
      expect(answer.errors?.[0]?.extensions?.field, `${from}..${to}`).toBe(field);
      expect(answer.errors?.[0]?.message).toMatch(/whole calendar months|calendar quarter/);
    }
  });

  it('dates back to 2000 (or far ahead) are refused with the allowed range', async () => {
    for (const [from, to] of [
      ['2000-01-01', '2000-01-31'],
      ['2023-01-01', '2023-12-31'],
      ['2028-01-01', '2028-01-31'],
    ] as const) {
      const answer = await ask(from, to);
      expect(answer.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      expect(answer.errors?.[0]?.message).toContain('a period must lie between 2023-06-01 and 2027-06-30');
    }
  });
});

// ---------------------------------------------------------------- hand-built data, many questions

/** A small deterministic generator (mulberry32), so a failure can be replayed from its seed. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Monthly = Map<string, Map<HandoverTransition, Map<HandoverStatus, number>>>;

/** Month keys (YYYY-MM) of the window for AS_OF. */
function windowMonths(): string[] {
  const { from, to } = periodWindow(AS_OF);
  const months: string[] = [];
  for (
    let y = Number(from.slice(0, 4)), m = Number(from.slice(5, 7));
    `${y}-${String(m).padStart(2, '0')}` <= to.slice(0, 7);
    m === 12 ? (y++, (m = 1)) : m++
  ) {
    months.push(`${y}-${String(m).padStart(2, '0')}`);
  }
  return months;
}

/** Handovers per month, transition and status: mostly small numbers, many zeros, some larger. */
function monthlyData(rnd: () => number): Monthly {
  const data: Monthly = new Map();
  for (const month of windowMonths()) {
    const byKind = new Map<HandoverTransition, Map<HandoverStatus, number>>();
    for (const kind of HANDOVER_TRANSITIONS) {
      const past = `${month}-01` <= AS_OF;
      const n = () => {
        const r = rnd();
        return r < 0.35 ? 0 : r < 0.75 ? 1 + Math.floor(rnd() * 4) : 5 + Math.floor(rnd() * 20);
      };
      byKind.set(kind, new Map(HANDOVER_STATUSES.map((status) => [status, status === 'NOT_YET_DUE' ? (past ? 0 : n()) : past ? n() : 0])));
    }
    data.set(month, byKind);
  }
  return data;
}

/** Every period the rules allow in the window (all of them: a few hundred). */
function allowedPeriods(): { from: string; to: string }[] {
  const months = windowMonths();
  const periods: { from: string; to: string }[] = [];
  for (const [i, month] of months.entries()) {
    for (const length of PERIOD_MONTHS) {
      const last = months[i + length - 1];
      if (last === undefined) continue;
      const to = `${last}-${String(new Date(Date.UTC(Number(last.slice(0, 4)), Number(last.slice(5, 7)), 0)).getUTCDate()).padStart(2, '0')}`;
      try {
        periods.push(reportPeriod(AS_OF, `${month}-01`, to));
      } catch {
        // not a calendar quarter: not a question anyone can ask
      }
    }
  }
  return periods;
}

const COLUMNS = ['due', 'pastDue', 'onTime', 'late', 'missing', 'notYetDue'] as const;
const STATUSES_OF: Record<(typeof COLUMNS)[number], readonly HandoverStatus[]> = {
  due: HANDOVER_STATUSES,
  pastDue: ['ON_TIME', 'LATE', 'MISSING'],
  onTime: ['ON_TIME'],
  late: ['LATE'],
  missing: ['MISSING'],
  notYetDue: ['NOT_YET_DUE'],
};

/** Every published count of one allowed question, with its true value. */
function askHandovers(data: Monthly, period: { from: string; to: string }): (Cell & { label: string })[] {
  const sum = new Map(HANDOVER_TRANSITIONS.map((kind) => [kind, new Map(HANDOVER_STATUSES.map((s) => [s, 0]))]));
  for (const [month, byKind] of data) {
    if (`${month}-01` < period.from || `${month}-01` > period.to) continue;
    for (const [kind, byStatus] of byKind) for (const [status, n] of byStatus) sum.get(kind)!.set(status, sum.get(kind)!.get(status)! + n);
  }
  const report = buildHandoverReport(sum, period);
  const truth = (kinds: readonly HandoverTransition[], statuses: readonly HandoverStatus[]) =>
    kinds.reduce((acc, kind) => acc + statuses.reduce((s, status) => s + sum.get(kind)!.get(status)!, 0), 0);
  const cells: (Cell & { label: string })[] = [];
  for (const row of [...report.transitions, { kind: 'total' as const, ...report.total }]) {
    const kinds = row.kind === 'total' ? HANDOVER_TRANSITIONS : [row.kind];
    for (const column of COLUMNS) {
      cells.push({
        label: `${period.from}..${period.to} ${row.kind}.${column}`,
        published: row[column],
        truth: truth(kinds, STATUSES_OF[column]),
      });
    }
  }
  return cells;
}

describe('differencing any two allowed questions never pins a small count (hand-built data)', () => {
  const periods = allowedPeriods();

  it('the window holds the fixed shapes only, a bounded number of questions', () => {
    expect(periods.length).toBeGreaterThan(100);
    expect(periods.length).toBeLessThan(150);
    expect(periods.every((p) => p.from >= '2023-06-01' && p.to <= '2027-06-30')).toBe(true);
  });

  it.each([1, 2, 3, 4, 5, 6])(
    'across ranges, filters (a transition against the total, a status against past due) and both (seed %i)',
    (seed) => {
      const rnd = random(seed);
      const data = monthlyData(rnd);
      // 30 random questions and every pair of their published counts (about 400,000 pairs per seed).
      const asked = Array.from({ length: 30 }, () => periods[Math.floor(rnd() * periods.length)]!);
      const cells = asked.flatMap((period) => askHandovers(data, period));
      expect(cells.some((c) => c.published.suppressed)).toBe(true);
      expect(pinnedPairs(cells)).toEqual([]);
    },
  );

  it('overlapping 12-month windows a month apart, where the month dropped had none', () => {
    const data = monthlyData(random(99));
    for (const byKind of data.values()) for (const byStatus of byKind.values()) for (const s of HANDOVER_STATUSES) byStatus.set(s, 0);
    // 9 transfers in each month, and one more in May 2026: June 2025 (dropped) had 9 as well.
    for (const byKind of data.values()) byKind.get('TRANSFER_18')!.set('MISSING', 9);
    data.get('2026-05')!.get('TRANSFER_18')!.set('MISSING', 10);
    const cells = [
      ...askHandovers(data, { from: '2025-05-01', to: '2026-04-30' }),
      ...askHandovers(data, { from: '2025-06-01', to: '2026-05-31' }),
    ];
    // 108 against 109: the old code showed both, and the difference gave the extra transfer away.
    expect(cells.find((c) => c.label.endsWith('TRANSFER_18.due') && c.label.startsWith('2025-06-01'))?.truth).toBe(109);
    expect(pinnedPairs(cells)).toEqual([]);
  });
});

describe('across sections and over time: the target group, a day later', () => {
  const INDICATORS = ['ABSENCE_OVER_20', 'NOT_IN_EDUCATION', 'SOCIAL_CASE'] as const;
  const BANDS = ['AGE_13_15', 'AGE_16_17', 'AGE_18_24', 'AGE_25_29', 'OTHER'] as const;

  /** Figures of the target group, with every published count's truth. */
  function targetGroupCells(
    people: { combination: string; band: (typeof BANDS)[number]; school: string | null; inTg: boolean }[],
    label: string,
  ) {
    const tg = people.filter((p) => p.inTg);
    const combos = [...new Set(tg.map((p) => p.combination))];
    const schools = [...new Set(people.flatMap((p) => (p.school ? [p.school] : [])))].sort();
    const report = buildTargetGroupReport({
      screened: people.length,
      inTargetGroup: tg.length,
      combinations: combos.map((c) => ({ indicators: c.split('+') as never, count: tg.filter((p) => p.combination === c).length })),
      ageBands: new Map(BANDS.map((b) => [b, tg.filter((p) => p.band === b).length])),
      schools: schools.map((schoolId) => ({ schoolId, inTargetGroup: tg.filter((p) => p.school === schoolId).length })),
    });
    const cells: (Cell & { label: string })[] = [
      { label: `${label} screened`, published: report.screened, truth: people.length },
      { label: `${label} inTargetGroup`, published: report.inTargetGroup, truth: tg.length },
      { label: `${label} notInTargetGroup`, published: report.notInTargetGroup, truth: people.length - tg.length },
      { label: `${label} pupils`, published: report.bySchool.pupils, truth: tg.filter((p) => p.school).length },
      { label: `${label} notPupils`, published: report.bySchool.notPupils, truth: tg.filter((p) => !p.school).length },
      ...report.byAgeBand.map((b) => ({
        label: `${label} age ${b.band}`,
        published: b.count,
        truth: tg.filter((p) => p.band === b.band).length,
      })),
      ...report.bySchool.schools.map((s) => ({
        label: `${label} school ${s.schoolId}`,
        published: s.count,
        truth: tg.filter((p) => p.school === s.schoolId).length,
      })),
      ...report.combinations.map((c) => ({
        label: `${label} combination ${c.indicators.join('+')}`,
        published: c.count,
        truth: tg.filter((p) => p.combination === c.indicators.join('+')).length,
      })),
      ...report.byIndicator.map((i) => ({
        label: `${label} indicator ${i.indicator}`,
        published: i.count,
        truth: tg.filter((p) => p.combination.split('+').includes(i.indicator)).length,
      })),
    ];
    return cells;
  }

  it.each([11, 12, 13, 14, 15])('totals in one answer against parts in the other, today against tomorrow (seed %i)', (seed) => {
    const rnd = random(seed);
    const combos = ['ABSENCE_OVER_20', 'NOT_IN_EDUCATION', 'SOCIAL_CASE', 'ABSENCE_OVER_20+SOCIAL_CASE', 'NOT_IN_EDUCATION+SOCIAL_CASE'];
    const person = () => {
      const inTg = rnd() < 0.6;
      return {
        inTg,
        combination: inTg ? combos[Math.floor(rnd() * combos.length)]! : '',
        band: BANDS[Math.floor(rnd() * 4)]!,
        school: rnd() < 0.5 ? `S-${1 + Math.floor(rnd() * 4)}` : null,
      };
    };
    const today = Array.from({ length: 30 + Math.floor(rnd() * 60) }, person);
    // Tomorrow one to four young people join the register and one leaves it.
    const tomorrow = [...today.slice(1), ...Array.from({ length: 1 + Math.floor(rnd() * 4) }, person)];
    const cells = [...targetGroupCells(today, 'today'), ...targetGroupCells(tomorrow, 'tomorrow')];
    expect(INDICATORS.length).toBe(3);
    expect(pinnedPairs(cells)).toEqual([]);
  });
});

describe('within one answer: a total minus the sum of its published parts never pins a hidden part', () => {
  it('the example the rounding alone would give away: 35 = 4 + 4 + 9 + 9 + 9', () => {
    const cells = [
      { key: 'total', value: 35 },
      { key: 'a', value: 4 },
      { key: 'b', value: 4 },
      { key: 'c', value: 9 },
      { key: 'd', value: 9 },
      { key: 'e', value: 9 },
    ];
    const result = suppress(cells, [{ total: 'total', parts: ['a', 'b', 'c', 'd', 'e'] }]);
    // Without the interval audit: total 35-39, c, d, e 5-9 each, so a + b >= 8: both 4. One more goes.
    expect(result.suppressedKeys()).toEqual(['a', 'b', 'c']);
    expect(result.cell('total')).toEqual({ value: 35, suppressed: false });
  });

  it.each([21, 22, 23, 24, 25, 26, 27, 28])('random breakdowns (seed %i)', (seed) => {
    const rnd = random(seed);
    for (let round = 0; round < 200; round++) {
      const parts = Array.from({ length: 2 + Math.floor(rnd() * 6) }, () =>
        rnd() < 0.3 ? 0 : rnd() < 0.6 ? 1 + Math.floor(rnd() * 4) : 5 + Math.floor(rnd() * 12),
      );
      const total = parts.reduce((a, b) => a + b, 0);
      const keys = parts.map((_, i) => `p${i}`);
      const result = suppress(
        [{ key: 'total', value: total }, ...parts.map((value, i) => ({ key: keys[i]!, value }))],
        [{ total: 'total', parts: keys }],
      );
      const cell = (key: string, truth: number): Cell => ({ published: result.cell(key), truth });
      parts.forEach((value, i) => {
        if (!result.cell(keys[i]!).suppressed || value < 1 || value > 4) return;
        // The hidden part from the total and every other part's range.
        let [lo, hi] = range(cell('total', total));
        parts.forEach((other, j) => {
          if (j === i) return;
          const [oLo, oHi] = range(cell(keys[j]!, other));
          [lo, hi] = [lo - oHi, hi - oLo];
        });
        const left = [1, 2, 3, 4].filter((d) => d >= lo && d <= hi);
        expect(left, `parts ${parts.join(', ')}, total ${total}: p${i}`).toContain(value);
        expect(left.length, `parts ${parts.join(', ')}, total ${total}: p${i}`).toBeGreaterThanOrEqual(2);
      });
    }
  });
});
