import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../platform/db/database.js';
import type { CoordinationStore } from '../../subgraphs/coordination/store/coordinationStore.js';
import { capacityReport, handoverReport, outcomeReport, targetGroupReport } from '../../subgraphs/coordination/reporting/reports.js';
import { measureSeries } from '../../subgraphs/coordination/reporting/snapshots.js';
import { reportCsvTables, SERIES_COLUMNS, type CsvLocale, type CsvReport } from '../../subgraphs/coordination/reporting/csv.js';
import { renderReportHtml } from '../../scripts/report/html.js';
import { runReportCli, type CliIo } from '../../scripts/report/cli.js';
import type { ReportData } from '../../scripts/report/query.js';
import { backends, openMigrated } from '../coordination-store/backends.js';
import { measureActivity, measureRegister, TODAY } from './measureData.js';
import { sampleReport } from './sampleReport.js';

/** RFC 4180 with the given separator: quoted fields may hold the separator, quotes ("") and line breaks. */
function parseCsv(text: string, separator: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === separator) {
      row.push(field);
      field = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else field += c;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

/** The rows as objects keyed by the header row. */
function records(text: string, separator: string): Record<string, string>[] {
  const [header, ...rows] = parseCsv(text.replace(/^\uFEFF/, ''), separator);
  for (const r of rows) expect(r).toHaveLength(header!.length);
  return rows.map((r) => Object.fromEntries(header!.map((h, i) => [h, r[i]!])));
}

const backend = backends[0]!;

describe('exports: CSV and the HTML report with the series', () => {
  let db: Database;
  let store: CoordinationStore;
  let cleanup: () => Promise<void>;
  let report: CsvReport;
  let dir: string;

  beforeAll(async () => {
    ({ db, store, cleanup } = await openMigrated(backend));
    await measureRegister(store);
    await measureActivity(db);
    const options = { today: TODAY, fundedCapacity: 60 };
    report = {
      asOf: TODAY,
      targetGroup: await targetGroupReport(store, TODAY),
      contactPersonCapacity: await capacityReport(store, 60),
      handovers: await handoverReport(store, TODAY, { from: '2026-05-01', to: '2026-05-31' }),
      outcomes: await outcomeReport(store, TODAY),
      measureSeries: await measureSeries(store, 12, options),
    };
    dir = await mkdtemp(join(tmpdir(), 'ungegraf-exports-'));
  });
  afterAll(async () => {
    await cleanup();
    await rm(dir, { recursive: true, force: true });
  });

  it.each([
    ['EN', ',', 'month', 'jointDecisions', 'handover18Missing', '2026-05-01', '0.5'],
    ['DA', ';', 'maaned', 'faelles_afgoerelser', 'overdragelse18_mangler', '01-05-2026', '0,5'],
  ] as const)('every table as CSV in %s, suppressed as the report is', (locale, separator, month, decisions, missing, mayDate, half) => {
    const tables = reportCsvTables(report, locale);
    expect(tables.map((t) => t.table)).toEqual([
      'target-group',
      'indicators',
      'combinations',
      'pairs',
      'age-bands',
      'schools',
      'capacity',
      'caseloads',
      'handovers',
      'contact-person-outcomes',
      'youth-education-at-25',
      'measure-series',
    ]);
    for (const table of tables) {
      expect(table.content.endsWith('\r\n')).toBe(true);
      expect(parseCsv(table.content, separator)[0]).toEqual(table.columns);
    }
    const series = records(tables.find((t) => t.table === 'measure-series')!.content, separator);
    expect(Object.keys(series[0]!)).toEqual(SERIES_COLUMNS.map(([en, da]) => (locale === 'DA' ? da : en)));
    expect(series).toHaveLength(12);
    const may = series.at(-1)!;
    expect(may[month]).toBe(mayDate);
    // The published cells: 7 decisions read 5; the 2 missing handovers at 18 are hidden.
    expect(may[decisions]).toBe('5');
    expect(may[missing]).toBe('<5');
    expect(may[locale === 'DA' ? 'andel_med_uddannelsesmaal' : 'educationGoalShare']).toBe(half);
    // A month before the register can speak: empty, not 0.
    expect(series[0]![locale === 'DA' ? 'aabne_socialsager' : 'openSocialCases']).toBe('');
    // Every count in the series is a published one: a multiple of 5, or <5, or empty.
    for (const row of series)
      for (const [key, value] of Object.entries(row)) {
        if (
          /^(\d+)$/.test(value) &&
          !/share|andel|capacityUse|udnyttelse|caseload|sager_pr|contactPersonsWith|kontaktpersoner_med/i.test(key)
        )
          expect(Number(value) % 5, key).toBe(0);
      }
    const handovers = records(tables.find((t) => t.table === 'handovers')!.content, separator);
    expect(handovers.map((r) => r[locale === 'DA' ? 'overgang' : 'transition'])).toEqual([
      'COORDINATING_MEETING_16_5',
      'JOBCENTER_ADVISOR_17',
      'TRANSFER_18',
      'TOTAL',
    ]);
  });

  it('a text cell a spreadsheet would take for a formula is defused, and separators are quoted', () => {
    const tricky: CsvReport = {
      ...report,
      contactPersonCapacity: {
        ...report.contactPersonCapacity,
        contactPersons: [{ ...report.contactPersonCapacity.contactPersons[0]!, contactPersonName: '=HYPERLINK("x";"Kjær; Mette")' }],
      },
    };
    const [caseloads] = reportCsvTables(tricky, 'DA').filter((t) => t.table === 'caseloads');
    expect(records(caseloads!.content, ';')[0]!.kontaktperson).toBe('\'=HYPERLINK("x";"Kjær; Mette")');
  });

  describe('npm run report against a gateway', () => {
    let server: Server;
    let url: string;
    const asked: string[] = [];

    beforeAll(async () => {
      const data: ReportData = { ...sampleReport(), measureSeries: report.measureSeries };
      server = createServer((req: IncomingMessage, res) => {
        const chunks: Buffer[] = [];
        req.on('data', (chunk: Buffer) => chunks.push(chunk));
        req.on('end', () => {
          const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { operationName: string; variables: { locale?: CsvLocale } };
          asked.push(`${body.operationName} ${JSON.stringify(body.variables)}`);
          res.setHeader('content-type', 'application/json');
          const answer =
            body.operationName === 'ManagementReportCsv'
              ? { report: { csv: reportCsvTables(report, body.variables.locale ?? 'EN') } }
              : { report: data };
          res.end(JSON.stringify({ data: answer }));
        });
      });
      await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
      url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
    });
    afterAll(async () => new Promise<void>((done) => server.close(() => done())));

    function io(): CliIo & { err: string[]; out: string[] } {
      const err: string[] = [];
      const out: string[] = [];
      return {
        env: {},
        stderr: (l) => err.push(l),
        stdout: (l) => out.push(l),
        today: TODAY,
        now: () => new Date('2026-06-15T08:00:00Z'),
        err,
        out,
      };
    }

    it('writes the Danish page with the trend charts, prints the series, and writes Danish CSV files', async () => {
      const cli = io();
      const file = join(dir, 'rapport.html');
      const csvDir = join(dir, 'csv');
      const code = await runReportCli(
        ['--url', url, '--token', 'a.b.c', '--out', file, '--csv', csvDir, '--danish-csv', '--months', '12'],
        cli,
      );
      expect(code, cli.err.join('\n')).toBe(0);
      const html = await readFile(file, 'utf8');
      expect(html).toContain('<html lang="da">');
      expect(html).toContain('<h2>Succesmål over tid</h2>');
      expect(html).not.toMatch(/<script|<link|<img|@import|url\(/i);
      // One chart per measure, each an inline SVG; May's joint decisions (5) are a point on the line.
      const charts = html.match(/<svg[^>]*data-measure="[^"]+"[\s\S]*?<\/svg>/g) ?? [];
      expect(charts.length).toBe(12);
      const decisions = charts.find((c) => c.includes('data-measure="jointDecisions"'))!;
      expect(decisions).toContain('<title>maj 2026: 5</title>');
      expect(decisions).toMatch(/<polyline class="line" points="[\d., ]+"\/>/);
      // A suppressed month is a grey gap, not a point: the meetings share in May.
      expect(charts.find((c) => c.includes('data-measure="meetings"'))).toContain('<rect class="gap"');
      expect(cli.out.join('\n')).toMatch(/Succesmål over tid\nMåned\s+Overdraget til tiden ved 18 år/);
      expect(cli.out.join('\n')).toMatch(/maj 2026\s/);
      expect(asked.at(-1)).toContain('"locale":"DA"');
      const files = (await readdir(csvDir)).sort();
      expect(files).toContain('measure-series.csv');
      const text = await readFile(join(csvDir, 'measure-series.csv'), 'utf8');
      expect(text.startsWith('\uFEFF')).toBe(true);
      expect(records(text, ';').at(-1)).toMatchObject({ maaned: '01-05-2026', faelles_afgoerelser: '5' });
    });

    it('--lang en gives the English page and series; --locale en the comma CSV', async () => {
      const cli = io();
      const csvDir = join(dir, 'csv-en');
      expect(
        await runReportCli(['--url', url, '--token', 'a.b.c', '--out', join(dir, 'en.html'), '--lang', 'en', '--csv', csvDir], cli),
      ).toBe(0);
      const html = await readFile(join(dir, 'en.html'), 'utf8');
      expect(html).toContain('<html lang="en">');
      expect(html).toContain('<h2>Success measures over time</h2>');
      expect(cli.out.join('\n')).toMatch(/Success measures over time\nMonth/);
      expect(records(await readFile(join(csvDir, 'measure-series.csv'), 'utf8'), ',').at(-1)).toMatchObject({
        month: '2026-05-01',
        jointDecisions: '5',
      });
    });

    it('refuses bad switches with the usage', async () => {
      for (const argv of [
        ['--lang', 'de'],
        ['--months', '6'],
        ['--locale', 'da'],
        ['--csv', 'x', '--locale', 'fr'],
      ]) {
        const cli = io();
        expect(await runReportCli(argv, cli)).toBe(2);
        expect(cli.err[0]).toMatch(/usage: npm run report/);
      }
    });
  });

  it('the Danish page: labels, dates like 23. nov. 2026, numbers with a decimal comma', () => {
    const html = renderReportHtml(sampleReport(), { generatedAt: '2026-11-23T08:15:00.000Z' });
    expect(html).toContain('<title>Den sammenhængende ungeindsats: rapport 23. nov. 2026</title>');
    expect(html).toContain('<h2>Sammenfatning</h2>');
    expect(html).toContain('<strong>3.312</strong> af de 58.210 unge');
    expect(html).toContain('(5,7 %)');
    expect(html).toContain('<strong>62,8 %</strong> til tiden (mål: alle).');
    expect(html).toContain('Socialfondsprojektet Ungeindsats Aalborg (2016-2018)');
    expect(html).not.toContain('Coordinated youth effort');
  });
});
