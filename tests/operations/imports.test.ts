/**
 * Every package the code imports is declared in package.json (runtime code in `dependencies`; tests,
 * benchmarks and scripts may use `devDependencies`), and no import reaches into a package's files
 * (`pkg/dist/...`): a transitive package or a private path can disappear in any release of someone else.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../scripts/deploy-manifests.js';

const manifest = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as {
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};
const RUNTIME_DIRS = ['gateway', 'subgraphs', 'platform', 'systems', 'stack', 'web', 'schema', 'operations'];
const DEV_DIRS = ['scripts', 'bench', 'tests'];
/** An import or re-export at the start of a line, or a dynamic import, of a bare specifier. */
const IMPORT = /(?:^\s*(?:import|export)\b[^'"\n;]*?\bfrom\s*|^\s*import\s*|\bimport\(\s*)['"]([^'"./][^'"]*)['"]/gm;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory())
      return entry.name === 'node_modules' || relative(REPO_ROOT, path) === join('bench', 'peers') ? [] : sourceFiles(path);
    return /\.(ts|tsx|mts)$/.test(entry.name) && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

function importsIn(dirs: string[]): { file: string; specifier: string; name: string }[] {
  return dirs.flatMap((dir) =>
    sourceFiles(join(REPO_ROOT, dir)).flatMap((path) =>
      [...readFileSync(path, 'utf8').matchAll(IMPORT)]
        .map((match) => match[1]!)
        .filter((specifier) => !specifier.startsWith('node:') && !builtinModules.includes(specifier.split('/')[0]!))
        .map((specifier) => ({
          file: relative(REPO_ROOT, path),
          specifier,
          name: specifier
            .split('/')
            .slice(0, specifier.startsWith('@') ? 2 : 1)
            .join('/'),
        })),
    ),
  );
}

describe('imports', () => {
  const runtime = importsIn(RUNTIME_DIRS);
  const dev = importsIn(DEV_DIRS);

  it('find the code (the scan sees the known imports)', () => {
    expect(runtime.some((i) => i.name === '@apollo/gateway')).toBe(true);
    expect(dev.some((i) => i.name === 'vitest')).toBe(true);
  });

  it('name only declared packages: runtime code its dependencies, tests, benchmarks and scripts either', () => {
    const deps = new Set(Object.keys(manifest.dependencies));
    const all = new Set([...deps, ...Object.keys(manifest.devDependencies)]);
    const isTypeOnlyCodegen = (i: { file: string }) => i.file.startsWith(join('operations', 'examples', 'generated'));
    expect(
      runtime.filter((i) => !deps.has(i.name) && !(isTypeOnlyCodegen(i) && all.has(i.name))).map((i) => `${i.file}: ${i.specifier}`),
    ).toEqual([]);
    expect(dev.filter((i) => !all.has(i.name)).map((i) => `${i.file}: ${i.specifier}`)).toEqual([]);
  });

  it('never reach into a package’s build output', () => {
    expect(
      [...runtime, ...dev]
        .filter((i) => /\/(dist|build|lib|src)\//.test(`${i.specifier}/`.slice(i.name.length)))
        .map((i) => `${i.file}: ${i.specifier}`),
    ).toEqual([]);
  });
});
