import type { Logger } from 'pino';
import { changeFeedDelay, changeFeedEventsApplied, changeFeedLag, changeFeedRebuilds } from '../../../platform/metrics.js';
import { ChangeFeedUnavailable, type ChangeFeedReader, type FeedEvent } from '../../kit/systems/changeFeedReader.js';
import type { FeedPosition, FeedSystem, ScreeningChanges } from '../store/screeningChanges.js';
import { currentRecords } from './currentRecords.js';
import { screeningRowFor, type ScreeningRow, type ScreeningSources } from './screeningJob.js';
import { createGuidanceChangeFeed } from '../../kit/systems/guidanceClient.js';
import { createSchoolChangeFeed } from '../../kit/systems/schoolClient.js';
import { createJobcenterChangeFeed } from '../../kit/systems/jobcenterClient.js';
import { createSocialChangeFeed } from '../../kit/systems/socialClient.js';
import type { GuidanceConnection, JobcenterConnection, SchoolConnection, SocialConnection } from '../../kit/systems/connections.js';

/** The feeds of the four systems the register reads (benefits' is not: the register holds nothing of it). */
export function registerChangeFeeds(systems: {
  school: SchoolConnection;
  guidance: GuidanceConnection;
  jobcenter: JobcenterConnection;
  social: SocialConnection;
}): ChangeFeedReader[] {
  return [
    createSchoolChangeFeed(systems.school),
    createGuidanceChangeFeed(systems.guidance),
    createJobcenterChangeFeed(systems.jobcenter),
    createSocialChangeFeed(systems.social),
  ];
}

/**
 * Fresh, not rebuilt: the screening register follows the systems' change feeds (systems/README.md,
 * "Change feeds"). Per system a reader long-polls its feed after the position the store holds; one
 * applier takes what the readers found, coalesces the young people it names (many changes of one
 * person in a batch are one recomputation), fetches their current records from the four systems
 * (currentRecords.ts), recomputes their rows with the full rebuild's own `screeningRowFor`, and writes
 * rows and positions in one transaction (store/screeningChanges.ts). One applier, batches in order:
 * a batch's records are always fetched after the one before was written, so a later write never
 * carries older records.
 *
 * A gap (a position older than a feed's window, `410`; a feed that restarted, another stream; a jump in
 * the sequence) or a feed unreadable for long runs the full rebuild, with the follower paused; the
 * feeds then resume from their heads as read BEFORE the rebuild started (changes after them are applied
 * again: harmless, rows are recomputed from current state). Every rebuild on the leader goes through
 * here (`rebuild`: the nightly fallback too), so no batch of changes is overwritten by a rebuild's older
 * extract. A system that cannot be read keeps the register as it is; the follower catches up when it
 * is back, as long as its window still holds the position.
 */

export interface ChangeFollowerDeps<R = unknown> {
  /** One reader per system followed (the four the register reads: school, guidance, jobcenter, social). */
  feeds: readonly ChangeFeedReader[];
  sources: ScreeningSources;
  store: {
    changeFeedPositions(): Promise<FeedPosition[]>;
    setChangeFeedPositions(positions: readonly FeedPosition[]): Promise<void>;
    applyScreeningChanges(changes: ScreeningChanges): Promise<unknown>;
  };
  /** The full rebuild from the extracts (screeningJob.ts via server.ts `screen`, one run at a time). */
  rebuild: () => Promise<R>;
  today: () => string;
  logger: Logger;
}

export interface ChangeFollowerOptions {
  /** Long-poll: how long a feed read waits for a change (0: plain polling every `pollSeconds`). Default 20. */
  waitSeconds?: number;
  /** Between reads when not long-polling, and the first wait after a failure (doubling to 60 s). Default 5. */
  pollSeconds?: number;
  /** Events per read. Default 500. */
  batchSize?: number;
  /** A feed that cannot be read this long gets a full rebuild (and again after as long). Default 15. */
  unreadableRebuildMinutes?: number;
  /** Least time between two rebuilds for gaps (doubling while they fail, to 15 minutes). Default 60 s. */
  gapRebuildBackoffMs?: number;
  /** Told each batch once it is in the register (the bench measures the delay from it). */
  onApplied?: (batch: AppliedBatch) => void;
}

export interface AppliedBatch {
  events: (FeedEvent & { system: string })[];
  youths: number;
  systemCalls: number;
  committedAt: number;
}

export interface ChangeFollower<R = unknown> {
  /** Settles once every feed has a position (from the store, or from the first rebuild), or on stop. */
  ready: Promise<void>;
  /** A full rebuild with the follower paused; the feeds resume from their heads as read before it began. */
  rebuild: (reason?: RebuildReason) => Promise<R>;
  stop: () => Promise<void>;
}

export type RebuildReason = 'gap' | 'restarted' | 'unreadable' | 'no_position' | 'scheduled';

interface Batch {
  /** The rebuilds before it was read: a batch read before a rebuild is dropped, the rebuild covers it. */
  generation: number;
  system: FeedSystem;
  events: FeedEvent[];
  position: FeedPosition;
  done: (applied: boolean) => void;
}

const MAX_RETRY_MS = 60_000;
const MAX_GAP_BACKOFF_MS = 15 * 60_000;

/** Waits `ms`, or less when `signal` aborts. */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

export function followChangeFeeds<R>(deps: ChangeFollowerDeps<R>, options: ChangeFollowerOptions = {}): ChangeFollower<R> {
  const { feeds, sources, store, logger } = deps;
  const waitSeconds = options.waitSeconds ?? 20;
  const pollMs = (options.pollSeconds ?? 5) * 1000;
  const batchSize = options.batchSize ?? 500;
  const unreadableMs = (options.unreadableRebuildMinutes ?? 15) * 60_000;
  const gapBackoffMs = options.gapRebuildBackoffMs ?? 60_000;
  const log = logger.child({ component: 'change-feeds' });

  const positions = new Map<string, FeedPosition>();
  const stopping = new AbortController();
  /** Aborted to end the reads in flight when a rebuild pauses the follower. */
  let reads = new AbortController();
  let paused = true;
  let resume: () => void = () => undefined;
  let resumed = new Promise<void>((resolve) => (resume = resolve));
  let markReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => (markReady = resolve));
  stopping.signal.addEventListener('abort', () => markReady(), { once: true });
  let generation = 0;

  // ---------- the applier: one batch of changes at a time ----------
  const queue: Batch[] = [];
  let wakeApplier: () => void = () => undefined;
  let applying: Promise<void> = Promise.resolve();

  const submit = (read: number, system: FeedSystem, events: FeedEvent[], position: FeedPosition): Promise<boolean> =>
    new Promise((done) => {
      if (read !== generation) return done(false);
      queue.push({ generation: read, system, events, position, done });
      wakeApplier();
    });

  const dropQueue = (): void => {
    for (const batch of queue.splice(0)) batch.done(false);
  };

  async function applyBatches(batches: Batch[]): Promise<void> {
    const started = performance.now();
    const events = batches.flatMap((b) => b.events.map((e) => ({ ...e, system: b.system })));
    const cprs = [...new Set(events.map((e) => e.cpr))];
    const youthIdByCpr = new Map(events.flatMap((e) => (e.youthId ? [[e.cpr, e.youthId] as const] : [])));
    const found = await currentRecords(sources, cprs, { requestId: `change-feed-${Date.now()}` });
    const today = deps.today();
    const rows: ScreeningRow[] = [...found.records.values()].map((records) => screeningRowFor(records, today));
    // A young person UU no longer holds leaves the register (known by UU's own key, from UU's events).
    const removed = [...found.notInRegister].flatMap((cpr) => {
      const youthId = youthIdByCpr.get(cpr);
      return youthId ? [youthId] : [];
    });
    const latest = new Map<string, FeedPosition>();
    for (const batch of batches) latest.set(batch.system, batch.position);
    await store.applyScreeningChanges({ rows, removed, positions: [...latest.values()] });
    const committedAt = Date.now();
    for (const [system, position] of latest) positions.set(system, position);
    for (const batch of batches) {
      changeFeedEventsApplied.inc({ system: batch.system }, batch.events.length);
      const oldest = Math.min(...batch.events.map((e) => Date.parse(e.at)));
      changeFeedLag.set({ system: batch.system }, Math.max(0, (committedAt - oldest) / 1000));
      for (const event of batch.events)
        changeFeedDelay.observe({ system: batch.system }, Math.max(0, (committedAt - Date.parse(event.at)) / 1000));
    }
    log.debug(
      {
        events: events.length,
        youths: cprs.length,
        rows: rows.length,
        removed: removed.length,
        calls: found.calls,
        ms: Math.round(performance.now() - started),
      },
      'changes applied to the screening register',
    );
    options.onApplied?.({ events, youths: cprs.length, systemCalls: found.calls, committedAt });
  }

  async function runApplier(): Promise<void> {
    let failures = 0;
    while (!stopping.signal.aborted) {
      if (queue.length === 0 || paused) {
        await new Promise<void>((resolve) => (wakeApplier = resolve));
        continue;
      }
      const batches: Batch[] = [];
      for (const batch of queue.splice(0)) {
        if (batch.generation === generation) batches.push(batch);
        else batch.done(false); // read before a rebuild: the rebuild covers it
      }
      if (batches.length === 0) continue;
      const attempt = applyBatches(batches);
      applying = attempt.then(
        () => undefined,
        () => undefined,
      );
      try {
        await attempt;
        if (failures > 0) log.info({ failuresInRow: failures }, 'changes are applied again');
        failures = 0;
        for (const batch of batches) batch.done(true);
      } catch (error) {
        failures += 1;
        // The register keeps its rows; the same batches are tried again (a system may be down).
        queue.unshift(...batches);
        const waitMs = Math.min(MAX_RETRY_MS, pollMs * 2 ** Math.min(failures - 1, 10));
        log.warn(
          { reason: error instanceof Error ? error.message : String(error), failuresInRow: failures, retryInMs: waitMs },
          'changes could not be applied; the register keeps its rows and tries again',
        );
        // A rebuild ends the wait (its reads' signal aborts): the batches are dropped then.
        await sleep(waitMs, AbortSignal.any([stopping.signal, reads.signal]));
      }
    }
    dropQueue();
  }

  // ---------- rebuilds ----------
  let rebuilding: Promise<R> | null = null;
  let gapRebuild: Promise<void> | null = null;
  let lastGapRebuildAt = 0;
  let gapRebuildFailures = 0;

  /** Each feed's head now, or null when it cannot be read. */
  const heads = (): Promise<(FeedPosition | null)[]> =>
    Promise.all(
      feeds.map(async (feed) => {
        try {
          const answer = await feed.read(null, 0, 0, stopping.signal);
          if (answer.gone) return null;
          return { system: feed.system as FeedSystem, stream: answer.stream, sequence: answer.head };
        } catch {
          return null;
        }
      }),
    );

  const rebuild = (reason: RebuildReason = 'scheduled'): Promise<R> => {
    rebuilding ??= (async () => {
      const started = Date.now();
      paused = true;
      generation += 1;
      resumed = new Promise<void>((resolve) => (resume = resolve));
      reads.abort();
      await applying;
      dropQueue();
      try {
        const before = await heads();
        log.info(
          { reason, heads: before.map((h, i) => ({ system: feeds[i]!.system, sequence: h?.sequence ?? null })) },
          'rebuilding the screening register in full',
        );
        const result = await deps.rebuild();
        // Where a head could not be read, the old position stays (its events are applied again, or its gap found again).
        const next = before.filter((head) => head !== null);
        await store.setChangeFeedPositions(next);
        for (const head of next) positions.set(head.system, head);
        changeFeedRebuilds.inc({ reason, outcome: 'succeeded' });
        log.info(
          { reason, ms: Date.now() - started, following: [...positions.keys()] },
          'register rebuilt; following the change feeds from the heads read before it',
        );
        if (feeds.every((feed) => positions.has(feed.system))) markReady();
        return result;
      } catch (error) {
        changeFeedRebuilds.inc({ reason, outcome: 'failed' });
        throw error;
      } finally {
        reads = new AbortController();
        paused = false;
        resume();
        wakeApplier();
      }
    })().finally(() => {
      rebuilding = null;
    });
    return rebuilding;
  };

  /** A rebuild the follower itself needs (a gap, a feed unreadable for long): spaced out while they fail. */
  const needRebuild = (reason: RebuildReason, system: string, detail: Record<string, unknown> = {}): Promise<void> => {
    if (gapRebuild === null) {
      const why =
        reason === 'no_position'
          ? 'no position in a change feed yet'
          : reason === 'unreadable'
            ? 'a change feed unreadable for long'
            : 'a change feed has a gap';
      // The first start has no position: nothing is wrong, the register is built once and followed from then.
      log[reason === 'no_position' ? 'info' : 'warn']({ system, reason, ...detail }, `${why}; the register will be rebuilt in full`);
    }
    gapRebuild ??= (async () => {
      const spacing = Math.min(MAX_GAP_BACKOFF_MS, gapBackoffMs * 2 ** Math.min(gapRebuildFailures, 10));
      const waitMs = lastGapRebuildAt === 0 ? 0 : Math.max(0, lastGapRebuildAt + spacing - Date.now());
      if (waitMs > 0) log.info({ reason, waitMs }, 'rebuild for a gap waits (one ran a moment ago)');
      await sleep(waitMs, stopping.signal);
      if (stopping.signal.aborted) return;
      // Another rebuild (the schedule's first run) gave every feed its position meanwhile: nothing to build.
      if (reason === 'no_position' && feeds.every((feed) => positions.has(feed.system as FeedSystem))) return;
      lastGapRebuildAt = Date.now();
      try {
        await rebuild(reason);
        gapRebuildFailures = 0;
      } catch (error) {
        gapRebuildFailures += 1;
        // The first build at start: the systems may not answer yet while everything starts (as the screening
        // schedule's first run, screening/schedule.ts); only a build that keeps failing is an error.
        if (reason === 'no_position' && gapRebuildFailures < 3) {
          log.info(
            { reason, attempt: gapRebuildFailures, cause: error instanceof Error ? error.message : String(error) },
            'the register could not be built yet (the systems may still be starting); trying again',
          );
        } else {
          log.error({ err: error, reason }, 'rebuild for a gap failed; the register keeps its rows and it is tried again');
        }
      }
    })().finally(() => {
      gapRebuild = null;
    });
    return gapRebuild;
  };

  // ---------- one reader per feed ----------
  async function runReader(feed: ChangeFeedReader): Promise<void> {
    const system = feed.system as FeedSystem;
    let failingSince: number | null = null;
    let failures = 0;
    while (!stopping.signal.aborted) {
      if (paused) {
        await Promise.race([resumed, new Promise((resolve) => stopping.signal.addEventListener('abort', resolve, { once: true }))]);
        continue;
      }
      const position = positions.get(system);
      if (!position) {
        await needRebuild('no_position', system);
        continue;
      }
      const signal = reads.signal;
      const read = generation;
      let answer;
      try {
        answer = await feed.read(position.sequence, batchSize, waitSeconds, signal);
      } catch (error) {
        if (stopping.signal.aborted || signal.aborted) continue;
        failures += 1;
        failingSince ??= Date.now();
        const reason = error instanceof ChangeFeedUnavailable ? error.reason : 'unknown';
        if (failures === 1)
          log.warn({ system, reason }, 'change feed cannot be read; the register keeps its rows and the feed is read again');
        if (Date.now() - failingSince >= unreadableMs) {
          failingSince = Date.now();
          await needRebuild('unreadable', system, { reason });
          continue;
        }
        await sleep(Math.min(MAX_RETRY_MS, pollMs * 2 ** Math.min(failures - 1, 10)), stopping.signal);
        continue;
      }
      if (failures > 0) log.info({ system, failuresInRow: failures }, 'change feed can be read again');
      failures = 0;
      failingSince = null;
      if (answer.gone) {
        await needRebuild('gap', system, { position: position.sequence, head: answer.head });
        continue;
      }
      if (answer.stream !== position.stream) {
        await needRebuild('restarted', system);
        continue;
      }
      const first = answer.events[0];
      if (first === undefined) {
        changeFeedLag.set({ system }, 0);
        if (waitSeconds === 0) await sleep(pollMs, stopping.signal);
        continue;
      }
      if (first.sequence !== position.sequence + 1) {
        await needRebuild('gap', system, { position: position.sequence, first: first.sequence });
        continue;
      }
      const last = answer.events[answer.events.length - 1]!;
      // Waits until the batch is in the register (or dropped by a rebuild): the next read starts after it.
      await submit(read, system, answer.events, { system, stream: answer.stream, sequence: last.sequence });
    }
  }

  // ---------- start ----------
  const loops = (async () => {
    try {
      for (const position of await store.changeFeedPositions()) positions.set(position.system, position);
    } catch (error) {
      log.error({ err: error }, 'change feed positions could not be read; following starts with a rebuild');
    }
    const missing = feeds.filter((feed) => !positions.has(feed.system)).map((feed) => feed.system);
    log.info(
      { positions: [...positions.values()].map((p) => ({ system: p.system, sequence: p.sequence })), missing },
      'following the systems’ change feeds',
    );
    if (missing.length === 0) markReady();
    paused = false;
    resume();
    await Promise.all([runApplier(), ...feeds.map(runReader)]);
  })();

  return {
    ready,
    rebuild,
    async stop() {
      stopping.abort();
      reads.abort();
      wakeApplier();
      resume();
      await loops;
      await Promise.all(feeds.map((feed) => feed.close()));
      log.info('stopped following the change feeds');
    },
  };
}
