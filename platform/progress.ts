/**
 * Progress for long commands (the report, the benchmark's extract, population generation): done/total,
 * percent, rate and the estimated time left, on stderr so that stdout stays clean for data.
 *
 * On a terminal one line is redrawn in place (at most every `ttyIntervalMs`); anywhere else (CI logs, a
 * file) a full line is printed at most every `intervalMs`, so a log gets a few lines, not thousands.
 * Nothing is printed for work that never started (no total and no tick): a run with nothing to do stays
 * quiet. Redraws happen on `tick`, not on a timer, so a reporter never keeps a process alive.
 */

export interface ProgressOptions {
  /** What is being counted, e.g. "population" or "extract youths". */
  label: string;
  /** How many units in all, when known; `setTotal` sets it later (e.g. after the first page). */
  total?: number;
  /** Where to write; default process.stderr. */
  stream?: NodeJS.WritableStream;
  /** Least time between two lines when the stream is not a terminal; default 2000 ms. */
  intervalMs?: number;
  /** Least time between two redraws on a terminal; default 100 ms. */
  ttyIntervalMs?: number;
  /** Milliseconds on a monotonic clock; default performance.now (tests inject a fake one). */
  now?: () => number;
  /** Redraw one line in place; default: whether `stream` is a TTY. */
  isTTY?: boolean;
}

export interface Progress {
  /** `n` more units done (default 1). */
  tick(n?: number): void;
  setTotal(total: number): void;
  /** Prints the final line (with `summary`, if given); later ticks are ignored. */
  done(summary?: string): void;
}

const numberFormat = new Intl.NumberFormat('en-US');

/** 0.4 s, 42 s, 3 min 05 s, 1 h 02 min: short enough for one line, exact enough to plan a coffee. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '?';
  if (ms < 10_000) return `${(ms / 1000).toFixed(1)} s`;
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${String(seconds % 60).padStart(2, '0')} s`;
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, '0')} min`;
}

function formatRate(perSecond: number): string {
  if (perSecond >= 100) return `${numberFormat.format(Math.round(perSecond))}/s`;
  return `${perSecond.toFixed(perSecond >= 10 ? 1 : 2)}/s`;
}

export function createProgress(options: ProgressOptions): Progress {
  const stream = options.stream ?? process.stderr;
  const now = options.now ?? (() => performance.now());
  const tty = options.isTTY ?? (stream as { isTTY?: boolean }).isTTY === true;
  const minGap = tty ? (options.ttyIntervalMs ?? 100) : (options.intervalMs ?? 2000);
  const started = now();
  let total = validTotal(options.total);
  let completed = 0;
  let lastWrite = started;
  let drewLine = false;
  let finished = false;

  function validTotal(value: number | undefined): number | undefined {
    if (value === undefined) return undefined;
    if (!Number.isFinite(value) || value < 0)
      throw new RangeError(`progress "${options.label}": total must be a non-negative number, got ${value}`);
    return value;
  }

  function line(at: number): string {
    const elapsed = at - started;
    const rate = elapsed > 0 ? (completed / elapsed) * 1000 : 0;
    const parts: string[] = [];
    if (total !== undefined && total > 0) {
      const percent = Math.min(100, (completed / total) * 100);
      parts.push(`${numberFormat.format(completed)}/${numberFormat.format(total)} (${percent.toFixed(percent < 10 ? 1 : 0)}%)`);
    } else {
      parts.push(numberFormat.format(completed));
    }
    if (completed > 0 && elapsed > 0) parts.push(formatRate(rate));
    if (total !== undefined && total > completed) parts.push(`ETA ${rate > 0 ? formatDuration(((total - completed) / rate) * 1000) : '?'}`);
    return `${options.label}: ${parts.join(', ')}`;
  }

  function write(text: string, final: boolean): void {
    if (tty) {
      // Carriage return and erase-to-end-of-line: the line is redrawn where it stands.
      stream.write(`\r${text}\x1b[K${final ? '\n' : ''}`);
      drewLine = !final;
    } else {
      stream.write(`${text}\n`);
    }
  }

  function maybeDraw(): void {
    const at = now();
    if (at - lastWrite < minGap) return;
    lastWrite = at;
    write(line(at), false);
  }

  return {
    tick(n = 1) {
      if (finished) return;
      if (!Number.isFinite(n) || n < 0) throw new RangeError(`progress "${options.label}": tick needs a non-negative count, got ${n}`);
      completed += n;
      maybeDraw();
    },
    setTotal(value) {
      if (finished) return;
      total = validTotal(value);
      maybeDraw();
    },
    done(summary) {
      if (finished) return;
      finished = true;
      if (completed === 0 && !total) {
        // Nothing to do and nothing done: say nothing, but do not leave a half-drawn line behind.
        if (drewLine) stream.write('\n');
        return;
      }
      const at = now();
      const counted =
        total !== undefined && total > 0
          ? `${numberFormat.format(completed)}/${numberFormat.format(total)}`
          : numberFormat.format(completed);
      const rate = at > started && completed > 0 ? `, ${formatRate((completed / (at - started)) * 1000)}` : '';
      write(`${options.label}: ${counted} done in ${formatDuration(at - started)}${rate}${summary ? ` (${summary})` : ''}`, true);
    },
  };
}
