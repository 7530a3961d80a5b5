import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_URL, parseReportArgs, runReportCli, UsageError, type CliIo } from '../../scripts/report/cli.js';
import { sampleReport } from './sampleReport.js';

const TODAY = '2026-11-23';
const ROOT = fileURLToPath(new URL('../..', import.meta.url));

describe('npm run report: arguments', () => {
  const parse = (argv: string[], env: Record<string, string | undefined> = {}) => parseReportArgs(argv, env, TODAY);

  it('defaults: the local gateway, a development token, reports/report-<today>.html', () => {
    expect(parse([])).toEqual({
      url: DEFAULT_URL,
      token: null,
      out: `reports/report-${TODAY}.html`,
      from: undefined,
      to: undefined,
      months: 12,
      lang: 'da',
      csvDir: null,
      csvLocale: 'EN',
      help: false,
    });
  });

  it('takes --url, --token, --out, --from and --to, and REPORT_TOKEN / REPORT_URL from the environment', () => {
    expect(
      parse([
        '--url',
        'https://graph.example/graphql',
        '--token',
        'abc.def.ghi',
        '--out',
        'x.html',
        '--from',
        '2026-01-01',
        '--to',
        '2026-06-30',
      ]),
    ).toEqual({
      url: 'https://graph.example/graphql',
      token: 'abc.def.ghi',
      out: 'x.html',
      from: '2026-01-01',
      to: '2026-06-30',
      months: 12,
      lang: 'da',
      csvDir: null,
      csvLocale: 'EN',
      help: false,
    });
    expect(parse([], { REPORT_TOKEN: 'from.env.tok', REPORT_URL: 'http://gw:4000/graphql' })).toMatchObject({
      token: 'from.env.tok',
      url: 'http://gw:4000/graphql',
    });
    expect(parse(['--token', 'flag.wins'], { REPORT_TOKEN: 'from.env' }).token).toBe('flag.wins');
    expect(parse(['--url=http://127.0.0.1:9/graphql']).url).toBe('http://127.0.0.1:9/graphql');
  });

  it.each([
    [['--bogus'], /Unknown option '--bogus'/],
    [['extra'], /unexpected argument "extra"/],
    [['--url'], /argument missing/],
    [['--url', 'ftp://gateway/graphql'], /--url must be an http\(s\) URL/],
    [['--url', 'not a url'], /--url must be an http\(s\) URL/],
    [['--token', ''], /--token must be a bearer token/],
    [['--token', 'two words'], /--token must be a bearer token/],
    [['--from', '2026-02-30'], /--from must be a date written YYYY-MM-DD/],
    [['--to', '26-01-01'], /--to must be a date written YYYY-MM-DD/],
    [['--from', '2026-06-01', '--to', '2026-01-31'], /--from \(2026-06-01\) is after --to/],
    [['--from', '2026-01-02'], /--from must be the first day of a month/],
    [['--to', '2026-06-01'], /--to must be the last day of a month/],
    [['--out', ' '], /--out must name a file/],
  ])('refuses %j', (argv, message) => {
    expect(() => parse(argv)).toThrow(UsageError);
    expect(() => parse(argv)).toThrow(message);
  });

  it('needs a token in production (no development key there)', () => {
    expect(() => parse([], { NODE_ENV: 'production' })).toThrow(/a token is needed in production/);
    expect(parse(['--token', 't.t.t'], { NODE_ENV: 'production' }).token).toBe('t.t.t');
  });
});

describe('npm run report: against a gateway', () => {
  let server: Server;
  let url: string;
  let dir: string;
  const seen: {
    authorization?: string | undefined;
    purpose?: string | undefined;
    body: { query: string; variables: Record<string, unknown> };
  }[] = [];

  async function body(req: IncomingMessage): Promise<string> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  }

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ungegraf-report-'));
    server = createServer((req, res) => {
      void body(req).then((text) => {
        const parsed = JSON.parse(text) as { query: string; variables: Record<string, unknown> };
        seen.push({ authorization: req.headers.authorization, purpose: req.headers['x-purpose'] as string | undefined, body: parsed });
        res.setHeader('content-type', 'application/json');
        if (req.headers.authorization !== 'Bearer good.token.here' && req.headers.authorization !== 'Bearer minted.dev.token') {
          res.statusCode = 401;
          res.end(JSON.stringify({ errors: [{ message: 'Not authenticated: token expired', extensions: { code: 'UNAUTHENTICATED' } }] }));
          return;
        }
        res.end(JSON.stringify({ data: { report: sampleReport() } }));
      });
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
  });
  afterAll(async () => {
    await new Promise<void>((done) => server.close(() => done()));
    await rm(dir, { recursive: true, force: true });
  });

  function io(extra: Partial<CliIo> = {}): CliIo & { err: string[]; out: string[] } {
    const err: string[] = [];
    const out: string[] = [];
    return {
      env: {},
      stderr: (line) => err.push(line),
      stdout: (line) => out.push(line),
      today: TODAY,
      now: () => new Date('2026-11-23T08:15:00Z'),
      mintDevToken: async () => 'minted.dev.token',
      ...extra,
      err,
      out,
    };
  }

  it('writes one HTML file with the report, reporting progress on stderr', async () => {
    const file = join(dir, 'nested', 'report.html');
    const cli = io();
    const code = await runReportCli(['--url', url, '--token', 'good.token.here', '--out', file, '--from', '2026-01-01'], cli);
    expect(code).toBe(0);
    const html = await readFile(file, 'utf8');
    expect(html).toContain('<title>Den sammenhængende ungeindsats: rapport 23. nov. 2026</title>');
    expect(html).toContain('<svg');
    expect(cli.err).toEqual([
      `report: asking ${url} for the report`,
      'report: rendering the report for 2026-11-23',
      expect.stringMatching(/^report: wrote .*report\.html \(\d+ KiB\)$/),
    ]);
    expect(cli.out).toEqual([]);
    const request = seen.at(-1)!;
    expect(request.authorization).toBe('Bearer good.token.here');
    expect(request.purpose).toMatch(/aggregates only/);
    expect(request.body.query).toContain('report {');
    expect(request.body.variables).toEqual({ from: '2026-01-01', to: null, months: 12 });
  });

  it('mints a development token when none is given (not in production)', async () => {
    const file = join(dir, 'minted.html');
    const cli = io();
    expect(await runReportCli(['--url', url, '--out', file], cli)).toBe(0);
    expect(cli.err[0]).toMatch(/minting a development token for the reporting-tool role/);
    expect(seen.at(-1)!.authorization).toBe('Bearer minted.dev.token');
  });

  it("fails with the gateway's reason, and never prints the token", async () => {
    const cli = io();
    const code = await runReportCli(['--url', url, '--token', 'bad.token.value', '--out', join(dir, 'no.html')], cli);
    expect(code).toBe(1);
    expect(cli.err.at(-1)).toMatch(
      /the gateway refused the report \(the token was refused.*\):\n {2}UNAUTHENTICATED: Not authenticated: token expired/,
    );
    expect(cli.err.join('\n')).not.toContain('bad.token.value');
    await expect(readFile(join(dir, 'no.html'), 'utf8')).rejects.toThrow(/ENOENT/);
  });

  it('says when the gateway cannot be reached', async () => {
    const cli = io();
    const code = await runReportCli(['--url', 'http://127.0.0.1:9/graphql', '--token', 'x.y.z', '--out', join(dir, 'none.html')], cli);
    expect(code).toBe(1);
    expect(cli.err.at(-1)).toMatch(/cannot reach the gateway at http:\/\/127.0.0.1:9\/graphql/);
  });

  it('exits 2 with the usage on bad arguments, and 0 with it on --help', async () => {
    const bad = io();
    expect(await runReportCli(['--from', 'yesterday'], bad)).toBe(2);
    expect(bad.err[0]).toMatch(/^report: --from must be a date written YYYY-MM-DD, got "yesterday"\n\nusage: npm run report/);
    const help = io();
    expect(await runReportCli(['--help'], help)).toBe(0);
    expect(help.out[0]).toMatch(/^usage: npm run report/);
  });

  it('runs as a script: exit code 2 and the usage on stderr for an unknown option', async () => {
    const result = await new Promise<{ code: number | null; stderr: string }>((done) => {
      execFile(process.execPath, ['--import', 'tsx', 'scripts/report.ts', '--nope'], { cwd: ROOT }, (error, _stdout, stderr) =>
        done({ code: error ? (error.code as number | null) : 0, stderr }),
      );
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/Unknown option '--nope'/);
    expect(result.stderr).toMatch(/usage: npm run report/);
  });
});
