import { describe, expect, it } from 'vitest';
import type { Database } from '../../platform/db/database.js';
import type { CoordinationStore, HandoverTransition, ScreeningRow } from '../../subgraphs/coordination/store/coordinationStore.js';
import {
  capacityReport,
  handoverDue,
  handoverReport,
  outcomeReport,
  targetGroupReport,
  type HandoverCounts,
} from '../../subgraphs/coordination/reporting/reports.js';
import type { PublishedCount } from '../../subgraphs/coordination/reporting/suppression.js';
import { backends, JONAS, METTE, SARA, refusal, useMigratedStore } from '../coordination-store/backends.js';
import { AS_OF, handoverAction, plusDays, targetGroupRegister, youths } from './fixtures.js';

/** A count as the tests write it: the published number (rounded down to a multiple of 5), or '<5' where suppressed. */
const shown = (count: PublishedCount): number | '<5' => (count.suppressed ? '<5' : (count.value as number));

function handoverRow(counts: HandoverCounts) {
  return {
    due: shown(counts.due),
    pastDue: shown(counts.pastDue),
    onTime: shown(counts.onTime),
    late: shown(counts.late),
    missing: shown(counts.missing),
    notYetDue: shown(counts.notYetDue),
    share: counts.onTimeShare.suppressed ? '<5' : counts.onTimeShare.value,
  };
}

describe.each(backends)('reporting aggregates on $name', (backend) => {
  let db: Database;
  let store: CoordinationStore;
  useMigratedStore(backend, (opened) => ({ db, store } = opened));

  describe('the data the reports need', () => {
    it("the register keeps completed youth education and the children's case", async () => {
      await store.replaceScreening(
        [
          ...youths(1, {
            birthDate: '2001-01-01',
            schoolId: null,
            grade: null,
            indicators: [],
            completedYouthEducation: true,
            childrensCase: false,
          }),
          ...youths(1, {
            birthDate: '2010-01-01',
            schoolId: null,
            grade: null,
            indicators: [],
            completedYouthEducation: false,
            childrensCase: true,
          }),
        ],
        { asOf: AS_OF },
      );
      const page = await store.queryScreening({ asOf: AS_OF, first: 10 });
      expect(page.rows.map((r) => [r.completedYouthEducation, r.childrensCase])).toEqual([
        [true, false],
        [false, true],
      ]);
      await expect(
        store.replaceScreening([
          {
            ...youths(1, { birthDate: '2001-01-01', schoolId: null, grade: null, indicators: [] })[0]!,
            childrensCase: 'yes' as unknown as boolean,
          },
        ]),
      ).rejects.toThrow(/childrensCase must be true or false/);
    });

    it('a plan action names the handover transition it fulfils, with its due date; both or neither', async () => {
      const action = await store.addPlanAction({
        youthId: 'y-1',
        title: 'Coordinating meeting',
        ownerUnit: 'SOCIAL',
        createdBy: 'test',
        transition: 'COORDINATING_MEETING_16_5',
        transitionDue: '2026-09-01',
      });
      expect(action).toMatchObject({ transition: 'COORDINATING_MEETING_16_5', transitionDue: '2026-09-01' });
      expect((await store.planActions(['y-1']))[0]?.[0]).toMatchObject({
        transition: 'COORDINATING_MEETING_16_5',
        transitionDue: '2026-09-01',
      });
      const plain = await store.addPlanAction({ youthId: 'y-1', title: 'Other', ownerUnit: 'SOCIAL', createdBy: 'test' });
      expect(plain).toMatchObject({ transition: null, transitionDue: null });

      expect(
        (
          await refusal(
            store.addPlanAction({
              youthId: 'y-1',
              title: 'x',
              ownerUnit: 'SOCIAL',
              createdBy: 't',
              transition: 'TURNING_25',
              transitionDue: '2026-01-01',
            }),
          )
        ).message,
      ).toMatch(/transition must be one of COORDINATING_MEETING_16_5, JOBCENTER_ADVISOR_17, TRANSFER_18/);
      expect(
        (await refusal(store.addPlanAction({ youthId: 'y-1', title: 'x', ownerUnit: 'SOCIAL', createdBy: 't', transition: 'TRANSFER_18' })))
          .message,
      ).toMatch(/both or neither/);
      expect(
        (
          await refusal(
            store.addPlanAction({ youthId: 'y-1', title: 'x', ownerUnit: 'SOCIAL', createdBy: 't', transitionDue: '2026-01-01' }),
          )
        ).code,
      ).toBe('BAD_USER_INPUT');
    });

    it('an ended assignment records its outcome; a wrong outcome is refused and writes nothing', async () => {
      await store.assignContactPerson({
        youthId: 'y-1',
        contactPersonId: METTE,
        assignedBy: 't',
        fundedCapacity: 60,
        acceptOverCapacity: false,
      });
      const error = await refusal(store.endAssignment({ youthId: 'y-1', reason: 'done', endedBy: 't', outcome: 'MOVED' }));
      expect(error.code).toBe('BAD_USER_INPUT');
      expect(await store.activeAssignment('y-1')).not.toBeNull();
      const ended = await store.endAssignment({ youthId: 'y-1', reason: 'Started at EUD', endedBy: 't', outcome: 'ORDINARY_EDUCATION' });
      expect(ended.outcome).toBe('ORDINARY_EDUCATION');
      expect((await store.assignmentHistory('y-1'))[0]?.outcome).toBe('ORDINARY_EDUCATION');
      // An active assignment cannot carry an outcome (the database says so too).
      await store.assignContactPerson({
        youthId: 'y-2',
        contactPersonId: METTE,
        assignedBy: 't',
        fundedCapacity: 60,
        acceptOverCapacity: false,
      });
      await expect(db.query(`UPDATE contact_person_assignments SET outcome = 'OTHER' WHERE youth_id = 'y-2'`)).rejects.toThrow(
        /outcome_only_when_ended/,
      );
      expect((await store.activeAssignment('y-2'))?.outcome).toBeNull();
    });
  });

  describe('target group', () => {
    it('counts the register, the target group, figure 1 and the breakdowns, with suppression', async () => {
      await store.replaceScreening(targetGroupRegister(), { asOf: AS_OF });
      const report = await targetGroupReport(store, AS_OF);

      // 79, 49 and 30 young people, published rounded down to a multiple of 5.
      expect([shown(report.screened), shown(report.inTargetGroup), shown(report.notInTargetGroup)]).toEqual([75, 45, 30]);

      // Figure 1, under the issue-13 rules: the family-group indicator (S) comes only with absence (A) and
      // not education-ready (R), and CONCERNING_ABSENCE is never produced. {A,R,S} = 3 is small (primary).
      // In the total's equation the next-smallest combination {A,R} = 6 is hidden with it; R = {A,R} +
      // {A,R,S} = 9 and A = {A} + {A,R} + {A,R,S} = 21 then give neither away, so they are shown (rounded
      // down). S and the pairs with S equal {A,R,S} and are hidden.
      expect(report.combinations.map((c) => [c.indicators.join('+'), shown(c.count)])).toEqual([
        ['ABSENCE_OVER_20', 10], // 12
        ['NOT_IN_EDUCATION', 20],
        ['NEEDS_SUPPORT_IN_EDUCATION', 5], // 8
        ['ABSENCE_OVER_20+NOT_EDUCATION_READY', '<5'],
        ['ABSENCE_OVER_20+NOT_EDUCATION_READY+SOCIAL_CASE', '<5'],
      ]);
      expect(Object.fromEntries(report.byIndicator.map((i) => [i.indicator, shown(i.count)]))).toEqual({
        ABSENCE_OVER_20: 20, // 21
        NOT_EDUCATION_READY: 5, // 9
        SOCIAL_CASE: '<5',
        NOT_IN_EDUCATION: 20,
        NEEDS_SUPPORT_IN_EDUCATION: 5, // 8
      });
      // The deprecated indicator has no count of its own any more: 5 indicators, 10 pairs.
      expect(report.byIndicator.map((i) => i.indicator)).not.toContain('CONCERNING_ABSENCE');
      expect(report.pairs).toHaveLength(10);
      const pairs = Object.fromEntries(report.pairs.map((p) => [`${p.first}+${p.second}`, shown(p.count)]));
      expect(pairs['ABSENCE_OVER_20+NOT_EDUCATION_READY']).toBe(5); // 9
      expect(pairs['ABSENCE_OVER_20+SOCIAL_CASE']).toBe('<5');
      expect(pairs['NOT_EDUCATION_READY+SOCIAL_CASE']).toBe('<5');
      expect(Object.values(pairs).filter((v) => v !== '<5' && v !== 5)).toEqual(Array(7).fill(0));

      expect(report.byAgeBand.map((b) => [b.band, shown(b.count)])).toEqual([
        ['AGE_13_15', 20], // 21
        ['AGE_16_17', 5], // 8
        ['AGE_18_24', 10],
        ['AGE_25_29', 10],
        ['OTHER', 0],
      ]);
      expect([shown(report.bySchool.pupils), shown(report.bySchool.notPupils)]).toEqual([20, 25]); // 21, 28
      expect(report.bySchool.schools.map((s) => [s.schoolId, shown(s.count)])).toEqual([
        ['S-1', 10], // 13
        ['S-2', 5], // 8
        ['S-3', 0],
      ]);
    });

    it('a small complement to the target group hides the target group total and what follows from it', async () => {
      await store.replaceScreening(
        [
          ...youths(40, { birthDate: '2005-01-01', schoolId: null, grade: null, indicators: ['NOT_IN_EDUCATION'] }),
          ...youths(2, { birthDate: '2005-01-01', schoolId: null, grade: null, indicators: [] }),
        ],
        { asOf: AS_OF },
      );
      const report = await targetGroupReport(store, AS_OF);
      expect(shown(report.screened)).toBe(40); // 42
      expect(shown(report.notInTargetGroup)).toBe('<5');
      // 42 - 2: the target group must go too, and every cell that equals it.
      expect(shown(report.inTargetGroup)).toBe('<5');
      expect(report.combinations.map((c) => shown(c.count))).toEqual(['<5']);
      expect(report.byIndicator.find((i) => i.indicator === 'NOT_IN_EDUCATION')?.count.suppressed).toBe(true);
      expect(report.byAgeBand.find((b) => b.band === 'AGE_18_24')?.count.suppressed).toBe(true);
      expect(shown(report.bySchool.notPupils)).toBe('<5');
    });

    it('an empty register reports zeros', async () => {
      const report = await targetGroupReport(store, AS_OF);
      expect(report.screened).toEqual({ value: 0, suppressed: false });
      expect(report.combinations).toEqual([]);
      expect(report.byIndicator.every((i) => i.count.value === 0)).toBe(true);
      expect(report.bySchool.schools).toEqual([]);
    });
  });

  describe('contact-person capacity', () => {
    async function assign(contactPersonId: string, n: number, prefix: string): Promise<void> {
      for (let i = 0; i < n; i++) {
        await store.assignContactPerson({
          youthId: `${prefix}-${i}`,
          contactPersonId,
          assignedBy: 't',
          fundedCapacity: 1000,
          acceptOverCapacity: true,
        });
      }
    }

    it('counts caseloads per contact person; a small caseload hides the next-smallest', async () => {
      await assign(METTE, 12, 'm');
      await assign(JONAS, 7, 'j');
      await assign(SARA, 3, 's');
      await store.endAssignment({ youthId: 'm-0', reason: 'moved', endedBy: 't', outcome: 'OTHER' });
      const report = await capacityReport(store, 60);
      expect(report).toMatchObject({ funded: 60, isOverCapacity: false });
      expect([shown(report.active), shown(report.overCapacity), shown(report.available)]).toEqual([20, 0, 35]); // 21, 0, 39
      expect(report.contactPersons.map((p) => [p.contactPersonName, shown(p.caseload), p.caseloadLimit, p.overLimit])).toEqual([
        ['Jonas Brandt', '<5', 25, false],
        ['Mette Kjær', 10, 25, false], // 11
        ['Sara Holm', '<5', 25, false],
      ]);
    });

    it('past the funded capacity: the warning shows, the small over-capacity count and the active total do not', async () => {
      await assign(METTE, 12, 'm');
      await assign(JONAS, 7, 'j');
      await assign(SARA, 3, 's');
      const report = await capacityReport(store, 20);
      expect(report.isOverCapacity).toBe(true);
      expect([shown(report.active), shown(report.overCapacity), shown(report.available)]).toEqual(['<5', '<5', 0]);
      // active = 20 + over; hidden too, so one caseload must hide with Sara's 3: her own is primary.
      expect(report.contactPersons.map((p) => shown(p.caseload))).toEqual([5, 10, '<5']); // 7, 12, 3
    });

    it('over capacity by 5 or more is shown', async () => {
      await assign(METTE, 12, 'm');
      await assign(JONAS, 13, 'j');
      const report = await capacityReport(store, 20);
      expect([shown(report.active), shown(report.overCapacity), shown(report.available), report.isOverCapacity]).toEqual([25, 5, 0, true]);
      // Sara, active with 0, is listed with 0.
      expect(report.contactPersons.map((p) => [p.contactPersonName, shown(p.caseload)])).toEqual([
        ['Jonas Brandt', 10], // 13
        ['Mette Kjær', 10], // 12
        ['Sara Holm', 0],
      ]);
    });
  });

  describe('handovers', () => {
    /**
     * Young people with a children's case whose transition falls in the default period (the 12 whole
     * months to June 2026: 2025-07-01 to 2026-06-30) for exactly one kind; each gets the given statuses in order.
     */
    async function handoverRegister(): Promise<void> {
      type Status = 'ON_TIME' | 'LATE' | 'MISSING';
      const plan: { kind: HandoverTransition; firstBirth: string; statuses: Status[] }[] = [
        // 16½ falls 2026-01-01 on; 17 and 18 outside the period.
        {
          kind: 'COORDINATING_MEETING_16_5',
          firstBirth: '2009-07-01',
          statuses: [...Array<Status>(6).fill('ON_TIME'), ...Array<Status>(2).fill('LATE'), ...Array<Status>(7).fill('MISSING')],
        },
        // 17 falls 2025-07-01 on; 16½ before the period, 18 after.
        {
          kind: 'JOBCENTER_ADVISOR_17',
          firstBirth: '2008-07-01',
          statuses: [...Array<Status>(9).fill('ON_TIME'), ...Array<Status>(5).fill('MISSING')],
        },
        // 18 falls 2025-07-01 on.
        {
          kind: 'TRANSFER_18',
          firstBirth: '2007-07-01',
          statuses: [...Array<Status>(8).fill('ON_TIME'), ...Array<Status>(6).fill('LATE'), ...Array<Status>(5).fill('MISSING')],
        },
      ];
      const rows: ScreeningRow[] = [];
      const actions: [string, HandoverTransition, string, string | undefined][] = [];
      for (const { kind, firstBirth, statuses } of plan) {
        statuses.forEach((status, i) => {
          const birthDate = plusDays(firstBirth, i);
          // The first TRANSFER_18 on time has no children's case any more (closed at the transfer),
          // but the plan names the transition: it counts.
          const childrensCase = !(kind === 'TRANSFER_18' && i === 0);
          const [row] = youths(1, { birthDate, schoolId: null, grade: null, indicators: [], childrensCase });
          rows.push(row!);
          const due = handoverDue(kind, birthDate);
          // Edge cases of the municipal calendar: 23:30 UTC the evening before is 00:30 on the due day
          // in Copenhagen (on time); 23:30 UTC on the due day is the next day there (late).
          if (status === 'ON_TIME')
            actions.push([row!.youthId, kind, due, i === 1 ? `${plusDays(due, -1)}T23:30:00Z` : `${plusDays(due, -3)}T10:00:00Z`]);
          if (status === 'LATE')
            actions.push([row!.youthId, kind, due, i % 2 === 0 ? `${due}T23:30:00Z` : `${plusDays(due, 20)}T10:00:00Z`]);
          // One missing has an action that was never completed.
          if (status === 'MISSING' && kind === 'TRANSFER_18' && i === statuses.length - 1)
            actions.push([row!.youthId, kind, due, undefined]);
        });
      }
      // Not counted: born in the period's range but without a children's case or a handover action,
      // and with a children's case but no transition in the period.
      rows.push(...youths(5, { birthDate: '2009-07-05', schoolId: null, grade: null, indicators: [] }));
      rows.push(...youths(5, { birthDate: '2013-01-01', schoolId: 'S-1', grade: 7, indicators: [], childrensCase: true }));
      await store.replaceScreening(rows, { asOf: AS_OF });
      for (const [youthId, kind, due, completedAt] of actions) await handoverAction(store, db, youthId, kind, due, completedAt);
      // An action for another transition does not make a 16½ on time.
      const missing16 = rows[6 + 2]!.youthId;
      await handoverAction(store, db, missing16, 'TRANSFER_18', handoverDue('TRANSFER_18', '2009-07-09'), '2025-01-01T10:00:00Z');
    }

    it('classifies the transitions of the last 12 months as on time, late or missing, suppressed as a cross-tab', async () => {
      await handoverRegister();
      const report = await handoverReport(store, AS_OF);
      expect([report.from, report.to]).toEqual(['2025-07-01', '2026-06-30']);
      expect(report.transitions.map((t) => t.kind)).toEqual(['COORDINATING_MEETING_16_5', 'JOBCENTER_ADVISOR_17', 'TRANSFER_18']);
      // 16½: late 2 (primary) hides on time 6 (it closes the row's past-due equation too); the column
      // LATE then hides 18's late 6 (closing row 18 with 18's on time 8): a rectangle of four. The
      // counts shown are rounded down (17's 14 due and 9 on time read 10 and 5), and the shares are
      // computed from the published counts (5 / 10), so a share gives no more away than its counts.
      expect(report.transitions.map((t) => handoverRow(t))).toEqual([
        { due: 15, pastDue: 15, onTime: '<5', late: '<5', missing: 5, notYetDue: 0, share: '<5' },
        { due: 10, pastDue: 10, onTime: 5, late: 0, missing: 5, notYetDue: 0, share: 0.5 },
        { due: 15, pastDue: 15, onTime: '<5', late: '<5', missing: 5, notYetDue: 0, share: '<5' },
      ]);
      // 48 due, 23 on time, 8 late, 17 missing.
      expect(handoverRow(report.total)).toEqual({ due: 45, pastDue: 45, onTime: 20, late: 5, missing: 15, notYetDue: 0, share: 0.4444 });
      expect(report.total.onTimeShare.goal).toBe(1);
    });

    it('a transition still ahead is not yet due unless already done; a period of 12 whole months may reach ahead', async () => {
      const rows = youths(6, { birthDate: '2010-01-01', schoolId: null, grade: null, indicators: [], childrensCase: true });
      await store.replaceScreening(rows, { asOf: AS_OF });
      // Meeting held early, before the 16½ date (2026-07-01): on time although the date is ahead.
      await handoverAction(store, db, rows[0]!.youthId, 'COORDINATING_MEETING_16_5', '2026-07-01', '2026-06-01T10:00:00Z');
      const report = await handoverReport(store, AS_OF, { from: '2026-01-01', to: '2026-12-31' });
      const meeting = report.transitions[0]!;
      expect(meeting.due).toEqual({ value: 5, suppressed: false }); // 6, rounded down
      // on time 1 and past due 1 are small; not yet due 5 is hidden with them (due = past due + not yet due).
      expect(handoverRow(meeting)).toEqual({ due: 5, pastDue: '<5', onTime: '<5', late: 0, missing: 0, notYetDue: '<5', share: '<5' });
      expect(shown(report.total.due)).toBe(5);
    });

    it('computes due dates as the rules do: 31 August + 16½ years and 29 February + 18 years fall on 1 March', async () => {
      await store.replaceScreening(
        [
          ...youths(5, { birthDate: '2009-08-31', schoolId: null, grade: null, indicators: [], childrensCase: true }),
          ...youths(5, { birthDate: '2008-02-29', schoolId: null, grade: null, indicators: [], childrensCase: true }),
        ],
        { asOf: AS_OF },
      );
      expect(handoverDue('COORDINATING_MEETING_16_5', '2009-08-31')).toBe('2026-03-01');
      expect(handoverDue('TRANSFER_18', '2008-02-29')).toBe('2026-03-01');
      const march = await handoverReport(store, AS_OF, { from: '2026-03-01', to: '2026-03-31' });
      expect(march.transitions.map((t) => shown(t.due))).toEqual([5, 0, 5]);
      expect(march.transitions.map((t) => shown(t.missing))).toEqual([5, 0, 5]);
      const february = await handoverReport(store, AS_OF, { from: '2026-02-01', to: '2026-02-28' });
      expect(february.transitions.map((t) => shown(t.due))).toEqual([0, 0, 0]);
    });
  });

  describe('outcomes', () => {
    it("counts ended assignments by outcome without a goal (80/10/10 is the 2016 project's), and youth education at 25 against 90 %", async () => {
      const outcomes: (string | null)[] = [
        ...Array<string>(8).fill('ORDINARY_EDUCATION'),
        ...Array<string>(2).fill('PREPARATORY_OR_UPSKILLING'),
        'OTHER',
        ...Array<null>(5).fill(null),
      ];
      for (const [i, outcome] of outcomes.entries()) {
        await store.assignContactPerson({
          youthId: `o-${i}`,
          contactPersonId: METTE,
          assignedBy: 't',
          fundedCapacity: 60,
          acceptOverCapacity: false,
        });
        await store.endAssignment({ youthId: `o-${i}`, reason: 'ended', endedBy: 't', outcome });
      }
      // Active assignments are not outcomes.
      await store.assignContactPerson({
        youthId: 'still-active',
        contactPersonId: JONAS,
        assignedBy: 't',
        fundedCapacity: 60,
        acceptOverCapacity: false,
      });
      await store.replaceScreening(targetGroupRegister(), { asOf: AS_OF });

      const report = await outcomeReport(store, AS_OF);
      // 16, 11 and 5, rounded down; the share is of the published counts (8 of 11 read 5 of 10).
      expect([shown(report.endedAssignments), shown(report.withOutcome), shown(report.withoutOutcome)]).toEqual([15, 10, 5]);
      expect(report.byOutcome.map((o) => [o.outcome, shown(o.count), o.share])).toEqual([
        ['ORDINARY_EDUCATION', 5, { value: 0.5, goal: null, suppressed: false }],
        ['PREPARATORY_OR_UPSKILLING', '<5', { value: null, goal: null, suppressed: true }],
        ['OTHER', '<5', { value: null, goal: null, suppressed: true }],
      ]);
      // 12 aged 25 on 2026-06-15 (born 2001-03-01): 10 completed, 2 not. The 2 are small, so the 10
      // would give them away (12 - 10): hidden, and the share with them.
      const at25 = report.youthEducationAt25;
      expect([shown(at25.aged25), shown(at25.completed), shown(at25.notCompleted)]).toEqual([10, '<5', '<5']);
      expect(at25.share).toEqual({ value: null, goal: 0.9, suppressed: true });
    });

    it('shows the share at 25 when both counts may be shown', async () => {
      await store.replaceScreening(
        [
          ...youths(45, { birthDate: '2001-01-10', schoolId: null, grade: null, indicators: [], completedYouthEducation: true }),
          ...youths(5, { birthDate: '2001-06-15', schoolId: null, grade: null, indicators: [] }), // 25 today
          ...youths(7, { birthDate: '2001-06-16', schoolId: null, grade: null, indicators: [] }), // 24 until tomorrow
          ...youths(7, { birthDate: '2000-06-15', schoolId: null, grade: null, indicators: [] }), // 26 today
        ],
        { asOf: AS_OF },
      );
      const at25 = (await outcomeReport(store, AS_OF)).youthEducationAt25;
      expect([shown(at25.aged25), shown(at25.completed), shown(at25.notCompleted)]).toEqual([50, 45, 5]);
      expect(at25.share).toEqual({ value: 0.9, goal: 0.9, suppressed: false });
    });
  });
});
