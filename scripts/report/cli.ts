/**
 * `npm run report`: asks the gateway for the report with a reporting token and writes one
 * self-contained HTML file. Progress goes to stderr; the file's path is the last line on stderr.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { fetchCsv, fetchReport, GatewayError } from './query.js';
import { renderReportHtml } from './html.js';
import { seriesText } from './measuresHtml.js';
import { LANGS, TEXTS, type Lang } from './texts.js';
import { devTokenFor } from '../../platform/authentication/mint.js';
import { isIsoDate } from '../../platform/dates.js';
import { createProgress } from '../../platform/progress.js';

export const DEFAULT_URL = 'http://127.0.0.1:4000/graphql';

export const USAGE = `usage: npm run report -- [--url URL] [--token TOKEN] [--out FILE] [--from YYYY-MM-DD] [--to YYYY-MM-DD]
                         [--months 12|24] [--lang da|en] [--csv DIR [--locale da|en | --danish-csv]]

Writes the management report (aggregates only, small numbers suppressed) as one HTML file, in Danish
unless --lang en, and prints the success measures month by month.

  --url    the gateway's GraphQL endpoint (default ${DEFAULT_URL}, or REPORT_URL)
  --token  a bearer token with the scope reporting:read (or REPORT_TOKEN). Without one, and when
           NODE_ENV is not production, a development token for the reporting-tool role is minted
           with the local development key (what npm start trusts).
  --out    the file to write (default reports/report-<today>.html)
  --from   first day of the handover period: the 1st of a month
  --to     last day of the handover period: the last day of a month
           The period is whole calendar months: one month, a calendar quarter, or 12 or 24
           consecutive months, at most 36 months back (--from or --to alone: 12 months from or to
           it; neither: the 12 months to this month). Day ranges are refused: two periods a day
           apart would give away the counts suppressed for that day.
  --months the success measures' series: the last 12 (default) or 24 months that are over
  --lang   da (default) or en: the page's and the printed series' language
  --csv    also write every table as a CSV file into DIR (suppressed exactly as in the report)
  --locale the CSV files' format: en (comma, decimal point, ISO dates; default) or da (semicolon,
           decimal comma, dd-mm-yyyy, Danish headers: what a Danish spreadsheet opens as is)
  --danish-csv  the same as --locale da
`;

export class UsageError extends Error {
  override name = 'UsageError';
}

export interface ReportOptions {
  url: string;
  /** Null: mint a development token. */
  token: string | null;
  out: string;
  from: string | undefined;
  to: string | undefined;
  months: 12 | 24;
  lang: Lang;
  /** Null: no CSV files. */
  csvDir: string | null;
  csvLocale: 'EN' | 'DA';
  help: boolean;
}

function isLastOfMonth(text: string): boolean {
  const next = new Date(`${text}T00:00:00Z`);
  next.setUTCDate(next.getUTCDate() + 1);
  return next.getUTCDate() === 1;
}

/** Parses the command line and the environment; throws UsageError naming what is wrong. */
export function parseReportArgs(argv: readonly string[], env: Record<string, string | undefined>, today: string): ReportOptions {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        url: { type: 'string' },
        token: { type: 'string' },
        out: { type: 'string' },
        from: { type: 'string' },
        to: { type: 'string' },
        months: { type: 'string' },
        lang: { type: 'string' },
        csv: { type: 'string' },
        locale: { type: 'string' },
        'danish-csv': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
  const url = values.url ?? env.REPORT_URL ?? DEFAULT_URL;
  let parsedUrl: URL;
  try {
    parsedUrl = new URL(url);
  } catch {
    throw new UsageError(`--url must be an http(s) URL, got "${url}"`);
  }
  if (parsedUrl.protocol !== 'http:' && parsedUrl.protocol !== 'https:') throw new UsageError(`--url must be an http(s) URL, got "${url}"`);

  const token = values.token ?? (env.REPORT_TOKEN || undefined);
  if (token !== undefined && (token.trim() === '' || /\s/.test(token.trim())))
    throw new UsageError('--token must be a bearer token (one word, not empty)');
  if (token === undefined && env.NODE_ENV === 'production' && !values.help) {
    throw new UsageError('a token is needed in production: pass --token or set REPORT_TOKEN (a token with the scope reporting:read)');
  }
  for (const [name, value] of [
    ['from', values.from],
    ['to', values.to],
  ] as const) {
    if (value !== undefined && !isIsoDate(value)) throw new UsageError(`--${name} must be a date written YYYY-MM-DD, got "${value}"`);
  }
  if (values.from !== undefined && !values.from.endsWith('-01')) {
    throw new UsageError(`--from must be the first day of a month (reports cover whole calendar months), got "${values.from}"`);
  }
  if (values.to !== undefined && !isLastOfMonth(values.to)) {
    throw new UsageError(`--to must be the last day of a month (reports cover whole calendar months), got "${values.to}"`);
  }
  if (values.from !== undefined && values.to !== undefined && values.from > values.to) {
    throw new UsageError(`--from (${values.from}) is after --to (${values.to})`);
  }
  if (values.out !== undefined && values.out.trim() === '') throw new UsageError('--out must name a file');
  const months = values.months ?? '12';
  if (months !== '12' && months !== '24') throw new UsageError(`--months must be 12 or 24, got "${months}"`);
  const lang = (values.lang ?? 'da').toLowerCase();
  if (!(LANGS as readonly string[]).includes(lang)) throw new UsageError(`--lang must be da or en, got "${values.lang}"`);
  const locale = values['danish-csv'] ? 'da' : (values.locale ?? 'en').toLowerCase();
  if (locale !== 'da' && locale !== 'en') throw new UsageError(`--locale must be da or en, got "${values.locale}"`);
  if (values['danish-csv'] && values.locale !== undefined && values.locale.toLowerCase() !== 'da') {
    throw new UsageError('--danish-csv and --locale en contradict each other');
  }
  if (values.csv !== undefined && values.csv.trim() === '') throw new UsageError('--csv must name a directory');
  if (values.csv === undefined && (values.locale !== undefined || values['danish-csv'])) {
    throw new UsageError('--locale and --danish-csv format the CSV files: give --csv DIR too');
  }
  return {
    url,
    token: token === undefined ? null : token.trim(),
    out: values.out ?? `reports/report-${today}.html`,
    from: values.from,
    to: values.to,
    months: months === '24' ? 24 : 12,
    lang: lang as Lang,
    csvDir: values.csv ?? null,
    csvLocale: locale === 'da' ? 'DA' : 'EN',
    help: values.help === true,
  };
}

export interface CliIo {
  env: Record<string, string | undefined>;
  stderr: (line: string) => void;
  stdout: (line: string) => void;
  /** Today's date, YYYY-MM-DD (the default file name). */
  today: string;
  now: () => Date;
  fetch?: typeof fetch;
  /**
   * Where to show how many young people the report covers and how fast it was made (platform/progress.ts);
   * none when absent. The report is one aggregate request, so this is a summary line, not a running count.
   */
  progress?: NodeJS.WritableStream;
  /** Mints a development reporting token; default: platform/authentication/mint.ts `devTokenFor('reporting-tool')`. */
  mintDevToken?: (env: Record<string, string | undefined>) => Promise<string>;
}

/** A development token for the reporting-tool role, signed with the local development key. */
function mintWithDevKey(env: Record<string, string | undefined>): Promise<string> {
  return devTokenFor('reporting-tool', { env, subject: 'report-cli', purpose: 'management report' });
}

/** Runs the command; returns the process exit code (0 written, 1 failed, 2 usage). */
export async function runReportCli(argv: readonly string[], io: CliIo): Promise<number> {
  let options: ReportOptions;
  try {
    options = parseReportArgs(argv, io.env, io.today);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`report: ${error.message}\n\n${USAGE}`);
      return 2;
    }
    throw error;
  }
  if (options.help) {
    io.stdout(USAGE);
    return 0;
  }
  try {
    let token = options.token;
    if (token === null) {
      io.stderr('report: no --token or REPORT_TOKEN; minting a development token for the reporting-tool role');
      token = await (io.mintDevToken ?? mintWithDevKey)(io.env);
    }
    const progress = io.progress ? createProgress({ label: 'report: young people screened', stream: io.progress }) : undefined;
    io.stderr(`report: asking ${options.url} for the report`);
    const request = { from: options.from, to: options.to, months: options.months };
    const report = await fetchReport(options.url, token, request, io.fetch);
    io.stderr(`report: rendering the report for ${report.asOf}`);
    const html = renderReportHtml(report, { generatedAt: io.now().toISOString(), lang: options.lang });
    if (report.measureSeries) io.stdout(seriesText(report.measureSeries, TEXTS[options.lang]));
    if (options.csvDir !== null) {
      const tables = await fetchCsv(options.url, token, { ...request, locale: options.csvLocale }, io.fetch);
      const dir = resolve(options.csvDir);
      await mkdir(dir, { recursive: true });
      // A byte-order mark: without it Excel reads UTF-8 as Windows-1252 (æ, ø and å garbled).
      for (const table of tables) await writeFile(join(dir, basename(table.fileName)), `\uFEFF${table.content}`, 'utf8');
      io.stderr(
        `report: wrote ${tables.length} CSV files to ${options.csvDir} (${options.csvLocale === 'DA' ? 'Danish: semicolon, decimal comma' : 'comma, decimal point'})`,
      );
    }
    const out = resolve(options.out);
    await mkdir(dirname(out), { recursive: true });
    await writeFile(out, html, 'utf8');
    // Before the last line: the file's path stays the last line on stderr.
    const screened = report.targetGroup.screened.value;
    if (progress && screened !== null) {
      progress.setTotal(screened);
      progress.tick(screened);
      const inTargetGroup = report.targetGroup.inTargetGroup.value;
      progress.done(`${inTargetGroup === null ? '<5' : inTargetGroup.toLocaleString('en-US')} in the target group`);
    }
    io.stderr(`report: wrote ${options.out} (${Math.ceil(Buffer.byteLength(html) / 1024)} KiB)`);
    return 0;
  } catch (error) {
    io.stderr(`report: ${error instanceof GatewayError ? error.message : error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}
