/**
 * Summarizes V8 CPU profiles (`.cpuprofile`, as written by BENCH_GATEWAY_CPU_PROF /
 * BENCH_SUBGRAPHS_CPU_PROF): the functions with the most self time, and the packages/files they
 * live in. `npx tsx bench/graph/profileSummary.ts <file-or-dir> [top=25] [--last=<seconds>]`
 * (--last: only the final seconds, e.g. the dossier load without start-up; the profile ends at exit).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { commandLine } from '../../platform/cli.js';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}
interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

/** `node_modules/<pkg>` (scoped too), else the repository path, else the V8 pseudo-frame. */
function origin(url: string): string {
  const modules = url.lastIndexOf('node_modules/');
  if (modules !== -1) {
    const rest = url.slice(modules + 'node_modules/'.length).split('/');
    return rest[0]!.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]!;
  }
  if (url.startsWith('node:')) return url;
  const repo = url.indexOf('/work/main/');
  return repo !== -1 ? url.slice(repo + '/work/main/'.length) : url || '(native)';
}

function summarize(path: string, top: number, lastSeconds: number | undefined): string {
  const profile = JSON.parse(readFileSync(path, 'utf8')) as CpuProfile;
  // Only the samples of the last seconds (the load, not the start-up and the screening run).
  const from = lastSeconds === undefined ? -Infinity : profile.endTime - lastSeconds * 1e6;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  // Self time per node from the sample deltas (more exact than hitCount x interval).
  const selfUs = new Map<number, number>();
  let at = profile.startTime;
  for (let i = 0; i < profile.samples.length; i++) {
    at += profile.timeDeltas[i] ?? 0;
    if (at < from) continue;
    const id = profile.samples[i]!;
    selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  }
  const byFunction = new Map<string, number>();
  const byOrigin = new Map<string, number>();
  let total = 0;
  let idle = 0;
  for (const [id, us] of selfUs) {
    const node = byId.get(id)!;
    const name = node.callFrame.functionName || '(anonymous)';
    if (name === '(idle)') {
      idle += us;
      continue;
    }
    total += us;
    const key = `${name}  ${origin(node.callFrame.url)}:${node.callFrame.lineNumber + 1}`;
    byFunction.set(key, (byFunction.get(key) ?? 0) + us);
    const o = name.startsWith('(') ? name : origin(node.callFrame.url);
    byOrigin.set(o, (byOrigin.get(o) ?? 0) + us);
  }
  const pct = (us: number) => `${((us / total) * 100).toFixed(1).padStart(5)}%  ${(us / 1000).toFixed(0).padStart(6)} ms`;
  const sorted = (m: Map<string, number>) => [...m].sort((a, b) => b[1] - a[1]).slice(0, top);
  return [
    `${path}: busy ${(total / 1000).toFixed(0)} ms, idle ${(idle / 1000).toFixed(0)} ms`,
    '  self time by function:',
    ...sorted(byFunction).map(([k, us]) => `  ${pct(us)}  ${k}`),
    '  self time by package / file:',
    ...sorted(byOrigin).map(([k, us]) => `  ${pct(us)}  ${k}`),
  ].join('\n');
}

const USAGE = 'usage: profileSummary.ts <file.cpuprofile | directory> [top] [--last=<seconds>]';
const { values, positionals } = commandLine(process.argv.slice(2), { last: { type: 'string' } }, USAGE, { allowPositionals: true });
const lastSeconds = values.last === undefined ? undefined : Number(values.last);
const [target, topArg] = positionals;
if (!target || positionals.length > 2) {
  process.stderr.write(`${USAGE}\n`);
  process.exit(2);
}
const files = statSync(target).isDirectory()
  ? readdirSync(target)
      .filter((f) => f.endsWith('.cpuprofile'))
      .map((f) => join(target, f))
  : [target];
for (const file of files) process.stdout.write(`${summarize(file, Number(topArg ?? 25), lastSeconds)}\n\n`);
