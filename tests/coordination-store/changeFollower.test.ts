import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSystems, SYSTEM_NAMES, type RunningSystems } from '../../systems/index.js';
import { generatePopulation, type Population } from '../../systems/population/generate.js';
import type { Person } from '../../systems/population/model.js';
import { addAbsence, assessReadiness, caseworkerIn, openSocialCase } from '../../systems/kit/changes.js';
import { latestCompletedYear } from '../../subgraphs/coordination/rules/absence.js';
import {
  readGuidanceConnection,
  readJobcenterConnection,
  readSchoolConnection,
  readSocialConnection,
} from '../../subgraphs/kit/systems/connections.js';
import { createGuidanceClient } from '../../subgraphs/kit/systems/guidanceClient.js';
import { createSchoolClient } from '../../subgraphs/kit/systems/schoolClient.js';
import { createJobcenterClient } from '../../subgraphs/kit/systems/jobcenterClient.js';
import { createSocialClient } from '../../subgraphs/kit/systems/socialClient.js';
import { runScreening, type ScreeningResult, type ScreeningSources } from '../../subgraphs/coordination/screening/screeningJob.js';
import { followChangeFeeds, registerChangeFeeds, type ChangeFollower } from '../../subgraphs/coordination/screening/changeFeed.js';
import type { Database } from '../../platform/db/database.js';
import type { CoordinationStore } from '../../subgraphs/coordination/store/coordinationStore.js';
import { screenPerson } from '../systems/realScreening.js';
import { backends, logger, openMigrated } from './backends.js';

/**
 * The screening register follows the systems' change feeds (subgraphs/coordination/screening/changeFeed.ts)
 * over real simulated systems and a real store: a change in the school, UU or social services shows in
 * the young person's register row; a gap runs one full rebuild and following resumes; a system that is
 * down keeps the register as it was, and the follower catches up when it is back.
 */
const SCHOOL_WINDOW = 20;

/** Waits (bounded) until `check` answers something truthy. */
async function eventually<T>(check: () => Promise<T | null | undefined | false>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

interface RegisterRow {
  indicators: string[];
  in_target_group: boolean;
  social_units: string[];
}

describe.each(backends)('change feed follower ($name)', (backend) => {
  let population: Population;
  let running: RunningSystems;
  let opened: Awaited<ReturnType<typeof openMigrated>>;
  let db: Database;
  let store: CoordinationStore;
  let sources: ScreeningSources;
  let follower: ChangeFollower<ScreeningResult> | null = null;
  let today: string;
  const used = new Set<string>();

  const connections = () => {
    const url = (name: (typeof SYSTEM_NAMES)[number]) => running.systems[name].url;
    // Short breaker and retries: a system that comes back is asked again soon.
    const env = Object.fromEntries(
      ['SCHOOL', 'GUIDANCE', 'JOBCENTER', 'SOCIAL'].flatMap((p) => [
        [`${p}_BREAKER_HALF_OPEN_MS`, '200'],
        [`${p}_RETRIES`, '0'],
      ]),
    );
    return {
      school: readSchoolConnection({ ...env, SCHOOL_URL: url('school') }),
      guidance: readGuidanceConnection({ ...env, GUIDANCE_URL: url('guidance') }),
      jobcenter: readJobcenterConnection({ ...env, JOBCENTER_URL: url('jobcenter') }),
      social: readSocialConnection({ ...env, SOCIAL_URL: url('social') }),
    };
  };
  const rebuild = () => runScreening(sources, store, { pageSize: 1000, today, logger });
  const startFollower = () => {
    const c = connections();
    follower = followChangeFeeds(
      {
        feeds: registerChangeFeeds(c),
        sources,
        store,
        rebuild,
        today: () => today,
        logger,
      },
      { waitSeconds: 2, pollSeconds: 1, gapRebuildBackoffMs: 100 },
    );
    return follower;
  };
  const runs = async () =>
    (await db.query<{ n: number }>("SELECT count(*)::int AS n FROM screening_runs WHERE status = 'SUCCEEDED'")).rows[0]!.n;
  const row = async (person: Person) =>
    (
      await db.query<RegisterRow>('SELECT indicators, in_target_group, social_units FROM youth_screening WHERE youth_id = $1', [
        person.uuId,
      ])
    ).rows[0];

  /** A pupil outside the target group, in grades 8-10, with a completed school year of absence: one not used before. */
  const freshPupil = (): Person => {
    const person = population.people.find(
      (p) =>
        !used.has(p.cpr) &&
        (p.school?.grade ?? 0) >= 8 &&
        latestCompletedYear(p.school?.absence ?? [], today) !== undefined &&
        (p.social?.cases.length ?? 0) === 0 &&
        !screenPerson(p, today).inTargetGroup,
    );
    if (!person) throw new Error('the population holds no such pupil');
    used.add(person.cpr);
    return person;
  };
  /** Absence over 20 % in the latest completed school year. */
  const absentOver20 = (p: Person) => {
    const year = latestCompletedYear(p.school!.absence, today)!;
    addAbsence(p, Math.ceil(year.schoolDays * 0.25), year.schoolYear);
  };

  beforeAll(async () => {
    population = generatePopulation({ seed: 11, scale: 0.03 });
    today = population.asOf;
    running = await startSystems({
      population,
      env: {},
      ports: Object.fromEntries(SYSTEM_NAMES.map((name) => [name, 0])),
      options: { school: { feedMaxEvents: SCHOOL_WINDOW } },
    });
    opened = await openMigrated(backend);
    ({ db, store } = opened);
    const c = connections();
    sources = {
      school: createSchoolClient(c.school, logger),
      guidance: createGuidanceClient(c.guidance, logger),
      jobcenter: createJobcenterClient(c.jobcenter, logger),
      social: createSocialClient(c.social, logger),
    };
  });
  afterAll(async () => {
    await follower?.stop();
    await running?.close();
    await opened?.cleanup();
  });

  it('starts with a full rebuild (no positions yet) and stores each feed’s position', async () => {
    startFollower();
    await follower!.ready;
    expect(await runs()).toBe(1);
    const positions = await store.changeFeedPositions();
    expect(positions.map((p) => p.system).sort()).toEqual(['guidance', 'jobcenter', 'school', 'social']);
    expect(positions.find((p) => p.system === 'school')).toMatchObject({ stream: running.systems.school.feed.stream, sequence: 0 });
  });

  it('a change in school absence moves the young person into the target group', async () => {
    const pupil = freshPupil();
    expect((await row(pupil))?.in_target_group).toBe(false);
    running.systems.school.change(pupil.cpr, absentOver20, 'FRAVAER');
    const changed = await eventually(async () => {
      const r = await row(pupil);
      return r?.indicators.includes('ABSENCE_OVER_20') ? r : null;
    });
    expect(changed.in_target_group).toBe(true);
    // The position moved with the row, and no rebuild was needed.
    expect((await store.changeFeedPositions()).find((p) => p.system === 'school')?.sequence).toBe(running.systems.school.feed.headSequence);
    expect(await runs()).toBe(1);
  });

  it('a new readiness assessment in UU does likewise', async () => {
    const pupil = freshPupil();
    running.systems.guidance.change(pupil.cpr, (p) => assessReadiness(p, today, false), 'UPV');
    const changed = await eventually(async () => {
      const r = await row(pupil);
      return r?.indicators.includes('NOT_EDUCATION_READY') ? r : null;
    });
    expect(changed.in_target_group).toBe(true);
  });

  it('a new case in social services shows in the row (a family group together with absence and readiness)', async () => {
    const pupil = freshPupil();
    // Many changes of one young person in a short time: each is applied, the last row holds them all.
    running.systems.school.change(pupil.cpr, absentOver20, 'FRAVAER');
    running.systems.guidance.change(pupil.cpr, (p) => assessReadiness(p, today, false), 'UPV');
    const caseworker = caseworkerIn(population, 'FAMILY_GROUP_1');
    running.systems.social.change(pupil.cpr, (p) => void openSocialCase(p, today, 'FAMILY_GROUP_1', caseworker), 'SAG');
    const changed = await eventually(async () => {
      const r = await row(pupil);
      return r?.indicators.includes('SOCIAL_CASE') ? r : null;
    });
    expect(changed.indicators).toEqual(['ABSENCE_OVER_20', 'NOT_EDUCATION_READY', 'SOCIAL_CASE']);
    expect(changed.social_units).toEqual(['FAMILY_GROUP_1']);
    expect(await runs()).toBe(1);
  });

  it('a gap (a position older than the feed’s window) runs one full rebuild, then following resumes', async () => {
    await follower!.stop();
    follower = null;
    const missed = freshPupil();
    running.systems.school.change(missed.cpr, absentOver20, 'FRAVAER');
    const pupils = population.people.filter((p) => (p.school?.absence.length ?? 0) > 0);
    for (let i = 0; i < SCHOOL_WINDOW + 5; i++) running.systems.school.change(pupils[i]!.cpr, (p) => addAbsence(p, 0.5));
    const before = await runs();
    startFollower();
    // The rebuild brings the missed change in.
    await eventually(async () => (await row(missed))?.indicators.includes('ABSENCE_OVER_20'));
    await eventually(async () => (await runs()) === before + 1);
    // The position is the head read before the rebuild began (written once the rebuild is in).
    const head = running.systems.school.feed.headSequence;
    await eventually(async () => (await store.changeFeedPositions()).find((p) => p.system === 'school')?.sequence === head);
    // Following again: a change after the rebuild arrives without another one.
    const next = freshPupil();
    running.systems.guidance.change(next.cpr, (p) => assessReadiness(p, today, false), 'UPV');
    await eventually(async () => (await row(next))?.indicators.includes('NOT_EDUCATION_READY'));
    expect(await runs()).toBe(before + 1);
  });

  it('a system that is down keeps the register as it was; the follower catches up when it is back', async () => {
    const pupil = freshPupil();
    const runsBefore = await runs();
    await running.systems.social.close();
    try {
      // A school change needs social services' records too: the row cannot be recomputed yet.
      running.systems.school.change(pupil.cpr, absentOver20, 'FRAVAER');
      await new Promise((resolve) => setTimeout(resolve, 2500));
      expect((await row(pupil))?.in_target_group).toBe(false);
      const schoolPosition = (await store.changeFeedPositions()).find((p) => p.system === 'school')!.sequence;
      expect(schoolPosition).toBe(running.systems.school.feed.headSequence - 1);
    } finally {
      await running.systems.social.reopen();
    }
    await eventually(async () => (await row(pupil))?.indicators.includes('ABSENCE_OVER_20'), 30_000);
    // Caught up by following, not by a rebuild.
    expect(await runs()).toBe(runsBefore);
  });
});
