/**
 * The whole graph while one existing system fails the way production systems fail: down, slow,
 * answering 500, answering invalid JSON, resetting connections, flapping. Every time a dossier answers
 * within the request's deadline, everything but the failing system's part as usual, that part null
 * with an error naming the system at its path. A transient failure of a read is retried away; a
 * system's breaker opens, half-opens and recovers; a client's Idempotency-Key makes a repeated
 * mutation take effect once. One stack for all (starting one costs more than the tests).
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../e2e/testStack.js';
import { breakerStates, onBreakerStateChange, type BreakerState } from '../../subgraphs/kit/resilience.js';
import { SYSTEM_NAMES } from '../../systems/index.js';
import { dossier, expectPartial, pickYouths, type PartialSystem, type Youth } from './dossier.js';

const DEADLINE_MS = 4000;
const SYSTEM_TIMEOUT_MS = 800;
const HALF_OPEN_MS = 300;
/** The social system's breaker, for the breaker test: no retries (one call per attempt), opens after 3. */
const SOCIAL_BREAKER = { threshold: 3, halfOpenMs: 1500 };

let stack: TestStack;
let ids: Record<PartialSystem, string>;
let baseline: Map<string, Youth>;
const timings: Record<string, number[]> = {};

function systemEnv(): Record<string, string> {
  const env: Record<string, string> = { REQUEST_DEADLINE_MS: String(DEADLINE_MS) };
  for (const name of SYSTEM_NAMES) {
    const prefix = name.toUpperCase();
    env[`${prefix}_TIMEOUT_MS`] = String(SYSTEM_TIMEOUT_MS);
    env[`${prefix}_BREAKER_HALF_OPEN_MS`] = String(HALF_OPEN_MS);
  }
  env.SOCIAL_RETRIES = '0';
  env.SOCIAL_BREAKER_THRESHOLD = String(SOCIAL_BREAKER.threshold);
  env.SOCIAL_BREAKER_HALF_OPEN_MS = String(SOCIAL_BREAKER.halfOpenMs);
  return env;
}

beforeAll(async () => {
  stack = await startTestStack({ scale: 0.05, env: systemEnv() });
  ({ ids, baseline } = await pickYouths(stack));
});

afterAll(async () => {
  await stack?.shutdown();
  // eslint-disable-next-line no-console -- the figures the issue asks to report
  console.info(
    'dossier answer times under faults (ms)',
    Object.fromEntries(Object.entries(timings).map(([k, v]) => [k, v.map(Math.round)])),
  );
});

/** Every system healthy again, and every breaker closed (a trial call after the half-open delay). */
afterEach(async () => {
  for (const system of Object.values(stack.systems.systems)) {
    system.options.mode = 'ok';
    system.options.flapMs = 0;
    system.options.faultsLeft = undefined;
    system.options.latencyMs = 0;
  }
  const until = Date.now() + 5000;
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, HALF_OPEN_MS + 20));
    const answers = await Promise.all(Object.values(ids).map((id) => dossier(stack, id)));
    if (answers.every((answer) => answer.errors.length === 0)) break;
    if (Date.now() > until) throw new Error(`the graph did not recover: ${JSON.stringify(answers.flatMap((a) => a.errors))}`);
  }
  expect(Object.values(breakerStates()).every((state) => state === 'closed')).toBe(true);
});

/** Asks for the dossier `times` times while `system` fails; each answer is partial within the deadline. */
async function expectPartialEveryTime(label: string, system: PartialSystem, times = 3): Promise<number> {
  const id = ids[system];
  let missing = 0;
  for (let i = 0; i < times; i++) {
    const answer = await dossier(stack, id);
    (timings[label] ??= []).push(answer.ms);
    if (expectPartial(answer, baseline.get(id)!, system, DEADLINE_MS)) missing += 1;
  }
  return missing;
}

describe('a dossier while one system fails', () => {
  it('system down (connection refused): its part is null, the rest answers', async () => {
    const school = stack.systems.systems.school;
    await school.close();
    try {
      expect(await expectPartialEveryTime('down', 'school', 4)).toBe(4);
    } finally {
      await school.reopen();
    }
  });

  it('system slower than its timeout: its part is null within the deadline', async () => {
    const jobcenter = stack.systems.systems.jobcenter;
    jobcenter.options.latencyMs = SYSTEM_TIMEOUT_MS * 3;
    const answeredBefore = jobcenter.stats.calls;
    expect(await expectPartialEveryTime('slow', 'jobcenter', 3)).toBe(3);
    // A timeout is not retried: one attempt per dossier.
    expect(jobcenter.stats.calls - answeredBefore).toBeLessThanOrEqual(3);
  });

  it('system answering 500 with a stack trace: its part is null, nothing of the trace leaks', async () => {
    stack.systems.systems.social.options.mode = 'error500';
    expect(await expectPartialEveryTime('error500', 'social')).toBe(3);
  });

  it('system answering invalid JSON: its part is null', async () => {
    stack.systems.systems.benefits.options.mode = 'invalidJson';
    expect(await expectPartialEveryTime('invalidJson', 'benefits')).toBe(3);
  });

  it('system resetting connections: its part is null', async () => {
    stack.systems.systems.school.options.mode = 'reset';
    expect(await expectPartialEveryTime('reset', 'school')).toBe(3);
  });

  it('system flapping between down and up: every answer is whole or partial, never worse', async () => {
    const social = stack.systems.systems.social;
    social.options.mode = 'error500';
    social.options.flapMs = 150;
    const failuresBefore = social.stats.failures;
    await expectPartialEveryTime('flapping', 'social', 8);
    expect(social.stats.failures).toBeGreaterThan(failuresBefore);
  });
});

describe('retries of reads', () => {
  it('a transient failure of a batch look-up is retried: full data, no error, one more call', async () => {
    const benefits = stack.systems.systems.benefits;
    const id = ids.benefits;
    benefits.stats.reset();
    const clean = await dossier(stack, id);
    expect(clean.errors).toEqual([]);
    const callsForOne = benefits.stats.calls;
    expect(callsForOne).toBeGreaterThan(0);

    benefits.stats.reset();
    benefits.options.mode = 'error500';
    benefits.options.faultsLeft = 1;
    const answer = await dossier(stack, id);
    expect(answer.errors).toEqual([]);
    expect(answer.youth).toEqual(baseline.get(id));
    expect(benefits.stats.failures).toBe(1);
    expect(benefits.stats.calls).toBe(callsForOne + 1);
  });

  it('a reset connection on a one-record read is retried too', async () => {
    const jobcenter = stack.systems.systems.jobcenter;
    const id = ids.jobcenter;
    jobcenter.stats.reset();
    await dossier(stack, id);
    const callsForOne = jobcenter.stats.calls;

    jobcenter.stats.reset();
    jobcenter.options.mode = 'reset';
    jobcenter.options.faultsLeft = 2;
    const answer = await dossier(stack, id);
    expect(answer.errors).toEqual([]);
    expect(answer.youth).toEqual(baseline.get(id));
    expect(jobcenter.stats.failures).toBe(2);
    expect(jobcenter.stats.calls).toBe(callsForOne + 2);
  });
});

describe("a system's circuit breaker", () => {
  it('opens after consecutive failures (calls stop reaching the system), half-opens after the delay, and recovers', async () => {
    const social = stack.systems.systems.social;
    const id = ids.social;
    const changes: BreakerState[] = [];
    const unsubscribe = onBreakerStateChange((service, state) => {
      if (service === 'social') changes.push(state);
    });
    try {
      social.options.mode = 'error500';
      social.stats.reset();
      // Failing dossiers until the breaker opens (each asks the system once or twice, nothing retried).
      for (let i = 0; i < SOCIAL_BREAKER.threshold && breakerStates().social !== 'open'; i++) {
        expectPartial(await dossier(stack, id), baseline.get(id)!, 'social', DEADLINE_MS);
      }
      expect(breakerStates().social).toBe('open');
      const callsWhenOpened = social.stats.calls;
      expect(callsWhenOpened).toBe(SOCIAL_BREAKER.threshold);

      // Open: answers still partial, fast, and the system is not called at all.
      const openedAt = Date.now();
      for (let i = 0; i < 3; i++) {
        const answer = await dossier(stack, id);
        expectPartial(answer, baseline.get(id)!, 'social', DEADLINE_MS);
        (timings['breaker open'] ??= []).push(answer.ms);
      }
      expect(Date.now() - openedAt).toBeLessThan(SOCIAL_BREAKER.halfOpenMs);
      expect(social.stats.calls).toBe(callsWhenOpened);

      // After the delay one trial call goes through; the system still fails, so it opens again.
      await new Promise((resolve) => setTimeout(resolve, SOCIAL_BREAKER.halfOpenMs + 50));
      expectPartial(await dossier(stack, id), baseline.get(id)!, 'social', DEADLINE_MS);
      expect(social.stats.calls).toBe(callsWhenOpened + 1);
      expect(breakerStates().social).toBe('open');

      // The system is back: after the delay the trial call succeeds and the breaker closes.
      social.options.mode = 'ok';
      await new Promise((resolve) => setTimeout(resolve, SOCIAL_BREAKER.halfOpenMs + 50));
      const recovered = await dossier(stack, id);
      expect(recovered.errors).toEqual([]);
      expect(recovered.youth).toEqual(baseline.get(id));
      expect(breakerStates().social).toBe('closed');
      expect(social.stats.calls).toBeGreaterThan(callsWhenOpened + 1);
      expect(changes).toEqual(['open', 'half-open', 'open', 'half-open', 'closed']);
    } finally {
      unsubscribe();
    }
  });
});

describe('Idempotency-Key', () => {
  const ADD = 'mutation ($y: ID!) { addPlanAction(input: { youthId: $y, title: "Idempotent meeting", ownerUnit: SOCIAL }) { id } }';
  const ADD_TWO = `mutation ($y: ID!) {
    first: addPlanAction(input: { youthId: $y, title: "First of two", ownerUnit: SOCIAL }) { id }
    second: addPlanAction(input: { youthId: $y, title: "Second of two", ownerUnit: SCHOOL }) { id }
  }`;

  it('makes a repeated submission take effect once; two mutations in one request stay two', async () => {
    const id = ids.school;
    const send = (query: string, key: string) =>
      stack.gql<Record<string, { id: string }>>(query, { y: id }, { youth: id, headers: { 'idempotency-key': key } });
    const once = await send(ADD, 'resilience-key-1');
    const again = await send(ADD, 'resilience-key-1');
    expect(once.errors).toBeUndefined();
    expect(again.data!.addPlanAction!.id).toBe(once.data!.addPlanAction!.id);
    const other = await send(ADD, 'resilience-key-2');
    expect(other.data!.addPlanAction!.id).not.toBe(once.data!.addPlanAction!.id);

    const two = await send(ADD_TWO, 'resilience-key-3');
    const twoAgain = await send(ADD_TWO, 'resilience-key-3');
    expect(two.errors).toBeUndefined();
    expect(two.data!.first!.id).not.toBe(two.data!.second!.id);
    expect(twoAgain.data).toEqual(two.data);

    const plan = await stack.gql<{ youth: { coordinatedPlan: { agreedActions: { title: string }[] } } }>(
      'query ($y: ID!) { youth(id: $y) { coordinatedPlan { agreedActions { title } } } }',
      { y: id },
      { youth: id },
    );
    const titles = plan.data!.youth.coordinatedPlan.agreedActions.map((action) => action.title).sort();
    expect(titles).toEqual(['First of two', 'Idempotent meeting', 'Idempotent meeting', 'Second of two']);
  });

  it('refuses a key that is not visible ASCII, and writes nothing', async () => {
    const result = await stack.gql<{ addPlanAction: { id: string } | null }>(
      ADD,
      { y: ids.school },
      { youth: ids.school, headers: { 'idempotency-key': 'two words' } },
    );
    expect(result.data?.addPlanAction ?? null).toBeNull();
    expect(result.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});
