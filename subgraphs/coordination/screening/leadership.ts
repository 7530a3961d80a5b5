import { performance } from 'node:perf_hooks';
import type { Logger } from 'pino';
import { coordinationLeader } from '../../../platform/metrics.js';
import type { CoordinationStore } from '../store/coordinationStore.js';
import { COORDINATION_JOBS_LEASE, type LeaseFence, type LeaseState } from '../store/leaderLease.js';

/**
 * Which coordination replica runs the jobs (issue 12: the coordination scales out). Every replica serves
 * queries from the shared database; one of them, the leader, holds the lease (store/leaderLease.ts) and
 * runs the jobs of one list (subgraphs/registry.ts): started when it takes the lead, stopped when it
 * loses it. Each replica tries to take or renew the lease every third of its length; a leader that died
 * or hung is replaced by the next replica to try once its lease has run out, an orderly stop releases it
 * so the next try takes over at once.
 *
 * A leader counts its lease from the moment it sent the renewal, on its own monotonic clock (never a
 * comparison of two machines' clocks): when no renewal has come back by then (the database is away or
 * slow) it stops its jobs, because another replica may already have taken over. A run still in progress
 * then finishes or fails, but a write only the leader may make is fenced with the epoch it started in.
 */

/** What a job is told when this replica takes the lead. */
export interface Lead {
  /** The lease as granted: a write only the leader may make is checked against it (`withLeaseFence`). */
  fence: LeaseFence;
  /**
   * True when this replica took the lead as it started (a single replica, or the first of several):
   * the jobs run as they always did, the screening at once. False when it took over from another
   * replica later, which ran the jobs until then.
   */
  atStart: boolean;
}

export interface JobHandle {
  /** Stops the job's schedule; a run in progress may finish (its fenced writes are refused). */
  stop(): Promise<void> | void;
}

/** A job only the leader runs (the screening schedule, the per-period ticks, the change feeds). */
export interface LeaderJob {
  name: string;
  start(lead: Lead): JobHandle | Promise<JobHandle>;
}

export type LeaseStore = Pick<CoordinationStore, 'acquireLease' | 'releaseLease' | 'leaseState'>;

export interface LeadershipOptions {
  store: LeaseStore;
  /** This replica, unique per process (host, pid and a random part). */
  holder: string;
  leaseMs: number;
  jobs: readonly LeaderJob[];
  logger: Logger;
  /** Default `coordination-jobs`. */
  lease?: string;
}

export interface LeadershipStatus {
  role: 'leader' | 'follower' | 'stopped';
  holder: string;
  /** The epoch this replica leads in (null while it follows). */
  epoch: number | null;
  /** Who leads as this replica last saw it (itself when leading; null when unknown or nobody). */
  leader: string | null;
}

/** The replicas leading in this process (one in production; the gauge says whether any does). */
const leadingHere = new Set<Leadership>();

export class Leadership {
  private readonly lease: string;
  private readonly renewEveryMs: number;
  private leading: LeaseFence | null = null;
  /** The last lease this replica held: what `fence()` answers once it no longer leads. */
  private lastHeld: LeaseFence | null = null;
  private seen: LeaseState | null = null;
  private handles: { name: string; handle: JobHandle }[] = [];
  /** Starting and stopping the jobs, one change after the other. */
  private changes: Promise<void> = Promise.resolve();
  private attempt: Promise<void> = Promise.resolve();
  private tickTimer: NodeJS.Timeout | null = null;
  private deadlineTimer: NodeJS.Timeout | null = null;
  private started = false;
  /** No more tries (stopped, or abandoned as a crash would). */
  private halted = false;
  private stopped = false;
  private grantedWhileStopping: LeaseFence | null = null;

  constructor(private readonly options: LeadershipOptions) {
    this.lease = options.lease ?? COORDINATION_JOBS_LEASE;
    this.renewEveryMs = Math.max(1, Math.floor(options.leaseMs / 3));
  }

  get holder(): string {
    return this.options.holder;
  }

  isLeader(): boolean {
    return this.leading !== null;
  }

  /** The lease this replica holds, or held last (a write under it is refused once another took over); epoch 0 when it never led. */
  fence(): LeaseFence {
    return this.leading ?? this.lastHeld ?? { lease: this.lease, holder: this.options.holder, epoch: 0 };
  }

  status(): LeadershipStatus {
    const leader = this.leading ? this.options.holder : this.seen?.live ? this.seen.holder : null;
    return {
      role: this.halted ? 'stopped' : this.leading ? 'leader' : 'follower',
      holder: this.options.holder,
      epoch: this.leading?.epoch ?? null,
      leader,
    };
  }

  /**
   * The first try, at once; then a try every third of the lease. Resolves when the first try is done
   * and, if it took the lead, the jobs have started: true when this replica leads.
   */
  async start(): Promise<boolean> {
    if (this.started) throw new Error('leadership already started');
    this.started = true;
    this.attempt = this.tryLease(true);
    await this.attempt;
    await this.changes;
    this.scheduleNext();
    return this.isLeader();
  }

  /** An orderly stop: the jobs stop, then the lease is released so another replica takes over at its next try. */
  async stop(): Promise<void> {
    if (this.stopped) return this.changes;
    this.stopped = true;
    this.halted = true;
    this.clearTimers();
    await this.attempt;
    const held = this.leading ?? this.grantedWhileStopping;
    if (this.leading) this.lose('this replica is stopping', 'info');
    await this.changes;
    if (!held) return;
    const released = await this.options.store.releaseLease(held).catch((error: unknown) => {
      this.options.logger.warn({ err: error, holder: held.holder, epoch: held.epoch }, "the coordination's lead could not be released");
      return false;
    });
    if (released) this.options.logger.info({ holder: held.holder, epoch: held.epoch }, "released the coordination's lead");
  }

  /**
   * Stops renewing and does nothing else: neither the jobs nor the lease are touched, which is what a
   * crashed or hung replica looks like to the others (tests). `stop()` afterwards still stops the jobs.
   */
  abandon(): void {
    this.halted = true;
    this.clearTimers();
  }

  private scheduleNext(): void {
    if (this.halted) return;
    this.tickTimer = setTimeout(() => {
      this.attempt = this.tryLease(false).finally(() => this.scheduleNext());
    }, this.renewEveryMs);
    this.tickTimer.unref();
  }

  private async tryLease(atStart: boolean): Promise<void> {
    const { store, holder, leaseMs, logger } = this.options;
    const sentAt = performance.now();
    let granted: LeaseFence | null;
    try {
      granted = await store.acquireLease(this.lease, holder, leaseMs);
    } catch (error) {
      // Still leading until the lease runs out on this replica's clock (the deadline timer).
      logger.warn({ err: error, holder, leading: this.isLeader() }, "the coordination's lease could not be taken or renewed; trying again");
      return;
    }
    if (this.halted) {
      // Stopped while asking: an orderly stop releases what this try may have been granted.
      if (granted && !this.leading) this.grantedWhileStopping = granted;
      return;
    }
    if (!granted) {
      if (this.leading) this.lose('another replica holds the lease', 'warn');
      await this.noteLeader();
      return;
    }
    this.armDeadline(sentAt + leaseMs);
    if (this.leading?.epoch === granted.epoch) return;
    if (this.leading) this.lose('the lease changed hands', 'warn');
    this.gain(granted, atStart);
  }

  private gain(fence: LeaseFence, atStart: boolean): void {
    this.leading = fence;
    this.lastHeld = fence;
    this.seen = { ...fence, live: true };
    leadingHere.add(this);
    coordinationLeader.set(1);
    this.options.logger.info({ holder: fence.holder, epoch: fence.epoch, lease: fence.lease, atStart }, "became the coordination's leader");
    const lead: Lead = { fence, atStart };
    this.changes = this.changes.then(() => this.startJobs(lead));
  }

  private lose(reason: string, level: 'info' | 'warn'): void {
    const fence = this.leading;
    if (!fence) return;
    this.leading = null;
    if (this.deadlineTimer) clearTimeout(this.deadlineTimer);
    this.deadlineTimer = null;
    leadingHere.delete(this);
    coordinationLeader.set(leadingHere.size > 0 ? 1 : 0);
    this.options.logger[level]({ holder: fence.holder, epoch: fence.epoch, lease: fence.lease, reason }, 'lost the lead');
    this.changes = this.changes.then(() => this.stopJobs());
  }

  /** When no renewal has come back by the end of the lease, another replica may lead: stop the jobs. */
  private armDeadline(at: number): void {
    if (this.deadlineTimer) clearTimeout(this.deadlineTimer);
    this.deadlineTimer = setTimeout(
      () => this.lose('the lease ran out before it could be renewed', 'warn'),
      Math.max(0, at - performance.now()),
    );
    this.deadlineTimer.unref();
  }

  private async startJobs(lead: Lead): Promise<void> {
    for (const job of this.options.jobs) {
      // The lead may have been lost while an earlier job started: start no more of them.
      if (this.leading?.epoch !== lead.fence.epoch) return;
      try {
        this.handles.push({ name: job.name, handle: await job.start(lead) });
      } catch (error) {
        this.options.logger.error({ err: error, job: job.name }, 'a leader job could not start; it runs again when the lead next changes');
      }
    }
  }

  private async stopJobs(): Promise<void> {
    const handles = this.handles;
    this.handles = [];
    await Promise.all(
      handles.map(async ({ name, handle }) => {
        try {
          await handle.stop();
        } catch (error) {
          this.options.logger.warn({ err: error, job: name }, 'a leader job did not stop cleanly');
        }
      }),
    );
  }

  /** Who leads, as a follower sees it (logged when it changes). */
  private async noteLeader(): Promise<void> {
    const state = await this.options.store.leaseState(this.lease).catch(() => null);
    if (state && (state.holder !== this.seen?.holder || state.epoch !== this.seen.epoch)) {
      this.options.logger.info(
        { leader: state.holder, epoch: state.epoch, holder: this.options.holder },
        "another replica leads the coordination's jobs; this one serves queries",
      );
    }
    this.seen = state;
  }

  private clearTimers(): void {
    if (this.tickTimer) clearTimeout(this.tickTimer);
    this.tickTimer = null;
    if (this.deadlineTimer) clearTimeout(this.deadlineTimer);
    this.deadlineTimer = null;
  }
}
