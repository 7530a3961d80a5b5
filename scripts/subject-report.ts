/**
 * `npm run subject-report -- <youth id> [--out FILE] [--json] [--lang da|en]`: the subject access report
 * for one young person (issue 14; gateway/accessLog/subjectReport.ts), asked of the running gateway's auditor route
 * (GET /audit/subject-report) with an auditor token, so the request and the dossier read behind it are
 * in the access log like any other. HTML by default (prints on A4), JSON with --json.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { devTokenFor } from '../platform/authentication/mint.js';
import { parseOrExplain } from '../platform/cli.js';

export const DEFAULT_GATEWAY = 'http://127.0.0.1:4000';

export const USAGE = `usage: npm run subject-report -- <youth id> [--out FILE] [--json] [--lang da|en] [--url URL] [--token TOKEN]

Writes one young person's subject access report (GDPR art. 15): what the graph holds about them and
every access to their data over the access log's retention period, with role, organisation, purpose,
legal basis, relation or break-the-glass.

  --out    the file to write (default reports/subject-<id>.html, or .json with --json); "-" for stdout
  --json   JSON instead of print-ready HTML
  --lang   the HTML's language: da (default) or en
  --url    the gateway (default ${DEFAULT_GATEWAY}, or GATEWAY_URL)
  --token  a bearer token with the scope audit:read (or AUDIT_TOKEN). Without one, and when NODE_ENV
           is not production, a development token for the auditor role is minted with the local key.
`;

const OPTIONS = {
  out: { type: 'string' },
  json: { type: 'boolean' },
  lang: { type: 'string' },
  url: { type: 'string' },
  token: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

export async function main(argv: readonly string[], env: Record<string, string | undefined> = process.env): Promise<number> {
  const parsed = parseOrExplain(argv, OPTIONS, USAGE, { allowPositionals: true });
  if (!parsed) return 2;
  const { values, positionals } = parsed;
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const fail = (message: string) => {
    process.stderr.write(`error: ${message}\n\n${USAGE}`);
    return 2;
  };
  if (positionals.length !== 1)
    return fail(positionals.length === 0 ? 'the young person’s id is missing' : `unexpected argument "${positionals[1]}"`);
  const youthId = positionals[0]!;
  if (!/^[\x21-\x7e]{1,128}$/.test(youthId)) return fail(`not a young person's id: "${youthId}"`);
  const lang = values.lang ?? 'da';
  if (lang !== 'da' && lang !== 'en') return fail(`--lang must be da or en, got "${lang}"`);
  let base: URL;
  try {
    base = new URL(values.url ?? env.GATEWAY_URL ?? DEFAULT_GATEWAY);
  } catch {
    return fail('--url must be an http(s) URL');
  }
  let token = values.token ?? env.AUDIT_TOKEN;
  if (!token) {
    if (env.NODE_ENV === 'production') return fail('--token (or AUDIT_TOKEN) is required in production');
    token = await devTokenFor('auditor', { subject: 'subject-report-cli', env });
  }

  const format = values.json ? 'json' : 'html';
  const url = new URL('/audit/subject-report', base);
  url.search = new URLSearchParams({ youthId, format, lang }).toString();
  let response: Response;
  try {
    response = await fetch(url, { headers: { authorization: `Bearer ${token}`, 'x-purpose': 'subject access report (GDPR art. 15)' } });
  } catch {
    process.stderr.write(`error: the gateway at ${base.origin} does not answer (is npm start running?)\n`);
    return 1;
  }
  const body = await response.text();
  if (!response.ok) {
    let message = `HTTP ${response.status}`;
    try {
      message = (JSON.parse(body) as { error?: string }).error ?? message;
    } catch {
      // not JSON: the status says enough
    }
    process.stderr.write(`error: the gateway refused the report: ${message}\n`);
    return 1;
  }
  const out = values.out ?? `reports/subject-${youthId.replace(/[^A-Za-z0-9_-]/g, '_')}.${format}`;
  if (out === '-') {
    process.stdout.write(body);
    return 0;
  }
  const path = resolve(out);
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, body);
  process.stderr.write(`${path}\n`);
  return 0;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  process.exitCode = await main(process.argv.slice(2));
}
