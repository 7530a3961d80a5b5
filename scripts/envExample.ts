/**
 * `.env.example`, generated from the configuration code so it cannot drift: every part's config loader
 * runs over an empty environment while platform/env.ts's readers note each setting they look at and
 * the default they fall back to (and a Proxy notes variables a loader reads directly). A setting a
 * loader gains is listed at the next `npm run env:example`; `npm run env:check` (CI, and
 * tests/operations/envExample.test.ts) fails while the committed file differs, and when a config
 * reader names a variable no loader below reaches (a new loader to add to PARTS).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { settingsReadBy } from '../platform/env.js';
import { loadAuthConfig } from '../platform/authentication/config.js';
import { loadGatewaySigningConfig, loadGatewayTrustConfig } from '../platform/authentication/gatewayCredential.js';
import { loadLifecycleConfig } from '../platform/lifecycle.js';
import { loadSharedStateConfig } from '../platform/sharedState.js';
import { loadTracingConfig } from '../platform/tracing.js';
import { loadGatewayConfig } from '../gateway/config.js';
import { loadBreakTheGlassConfig } from '../gateway/breakTheGlass.js';
import { loadAuditConfig } from '../gateway/accessLog/config.js';
import { loadSchoolConfig } from '../subgraphs/school/config.js';
import { loadGuidanceConfig } from '../subgraphs/guidance/config.js';
import { loadJobcenterConfig } from '../subgraphs/jobcenter/config.js';
import { loadSocialConfig } from '../subgraphs/social/config.js';
import { loadBenefitsConfig } from '../subgraphs/benefits/config.js';
import { loadCoordinationConfig } from '../subgraphs/coordination/config.js';
import { loadSystemsConfig } from '../systems/config.js';
import { REPO_ROOT } from './deploy-manifests.js';

export const ENV_EXAMPLE_FILE = '.env.example';

type Env = Record<string, string | undefined>;

interface Part {
  title: string;
  load(env: Env): unknown;
}

/** Every process's configuration, in the order the file lists them (a setting appears under the first part that reads it). */
const PARTS: Part[] = [
  {
    title: 'Every part: tokens, shutdown, shared state, tracing',
    load: (env) => [loadAuthConfig(env), loadLifecycleConfig(env), loadSharedStateConfig(env), loadTracingConfig('ungegraf', env)],
  },
  {
    title: 'Gateway (gateway/config.ts and the concerns it loads)',
    load: (env) => [loadGatewayConfig(env), loadGatewaySigningConfig(env), loadBreakTheGlassConfig(env)],
  },
  { title: 'Access log (gateway/accessLog/config.ts)', load: (env) => loadAuditConfig(env) },
  {
    title: 'Subgraphs and how each reaches its system (subgraphs/*/config.ts, subgraphs/kit/systemConfig.ts)',
    load: (env) => [
      loadGatewayTrustConfig(env),
      loadSchoolConfig(env),
      loadGuidanceConfig(env),
      loadJobcenterConfig(env),
      loadSocialConfig(env),
      loadBenefitsConfig(env),
    ],
  },
  { title: 'Coordination subgraph (subgraphs/coordination/config.ts)', load: (env) => loadCoordinationConfig(env) },
  { title: 'Simulated systems (systems/config.ts)', load: (env) => loadSystemsConfig(env) },
];

/** Read with `process.env` outside a loader; here with their defaults as the code has them. */
const DIRECT: { name: string; fallback: string; where: string }[] = [{ name: 'LOG_LEVEL', fallback: 'info', where: 'platform/logger.ts' }];

/** Variables code reads that are not settings of this project. */
const NOT_SETTINGS = new Set([
  'VITEST', // set by the test runner
  'CI',
  'APOLLO_TELEMETRY_DISABLED', // set by the gateway itself
  'OTEL_ENABLED', // deprecated alias of OTEL_SDK_DISABLED (platform/tracing.ts)
  'REPORT_URL', // the report CLI's own (npm run report -- --help)
  'REPORT_TOKEN',
  'GATEWAY_URL', // the subject-report CLI's own (npm run subject-report -- --help)
  'AUDIT_TOKEN',
  'HOST', // a subgraph run as its own process (subgraphs/kit/run.ts), as in deploy/k8s
]);

/** Settings named by a pattern (read by listing the environment). */
const PATTERNS = ["SUBGRAPH_<NAME>_URL: a subgraph's URL instead of the one in the supergraph (gateway/config.ts)"];

export interface Setting {
  name: string;
  fallback: string | undefined;
  part: string;
}

/** Every setting the loaders read over an empty environment, with its default, in the order of PARTS. */
export function collectSettings(): Setting[] {
  const settings = new Map<string, Setting>();
  for (const part of PARTS) {
    const direct = new Set<string>();
    const env = new Proxy(
      {},
      {
        get(target, key): unknown {
          if (typeof key === 'string' && /^[A-Z][A-Z0-9_]*$/.test(key)) direct.add(key);
          return Reflect.get(target, key);
        },
      },
    );
    const reads = settingsReadBy(() => part.load(env));
    for (const read of reads) {
      const known = settings.get(read.name);
      if (!known) settings.set(read.name, { ...read, part: part.title });
      else if (known.fallback === undefined && read.fallback !== undefined) known.fallback = read.fallback;
    }
    for (const name of direct)
      if (!settings.has(name) && !NOT_SETTINGS.has(name)) settings.set(name, { name, fallback: undefined, part: part.title });
  }
  for (const { name, fallback, where } of DIRECT)
    if (!settings.has(name)) settings.set(name, { name, fallback, part: `Logging (${where})` });
  return [...settings.values()];
}

export function renderEnvExample(settings: Setting[] = collectSettings()): string {
  const lines = [
    "# ungegraf's settings, each with its default. Copy to .env and uncomment what you change: `npm start`",
    '# reads .env when there is one (variables set in the environment win); the deployed parts read their',
    '# environment (deploy/k8s). Meanings: README, "Configuration".',
    '# Generated from the configuration code by `npm run env:example` (scripts/envExample.ts); do not edit:',
    '# `npm run env:check` fails when this file and the code disagree. An empty value: unset by default.',
  ];
  let part = '';
  for (const setting of settings) {
    if (setting.part !== part) {
      part = setting.part;
      lines.push('', `# --- ${part}`);
    }
    lines.push(`# ${setting.name}=${setting.fallback ?? ''}`);
  }
  lines.push('', '# --- Named by pattern', ...PATTERNS.map((pattern) => `# ${pattern}`));
  return `${lines.join('\n')}\n`;
}

/** Folders whose code reads configuration (tests and benchmarks set it, they are not read by a part). */
const SOURCE_DIRS = ['gateway', 'subgraphs', 'platform', 'systems', 'stack', 'web', 'scripts'];
const READER = /\bread(?:String|OptionalString|Int|Number|Bool|Url)\(\s*\w+\s*,\s*'([A-Z][A-Z0-9_]*)'/g;
const DIRECT_READ = /\benv(?:\.([A-Z][A-Z0-9_]*)\b|\[\s*'([A-Z][A-Z0-9_]*)'\s*\])/g;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

/** Variables the code names in a reader or reads directly that no loader in PARTS reached: `file: NAME`. */
export function unreachedSettings(settings: Setting[] = collectSettings()): string[] {
  const known = new Set(settings.map((setting) => setting.name));
  const missing: string[] = [];
  for (const file of SOURCE_DIRS.flatMap((dir) => sourceFiles(join(REPO_ROOT, dir)))) {
    const text = readFileSync(file, 'utf8');
    for (const match of [...text.matchAll(READER), ...text.matchAll(DIRECT_READ)]) {
      const name = (match[1] ?? match[2])!;
      if (!known.has(name) && !NOT_SETTINGS.has(name)) missing.push(`${relative(REPO_ROOT, file)}: ${name}`);
    }
  }
  return [...new Set(missing)].sort();
}
