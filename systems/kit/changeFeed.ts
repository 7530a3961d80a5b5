import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { HttpError, intParam } from './http.js';
import type { Route } from './router.js';

/**
 * A system's change feed: every change to a record appends an event (a sequence number that only grows,
 * the CPR number, the time, the kind of record), the way municipal systems publish events through the
 * common infrastructure's message distributor. Readers page through it after a position and may wait
 * (long-poll) for the next event. The feed keeps a bounded window (the last `maxEvents`, none older than
 * `maxAgeMs`); a position older than the window answers `410 Gone`: the reader has missed events and
 * must rebuild from the extracts.
 *
 * The feed lives in memory, so a system that restarts starts a new feed: `stream` names this one (a
 * reader holding a position in another stream has a gap, like a position beyond the window).
 */
export interface ChangeEvent {
  sequence: number;
  cpr: string;
  /** ISO date-time of the change. */
  at: string;
  /** The kind of record that changed (the system's own word: `FRAVAER`, `UPV`, `SAG`, ...). */
  kind: string;
  /** UU's own key, where the system has one (the guidance register). */
  uuId?: string;
}

export interface ChangeFeedOptions {
  /** Events kept (older ones are dropped); default 10,000. */
  maxEvents?: number;
  /** Longest an event is kept; default 24 hours. */
  maxAgeMs?: number;
  now?: () => number;
}

export type FeedRead =
  { gone: false; events: ChangeEvent[]; head: number; stream: string } | { gone: true; oldest: number; head: number; stream: string };

export const DEFAULT_FEED_EVENTS = 10_000;
export const DEFAULT_FEED_AGE_MS = 24 * 3600_000;
/** Most events per page, and the longest a reader may wait (seconds) for one. */
export const FEED_PAGE_MAX = 1000;
export const FEED_WAIT_MAX_S = 30;

export class ChangeFeed {
  readonly stream = randomBytes(6).toString('hex');
  private readonly events: ChangeEvent[] = [];
  /** Index in `events` of the first event still kept (dropped ones are spliced off in chunks). */
  private first = 0;
  private head = 0;
  /** The highest sequence number dropped from the window: positions below it have a gap. */
  private droppedThrough = 0;
  private readonly waiters = new Set<() => void>();
  private readonly maxEvents: number;
  private readonly maxAgeMs: number;
  private readonly now: () => number;

  constructor(options: ChangeFeedOptions = {}) {
    this.maxEvents = options.maxEvents ?? DEFAULT_FEED_EVENTS;
    this.maxAgeMs = options.maxAgeMs ?? DEFAULT_FEED_AGE_MS;
    this.now = options.now ?? Date.now;
    if (!(this.maxEvents >= 1) || !(this.maxAgeMs > 0)) throw new RangeError('a change feed keeps at least one event for some time');
  }

  /** Appends one event; answers its sequence number. Readers waiting for a change are woken. */
  append(cpr: string, kind: string, uuId?: string): number {
    this.head += 1;
    this.events.push({ sequence: this.head, cpr, at: new Date(this.now()).toISOString(), kind, ...(uuId ? { uuId } : {}) });
    this.trim();
    for (const wake of this.waiters) wake();
    this.waiters.clear();
    return this.head;
  }

  get headSequence(): number {
    return this.head;
  }

  /** Up to `limit` events after `after` (null: from the oldest kept), or `gone` when `after` is outside the window. */
  read(after: number | null, limit: number): FeedRead {
    this.trim();
    const oldest = this.droppedThrough;
    if (after !== null && (after < oldest || after > this.head)) return { gone: true, oldest, head: this.head, stream: this.stream };
    const from = after ?? oldest;
    // Sequence numbers are dense: the event after `from` sits at a known offset from the first one kept.
    const start = this.first + (from - this.droppedThrough);
    return { gone: false, events: this.events.slice(start, start + limit), head: this.head, stream: this.stream };
  }

  /**
   * Resolves when an event after `after` exists, `waitMs` has passed or `signal` aborts, whichever is first.
   * The timer is unref'd: a waiting reader never keeps a process alive.
   */
  async waitForEvent(after: number, waitMs: number, signal?: AbortSignal): Promise<void> {
    if (this.head > after || waitMs <= 0 || signal?.aborted) return;
    await new Promise<void>((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.waiters.delete(done);
        signal?.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, waitMs);
      timer.unref();
      this.waiters.add(done);
      signal?.addEventListener('abort', done, { once: true });
    });
  }

  private trim(): void {
    const cutoff = new Date(this.now() - this.maxAgeMs).toISOString();
    let kept = this.events.length - this.first;
    while (kept > 0 && (kept > this.maxEvents || this.events[this.first]!.at < cutoff)) {
      this.droppedThrough = this.events[this.first]!.sequence;
      this.first += 1;
      kept -= 1;
    }
    // Dropped events are cut off now and then, not one at a time (an array shift per event is O(n)).
    if (this.first > 1024 && this.first * 2 > this.events.length) {
      this.events.splice(0, this.first);
      this.first = 0;
    }
  }
}

/**
 * How one system writes its feed: its path, query names and field names. Every feed answers
 * `{ <list>: [events], <head>: N, <stream>: "..." }`; `410` names the oldest position still readable.
 */
export interface FeedStyle {
  path: string;
  query: { after: string; limit: string; wait: string };
  list: string;
  head: string;
  stream: string;
  oldest: string;
  event: (event: ChangeEvent) => Record<string, unknown>;
}

/** Waits for an event after `after` (see `waitForEvent`), or until the caller hangs up. */
async function waitForEventOrHangUp(feed: ChangeFeed, after: number, waitMs: number, req: IncomingMessage): Promise<void> {
  const controller = new AbortController();
  const hungUp = (): void => controller.abort();
  // A kept-alive socket serves many calls: the listener goes when this one ends.
  req.socket.once('close', hungUp);
  try {
    await feed.waitForEvent(after, waitMs, controller.signal);
  } finally {
    req.socket.off('close', hungUp);
  }
}

/** The GET route that reads `feed` in `style`: paged (`limit` up to 1000), and waiting up to `wait` seconds for a change. */
export function changeFeedRoute(feed: ChangeFeed, style: FeedStyle): Route {
  return {
    method: 'GET',
    path: style.path,
    handler: async ({ query, req }) => {
      const raw = query.get(style.query.after);
      const after = raw === null || raw === '' ? null : intParam(query, style.query.after, 0, 0, Number.MAX_SAFE_INTEGER);
      const limit = intParam(query, style.query.limit, 100, 0, FEED_PAGE_MAX);
      const waitS = intParam(query, style.query.wait, 0, 0, FEED_WAIT_MAX_S);
      let read = feed.read(after, limit);
      if (!read.gone && read.events.length === 0 && limit > 0 && waitS > 0) {
        await waitForEventOrHangUp(feed, after ?? read.head, waitS * 1000, req);
        read = feed.read(after, limit);
      }
      if (read.gone) {
        throw new HttpError(410, {
          fejl: 'Positionen findes ikke længere i ændringsloggen (for gammel, eller fra en tidligere log); hent et fuldt udtræk',
          kode: 410,
          [style.oldest]: read.oldest,
          [style.head]: read.head,
          [style.stream]: read.stream,
        });
      }
      return { [style.list]: read.events.map(style.event), [style.head]: read.head, [style.stream]: read.stream };
    },
  };
}

/** A change to an unknown CPR number is a mistake in the caller (a test, the simulation), not a 404. */
export function unknownPerson(system: string): Error {
  return new RangeError(`the ${system} system holds no record to change for that CPR number`);
}
