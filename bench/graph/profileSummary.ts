/**
 * Summarizes V8 CPU profiles (`.cpuprofile`, as written by BENCH_GATEWAY_CPU_PROF /
 * BENCH_SUBGRAPHS_CPU_PROF): the functions with the most self time, the packages/files they live in,
 * and the functions with the most inclusive time (themselves and what they call: where a request's
 * work is spent, e.g. `createGraphQLHandler`'s context or the access log's walk).
 * `npx tsx bench/graph/profileSummary.ts <file-or-dir> [top=25] [--last=<seconds>]`
 * (--last: only the final seconds, e.g. the dossier load without start-up; the profile ends at exit).
 * Profiles with no busy samples in that window (a worker thread's) are left out.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { commandLine } from '../../platform/cli.js';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber?: number };
  hitCount?: number;
  children?: number[];
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

/** V8's pseudo-frames (`(garbage collector)`, `(program)`, `(idle)`, `(root)`): no function, no file. */
const isPseudoFrame = (node: ProfileNode) => node.callFrame.url === '' && node.callFrame.functionName.startsWith('(');

/** A function's key: its name, file and position (tsx compiles a module to one line: the column tells functions apart). */
function functionKey(node: ProfileNode): string {
  const { functionName, url, lineNumber, columnNumber } = node.callFrame;
  const where = lineNumber === 0 && columnNumber !== undefined && columnNumber > 0 ? `1:${columnNumber + 1}` : `${lineNumber + 1}`;
  return `${functionName || '(anonymous)'}  ${origin(url)}:${where}`;
}

function summarize(path: string, top: number, lastSeconds: number | undefined): string | null {
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
  const parentOf = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);
  const byFunction = new Map<string, number>();
  const byOrigin = new Map<string, number>();
  const inclusive = new Map<string, number>();
  let total = 0;
  let idle = 0;
  for (const [id, us] of selfUs) {
    const node = byId.get(id)!;
    if (node.callFrame.functionName === '(idle)') {
      idle += us;
      continue;
    }
    total += us;
    const key = functionKey(node);
    byFunction.set(key, (byFunction.get(key) ?? 0) + us);
    // Anonymous functions count for their file; only V8's pseudo-frames go by name.
    const o = isPseudoFrame(node) ? node.callFrame.functionName : origin(node.callFrame.url);
    byOrigin.set(o, (byOrigin.get(o) ?? 0) + us);
    // Inclusive: every function on the stack once (recursion counted once).
    const onStack = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parentOf.get(at)) {
      const frame = byId.get(at)!;
      if (!isPseudoFrame(frame)) onStack.add(functionKey(frame));
    }
    for (const k of onStack) inclusive.set(k, (inclusive.get(k) ?? 0) + us);
  }
  if (total === 0) return null;
  const pct = (us: number) => `${((us / total) * 100).toFixed(1).padStart(5)}%  ${(us / 1000).toFixed(0).padStart(6)} ms`;
  const sorted = (m: Map<string, number>) => [...m].sort((a, b) => b[1] - a[1]).slice(0, top);
  return [
    `${path}: busy ${(total / 1000).toFixed(0)} ms, idle ${(idle / 1000).toFixed(0)} ms`,
    '  self time by function:',
    ...sorted(byFunction).map(([k, us]) => `  ${pct(us)}  ${k}`),
    '  self time by package / file:',
    ...sorted(byOrigin).map(([k, us]) => `  ${pct(us)}  ${k}`),
    '  inclusive time by function:',
    ...sorted(inclusive).map(([k, us]) => `  ${pct(us)}  ${k}`),
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
for (const file of files) {
  const summary = summarize(file, Number(topArg ?? 25), lastSeconds);
  if (summary !== null) process.stdout.write(`${summary}\n\n`);
}
