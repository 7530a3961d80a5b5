/**
 * `npm run build`: the production build (issue 16). The TypeScript of the parts that run in production
 * compiled to JavaScript under dist/ (tsconfig.build.json), with what that code reads at run time beside
 * it in the same layout: the subgraphs' schemas, the migrations, the supergraph, the persisted operations,
 * and the browser sources of the IDE and the reference screen, which esbuild bundles at run time. The
 * image runs `node gateway/main.js` from it, and the benchmarks run the gateway from it as the image does:
 * no transpiler at run time (tsx cost the gateway ~50 MiB of resident memory and ~0.7 s of start-up,
 * bench/federation/README.md). `npm start` and the tests keep running the sources with tsx.
 *
 *   npx tsx scripts/build.ts [--out=DIR]     (default dist/; the directory is replaced)
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { commandLine } from '../platform/cli.js';

const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));

/** tsconfig.build.json: the one list of what the build holds (`include`) and leaves to esbuild or out (`exclude`). */
const buildConfig = JSON.parse(readFileSync(join(REPO_ROOT, 'tsconfig.build.json'), 'utf8')) as { include: string[]; exclude: string[] };

/** The folders the runtime image holds, each compiled and copied alike. */
export const RUNTIME_FOLDERS: readonly string[] = buildConfig.include;

/**
 * Browser code, bundled by esbuild when the page is first asked for: copied as source, never compiled
 * here (the excluded folders; the other exclusions are tests and development scripts, named by pattern or file).
 */
const BROWSER_SOURCES = buildConfig.exclude.filter((entry) => !/[*.]/.test(entry));

/** Whether tsc compiles the file (so it is not copied): TypeScript outside the browser sources and tests. */
function compiled(path: string): boolean {
  if (BROWSER_SOURCES.some((dir) => path.startsWith(`${dir}/`))) return false;
  return path.endsWith('.ts') && !path.endsWith('.d.ts');
}

/** Test files stay out of the build, compiled or not. */
const isTest = (path: string) => /\.test\.tsx?$/.test(path);

function* filesUnder(dir: string): Generator<string> {
  for (const entry of readdirSync(join(REPO_ROOT, dir), { withFileTypes: true })) {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory()) yield* filesUnder(path);
    else if (entry.isFile()) yield path;
  }
}

/** Builds into `out` (replaced) and answers the number of files copied beside the compiled ones. */
export function build(out: string): { copied: number } {
  // The directory is deleted first: never the repository, a folder that holds it, or one of its sources.
  const holdsRepository = !relative(out, REPO_ROOT).startsWith('..');
  const inside = relative(REPO_ROOT, out);
  if (holdsRepository || RUNTIME_FOLDERS.some((folder) => inside === folder || inside.startsWith(`${folder}/`)))
    throw new Error(
      `--out=${out}: the build directory is replaced, so it cannot be the repository, a folder that holds it, or a source folder`,
    );
  rmSync(out, { recursive: true, force: true });
  const tsc = spawnSync(
    process.execPath,
    [join(REPO_ROOT, 'node_modules/typescript/bin/tsc'), '-p', join(REPO_ROOT, 'tsconfig.build.json'), '--outDir', out],
    {
      cwd: REPO_ROOT,
      stdio: 'inherit',
    },
  );
  if (tsc.status !== 0) throw new Error(`tsc -p tsconfig.build.json failed (exit ${tsc.status ?? tsc.signal})`);
  let copied = 0;
  for (const folder of RUNTIME_FOLDERS) {
    for (const path of filesUnder(folder)) {
      if (compiled(path) || isTest(path)) continue;
      mkdirSync(dirname(join(out, path)), { recursive: true });
      copyFileSync(join(REPO_ROOT, path), join(out, path));
      copied++;
    }
  }
  // The compiled files are ES modules: Node reads that from the nearest package.json.
  copyFileSync(join(REPO_ROOT, 'package.json'), join(out, 'package.json'));
  // Run from a checkout (the benchmarks), the build reads the repository's packages as the image reads its
  // own: the IDE's bundle key names their installed versions (REPO_ROOT/node_modules).
  symlinkSync(relative(out, join(REPO_ROOT, 'node_modules')), join(out, 'node_modules'), 'dir');
  return { copied };
}

const invokedPath = process.argv[1];
if (invokedPath && import.meta.url === pathToFileURL(resolve(invokedPath)).href) {
  const { values } = commandLine(process.argv.slice(2), { out: { type: 'string' } }, 'usage: npx tsx scripts/build.ts [--out=DIR]');
  const out = values.out ? (isAbsolute(values.out) ? values.out : resolve(values.out)) : join(REPO_ROOT, 'dist');
  const started = performance.now();
  let copied: number;
  try {
    ({ copied } = build(out));
  } catch (error) {
    process.stderr.write(`build: ${(error as Error).message}\n`);
    process.exit(1);
  }
  process.stdout.write(
    `built ${relative(process.cwd(), out) || '.'} in ${((performance.now() - started) / 1000).toFixed(1)} s (${copied} files copied beside the compiled ones)\n`,
  );
}
