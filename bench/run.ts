/**
 * `npm run bench`: runs the benchmark suites (not in CI), prints each as a text table with the targets
 * PASS/FAIL, and writes bench/results/latest.md, an SVG chart per suite and the raw rows as JSON.
 *
 *   npm run bench                      every suite, full length
 *   npm run bench -- --quick           short runs (a smoke check; the README's numbers are full runs)
 *   npm run bench -- --only peers      only the peer-gateway benchmark (or `graph`: only this graph's)
 *   npm run bench -- --only national   only the graph at Denmark's size (bench/graph/national.ts; 10-20 minutes,
 *                                      PostgreSQL; never part of the full suite)
 *   npm run bench -- --profile         also a CPU profile of the ungegraf gateway under load (peers),
 *                                      written to bench/results/profiles/, top functions printed
 *   npm run bench -- --gateways ungegraf,apollo   only these gateways in the peer benchmark
 */
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import type { BenchSection, SuiteOptions } from './lib/types.js';
import { markdownSection, passes, svgChart, textSection } from './lib/report.js';
import { summarizeProfiles } from './lib/profile.js';
import { parseCommandLine, UsageError, usageMessage } from '../platform/cli.js';

// BENCH_RESULTS_DIR: somewhere else than bench/results/ (profiling runs that must not replace the published table).
const RESULTS_DIR = process.env.BENCH_RESULTS_DIR
  ? join(process.env.BENCH_RESULTS_DIR, '/')
  : fileURLToPath(new URL('./results/', import.meta.url));

interface Args {
  quick: boolean;
  only?: 'peers' | 'graph' | 'national';
  profile: boolean;
  gateways?: string[];
}

const USAGE = 'usage: npm run bench -- [--quick] [--only peers|graph|national] [--profile] [--gateways a,b]';

/** The command line; a bad one is refused (with the usage, exit code 2) before any suite starts. */
function parseBenchArgs(argv: readonly string[]): Args {
  const { values } = parseCommandLine(argv, {
    quick: { type: 'boolean' },
    profile: { type: 'boolean' },
    only: { type: 'string' },
    gateways: { type: 'string' },
  });
  const args: Args = { quick: values.quick ?? false, profile: values.profile ?? false };
  if (values.only !== undefined) {
    if (values.only !== 'peers' && values.only !== 'graph' && values.only !== 'national')
      throw new UsageError(`--only takes peers, graph or national, got "${values.only}"`);
    args.only = values.only;
  }
  if (values.gateways !== undefined)
    args.gateways = values.gateways
      .split(',')
      .map((g) => g.trim())
      .filter(Boolean);
  return args;
}

/** A file name from a section's title: its words before any parenthesis. */
const slug = (title: string) =>
  title
    .split('(')[0]!
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 60) || 'section';

async function main(): Promise<void> {
  let args: Args;
  try {
    args = parseBenchArgs(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(usageMessage(error, USAGE));
    process.exitCode = 2;
    return;
  }
  const log = (line: string) => process.stderr.write(`[bench] ${line}\n`);
  const options: SuiteOptions = { quick: args.quick, log };
  const sections: BenchSection[] = [];
  const failures: string[] = [];
  await mkdir(RESULTS_DIR, { recursive: true });

  if (args.only === undefined || args.only === 'peers') {
    const { runPeerBench, GATEWAY_NAMES, settings } = await import('./federation/run.js');
    const known = Object.keys(GATEWAY_NAMES);
    const unknown = args.gateways?.filter((g) => !known.includes(g)) ?? [];
    if (unknown.length > 0) throw new Error(`--gateways: unknown ${unknown.join(', ')}; known: ${known.join(', ')}`);
    const profileDir = args.profile ? join(RESULTS_DIR, 'profiles', new Date().toISOString().replace(/[:.]/g, '-')) : undefined;
    try {
      sections.push(await runPeerBench({ ...options, gateways: args.gateways as (keyof typeof GATEWAY_NAMES)[] | undefined, profileDir }));
      if (profileDir) process.stdout.write(`${await summarizeProfiles(profileDir, 25, settings(args.quick).durationSeconds)}\n\n`);
    } catch (error) {
      failures.push(`peer benchmark failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  if (args.only === 'national') {
    try {
      const { runNationalBench } = await import('./graph/national.js');
      sections.push(await runNationalBench(options));
    } catch (error) {
      failures.push(`national benchmark failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  if (args.only === undefined || args.only === 'graph') {
    try {
      const { runGraphBench } = await import('./graph/run.js');
      sections.push(await runGraphBench(options));
    } catch (error) {
      failures.push(`graph benchmark failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  const machine = `${os.cpus().length} cores (${os.cpus()[0]?.model ?? 'unknown CPU'}), ${Math.round(os.totalmem() / 2 ** 30)} GiB, ${os.type()} ${os.release()}; runner on Node ${process.version}`;
  const stamp = new Date().toISOString();
  const markdown = [
    `# Benchmark results`,
    '',
    `${stamp}, ${machine}. Command: \`npm run bench${process.argv.slice(2).length ? ` -- ${process.argv.slice(2).join(' ')}` : ''}\``,
    '',
  ];
  for (const section of sections) {
    process.stdout.write(`${textSection(section)}\n\n`);
    const chart = `${slug(section.title)}.svg`;
    await writeFile(join(RESULTS_DIR, chart), svgChart(section));
    markdown.push(markdownSection(section, chart));
  }
  for (const failure of failures) {
    process.stdout.write(`FAILED: ${failure}\n`);
    markdown.push(`**FAILED:** ${failure}`, '');
  }
  await writeFile(join(RESULTS_DIR, 'latest.md'), markdown.join('\n'));
  await writeFile(join(RESULTS_DIR, 'latest.json'), `${JSON.stringify({ at: stamp, machine, args, sections, failures }, null, 2)}\n`);
  log(`wrote ${join(RESULTS_DIR, 'latest.md')}, latest.json and the charts`);

  const missed = sections.flatMap((section) => section.checks.filter((check) => !check.stretch && !passes(check)));
  process.exitCode = failures.length > 0 || missed.length > 0 ? 1 : 0;
}

main().catch((error: unknown) => {
  process.stderr.write(`bench: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(2);
});
