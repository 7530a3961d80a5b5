import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createProgress, formatDuration } from '../../platform/progress.js';
import { runReportCli } from '../../scripts/report/cli.js';
import { generatePopulation } from '../../systems/population/generate.js';
import { sampleReport } from '../reporting/sampleReport.js';

/** A stream that keeps what was written, and a clock the test moves. */
function harness(isTTY: boolean) {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(chunk.toString('utf8'));
      callback();
    },
  });
  let clock = 1_000;
  return {
    stream,
    chunks,
    isTTY,
    now: () => clock,
    advance(ms: number) {
      clock += ms;
    },
    text: () => chunks.join(''),
  };
}

describe('progress on a log (not a terminal)', () => {
  it('prints done/total, percent, rate and ETA at most once per interval', () => {
    const h = harness(false);
    const progress = createProgress({ label: 'population', total: 1000, stream: h.stream, now: h.now, isTTY: false, intervalMs: 2000 });
    for (let i = 0; i < 10; i++) {
      h.advance(100);
      progress.tick(10); // 100 per second
    }
    expect(h.chunks).toEqual([]); // one second in: nothing yet
    for (let i = 0; i < 10; i++) {
      h.advance(100);
      progress.tick(10);
    }
    expect(h.chunks).toEqual(['population: 200/1,000 (20%), 100/s, ETA 8.0 s\n']);
    h.advance(500);
    progress.tick(50);
    expect(h.chunks).toHaveLength(1); // within the interval: still one line
  });

  it('ends with a summary line holding the count, the time taken and the rate', () => {
    const h = harness(false);
    const progress = createProgress({ label: 'extract youths', total: 3385, stream: h.stream, now: h.now, isTTY: false });
    h.advance(65_000);
    progress.tick(3385);
    progress.done('written to extract.ndjson');
    expect(h.chunks.at(-1)).toBe('extract youths: 3,385/3,385 done in 1 min 05 s, 52.1/s (written to extract.ndjson)\n');
    progress.tick(5);
    progress.done();
    expect(h.chunks.at(-1)).toMatch(/done in 1 min 05 s/); // nothing after done
  });

  it('without a total: the count and the rate, no percent or ETA; setTotal adds them', () => {
    const h = harness(false);
    const progress = createProgress({ label: 'pages', stream: h.stream, now: h.now, isTTY: false, intervalMs: 1000 });
    h.advance(1000);
    progress.tick(500);
    expect(h.chunks.at(-1)).toBe('pages: 500, 500/s\n');
    h.advance(1000);
    progress.setTotal(2000);
    expect(h.chunks.at(-1)).toBe('pages: 500/2,000 (25%), 250/s, ETA 6.0 s\n');
  });

  it('is silent when there was nothing to do', () => {
    for (const total of [0, undefined]) {
      const h = harness(false);
      const progress = createProgress({ label: 'nothing', total, stream: h.stream, now: h.now, isTTY: false });
      h.advance(10_000);
      progress.done();
      expect(h.text()).toBe('');
    }
  });

  it('writes to stderr by default, keeping stdout for data', () => {
    const progress = createProgress({ label: 'quiet' });
    expect(() => progress.done()).not.toThrow();
  });

  it('refuses a negative total or tick with the label in the message', () => {
    const h = harness(false);
    expect(() => createProgress({ label: 'bad', total: -1, stream: h.stream })).toThrow(/bad.*total/);
    const progress = createProgress({ label: 'bad tick', stream: h.stream });
    expect(() => progress.tick(-3)).toThrow(/bad tick/);
  });
});

describe('progress on a terminal', () => {
  it('redraws one line in place, throttled, and ends it with a newline', () => {
    const h = harness(true);
    const progress = createProgress({ label: 'population', total: 100, stream: h.stream, now: h.now, isTTY: true, ttyIntervalMs: 100 });
    for (let i = 0; i < 50; i++) {
      h.advance(10);
      progress.tick();
    }
    // 500 ms of ticks every 10 ms: a redraw every 100 ms, not one per tick.
    expect(h.chunks).toHaveLength(5);
    expect(h.chunks.every((chunk) => chunk.startsWith('\r') && chunk.endsWith('\x1b[K'))).toBe(true);
    expect(h.chunks.at(-1)).toBe('\rpopulation: 50/100 (50%), 100/s, ETA 0.5 s\x1b[K');
    h.advance(500);
    progress.tick(50);
    progress.done();
    expect(h.chunks.at(-1)).toBe('\rpopulation: 100/100 done in 1.0 s, 100/s\x1b[K\n');
    expect(h.text().split('\n')).toHaveLength(2); // one line, finished
  });

  it('detects a TTY from the stream', () => {
    const h = harness(true);
    Object.assign(h.stream, { isTTY: true });
    const progress = createProgress({ label: 'tty', total: 10, stream: h.stream, now: h.now });
    h.advance(200);
    progress.tick();
    expect(h.chunks[0]).toMatch(/^\rtty: 1\/10/);
  });
});

describe('formatDuration', () => {
  it('reads well from tenths of a second to hours', () => {
    expect(formatDuration(400)).toBe('0.4 s');
    expect(formatDuration(42_000)).toBe('42 s');
    expect(formatDuration(185_000)).toBe('3 min 05 s');
    expect(formatDuration(3_720_000)).toBe('1 h 02 min');
    expect(formatDuration(Number.POSITIVE_INFINITY)).toBe('?');
  });
});

describe('population generation reports its progress', () => {
  it('announces the total up front, ticks per chunk up to every person, and makes the same people', () => {
    const totals: number[] = [];
    const ticks: number[] = [];
    const withProgress = generatePopulation({
      scale: 0.05,
      progress: { setTotal: (total) => totals.push(total), tick: (n = 1) => ticks.push(n) },
    });
    expect(totals).toEqual([withProgress.people.length]);
    expect(ticks.reduce((sum, n) => sum + n, 0)).toBe(withProgress.people.length);
    expect(ticks.slice(0, -1).every((n) => n === 1000)).toBe(true);
    const without = generatePopulation({ scale: 0.05 });
    expect(without.people.map((p) => p.uuId)).toEqual(withProgress.people.map((p) => p.uuId));
  });

  it('prints through createProgress on a log', () => {
    const h = harness(false);
    // Every millisecond asked for is a second later: lines are due on every chunk.
    let clock = 0;
    const progress = createProgress({ label: 'population', stream: h.stream, isTTY: false, intervalMs: 1, now: () => (clock += 1000) });
    const population = generatePopulation({ scale: 0.05, progress });
    progress.done();
    const total = new Intl.NumberFormat('en-US').format(population.people.length);
    expect(h.chunks[0]).toMatch(new RegExp(`^population: 0/${total} \\(0\\.0%\\)`));
    expect(h.chunks.some((line) => /^population: 1,000\/[\d,]+ \(\d+(\.\d)?%\), [\d.]+\/s, ETA /.test(line))).toBe(true);
    expect(h.chunks.at(-1)).toMatch(new RegExp(`^population: ${total}/${total} done in `));
  });
});

describe('npm run report shows the young people the report covers', () => {
  it('prints a summary line on the progress stream before the last line, which stays the file', async () => {
    const report = sampleReport();
    const server = createServer((_req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ data: { report } }));
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    const dir = await mkdtemp(join(tmpdir(), 'ungegraf-progress-'));
    try {
      const address = server.address() as AddressInfo;
      const h = harness(false);
      const err: string[] = [];
      const file = join(dir, 'report.html');
      const code = await runReportCli(['--url', `http://127.0.0.1:${address.port}/graphql`, '--token', 'a.b.c', '--out', file], {
        env: {},
        stderr: (line) => err.push(line),
        stdout: () => undefined,
        today: '2026-11-23',
        now: () => new Date('2026-11-23T08:15:00Z'),
        progress: h.stream,
      });
      expect(code).toBe(0);
      const screened = new Intl.NumberFormat('en-US').format(report.targetGroup.screened.value!);
      expect(h.text()).toMatch(
        new RegExp(`^report: young people screened: ${screened}/${screened} done in [\\d.]+ s.* in the target group\\)\\n$`),
      );
      expect(err.at(-1)).toMatch(/^report: wrote .*report\.html/);
    } finally {
      await new Promise<void>((done) => server.close(() => done()));
      await rm(dir, { recursive: true, force: true });
    }
  });
});
