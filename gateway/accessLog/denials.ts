/**
 * Refused attempts (DENIED entries) go to the log in batches, never on the refusal's own time. A refusal
 * releases nothing, so it need not wait for its record: the answer (401, 403, a refused field) leaves at
 * once and the entry joins a bounded in-memory batch, written as one INSERT while the previous batch is
 * in flight (so a flood of refusals costs a few writes, not one per request), each write within its
 * deadline. When the store stalls the batch waits, up to `maxEntries`; past that, new denials are dropped,
 * counted (`onDropped`, a metric) and reported in one aggregate log line per second, never blocking.
 */
import type { Logger } from '../../platform/logger.js';
import type { AccessLogEntry, AccessLogWriter } from './store.js';

export interface DenialQueueOptions {
  store: AccessLogWriter;
  logger: Logger;
  /** The longest wait for one batch write (`AUDIT_WRITE_TIMEOUT_MS`). */
  deadlineMs: number;
  /** Most denials held while the store is slow or away (`AUDIT_DENIAL_QUEUE_MAX`); further ones are dropped. */
  maxEntries: number;
  /** Most entries one write carries. Default 1000. */
  maxBatch?: number;
  /** Wait after a failed write before the next attempt. Default: `deadlineMs`. */
  retryMs?: number;
  /** Told of every dropped denial (metrics). */
  onDropped?: (count: number) => void;
}

/** What the request paths need: hand over a refusal and move on. */
export interface DenialSink {
  enqueue(entry: AccessLogEntry): void;
}

const REPORT_EVERY_MS = 1000;

export class DenialQueue implements DenialSink {
  private entries: AccessLogEntry[] = [];
  /** The write in flight; resolves true when it stored its batch. */
  private writing: Promise<boolean> | undefined;
  private scheduled: NodeJS.Timeout | NodeJS.Immediate | undefined;
  private droppedSinceReport = 0;
  private reportTimer: NodeJS.Timeout | undefined;
  private closed = false;
  private readonly log: Logger;
  private readonly maxBatch: number;
  private readonly retryMs: number;

  constructor(private readonly options: DenialQueueOptions) {
    this.log = options.logger.child({ component: 'access-log-denials' });
    this.maxBatch = options.maxBatch ?? 1000;
    this.retryMs = options.retryMs ?? options.deadlineMs;
  }

  /** Denials waiting to be written. */
  get pending(): number {
    return this.entries.length;
  }

  enqueue(entry: AccessLogEntry): void {
    if (this.closed || this.entries.length >= this.options.maxEntries) {
      this.drop(1);
      return;
    }
    this.entries.push(entry);
    if (!this.writing && !this.scheduled) this.scheduled = setImmediate(() => this.pump());
  }

  /** Writes what is queued (and waits for the write in flight); stops at the first write that fails. */
  async flush(): Promise<void> {
    this.unschedule();
    for (;;) {
      if (this.writing) {
        if (!(await this.writing)) return;
        continue;
      }
      if (this.entries.length === 0) return;
      if (!(await this.writeNext())) return;
    }
  }

  /** Flushes once more, then drops (and counts) whatever arrives or stays behind. */
  async close(): Promise<void> {
    await this.flush();
    this.closed = true;
    this.unschedule();
    if (this.entries.length > 0) {
      this.drop(this.entries.length);
      this.entries = [];
    }
    this.report();
  }

  private pump(): void {
    this.scheduled = undefined;
    if (this.writing || this.entries.length === 0) return;
    void this.writeNext().then((stored) => {
      if (this.entries.length === 0 || this.scheduled || this.closed) return;
      // Stored: the next batch goes at once. Failed: the store is slow or away; try again later.
      this.scheduled = stored ? setImmediate(() => this.pump()) : setTimeout(() => this.pump(), this.retryMs).unref();
    });
  }

  private writeNext(): Promise<boolean> {
    const batch = this.entries.splice(0, this.maxBatch);
    const write = this.options.store.record(batch, { deadlineMs: this.options.deadlineMs }).then(
      () => true,
      (err: unknown) => {
        // Not stored (and, past the deadline, never stored late): back to the front, as room allows.
        const room = Math.max(0, this.options.maxEntries - this.entries.length);
        this.entries.unshift(...batch.slice(0, room));
        if (batch.length > room) this.drop(batch.length - room);
        this.log.warn(
          { err: err instanceof Error ? err.message : String(err), entries: batch.length, queued: this.entries.length },
          'denials not written yet; kept for a retry',
        );
        return false;
      },
    );
    this.writing = write.finally(() => (this.writing = undefined));
    return this.writing;
  }

  private drop(count: number): void {
    this.options.onDropped?.(count);
    this.droppedSinceReport += count;
    this.reportTimer ??= setTimeout(() => this.report(), REPORT_EVERY_MS).unref();
  }

  private report(): void {
    clearTimeout(this.reportTimer);
    this.reportTimer = undefined;
    if (this.droppedSinceReport === 0) return;
    this.log.error(
      { dropped: this.droppedSinceReport, maxEntries: this.options.maxEntries },
      'access log denials dropped: the store is slow or away and the batch is full',
    );
    this.droppedSinceReport = 0;
  }

  private unschedule(): void {
    if (this.scheduled === undefined) return;
    clearTimeout(this.scheduled as NodeJS.Timeout);
    clearImmediate(this.scheduled as NodeJS.Immediate);
    this.scheduled = undefined;
  }
}
