import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, TEST_TODAY, type TestStack } from './testStack.js';
import { addAbsence } from '../../systems/kit/changes.js';
import { latestCompletedYear } from '../../subgraphs/coordination/rules/absence.js';
import { screenPerson } from '../systems/realScreening.js';

/**
 * Fresh, not rebuilt, through the gateway: a change in the school's records shows in `youths(filter:)`
 * within the change feeds' poll interval. The stack's coordination follows the feeds as deployed: the
 * follower is a job of the replica that leads (subgraphs/registry.ts), and the first screening was its
 * rebuild (tests/coordination-store/changeFollower.test.ts covers gaps and outages).
 */
const COUNSELLOR = { role: 'uu-counsellor' } as const;
const POLL_SECONDS = 1;

describe('change feeds keep youths(filter:) current', () => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await startTestStack({
      // Plain polling every second (no long-poll): the test shows the interval bounds the delay.
      env: { CHANGE_FEEDS: 'true', CHANGE_FEED_WAIT_SECONDS: '0', CHANGE_FEED_POLL_SECONDS: String(POLL_SECONDS) },
    });
  });
  afterAll(async () => {
    await stack?.shutdown();
  });

  it('a pupil whose absence passes 20 % is listed under ABSENCE_OVER_20 within the poll interval', async () => {
    const population = stack.systems.population;
    const pupil = population.people.find(
      (p) =>
        (p.school?.grade ?? 0) >= 8 &&
        latestCompletedYear(p.school?.absence ?? [], TEST_TODAY) !== undefined &&
        !screenPerson(p, TEST_TODAY).inTargetGroup,
    )!;
    const query = 'query ($filter: YouthFilter) { youths(filter: $filter, first: 100) { totalCount edges { node { id } } } }';
    const filter = { indicator: 'ABSENCE_OVER_20', schoolId: pupil.school!.schoolId };
    const listed = async () => {
      const result = await stack.gql<{ youths: { totalCount: number; edges: { node: { id: string } }[] } }>(query, { filter }, COUNSELLOR);
      expect(result.errors).toBeUndefined();
      return result.data!.youths;
    };
    const before = await listed();
    expect(before.edges.map((e) => e.node.id)).not.toContain(pupil.uuId);

    const changedAt = performance.now();
    stack.systems.systems.school.change(
      pupil.cpr,
      (p) => {
        const year = latestCompletedYear(p.school!.absence, TEST_TODAY)!;
        addAbsence(p, Math.ceil(year.schoolDays * 0.25), year.schoolYear);
      },
      'FRAVAER',
    );
    let after = before;
    // Bounded: the poll interval, the batch and a query's time, with room for a busy machine.
    while (!after.edges.some((e) => e.node.id === pupil.uuId) && performance.now() - changedAt < 15_000) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      after = await listed();
    }
    const seconds = (performance.now() - changedAt) / 1000;
    expect(after.edges.map((e) => e.node.id)).toContain(pupil.uuId);
    expect(after.totalCount).toBe(before.totalCount + 1);
    // Within the poll interval and the work of one batch (generous on a shared two-core machine).
    expect(seconds).toBeLessThan(POLL_SECONDS + 5);
  });
});
