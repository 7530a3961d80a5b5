/**
 * The one registry of subgraphs (subgraphs/registry.ts) and the rule that keeps subgraphs apart: no
 * subgraph folder imports another; what two of them share (the system clients the coordination reads)
 * lives in subgraphs/kit/.
 */
import { readdirSync, readFileSync, statSync, existsSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { SUBGRAPH_DEFINITIONS, SUBGRAPH_NAMES, SUBGRAPH_REGISTRY } from '../../subgraphs/registry.js';
import { SUBGRAPHS } from '../../schema/subgraphs.js';
import { loadSchoolConfig } from '../../subgraphs/school/config.js';
import { loadGuidanceConfig } from '../../subgraphs/guidance/config.js';
import { loadJobcenterConfig } from '../../subgraphs/jobcenter/config.js';
import { loadSocialConfig } from '../../subgraphs/social/config.js';
import { loadBenefitsConfig } from '../../subgraphs/benefits/config.js';
import { loadCoordinationConfig } from '../../subgraphs/coordination/config.js';

const SUBGRAPHS_DIR = fileURLToPath(new URL('../../subgraphs/', import.meta.url));
const REPO_ROOT = resolve(SUBGRAPHS_DIR, '..');

function typeScriptFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) return typeScriptFiles(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

/** Relative module specifiers of a file's imports and re-exports, static and dynamic. */
function importsOf(file: string): string[] {
  const source = readFileSync(file, 'utf8');
  return [...source.matchAll(/(?:from\s+|import\s*\(\s*)'(\.{1,2}\/[^']+)'/g)].map((match) => match[1]!);
}

describe('subgraph folders', () => {
  it('never import one another (shared code lives in subgraphs/kit)', () => {
    const crossings: string[] = [];
    const folders = readdirSync(SUBGRAPHS_DIR).filter((entry) => entry !== 'kit' && statSync(join(SUBGRAPHS_DIR, entry)).isDirectory());
    for (const folder of folders) {
      for (const file of typeScriptFiles(join(SUBGRAPHS_DIR, folder))) {
        for (const specifier of importsOf(file)) {
          const target = relative(SUBGRAPHS_DIR, resolve(dirname(file), specifier));
          const targetFolder = target.split(sep)[0];
          if (!target.startsWith('..') && target.includes(sep) && targetFolder !== folder && targetFolder !== 'kit') {
            crossings.push(`${relative(REPO_ROOT, file)} imports ${specifier}`);
          }
        }
      }
    }
    expect(crossings).toEqual([]);
  });
});

describe('the registry', () => {
  it('lists every subgraph folder with an SDL, once, on distinct ports', () => {
    const withSdl = readdirSync(SUBGRAPHS_DIR).filter((entry) => existsSync(join(SUBGRAPHS_DIR, entry, 'schema.graphql')));
    expect([...SUBGRAPH_NAMES].sort()).toEqual(withSdl.sort());
    for (const definition of SUBGRAPH_DEFINITIONS) {
      expect(definition).toBe(SUBGRAPH_REGISTRY[definition.name]);
      expect(existsSync(join(REPO_ROOT, definition.schemaPath))).toBe(true);
    }
    expect(new Set(SUBGRAPH_DEFINITIONS.map((definition) => definition.defaultPort)).size).toBe(SUBGRAPH_NAMES.length);
  });

  it('is what composition reads and where each subgraph listens by default', () => {
    expect(SUBGRAPHS).toEqual(
      SUBGRAPH_DEFINITIONS.map((d) => ({
        name: d.name,
        schemaPath: d.schemaPath,
        defaultUrl: `http://127.0.0.1:${d.defaultPort}/graphql`,
      })),
    );
    const ports = {
      school: loadSchoolConfig({}).port,
      guidance: loadGuidanceConfig({}).port,
      jobcenter: loadJobcenterConfig({}).port,
      social: loadSocialConfig({}).port,
      benefits: loadBenefitsConfig({}).port,
      coordination: loadCoordinationConfig({}).port,
    };
    expect(ports).toEqual(Object.fromEntries(SUBGRAPH_NAMES.map((name) => [name, SUBGRAPH_REGISTRY[name].defaultPort])));
    expect(loadSchoolConfig({ SCHOOL_SUBGRAPH_PORT: '5001' }).port).toBe(5001);
  });

  it('gives the coordination the same system connections as the subgraphs that own the systems', () => {
    const env = { SCHOOL_URL: 'http://school.internal:8080', SOCIAL_TIMEOUT_MS: '1500', JOBCENTER_API_KEY: 'key-from-env' };
    const coordination = loadCoordinationConfig(env).systems;
    expect(coordination.school).toEqual(loadSchoolConfig(env).system);
    expect(coordination.guidance).toEqual(loadGuidanceConfig(env).system);
    expect(coordination.jobcenter).toEqual(loadJobcenterConfig(env).system);
    expect(coordination.social).toEqual(loadSocialConfig(env).system);
    expect(coordination.school.url).toBe('http://school.internal:8080');
    expect(coordination.social.timeoutMs).toBe(1500);
  });
});
