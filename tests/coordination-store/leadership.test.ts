import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import pino from 'pino';
import { performance } from 'node:perf_hooks';
import { coordinationLeader } from '../../platform/metrics.js';
import type { CoordinationStore, ScreeningRun, ScreeningStatus } from '../../subgraphs/coordination/store/coordinationStore.js';
import { currentLeaseFence, type LeaseFence } from '../../subgraphs/coordination/store/leaderLease.js';
import { Leadership, type Lead, type LeaderJob, type LeaseStore } from '../../subgraphs/coordination/screening/leadership.js';
import { screeningJob, screeningTakeoverDelay, waitForScreeningRun } from '../../subgraphs/coordination/screening/schedule.js';
import { backends, useMigratedStore } from './backends.js';
import { loadCoordinationConfig } from '../../subgraphs/coordination/config.js';
import { ConfigError } from '../../platform/env.js';

/**
 * Which replica runs the jobs (screening/leadership.ts), two replicas over one database: exactly one
 * leads and runs every job on the list; a crashed leader is replaced within its lease, an orderly stop
 * at the other's next try; a leader that cannot reach the database stops its jobs when its lease runs
 * out. Then the screening as a leader's job (screening/schedule.ts). Leases of one second: the shortest
 * allowed.
 */

const LEASE_MS = 1_000;
const RENEW_MS = LEASE_MS / 3;

interface LogLine {
  level: number;
  msg: string;
  holder?: string;
  epoch?: number;
}

function recordingLogger(lines: LogLine[]) {
  return pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line) as LogLine) });
}

interface JobEvent {
  replica: string;
  job: string;
  event: 'start' | 'stop';
  epoch: number;
  atStart: boolean;
}

/** Two jobs that only record when they are started and stopped. */
function recordingJobs(replica: string, events: JobEvent[]): LeaderJob[] {
  return ['screening', 'review'].map((job) => ({
    name: job,
    start: (lead: Lead) => {
      events.push({ replica, job, event: 'start', epoch: lead.fence.epoch, atStart: lead.atStart });
      return { stop: () => void events.push({ replica, job, event: 'stop', epoch: lead.fence.epoch, atStart: lead.atStart }) };
    },
  }));
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits until `condition` holds, at most `withinMs`; answers how long it took. */
async function until(condition: () => boolean, withinMs: number): Promise<number> {
  const start = performance.now();
  while (!condition()) {
    if (performance.now() - start > withinMs) throw new Error(`not within ${withinMs} ms`);
    await sleep(20);
  }
  return performance.now() - start;
}

describe.each(backends)('leadership over one database on $name', (backend) => {
  let store: CoordinationStore;
  useMigratedStore(backend, (opened) => ({ store } = opened));
  const running: Leadership[] = [];
  afterEach(async () => {
    for (const leadership of running.splice(0)) await leadership.stop();
  });

  function replica(name: string, events: JobEvent[], lines: LogLine[] = [], leaseStore: LeaseStore = store): Leadership {
    const leadership = new Leadership({
      store: leaseStore,
      holder: name,
      leaseMs: LEASE_MS,
      jobs: recordingJobs(name, events),
      logger: recordingLogger(lines),
    });
    running.push(leadership);
    return leadership;
  }

  it('lets exactly one of two replicas lead and run every job on the list; the other runs none', async () => {
    const events: JobEvent[] = [];
    const lines: LogLine[] = [];
    const a = replica('replica-a', events, lines);
    const b = replica('replica-b', events);
    expect(await a.start()).toBe(true);
    expect(await b.start()).toBe(false);
    await sleep(3 * RENEW_MS); // a few renewals: nothing changes hands
    expect([a.isLeader(), b.isLeader()]).toEqual([true, false]);
    expect(events).toEqual([
      { replica: 'replica-a', job: 'screening', event: 'start', epoch: 1, atStart: true },
      { replica: 'replica-a', job: 'review', event: 'start', epoch: 1, atStart: true },
    ]);
    expect(a.status()).toEqual({ role: 'leader', holder: 'replica-a', epoch: 1, leader: 'replica-a' });
    expect(b.status()).toEqual({ role: 'follower', holder: 'replica-b', epoch: null, leader: 'replica-a' });
    expect(lines.filter((l) => l.msg === "became the coordination's leader")).toEqual([
      expect.objectContaining({ holder: 'replica-a', epoch: 1 }),
    ]);
    expect(await coordinationLeader.get()).toMatchObject({ values: [expect.objectContaining({ value: 1 })] });
    expect(b.fence()).toEqual({ lease: 'coordination-jobs', holder: 'replica-b', epoch: 0 }); // never led: refused by the fence
  });

  it('replaces a crashed leader within its lease: the new leader runs the jobs in the next epoch', async () => {
    const events: JobEvent[] = [];
    const a = replica('replica-a', events);
    const b = replica('replica-b', events);
    await a.start();
    await b.start();
    a.abandon(); // no renewals, no release, its jobs left as they were: a crash, as the others see it
    const tookMs = await until(() => b.isLeader(), 5 * LEASE_MS);
    // Within the lease plus one try of the survivor (and the machine's slack).
    expect(tookMs).toBeLessThan(LEASE_MS + RENEW_MS + 1_000);
    expect(b.fence().epoch).toBe(2);
    await until(() => events.length === 4, 1_000);
    expect(events.slice(2)).toEqual([
      { replica: 'replica-b', job: 'screening', event: 'start', epoch: 2, atStart: false },
      { replica: 'replica-b', job: 'review', event: 'start', epoch: 2, atStart: false },
    ]);
    // The crashed replica, stopped at last, stops its jobs and cannot release the survivor's lease.
    await a.stop();
    expect(events.filter((e) => e.replica === 'replica-a' && e.event === 'stop')).toHaveLength(2);
    expect(await store.leaseState('coordination-jobs')).toMatchObject({ holder: 'replica-b', epoch: 2, live: true });
  });

  it('hands the lead over at the next try after an orderly stop, the old jobs stopped first', async () => {
    const events: JobEvent[] = [];
    const lines: LogLine[] = [];
    const a = replica('replica-a', events, lines);
    const b = replica('replica-b', events);
    await a.start();
    await b.start();
    await a.stop();
    expect(lines.map((l) => l.msg)).toEqual(expect.arrayContaining(['lost the lead', "released the coordination's lead"]));
    const tookMs = await until(() => b.isLeader(), 5 * LEASE_MS);
    expect(tookMs).toBeLessThan(LEASE_MS); // sooner than a crash: nobody waits for the lease to run out
    await until(() => events.length === 6, 1_000);
    expect(events.map((e) => `${e.replica} ${e.job} ${e.event} ${e.epoch}`)).toEqual([
      'replica-a screening start 1',
      'replica-a review start 1',
      'replica-a screening stop 1',
      'replica-a review stop 1',
      'replica-b screening start 2',
      'replica-b review start 2',
    ]);
    expect(a.status().role).toBe('stopped');
  });

  it('stops its jobs when its lease runs out unrenewed (the database away), and takes them up again when it answers', async () => {
    const events: JobEvent[] = [];
    const lines: LogLine[] = [];
    let databaseAway = false;
    const flaky: LeaseStore = {
      acquireLease: (...args) => (databaseAway ? Promise.reject(new Error('connection refused')) : store.acquireLease(...args)),
      releaseLease: (fence: LeaseFence) => store.releaseLease(fence),
      leaseState: (name: string) => store.leaseState(name),
    };
    const a = replica('replica-a', events, lines, flaky);
    await a.start();
    databaseAway = true;
    const lostMs = await until(() => !a.isLeader(), 3 * LEASE_MS);
    expect(lostMs).toBeLessThanOrEqual(LEASE_MS + 500);
    expect(events.filter((e) => e.event === 'stop')).toHaveLength(2);
    expect(lines.find((l) => l.msg === 'lost the lead')).toMatchObject({ level: 40, holder: 'replica-a', epoch: 1 });
    expect(await coordinationLeader.get()).toMatchObject({ values: [expect.objectContaining({ value: 0 })] });
    databaseAway = false;
    await until(() => a.isLeader(), 3 * LEASE_MS);
    // Nobody held it meanwhile: the same holder, the same epoch.
    expect(a.fence().epoch).toBe(1);
    await until(() => events.length === 6, 1_000);
    expect(events.slice(4).map((e) => [e.event, e.atStart])).toEqual([
      ['start', false],
      ['start', false],
    ]);
  });
});

describe('the screening as a leader job', () => {
  const logger = pino({ level: 'silent' });
  const NOW = Date.parse('2026-11-01T10:00:00Z');
  const run = (startedAt: string, status: ScreeningRun['status'] = 'SUCCEEDED', id = 1): ScreeningRun => ({
    id,
    startedAt,
    finishedAt: startedAt,
    asOf: '2026-11-01',
    youths: status === 'SUCCEEDED' ? 10 : null,
    status,
    error: null,
  });
  const statusWith = (lastSucceededRun: ScreeningRun | null, lastRun = lastSucceededRun): ScreeningStatus => ({
    lastRun,
    lastSucceededRun,
    youths: lastSucceededRun ? 10 : 0,
  });
  const fence: LeaseFence = { lease: 'coordination-jobs', holder: 'replica-a', epoch: 7 };

  it('takes over at the interval after the last successful run, at once when there is none or it is overdue', () => {
    expect(screeningTakeoverDelay(statusWith(null), 15, NOW)).toBe(0);
    expect(screeningTakeoverDelay(statusWith(run('2026-11-01T09:55:00Z')), 15, NOW)).toBe(10 * 60_000);
    expect(screeningTakeoverDelay(statusWith(run('2026-11-01T09:30:00Z')), 15, NOW)).toBe(0);
    // Another replica's clock ahead of this one's: never more than one interval.
    expect(screeningTakeoverDelay(statusWith(run('2026-11-01T10:05:00Z')), 15, NOW)).toBe(15 * 60_000);
    // 0 = only at start: the previous leader's start ran it.
    expect(screeningTakeoverDelay(statusWith(run('2026-11-01T09:55:00Z')), 0, NOW)).toBeNull();
    expect(screeningTakeoverDelay(statusWith(null, run('2026-11-01T09:55:00Z', 'FAILED')), 0, NOW)).toBe(0);
  });

  describe('on a fake clock', () => {
    beforeEach(() => {
      vi.useFakeTimers();
      vi.setSystemTime(NOW);
    });
    afterEach(() => vi.useRealTimers());

    it('runs at once under the lease it was given when the replica leads from its start, and `first` is that run', async () => {
      const fences: (LeaseFence | undefined)[] = [];
      const screen = vi.fn(async () => void fences.push(currentLeaseFence()));
      const statusRead = vi.fn(async () => statusWith(run('2026-11-01T09:59:00Z')));
      const job = screeningJob(screen, { screeningStatus: statusRead }, 15, logger);
      const handle = await job.start({ fence, atStart: true });
      await job.first;
      expect(screen).toHaveBeenCalledTimes(1);
      expect(fences).toEqual([fence]);
      expect(statusRead).not.toHaveBeenCalled(); // as a single replica always did: no look at the last run
      await handle.stop();
    });

    it("waits for the previous leader's interval after a takeover, and runs nothing when the interval is 0 and the register has a run", async () => {
      const screen = vi.fn(async () => undefined);
      const store = { screeningStatus: async () => statusWith(run('2026-11-01T09:55:00Z')) } as Pick<CoordinationStore, 'screeningStatus'>;
      const job = screeningJob(screen, store, 15, logger, { startupAttempts: 1 });
      const handle = await job.start({ fence, atStart: false });
      expect(job.first).toBeNull();
      await vi.advanceTimersByTimeAsync(10 * 60_000 - 1);
      expect(screen).not.toHaveBeenCalled();
      await vi.advanceTimersByTimeAsync(1);
      expect(screen).toHaveBeenCalledTimes(1);
      await vi.advanceTimersByTimeAsync(15 * 60_000);
      expect(screen).toHaveBeenCalledTimes(2);
      await handle.stop();
      await vi.advanceTimersByTimeAsync(60 * 60_000);
      expect(screen).toHaveBeenCalledTimes(2); // stopped with the lead

      const once = screeningJob(screen, store, 0, logger);
      await (await once.start({ fence, atStart: false })).stop();
      await vi.advanceTimersByTimeAsync(60 * 60_000);
      expect(screen).toHaveBeenCalledTimes(2);
    });

    it("lets a follower's first screening settle on the leader's successful run, or on a run that failed after it began waiting", async () => {
      let status = statusWith(null, run('2026-11-01T09:00:00Z', 'FAILED', 4)); // an old failure: not this start's
      const store = { screeningStatus: async () => status };
      let settled = false;
      void waitForScreeningRun(store, { stopped: () => false, pollMs: 1_000 }).then(() => (settled = true));
      await vi.advanceTimersByTimeAsync(3_000);
      expect(settled).toBe(false);
      status = statusWith(null, run('2026-11-01T10:00:02Z', 'FAILED', 5));
      await vi.advanceTimersByTimeAsync(1_000);
      expect(settled).toBe(true);

      settled = false;
      status = statusWith(null);
      void waitForScreeningRun(store, { stopped: () => false, pollMs: 1_000 }).then(() => (settled = true));
      await vi.advanceTimersByTimeAsync(2_000);
      expect(settled).toBe(false);
      status = statusWith(run('2026-11-01T10:00:05Z'));
      await vi.advanceTimersByTimeAsync(1_000);
      expect(settled).toBe(true);

      let stopped = false;
      settled = false;
      status = statusWith(null);
      void waitForScreeningRun(store, { stopped: () => stopped, pollMs: 1_000 }).then(() => (settled = true));
      await vi.advanceTimersByTimeAsync(2_000);
      stopped = true;
      await vi.advanceTimersByTimeAsync(1_000);
      expect(settled).toBe(true);
    });
  });
});

describe('COORDINATION_LEADER_LEASE_SECONDS', () => {
  const load = (env: Record<string, string>) => () => loadCoordinationConfig({ CHANGE_FEEDS: 'false', ...env });

  it('defaults to 30 s, well within the screening interval', () => {
    expect(load({})()).toMatchObject({ leaderLeaseSeconds: 30, screeningIntervalMinutes: 15 });
    expect(load({ COORDINATION_LEADER_LEASE_SECONDS: '5' })().leaderLeaseSeconds).toBe(5);
  });

  it('refuses a lease as long as the screening interval or longer, and anything but whole seconds from 1 to 3600', () => {
    expect(load({ SCREENING_INTERVAL_MINUTES: '1', COORDINATION_LEADER_LEASE_SECONDS: '60' })).toThrow(ConfigError);
    expect(load({ SCREENING_INTERVAL_MINUTES: '1', COORDINATION_LEADER_LEASE_SECONDS: '60' })).toThrow(
      /COORDINATION_LEADER_LEASE_SECONDS \(60\) must be less than the screening interval \(SCREENING_INTERVAL_MINUTES=1, 60 s\)/,
    );
    expect(load({ SCREENING_INTERVAL_MINUTES: '1', COORDINATION_LEADER_LEASE_SECONDS: '59' })().leaderLeaseSeconds).toBe(59);
    // 0 = the screening at start only: no interval to be shorter than.
    expect(load({ SCREENING_INTERVAL_MINUTES: '0', COORDINATION_LEADER_LEASE_SECONDS: '600' })().leaderLeaseSeconds).toBe(600);
    for (const bad of ['0', '1.5', '3601', 'thirty']) expect(load({ COORDINATION_LEADER_LEASE_SECONDS: bad })).toThrow(ConfigError);
  });
});
