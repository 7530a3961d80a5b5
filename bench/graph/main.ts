/**
 * Runs only the graph benchmark: `npx tsx bench/graph/main.ts [--quick]` (the whole suite is
 * `npm run bench`), or with `--national` the graph at Denmark's size (national.ts; exits non-zero when a
 * target fails). Prints the section as plain text and as JSON (for the README and the issue).
 */
import { commandLine } from '../../platform/cli.js';
import { runGraphBench } from './run.js';
import { passes } from '../lib/report.js';

const { values } = commandLine(
  process.argv.slice(2),
  { quick: { type: 'boolean' }, national: { type: 'boolean' } },
  'usage: npx tsx bench/graph/main.ts [--quick] [--national]',
);
const quick = values.quick ?? false;
const log = (line: string) => process.stderr.write(`${line}\n`);
// --national: the graph at Denmark's size (national.ts), 10-20 minutes, needs PostgreSQL.
const section = values.national
  ? await (await import('./national.js')).runNationalBench({ quick, log })
  : await runGraphBench({ quick, log });

const lines = [section.title, '', ...section.setup.map((s) => `  ${s}`), ''];
for (const row of section.rows) {
  lines.push(
    `${row.name}: ${row.throughput.toFixed(1)}/s, p50 ${row.p50Ms.toFixed(1)} ms, p95 ${row.p95Ms.toFixed(1)} ms, p99 ${row.p99Ms.toFixed(1)} ms, ` +
      `peak RSS ${row.peakRssMiB?.toFixed(0) ?? '-'} MiB, errors ${row.errors}` +
      (row.extra
        ? `\n    ${Object.entries(row.extra)
            .map(([k, v]) => `${k}: ${v}`)
            .join(', ')}`
        : ''),
  );
}
lines.push('');
for (const check of section.checks) {
  const pass = check.kind === 'atMost' ? check.value <= check.bound : check.value >= check.bound;
  lines.push(
    `${pass ? 'PASS' : check.stretch ? 'MISS' : 'FAIL'}  ${check.name}: ${check.value} ${check.unit} (${check.kind === 'atMost' ? '<=' : '>='} ${check.bound})`,
  );
}
lines.push('', ...(section.notes ?? []));
process.stdout.write(`${lines.join('\n')}\n\n${JSON.stringify(section)}\n`);
if (values.national && section.checks.some((check) => !check.stretch && !passes(check))) process.exitCode = 1;
