import type { Database } from '../../platform/db/database.js';
import type { CoordinationStore } from '../../subgraphs/coordination/store/coordinationStore.js';
import { youths } from './fixtures.js';

/** The day the measure suites count on: the month just ended is May 2026. */
export const TODAY = '2026-06-15';
export const MAY = '2026-05-01';

const JUSTIFICATION = 'Needs one person across school, social services and the jobcenter (judgement).';

export async function jointDecisions(db: Database, n: number, decidedAt: string): Promise<void> {
  for (let i = 0; i < n; i++) {
    await db.query(
      `INSERT INTO joint_decisions (youth_id, decided_at, summary, units, recorded_by) VALUES ($1, $2::timestamptz, 'Agreed', ARRAY['SOCIAL','JOBCENTER'], 'test')`,
      [`jd-${decidedAt}-${i}`, decidedAt],
    );
  }
}

export async function meetings(db: Database, n: number, heldOn: string, kind: string, place: string): Promise<void> {
  for (let i = 0; i < n; i++) {
    await db.query(
      `INSERT INTO meetings (youth_id, held_on, kind, place, place_note, units, participants, recorded_by)
       VALUES ($1, $2::date, $3, $4, CASE WHEN $4 = 'OTHER' THEN 'elsewhere' END, ARRAY['SOCIAL','GUIDANCE'], ARRAY['YOUNG_PERSON','SOCIAL_CASEWORKER'], 'test')`,
      [`m-${heldOn}-${kind}-${place}-${i}`, heldOn, kind, place],
    );
  }
}

/** `n` assignments to `contactPerson` started on `startedOn`; ended on `ended.on` with `ended.code` when given. */
export async function assignments(
  db: Database,
  n: number,
  options: { contactPerson: string; startedOn: string; basis?: 'RULE' | 'JUDGEMENT'; ended?: { on: string; code: string } },
): Promise<void> {
  for (let i = 0; i < n; i++) {
    const youthId = `a-${options.contactPerson}-${options.startedOn}-${options.ended?.code ?? 'active'}-${options.basis ?? 'RULE'}-${i}`;
    await db.query(
      `INSERT INTO contact_person_assignments (youth_id, contact_person_id, started_at, started_on, assigned_by, basis, justification,
                                               ended_at, ended_on, end_reason, ended_by, end_code)
       VALUES ($1, $2, ($3::date + time '10:00') AT TIME ZONE 'Europe/Copenhagen', $3::date, 'test', $4, $5,
               CASE WHEN $6::date IS NULL THEN NULL ELSE ($6::date + time '10:00') AT TIME ZONE 'Europe/Copenhagen' END, $6::date,
               CASE WHEN $6::date IS NULL THEN NULL ELSE 'ended' END, CASE WHEN $6::date IS NULL THEN NULL ELSE 'test' END, $7)`,
      [
        youthId,
        options.contactPerson,
        options.startedOn,
        options.basis ?? 'RULE',
        options.basis === 'JUDGEMENT' ? JUSTIFICATION : null,
        options.ended?.on ?? null,
        options.ended?.code ?? null,
      ],
    );
  }
}

/**
 * The register for 2026-06-15:
 * - 10 young people with 2 open social cases, 1 with an education goal; 3 with 1 open case and none
 *   (23 open cases, 10 with the goal);
 * - 12 aged 25 on 2026-05-31 (born 2001-03-01): 10 completed, 1 under way, 1 neither;
 * - 8 with a children's case turning 18 on 2026-05-10: 6 handed over by the adults' side on 2026-05-01, 2 not.
 */
export async function measureRegister(store: CoordinationStore): Promise<void> {
  const none = { schoolId: null, grade: null, indicators: [] as string[] };
  await store.replaceScreening(
    [
      ...youths(10, { ...none, birthDate: '2010-01-01', openSocialCases: 2, openSocialCasesEducationGoal: 1 }),
      ...youths(3, { ...none, birthDate: '2010-01-01', openSocialCases: 1, openSocialCasesEducationGoal: 0 }),
      ...youths(10, { ...none, birthDate: '2001-03-01', completedYouthEducation: true }),
      ...youths(1, { ...none, birthDate: '2001-03-01', educationUnderWay: true }),
      ...youths(1, { ...none, birthDate: '2001-03-01' }),
      ...youths(6, { ...none, birthDate: '2008-05-10', childrensCase: true, adultsCaseOpened: '2026-05-01' }),
      ...youths(2, { ...none, birthDate: '2008-05-10', childrensCase: true }),
    ],
    { asOf: TODAY },
  );
}

/** May 2026's activity (and some in March and April), as the measure tests expect it. */
export async function measureActivity(db: Database): Promise<void> {
  await jointDecisions(db, 7, '2026-05-12T09:00:00Z');
  await jointDecisions(db, 3, '2026-04-20T09:00:00Z');
  await jointDecisions(db, 5, '2026-03-03T09:00:00Z');
  // Just before midnight Danish time on 31 May is still May (22:30 UTC = 00:30 on 1 June: June).
  await jointDecisions(db, 1, '2026-05-31T22:30:00Z');
  await meetings(db, 6, '2026-05-04', 'COORDINATING_MEETING_16_5', 'UDDANNELSESHUSET');
  await meetings(db, 3, '2026-05-06', 'HANDOVER', 'UDDANNELSESHUSET');
  await meetings(db, 3, '2026-05-07', 'HANDOVER', 'SCHOOL');
  await meetings(db, 4, '2026-05-08', 'WELL_BEING_FORUM', 'SCHOOL');
  await assignments(db, 5, { contactPerson: 'gkp-mette-kjaer', startedOn: '2026-01-10' });
  await assignments(db, 3, { contactPerson: 'gkp-jonas-brandt', startedOn: '2026-01-10' });
  await assignments(db, 2, { contactPerson: 'gkp-jonas-brandt', startedOn: '2026-02-10', basis: 'JUDGEMENT' });
  await assignments(db, 6, {
    contactPerson: 'gkp-sara-holm',
    startedOn: '2025-09-01',
    ended: { on: '2026-05-20', code: 'ANCHORED_IN_EDUCATION' },
  });
  await assignments(db, 1, { contactPerson: 'gkp-sara-holm', startedOn: '2025-09-01', ended: { on: '2026-05-21', code: 'MOVED' } });
  // Started in June: not active at the end of May.
  await assignments(db, 4, { contactPerson: 'gkp-sara-holm', startedOn: '2026-06-02' });
}
