/**
 * Worklists over the screening register (issue 13, section 4; store/worklist.ts): the due-window filter
 * and the DUE_DATE order in SQL agree with the rule (rules/due.ts) for every young person, page by page
 * on a keyset; "mine" names the caller's own caseload only; names filter and sort; bad input is refused
 * before anything is read; the handover report counts what the systems themselves record (seeds/000:
 * "Alle ungesager overdrages rettidigt").
 */
import { describe, expect, it } from 'vitest';
import type { RelationCaller } from '../../platform/authorization/relation.js';
import type { CoordinationStore, ScreeningQuery, ScreeningRow } from '../../subgraphs/coordination/store/coordinationStore.js';
import { addDays } from '../../subgraphs/coordination/rules/dates.js';
import { DUE_KINDS, dueItems, type DueKind } from '../../subgraphs/coordination/rules/due.js';
import { dueWindow } from '../../subgraphs/coordination/store/worklist.js';
import { handoverReport } from '../../subgraphs/coordination/reporting/reports.js';
import { backends, refusal, useMigratedStore, METTE } from './backends.js';
import { opensCategory, relationOf } from '../../platform/authorization/relation.js';

const TODAY = '2026-11-01';

/** Birth dates around each transition of TODAY's windows, leap days and month ends among them. */
function row(i: number): ScreeningRow {
  const base = ['2001-10-20', '2009-10-10', '2008-10-05', '2010-04-12'][i % 4]!;
  const birthDate = i === 7 ? '2008-02-29' : i === 11 ? '2010-05-31' : addDays(base, (i * 5) % 70);
  return {
    youthId: `w-${String(i).padStart(3, '0')}`,
    birthDate,
    schoolId: null,
    grade: i % 5 === 0 ? 9 : null,
    indicators: i % 7 === 0 ? ['NOT_IN_EDUCATION'] : [],
    inTargetGroup: i % 7 === 0,
    contactPersonStatus: 'NOT_CANDIDATE',
    institutionIds: [],
    childrensCase: i % 3 !== 0,
    counsellor: i % 2 === 0 ? 'ABC' : 'XYZ',
    advisorId: i % 6 === 0 ? 'JC-007' : null,
    caseworkerIds: i % 4 === 1 ? ['SB-03'] : [],
    socialUnits: i % 4 === 1 ? ['FAMILY_GROUP_2'] : [],
    recordUnits: ['UU'],
    firstName: ['Anna', 'Bo', 'Cecilie', 'Dennis_x'][i % 4]!,
    lastName: `${['Jensen', 'Hansen', 'Østergaard', 'Nielsen%'][i % 3]!}${String(i).padStart(2, '0')}`,
  };
}
const ROWS = Array.from({ length: 48 }, (_, i) => row(i));

const counsellor = (staffId: string | null): RelationCaller => ({ role: 'uu-counsellor', unit: 'UU', staffId, institution: null });

describe.each(backends)('worklists on $name', (backend) => {
  let store: CoordinationStore;
  useMigratedStore(backend, (opened) => ({ store } = opened));

  async function load(): Promise<void> {
    await store.replaceScreening(ROWS, { startedAt: '2026-11-01T02:00:00Z', asOf: TODAY });
  }

  /** Every page, 5 at a time, continued from the last position. */
  async function all(query: Omit<ScreeningQuery, 'first' | 'after' | 'asOf'>): Promise<{ ids: string[]; total: number }> {
    const ids: string[] = [];
    let after: string | undefined;
    for (;;) {
      const page = await store.queryScreening({ ...query, asOf: TODAY, first: 5, after });
      ids.push(...page.rows.map((r) => r.youthId));
      if (!page.hasNextPage) return { ids, total: page.totalCount! };
      after = page.positions.at(-1);
    }
  }

  /** The rule's answer for the same window: due rows, soonest first, then by id. */
  function expected(within: number, kinds: readonly DueKind[], review: ReadonlyMap<string, string> = new Map()): string[] {
    return ROWS.map((r) => ({
      id: r.youthId,
      items: dueItems(
        { birthDate: r.birthDate, childrensCase: r.childrensCase ?? false, grade: r.grade, reviewDueSince: review.get(r.youthId) ?? null },
        TODAY,
        within,
        kinds,
      ),
    }))
      .filter((r) => r.items.length > 0)
      .sort((a, b) => (a.items[0]!.date < b.items[0]!.date ? -1 : a.items[0]!.date > b.items[0]!.date ? 1 : a.id < b.id ? -1 : 1))
      .map((r) => r.id);
  }

  it.each<[number, readonly DueKind[]]>([
    [30, ['COORDINATING_MEETING_16_5']],
    [45, ['JOBCENTER_ADVISOR_17', 'TRANSFER_18']],
    [60, ['TURNING_25']],
    [366, DUE_KINDS],
    [1, DUE_KINDS],
    [240, ['LEAVING_COMPULSORY_SCHOOL', 'TRANSFER_18']],
  ])("due within %i days of %j: the SQL filter and DUE_DATE order are the rule's, across pages", async (within, kinds) => {
    await load();
    const want = expected(within, kinds);
    const got = await all({ due: dueWindow(TODAY, within, kinds), order: 'DUE_DATE' });
    expect(got.ids).toEqual(want);
    expect(got.total).toBe(want.length);
    if (within >= 30) expect(want.length).toBeGreaterThan(0); // the data exercise the window
  });

  it("a contact person's review counts from the day it was marked, with the transitions", async () => {
    await load();
    const made = await store.assignContactPerson({
      youthId: 'w-003',
      contactPersonId: METTE,
      assignedBy: 'uu-1',
      fundedCapacity: 60,
      acceptOverCapacity: false,
      startedOn: '2026-08-01',
    });
    await store.setReview(made.id, 'ANCHORED_IN_EDUCATION', '2026-10-20');
    const want = expected(30, DUE_KINDS, new Map([['w-003', '2026-10-20']]));
    expect(want[0]).toBe('w-003'); // due since before today: first on the list
    expect((await all({ due: dueWindow(TODAY, 30, DUE_KINDS), order: 'DUE_DATE' })).ids).toEqual(want);
    expect((await all({ due: dueWindow(TODAY, 1, ['CONTACT_PERSON_REVIEW']) })).ids).toEqual(['w-003']);
    expect(await store.dueFacts(['w-003', 'nobody'])).toEqual([
      { birthDate: ROWS[3]!.birthDate, childrensCase: false, grade: null, reviewDueSince: '2026-10-20' },
      null,
    ]);
  });

  it("need to know: a due list holds only young people whose relation opens the coordinated plan (not UU's statutory one)", async () => {
    await load();
    const entries = await store.registerEntries(ROWS.map((r) => r.youthId));
    const callers: RelationCaller[] = [
      counsellor('ABC'),
      counsellor(null),
      { role: 'jobcenter-advisor', unit: 'JOBCENTER', staffId: 'JC-007', institution: null },
      { role: 'social-caseworker', unit: 'FAMILY_GROUP_2', staffId: null, institution: null },
    ];
    for (const caller of callers) {
      const opens = new Set(
        ROWS.filter((_, i) => {
          const relation = relationOf(caller, entries[i]!.facts, TODAY);
          return relation !== null && opensCategory(relation, 'coordinated plan');
        }).map((r) => r.youthId),
      );
      const want = expected(366, DUE_KINDS).filter((id) => opens.has(id));
      const got = await all({ due: dueWindow(TODAY, 366, DUE_KINDS), order: 'DUE_DATE', relation: { caller, today: TODAY } });
      expect(got.ids, JSON.stringify(caller)).toEqual(want);
      expect(want.length, `${JSON.stringify(caller)}: the data put someone on each list`).toBeGreaterThan(0);
    }
    // The statutory relation lists everyone under 25 without a due filter, but none of them by due date.
    const statutory = await all({ relation: { caller: counsellor(null), today: TODAY } });
    expect(statutory.ids.length).toBeGreaterThan(30);
    const due = await all({ due: dueWindow(TODAY, 366, DUE_KINDS), relation: { caller: counsellor(null), today: TODAY } });
    expect(due.ids).toEqual(ROWS.filter((r) => r.inTargetGroup && expected(366, DUE_KINDS).includes(r.youthId)).map((r) => r.youthId));
  });

  it('"mine": the caller\'s own caseload in their role\'s system, or their contact persons; true and false split the list', async () => {
    await load();
    const ids = (f: (r: ScreeningRow) => boolean) => ROWS.filter(f).map((r) => r.youthId);
    expect((await all({ mine: { caller: counsellor('ABC'), value: true } })).ids).toEqual(ids((r) => r.counsellor === 'ABC'));
    expect((await all({ mine: { caller: counsellor('ABC'), value: false } })).ids).toEqual(ids((r) => r.counsellor !== 'ABC'));
    const advisor: RelationCaller = { role: 'jobcenter-advisor', unit: 'JOBCENTER', staffId: 'JC-007', institution: null };
    expect((await all({ mine: { caller: advisor, value: true } })).ids).toEqual(ids((r) => r.advisorId === 'JC-007'));
    const caseworker: RelationCaller = { role: 'social-caseworker', unit: 'FAMILY_GROUP_2', staffId: 'SB-03', institution: null };
    expect((await all({ mine: { caller: caseworker, value: true } })).ids).toEqual(ids((r) => (r.caseworkerIds ?? []).includes('SB-03')));
    // Initials a counsellor might share with an advisor's id do not cross systems: the role picks the column.
    expect((await all({ mine: { caller: { ...advisor, staffId: 'ABC' }, value: true } })).ids).toEqual([]);
    // Without a staff id nobody is the caller's.
    expect((await all({ mine: { caller: counsellor(null), value: true } })).ids).toEqual([]);
    await store.assignContactPerson({
      youthId: 'w-010',
      contactPersonId: METTE,
      assignedBy: 'uu-1',
      fundedCapacity: 60,
      acceptOverCapacity: false,
    });
    const contact: RelationCaller = { role: 'contact-person', unit: 'CONTACT_PERSON', staffId: METTE, institution: null };
    expect((await all({ mine: { caller: contact, value: true } })).ids).toEqual(['w-010']);
  });

  it('nameContains ignores case, matches first, last or full name, and takes % and _ literally; NAME orders by last, first name', async () => {
    await load();
    const ids = (f: (r: ScreeningRow) => boolean) => ROWS.filter(f).map((r) => r.youthId);
    expect((await all({ nameContains: 'jENSEN' })).ids).toEqual(ids((r) => r.lastName!.startsWith('Jensen')));
    expect((await all({ nameContains: 'anna jensen0' })).ids).toEqual(
      ids((r) => `${r.firstName} ${r.lastName}`.toLowerCase().includes('anna jensen0')),
    );
    expect((await all({ nameContains: 'østergaard' })).ids).toHaveLength(16);
    expect((await all({ nameContains: 'n%' })).ids).toEqual(ids((r) => r.lastName!.includes('n%')));
    expect((await all({ nameContains: 's_x' })).ids).toEqual(ids((r) => r.firstName!.includes('s_x')));
    const byName = [...ROWS]
      .sort((a, b) => a.lastName!.toLowerCase().localeCompare(b.lastName!.toLowerCase(), 'en') || a.youthId.localeCompare(b.youthId))
      .map((r) => r.youthId);
    const got = (await all({ order: 'NAME', nameContains: 'en' })).ids;
    expect(got).toEqual(byName.filter((id) => got.includes(id)));
    expect(got.length).toBeGreaterThan(10);
  });

  it('refuses a bad window, kind, name or order with BAD_USER_INPUT before reading', async () => {
    await load();
    expect(() => dueWindow(TODAY, 0, null)).toThrow(/dueWithinDays/);
    expect(() => dueWindow(TODAY, 367, null)).toThrow(/1 to 366/);
    expect(() => dueWindow(TODAY, 30, ['BIRTHDAY'])).toThrow(/dueKinds/);
    expect(() => dueWindow(TODAY, 30, [])).toThrow(/at least one/);
    expect((await refusal(store.queryScreening({ asOf: TODAY, first: 5, order: 'DUE_DATE' }))).code).toBe('BAD_USER_INPUT');
    expect((await refusal(store.queryScreening({ asOf: TODAY, first: 5, nameContains: 'a' }))).code).toBe('BAD_USER_INPUT');
    expect((await refusal(store.queryScreening({ asOf: TODAY, first: 5, order: 'NAME', after: 'w-001' }))).code).toBe('BAD_USER_INPUT');
  });
});

describe.each(backends)("handover timeliness from the systems' own data on $name", (backend) => {
  let store: CoordinationStore;
  useMigratedStore(backend, (opened) => ({ store } = opened));

  // Ten young people with a children's case who turned 17 and 18 in the period (2026-01-01 - 2026-06-30).
  const handover = (i: number, over: Partial<ScreeningRow>): ScreeningRow => ({
    youthId: `h-${String(i).padStart(2, '0')}`,
    birthDate: `2008-0${1 + (i % 5)}-1${i % 10}`,
    schoolId: null,
    grade: null,
    indicators: [],
    inTargetGroup: false,
    contactPersonStatus: 'NOT_CANDIDATE',
    institutionIds: [],
    childrensCase: true,
    ...over,
  });

  it('seeds/000 "Alle ungesager overdrages rettidigt": the adults\' case opened by 18 counts on time, without a recorded plan action', async () => {
    const rows = Array.from({ length: 10 }, (_, i) => {
      const eighteen = `2026-0${1 + (i % 5)}-1${i % 10}`;
      // Five: the adults' side opened the case two weeks before 18 (on time); five: a month after (late).
      return handover(i, { adultsCaseOpened: addDays(eighteen, i < 5 ? -14 : 30) });
    });
    await store.replaceScreening(rows, { asOf: '2026-11-01' });
    const report = await handoverReport(store, '2026-11-01', { from: '2026-01-01', to: '2026-06-30' });
    const transfer = report.transitions.find((t) => t.kind === 'TRANSFER_18')!;
    expect(transfer.onTime).toEqual({ value: 5, suppressed: false });
    expect(transfer.late).toEqual({ value: 5, suppressed: false });
    expect(transfer.missing).toEqual({ value: 0, suppressed: false });
  });

  it('seeds/000 "Jobcentret tildeler en rådgiver ... ved det 17. år": the jobcenter\'s visitation date measures the advisor at 17', async () => {
    const rows = Array.from({ length: 10 }, (_, i) => {
      const seventeen = `2025-0${1 + (i % 5)}-1${i % 10}`;
      return handover(i, { birthDate: `2008-0${1 + (i % 5)}-1${i % 10}`, jobcenterReferred: i < 5 ? seventeen : null });
    });
    await store.replaceScreening(rows, { asOf: '2026-11-01' });
    const report = await handoverReport(store, '2026-11-01', { from: '2025-01-01', to: '2025-06-30' });
    const advisor = report.transitions.find((t) => t.kind === 'JOBCENTER_ADVISOR_17')!;
    expect(advisor.onTime).toEqual({ value: 5, suppressed: false });
    expect(advisor.missing).toEqual({ value: 5, suppressed: false });
  });
});
