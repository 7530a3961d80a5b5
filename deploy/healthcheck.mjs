/**
 * The image's HEALTHCHECK, in plain Node (no curl in the image, no TypeScript loader needed): asks the
 * part this container runs whether it is alive. One image runs every part, chosen by the command, so
 * the part is read from the container's main process (PID 1: `node <entry>.js [args]` in the image,
 * `node --import tsx <entry>.ts [args]` from a checkout) and
 * its port from the same variable, with the same default, its config reads.
 *
 *   node deploy/healthcheck.mjs [entry [args]]     exit 0 when alive, 1 otherwise
 */
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

/** Subgraph entry points and their port variables (subgraphs/<name>/config.ts). */
export const SUBGRAPH_PORTS = {
  school: ['SCHOOL_SUBGRAPH_PORT', 4001],
  guidance: ['GUIDANCE_SUBGRAPH_PORT', 4002],
  jobcenter: ['JOBCENTER_SUBGRAPH_PORT', 4003],
  social: ['SOCIAL_SUBGRAPH_PORT', 4004],
  benefits: ['BENEFITS_SUBGRAPH_PORT', 4005],
  coordination: ['COORDINATION_SUBGRAPH_PORT', 4006],
};

/** The simulated systems (systems/config.ts); `all` is checked on the first. */
export const SYSTEM_PORTS = {
  school: ['SCHOOL_PORT', 4101],
  guidance: ['GUIDANCE_PORT', 4102],
  jobcenter: ['JOBCENTER_PORT', 4103],
  social: ['SOCIAL_PORT', 4104],
  benefits: ['BENEFITS_PORT', 4105],
};

function port(env, [name, fallback]) {
  const value = env[name];
  return value === undefined || value === '' ? fallback : Number(value);
}

/** The URL that says whether the part started with `args` (entry file first) is alive. */
export function healthUrl(args, env) {
  // The entry file: compiled (.js, the image) or the source (.ts, a checkout).
  const entry = args.find((arg) => /\.[jt]s$/.test(arg)) ?? 'gateway/main.js';
  const subgraph = /(?:^|\/)subgraphs\/([a-z]+)\/index\.[jt]s$/.exec(entry);
  if (subgraph) {
    const ports = SUBGRAPH_PORTS[subgraph[1]];
    if (!ports) throw new Error(`unknown subgraph entry ${entry}`);
    return `http://127.0.0.1:${port(env, ports)}/healthz`;
  }
  if (/(?:^|\/)systems\/main\.[jt]s$/.test(entry)) {
    const which = args[args.indexOf(entry) + 1] ?? 'all';
    const ports = SYSTEM_PORTS[which] ?? SYSTEM_PORTS.school;
    return `http://127.0.0.1:${port(env, ports)}/health`;
  }
  // gateway/main, and scripts/start (everything in one process) whose gateway answers last.
  return `http://127.0.0.1:${port(env, ['GATEWAY_PORT', 4000])}/healthz`;
}

function mainProcessArgs() {
  try {
    return readFileSync('/proc/1/cmdline', 'utf8').split('\0').filter(Boolean);
  } catch {
    return [];
  }
}

async function main() {
  const given = process.argv.slice(2);
  const url = healthUrl(given.length > 0 ? given : mainProcessArgs(), process.env);
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(4000) });
    process.exit(response.ok ? 0 : 1);
  } catch {
    process.exit(1);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
