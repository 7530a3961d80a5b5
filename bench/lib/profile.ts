/**
 * Summaries of V8 CPU profiles (`node --cpu-prof`): where the time goes, as the functions with the most
 * self time, with their share of all samples.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

interface CpuProfile {
  startTime: number;
  endTime: number;
  nodes: ProfileNode[];
  samples?: number[];
  timeDeltas?: number[];
}

export interface HotFunction {
  name: string;
  where: string;
  selfPercent: number;
}

/**
 * The functions with the most self time in one profile; idle and GC are reported as such. With
 * `lastSeconds`, only the profile's last seconds count (the measured load, not the start-up).
 */
export function hotFunctions(profile: CpuProfile, top: number, lastSeconds?: number): HotFunction[] {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const self = new Map<string, { name: string; where: string; micros: number }>();
  let total = 0;
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  const from = lastSeconds === undefined ? -Infinity : profile.endTime - lastSeconds * 1e6;
  let at = profile.startTime;
  for (let i = 0; i < samples.length; i++) {
    const node = byId.get(samples[i]!);
    const micros = deltas[i] ?? 0;
    at += micros;
    if (!node || at < from) continue;
    total += micros;
    const { functionName, url, lineNumber } = node.callFrame;
    const where = url ? `${shorten(url)}:${lineNumber + 1}` : '';
    const key = `${functionName}@${where}`;
    const entry = self.get(key) ?? { name: functionName || '(anonymous)', where, micros: 0 };
    entry.micros += micros;
    self.set(key, entry);
  }
  return [...self.values()]
    .sort((a, b) => b.micros - a.micros)
    .slice(0, top)
    .map((entry) => ({ name: entry.name, where: entry.where, selfPercent: total > 0 ? (100 * entry.micros) / total : 0 }));
}

function shorten(url: string): string {
  const path = url.replace(/^file:\/\//, '');
  const modules = path.lastIndexOf('node_modules/');
  if (modules >= 0) return path.slice(modules + 'node_modules/'.length);
  return relative(process.cwd(), path);
}

/** A text summary of every profile in `dir` (of its last `lastSeconds` when given). */
export async function summarizeProfiles(dir: string, top: number, lastSeconds?: number): Promise<string> {
  const files = (await readdir(dir).catch(() => [] as string[])).filter((file) => file.endsWith('.cpuprofile'));
  const parts: string[] = [];
  for (const file of files) {
    const profile = JSON.parse(await readFile(join(dir, file), 'utf8')) as CpuProfile;
    const span = lastSeconds === undefined ? '' : ` in its last ${lastSeconds} s`;
    parts.push(`== CPU profile ${join(dir, file)}: top ${top} functions by self time${span}`);
    for (const hot of hotFunctions(profile, top, lastSeconds))
      parts.push(`${hot.selfPercent.toFixed(1).padStart(5)}%  ${hot.name}  ${hot.where}`);
  }
  return parts.length > 0 ? parts.join('\n') : `no CPU profile in ${dir}`;
}
